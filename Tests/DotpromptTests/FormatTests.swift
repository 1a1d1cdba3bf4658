import Dotprompt
import Foundation
import PromptSyntax
import XCTest

/// `formatPromptFile`: the formatting rules (fixtures), idempotence and unchanged rendering over every
/// shared sample and spec template.
final class FormatTests: XCTestCase {
    func check(_ input: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        let result = formatPromptFile(input)
        XCTAssertNil(result.skippedReason, file: file, line: line)
        XCTAssertEqual(result.text, expected, file: file, line: line)
        XCTAssertEqual(formatPrompt(result.text), result.text, "not idempotent", file: file, line: line)
    }

    func testFrontmatterIsReindentedInWrittenOrder() {
        check(
            "---\nmodel: m   \nconfig:\n    temperature: 1\n    stop:\n    - a\n    -   b\ninput:\n      schema:\n           name: string\n       # the age\n           age?: number\n---\nHi\n",
            "---\nmodel: m\nconfig:\n  temperature: 1\n  stop:\n    - a\n    -   b\ninput:\n  schema:\n    name: string\n    # the age\n    age?: number\n---\nHi\n"
        )
        check(
            "---\nitems:\n- name: a\n  note: |\n     keep   \n       these  \n- name: b\n---\nx\n",
            "---\nitems:\n  - name: a\n    note: |\n       keep   \n         these  \n  - name: b\n---\nx\n")
    }

    func testTagsAreRespacedButCommentsAndRawBlocksAreNot() {
        check(
            "---\nmodel: m\n---\n{{ name }} {{{ raw }}} {{#if  (eq a  b) }}y{{ else if c }}z{{ else }}w{{/ if }} {{>  part  ctx  k=v }}\n{{!  keep  }} {{{{raw}}}} {{ x }} {{{{/raw}}}} {{~ tight ~}} {{#each xs   as |x  i| }}{{x}}{{/each}}\n",
            "---\nmodel: m\n---\n{{name}} {{{raw}}} {{#if (eq a  b)}}y{{else if c}}z{{else}}w{{/if}} {{> part ctx k=v}}\n{{!  keep  }} {{{{raw}}}} {{ x }} {{{{/raw}}}} {{~tight~}} {{#each xs as |x  i|}}{{x}}{{/each}}\n"
        )
    }

    func testTrailingWhitespaceOnlyWhereItIsNeverSent() {
        // After frontmatter the body is trimmed; standalone tag lines lose their whitespace anyway;
        // a space before a line break in plain text reaches the model and stays.
        check(
            "---\nmodel: m\n---\nkeep \n{{#if x}}   \nbody\n{{/if}}  \n\n\n",
            "---\nmodel: m\n---\nkeep \n{{#if x}}\nbody\n{{/if}}\n")
        // Without frontmatter the template is not trimmed: the final newline is part of the text.
        check("Hello {{name}}", "Hello {{name}}")
        check("Hello {{name}}\n\n", "Hello {{name}}\n\n")
        check("{{#if a}}\nx\n{{/if}}", "{{#if a}}\nx\n{{/if}}\n")
    }

    func testBrokenFilesAreLeftAlone() {
        for text in [
            "{{#if x}}never closed", "---\nmodel: [\n---\nbody", "{{ a }",
            "\u{FEFF}---\nmodel: m\n---\n{{ a }}",
        ] {
            let result = formatPromptFile(text)
            XCTAssertEqual(result.text, text)
            XCTAssertFalse(result.changed)
            XCTAssertNotNil(result.skippedReason, text)
        }
    }

    /// Adds spaces inside simple tags and trailing spaces to every line, so that the formatter has
    /// something to do on every file.
    static func perturbed(_ text: String) -> String {
        var out = text.replacingOccurrences(
            of: #"\{\{([#/>^]?)([A-Za-z@][^{}~]*)\}\}"#, with: "{{$1 $2  }}", options: .regularExpression)
        out = out.components(separatedBy: "\n").map { $0.isEmpty ? $0 : $0 + "  " }.joined(separator: "\n")
        return out
    }

    /// Every sample and every spec template: formatting is idempotent and renders the same messages
    /// with data derived from the case (spec data, or the frontmatter defaults for samples).
    func testIdempotentAndRenderingUnchangedOnSamplesAndSpec() throws {
        var texts: [(name: String, text: String, input: PlainValue)] = []
        let samples = try sharedFolder("dotprompt-samples")
        for name in try FileManager.default.contentsOfDirectory(atPath: samples.path).sorted()
        where name.hasSuffix(".prompt") {
            texts.append(
                (
                    name, try String(contentsOf: samples.appendingPathComponent(name), encoding: .utf8),
                    .object([])
                ))
        }
        for spec in try SpecConformanceTests.loadCases() {
            guard case .string(let template)? = spec.suite["template"] else { continue }
            texts.append((spec.name, template, spec.test["data"]?["input"] ?? .object([])))
        }
        var changed = 0
        for (name, original, input) in texts {
            for text in [original, Self.perturbed(original)] {
                let once = formatPromptFile(text)
                XCTAssertEqual(formatPrompt(once.text), once.text, "\(name): not idempotent")
                if once.changed { changed += 1 }
                let before = renderPrompt(source: text, input: RenderInput(data: input))
                let after = renderPrompt(source: once.text, input: RenderInput(data: input))
                XCTAssertEqual(before.messages, after.messages, "\(name): rendering changed")
                XCTAssertEqual(before.metadata, after.metadata, "\(name): metadata changed")
                XCTAssertEqual(
                    renderingSignature(parsePromptDocument(text)),
                    renderingSignature(parsePromptDocument(once.text)), name)
            }
        }
        print("fmt: \(texts.count * 2) files checked, \(changed) reformatted")
        XCTAssertGreaterThan(changed, 0)
    }
}

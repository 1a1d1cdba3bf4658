import Foundation
import PromptText
import XCTest

@testable import PromptSyntax

/// The reference implementations' frontmatter regex, run by ICU as an oracle. ICU's `\s` differs from
/// JavaScript's, so it is spelled out as JavaScript's class.
private let referenceRegex: NSRegularExpression = {
    let js = "[\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]"
    let pattern =
        "^(?:(?:#[^\\n]*|[ \\t]*)\\n)*---\(js)*(?:\\r\\n|\\r|\\n)([\\s\\S]*?)(?:\\r\\n|\\r|\\n)---\(js)*(?:\\r\\n|\\r|\\n)([\\s\\S]*)$"
    return try! NSRegularExpression(pattern: pattern)
}()

/// (frontmatter group, body group) as UTF-8 ranges, or nil when the regex does not match.
private func referenceSplit(_ text: String) -> (content: UTF8Range, body: UTF8Range)? {
    let whole = NSRange(text.startIndex..., in: text)
    guard let match = referenceRegex.firstMatch(in: text, options: [], range: whole) else { return nil }
    // UTF-16 offset → UTF-8 offset, scalar by scalar (ICU reports UTF-16 ranges).
    var utf8Offsets: [Int: Int] = [0: 0]
    var utf16Offset = 0
    var utf8Offset = 0
    for scalar in text.unicodeScalars {
        utf16Offset += scalar.utf16.count
        utf8Offset += scalar.utf8.count
        utf8Offsets[utf16Offset] = utf8Offset
    }
    func utf8(_ range: NSRange) -> UTF8Range {
        UTF8Range(start: utf8Offsets[range.location]!, end: utf8Offsets[range.location + range.length]!)
    }
    return (utf8(match.range(at: 1)), utf8(match.range(at: 2)))
}

final class SplitTests: XCTestCase {
    /// The hand-written matcher agrees with the regex oracle on `text`.
    private func checkAgainstOracle(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = referenceSplit(text)
        let actual = matchReferenceFrontmatter(Array(text.utf8))
        XCTAssertEqual(actual?.content, expected?.content, "frontmatter of \(jsonQuoted(text))", file: file, line: line)
        XCTAssertEqual(actual?.body, expected?.body, "body of \(jsonQuoted(text))", file: file, line: line)
    }

    func testSharedMaterialMatchesReferenceRegex() throws {
        let sources = try specSources() + sampleSources()
        for source in sources where !source.isPartial { checkAgainstOracle(source.text) }
    }

    func testRandomInputsMatchReferenceRegex() {
        let pieces = [
            "---", "---", "\n", "\n", "\r\n", "\r", " ", "\t", "# c", "#", "a: 1", "x", "\u{FEFF}", "\u{00A0}", "-",
            "\u{2028}", "é",
        ]
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<5000 {
            let count = Int.random(in: 0...14, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
            checkAgainstOracle(text)
        }
    }

    /// One row: a file, the fallback Dotprompt applies (nil when it uses the frontmatter, or when there
    /// is none), and the template text Dotprompt compiles.
    private func check(
        _ text: String, _ reason: FrontmatterFallbackReason?, template: String, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let split = splitPromptSource(text)
        XCTAssertEqual(split.fallback?.reason, reason, jsonQuoted(text), file: file, line: line)
        XCTAssertEqual(text.utf8Slice(split.templateRange), template, jsonQuoted(text), file: file, line: line)
        XCTAssertEqual(
            split.diagnostics.contains { $0.code == SyntaxCode.frontmatterIgnored }, reason != nil, file: file, line: line)
        if reason == nil, split.frontmatter != nil {
            XCTAssertEqual(split.body, referenceSplit(text)?.body, file: file, line: line)
        }
    }

    func testFallbackReasons() {
        check("\u{FEFF}---\nmodel: x\n---\nHi", .byteOrderMark, template: "\u{FEFF}---\nmodel: x\n---\nHi")
        check("  ---\nmodel: x\n---\nHi", .indentedOpeningDelimiter, template: "  ---\nmodel: x\n---\nHi")
        check(
            "# license\r\n\r\n---\r\nmodel: x\r\n---\r\nHi", .unrecognizedBlankLine,
            template: "# license\r\n\r\n---\r\nmodel: x\r\n---\r\nHi")
        check("--- yaml\nmodel: x\n---\nHi", .textAfterOpeningDelimiter, template: "--- yaml\nmodel: x\n---\nHi")
        check("---\nmodel: x\nHi\n", .unclosedFrontmatter, template: "---\nmodel: x\nHi\n")
        check("---\nmodel: x\n  ---\nHi", .indentedClosingDelimiter, template: "---\nmodel: x\n  ---\nHi")
        check("---\nmodel: x\n--- end\nHi", .textAfterClosingDelimiter, template: "---\nmodel: x\n--- end\nHi")
        check("---\nmodel: x\n---", .noLineBreakAfterClosingDelimiter, template: "---\nmodel: x\n---")
        check("---\n---\nHi\n", .emptyFrontmatter, template: "---\n---\nHi\n")
        check("---\n\n---\nHi\n", .emptyFrontmatter, template: "---\n\n---\nHi\n")
        check("---\r\n---\r\nHi", .emptyFrontmatter, template: "---\r\n---\r\nHi")
        check("\n---\nmodel: [x\n---\nHi\n", .invalidYAML, template: "---\nmodel: [x\n---\nHi")
        check("---\n- a\n- b\n---\nHi", .frontmatterNotMapping, template: "---\n- a\n- b\n---\nHi")
        check("---\njust text\n---\nHi", .frontmatterNotMapping, template: "---\njust text\n---\nHi")
        // Files Dotprompt reads as intended.
        check("Hello {{name}}\n", nil, template: "Hello {{name}}\n")
        check("# not a header without frontmatter\nHello", nil, template: "# not a header without frontmatter\nHello")
        check("---\nmodel: x\n---\n\n\n  Hi there  \n\n", nil, template: "Hi there")
        check("# License\n#\n\n  \t\n---  \nmodel: x\n---\nHi", nil, template: "Hi")
        check("# License\r\n---\r\nmodel: x\r\n---\r\nHi\r\n", nil, template: "Hi")
        check("---\n# only a comment\n---\nHi", nil, template: "Hi")
        check("---\n   \n---\nHi", nil, template: "Hi")
        check("----\nfoo\n", nil, template: "----\nfoo\n")
        check("- item\n", nil, template: "- item\n")
        check("", nil, template: "")
    }

    func testHeaderAndDelimiterRanges() {
        let text = "# Copyright\n\n---\nmodel: x\n---\n\nHi\n"
        let split = splitPromptSource(text)
        XCTAssertEqual(text.utf8Slice(split.header), "# Copyright\n\n")
        let frontmatter = try! XCTUnwrap(split.frontmatter)
        XCTAssertEqual(text.utf8Slice(frontmatter.openingDelimiter), "---\n")
        XCTAssertEqual(text.utf8Slice(frontmatter.contentRange), "model: x")
        XCTAssertEqual(text.utf8Slice(frontmatter.closingDelimiter), "\n---\n\n")
        XCTAssertEqual(text.utf8Slice(split.body), "Hi\n")
        XCTAssertEqual(frontmatter.root?["model"]?.string, "x")
    }

    /// What the Python reference (PyYAML 6.0.3, `yaml.safe_load`) says about each sample's frontmatter,
    /// recorded by running it: three samples use Picoschema shorthand that is not valid YAML
    /// (`"formal" | "casual"`, `{ ... }[]`), so every reference implementation ignores their frontmatter and
    /// renders the whole file, license header and YAML included, as the prompt.
    private let samplesRejectedByReferenceYAML: [String: Int] = [
        // file: the 1-based frontmatter line PyYAML reports.
        "02-schema-and-config.prompt": 14,
        "06-partials.prompt": 6,
        "10-kitchen-sink.prompt": 16,
    ]

    func testSamplesSplitLikeTheReference() throws {
        for sample in try sampleSources() {
            let split = splitPromptSource(sample.text)
            let reference = try XCTUnwrap(referenceSplit(sample.text), sample.name)
            if let line = samplesRejectedByReferenceYAML[sample.name] {
                XCTAssertEqual(split.fallback?.reason, .invalidYAML, sample.name)
                XCTAssertEqual(split.templateRange, Array(sample.text.utf8).javaScriptTrimmed(UTF8Range(start: 0, end: sample.text.utf8.count)))
                let content = try XCTUnwrap(split.fallback?.ignoredFrontmatter?.contentRange)
                let error = try XCTUnwrap(split.diagnostics.first { $0.code == SyntaxCode.invalidYAML }, sample.name)
                let index = LineIndex(sample.text)
                let errorLine = index.line(containingUTF8Offset: error.range.start) - index.line(containingUTF8Offset: content.start) + 1
                XCTAssertEqual(errorLine, line, "\(sample.name): \(error)")
            } else {
                XCTAssertNil(split.fallback, sample.name)
                XCTAssertEqual(split.frontmatter?.contentRange, reference.content, sample.name)
                XCTAssertEqual(split.body, reference.body, sample.name)
                XCTAssertEqual(split.diagnostics, [], sample.name)
                XCTAssertNotNil(split.frontmatter?.root?["model"], sample.name)
            }
        }
    }

    func testSpecTemplatesSplitLikeTheReference() throws {
        for source in try specSources() where !source.isPartial {
            let split = splitPromptSource(source.text)
            XCTAssertEqual(split.diagnostics, [], source.name)
            XCTAssertNil(split.fallback, source.name)
            if let reference = referenceSplit(source.text) {
                XCTAssertEqual(split.frontmatter?.contentRange, reference.content, source.name)
                XCTAssertEqual(split.body, reference.body, source.name)
            } else {
                XCTAssertNil(split.frontmatter, source.name)
                XCTAssertEqual(split.templateRange, UTF8Range(start: 0, end: source.text.utf8.count), source.name)
            }
        }
    }
}

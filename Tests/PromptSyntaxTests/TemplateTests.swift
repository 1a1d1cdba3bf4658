import Foundation
import PromptText
import XCTest

@testable import PromptSyntax

final class TemplateTests: XCTestCase {
    /// Each fixture in Fixtures/templates has an `input` section and the expected `dumpTemplate` output
    /// (nodes, ranges, diagnostics).
    func testFixtures() throws {
        for url in try fixtureFiles("templates") {
            let fixture = try SectionedFixture(url: url)
            var input = try XCTUnwrap(fixture["input"], url.lastPathComponent)
            if input.hasSuffix("\n") { input.removeLast() }
            let template = parseTemplate(input)
            checkInvariants(template, text: input, name: url.lastPathComponent)
            try fixture.check(expected: dumpTemplate(template, text: input))
        }
    }

    /// Marker fixtures: `⟦…⟧` marks the range each diagnostic must have, in order; `codes` lists them.
    private func check(_ marked: String, _ codes: [String], file: StaticString = #filePath, line: UInt = #line) {
        var text = ""
        var ranges: [UTF8Range] = []
        var openOffset = 0
        for character in marked {
            if character == "⟦" {
                openOffset = text.utf8.count
            } else if character == "⟧" {
                ranges.append(UTF8Range(start: openOffset, end: text.utf8.count))
            } else {
                text.append(character)
            }
        }
        let template = parseTemplate(text)
        XCTAssertEqual(template.diagnostics.map(\.code), codes, marked, file: file, line: line)
        XCTAssertEqual(template.diagnostics.map(\.range), ranges, marked, file: file, line: line)
        checkInvariants(template, text: text, name: marked)
    }

    func testDiagnosticRanges() {
        check("{{#if a}}x{{/if}}", [])
        check("⟦{{#if a}}⟧ x", [SyntaxCode.unclosedBlock])
        check("{{#if a}}x⟦{{/each}}⟧{{/if}}", [SyntaxCode.unmatchedClosingBlock])
        check("⟦{{/each}}⟧", [SyntaxCode.unmatchedClosingBlock])
        check("{{#if a}}⟦{{#each b}}⟧{{/if}}", [SyntaxCode.unclosedBlock])
        check("⟦{{ x }⟧ and {{y}}", [SyntaxCode.unbalancedBrace])
        check("⟦{{x}}}⟧", [SyntaxCode.unbalancedBrace])
        check("⟦{{{x}}⟧", [SyntaxCode.unbalancedBrace])
        check("stray ⟦}}⟧", [SyntaxCode.unbalancedBrace])
        check("{\"a\": {\"b\": 1}}", [])
        check("{{foo ⟦(bar}}⟧", [SyntaxCode.invalidExpression])
        check("⟦{{else}}⟧", [SyntaxCode.invalidExpression])
        check("⟦{{!--⟧ open", [SyntaxCode.unclosedComment])
        check("⟦{{{{raw}}}}⟧ body", [SyntaxCode.unclosedBlock])
        check("{{foo bar=1 ⟦baz⟧}}", [SyntaxCode.invalidExpression])
        check("⟦{{#*⟧inline \"x\"}}y{{/inline}}", [SyntaxCode.unsupportedSyntax])
        check("⟦{{elsewhere}}⟧", [SyntaxCode.invalidExpression])
    }

    func testUnmatchedCloseRelatesToOpenBlock() throws {
        let template = parseTemplate("{{#if a}}x{{/each}}{{/if}}")
        let diagnostic = try XCTUnwrap(template.diagnostics.first)
        XCTAssertEqual(diagnostic.related.map(\.range), [UTF8Range(start: 0, end: 9)])
        let unclosed = parseTemplate("{{#if a}}x").diagnostics.first
        XCTAssertEqual(unclosed?.related.map(\.range), [.empty(at: 10)])
    }

    /// Real problems in the shared samples, which Handlebars itself has: 06 writes a short comment
    /// `{{! ... {{> partialName}} ... }}` that ends at the first `}}`, so a stray `}}` is rendered as text;
    /// 08 and 10 close `{{/section}}` although `{{section "x"}}` is a plain helper call, which Handlebars
    /// rejects when compiling ("doesn't match" / unexpected close).
    private let samplesWithTemplateProblems: [String: [String]] = [
        "06-partials.prompt": [SyntaxCode.unbalancedBrace],
        "08-sections-thinking.prompt": [SyntaxCode.unmatchedClosingBlock],
        "10-kitchen-sink.prompt": [SyntaxCode.unmatchedClosingBlock],
    ]

    func testSharedTemplatesParseWithoutErrors() throws {
        for source in try specSources() {
            let document = source.isPartial ? nil : parsePromptDocument(source.text)
            let template = document?.template ?? parseTemplate(source.text)
            XCTAssertEqual(template.diagnostics, [], source.name)
            if let document { XCTAssertEqual(document.diagnostics, [], source.name) }
            checkInvariants(template, text: source.text, name: source.name)
        }
        for sample in try sampleSources() {
            let document = parsePromptDocument(sample.text)
            XCTAssertEqual(document.template.diagnostics.map(\.code), samplesWithTemplateProblems[sample.name] ?? [], sample.name)
            checkInvariants(document.template, text: sample.text, name: sample.name)
        }
    }

    /// Ranges lie within the text on scalar boundaries, children within parents, and top-level nodes
    /// tile the template range exactly (the tree is lossless).
    func checkInvariants(_ template: Template, text: String, name: String, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(text.utf8)
        func valid(_ range: UTF8Range) -> Bool {
            range.start >= 0 && range.end <= bytes.count && range.start <= range.end
                && (range.start == bytes.count || bytes[range.start] & 0xC0 != 0x80)
                && (range.end == bytes.count || bytes[range.end] & 0xC0 != 0x80)
        }
        var offset = template.range.start
        for id in template.rootNodes {
            let range = template[id].range
            if range.start != offset {
                XCTFail("\(name): gap or overlap at \(offset), next node \(range)", file: file, line: line)
                return
            }
            offset = range.end
        }
        XCTAssertEqual(offset, template.range.end, "\(name): top-level nodes end early", file: file, line: line)
        for node in template.nodes {
            if !valid(node.range) {
                XCTFail("\(name): bad range \(node.range)", file: file, line: line)
                return
            }
            if let parent = node.parent, !template[parent].range.contains(node.range) {
                XCTFail("\(name): \(node.range) outside parent \(template[parent].range)", file: file, line: line)
                return
            }
        }
        for diagnostic in template.diagnostics where !valid(diagnostic.range) {
            XCTFail("\(name): bad diagnostic range \(diagnostic)", file: file, line: line)
        }
    }
}

import Foundation
import PromptText
import XCTest

@testable import PromptSyntax

/// Broken input is data: parsing must finish, never crash, and keep every range valid.
final class MalformedInputTests: XCTestCase {
    /// Parses `text` as a document and checks every range in the result.
    private func checkParses(_ text: String, name: String, file: StaticString = #filePath, line: UInt = #line) -> PromptDocument {
        let document = parsePromptDocument(text)
        let bytes = Array(text.utf8)
        func valid(_ range: UTF8Range) -> Bool {
            range.start >= 0 && range.end <= bytes.count
                && (range.start == bytes.count || bytes[range.start] & 0xC0 != 0x80)
                && (range.end == bytes.count || bytes[range.end] & 0xC0 != 0x80)
        }
        var ranges = document.diagnostics.map(\.range) + document.diagnostics.flatMap { $0.related.map(\.range) }
        ranges += document.template.nodes.map(\.range)
        ranges += document.messages.map(\.contentRange)
        ranges += [document.header, document.body, document.templateRange]
        var yamlNodes = (document.frontmatter?.root ?? document.frontmatterFallback?.ignoredFrontmatter?.root).map { [$0] } ?? []
        while let node = yamlNodes.popLast() {
            ranges.append(node.range)
            for pair in node.pairs ?? [] {
                ranges.append(pair.key.range)
                yamlNodes.append(pair.value)
            }
            yamlNodes += node.items ?? []
        }
        for range in ranges where !valid(range) {
            XCTFail("\(name): invalid range \(range) in a text of \(bytes.count) bytes", file: file, line: line)
            break
        }
        return document
    }

    func testRandomBytesDecodedWithReplacement() {
        var generator = SeededGenerator(seed: 7)
        for iteration in 0..<300 {
            let count = Int.random(in: 0...400, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Invalid UTF-8 becomes U+FFFD (the String API's replacement), as the CLI and server decode.
            let text = String(decoding: bytes, as: UTF8.self)
            _ = checkParses(text, name: "random bytes #\(iteration)")
        }
    }

    func testRandomPromptLikeText() {
        let pieces = [
            "{{", "}}", "{{{", "}}}", "{{#if a}}", "{{/if}}", "{{else}}", "{{^}}", "{{#each x as |y|}}", "{{/each}}",
            "{{!", "{{!--", "--}}", "\\", "~", "(", ")", "\"", "'", "=", "---\n", "\n", "\r\n", " ", "a: 1\n", "- x\n",
            "[", "]", "{", "}", ":", "#", "é", "😀", "|\n", "  ", "{{> p}}", "{{{{raw}}}}", "{{{{/raw}}}}", "@", "..", "/",
        ]
        var generator = SeededGenerator(seed: 2024)
        for iteration in 0..<3000 {
            let count = Int.random(in: 0...30, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
            _ = checkParses(text, name: "random prompt #\(iteration): \(jsonQuoted(text))")
            _ = parseYAML(text)
        }
    }

    func testInvalidUTF8() {
        let bytes: [UInt8] = Array("---\nmodel: x\n---\nHi {{na".utf8) + [0xFF, 0xC3] + Array("me}} \u{00E9}".utf8) + [0xE2, 0x82]
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains("\u{FFFD}"))
        let document = checkParses(text, name: "invalid UTF-8")
        XCTAssertEqual(document.frontmatter?.root?["model"]?.string, "x")
    }

    func testTenThousandNestedBlocks() {
        let depth = 10_000
        let text = String(repeating: "{{#if a}}", count: depth) + "x" + String(repeating: "{{/if}}", count: depth)
        let document = checkParses(text, name: "nested")
        XCTAssertEqual(document.diagnostics, [])
        XCTAssertEqual(document.template.ancestors(of: TemplateNodeID(depth)).count, depth)
        XCTAssertEqual(document.template.references().helpers.count, depth)
        _ = dumpTemplate(document.template, text: text)
        let unclosed = checkParses(String(repeating: "{{#each a}}", count: depth), name: "unclosed nested")
        XCTAssertEqual(unclosed.diagnostics.filter { $0.code == SyntaxCode.unclosedBlock }.count, depth)
        let deepYAML = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        XCTAssertTrue(parseYAML("a: " + deepYAML).hasErrors)
        let deepSubExpressions = "{{a " + String(repeating: "(b ", count: depth) + String(repeating: ")", count: depth) + "}}"
        XCTAssertEqual(parseTemplate(deepSubExpressions).diagnostics.map(\.code), [SyntaxCode.invalidExpression])
    }

    func testTwentyMegabyteFile() {
        let chunk = "Line with {{var}} and {{#if x}}text{{else}}other{{/if}} and {{! comment }} more text here.\n"
        let repeats = 20_000_000 / chunk.utf8.count
        let text = "---\nmodel: x\n---\n" + String(repeating: chunk, count: repeats)
        let document = parsePromptDocument(text)
        XCTAssertEqual(document.diagnostics, [])
        // Per chunk: a mustache, a block, a comment and three texts (the last text merges with the
        // next chunk's first), plus the final text.
        XCTAssertEqual(document.template.rootNodes.count, repeats * 6 + 1)
    }

    func testUnclosedEverything() {
        for text in [
            "---\nmodel: [x", "---\na: \"open\n---\n{{#if a}}{{{{raw}}}}", "{{", "{{{", "{{{{", "{{!", "{{!--", "{{#", "{{/",
            "{{>", "{{#>", "{{^", "{{else", "{{foo (", "{{foo \"", "{{[", "{{@", "\\\\{{", "---\n|\n---\n",
        ] {
            let document = checkParses(text, name: jsonQuoted(text))
            XCTAssertFalse(document.diagnostics.isEmpty, "expected errors for \(jsonQuoted(text))")
        }
        // An escaped `\{{` is text, even at the end.
        XCTAssertEqual(parsePromptDocument("\\{{").diagnostics, [])
    }
}

import Foundation
import PromptText
import XCTest

@testable import PromptSyntax

final class YAMLTests: XCTestCase {
    /// Each fixture in Fixtures/yaml has an `input` section and the expected `dumpYAML` output.
    func testFixtures() throws {
        for url in try fixtureFiles("yaml") {
            let fixture = try SectionedFixture(url: url)
            let input = try XCTUnwrap(fixture["input"], url.lastPathComponent)
            let document = parseYAML(input)
            checkRanges(document, in: input, name: url.lastPathComponent)
            try fixture.check(expected: dumpYAML(document))
        }
    }

    /// Every range lies in the text, on scalar boundaries.
    private func checkRanges(_ document: YAMLDocument, in text: String, name: String) {
        let bytes = Array(text.utf8)
        func valid(_ range: UTF8Range) -> Bool {
            range.start >= 0 && range.end <= bytes.count
                && (range.start == bytes.count || bytes[range.start] & 0xC0 != 0x80)
                && (range.end == bytes.count || bytes[range.end] & 0xC0 != 0x80)
        }
        var stack = document.root.map { [$0] } ?? []
        while let node = stack.popLast() {
            XCTAssertTrue(valid(node.range), "\(name): \(node.range)")
            for pair in node.pairs ?? [] {
                XCTAssertTrue(valid(pair.key.range), "\(name): key \(pair.key.range)")
                stack.append(pair.value)
            }
            stack.append(contentsOf: node.items ?? [])
        }
        for diagnostic in document.diagnostics { XCTAssertTrue(valid(diagnostic.range), "\(name): \(diagnostic)") }
    }

    func testLookupAndPlainValue() {
        let document = parseYAML("config:\n  maxOutputTokens: 512\n  stop: [a, \"b\"]\next.tool: on\n")
        let root = document.root
        XCTAssertEqual(root?["config"]?["maxOutputTokens"]?.scalar?.value, .int(512))
        XCTAssertEqual(root?.value(at: ["config", "stop"])?[1]?.string, "b")
        XCTAssertEqual(root?["ext.tool"]?.scalar?.value, .string("on"))
        XCTAssertNil(root?["missing"])
        XCTAssertEqual(
            root?.plainValue,
            .object([
                .init(key: "config", value: .object([
                    .init(key: "maxOutputTokens", value: .int(512)),
                    .init(key: "stop", value: .array([.string("a"), .string("b")])),
                ])),
                .init(key: "ext.tool", value: .string("on")),
            ]))
    }

    func testCoreSchemaTyping() {
        let cases: [(String, YAMLScalarValue)] = [
            ("", .null), ("~", .null), ("NULL", .null), ("True", .bool(true)), ("false", .bool(false)),
            ("yes", .string("yes")), ("12", .int(12)), ("-3", .int(-3)), ("+7", .int(7)), ("0o17", .int(15)),
            ("0x1F", .int(31)), ("1.5", .float(1.5)), (".5", .float(0.5)), ("1.", .float(1)), ("1e3", .float(1000)),
            ("-.inf", .float(-.infinity)), ("1_000", .string("1_000")), ("0x", .string("0x")), ("1.2.3", .string("1.2.3")),
            ("e5", .string("e5")), ("99999999999999999999", .float(1e20)),
        ]
        for (text, expected) in cases { XCTAssertEqual(resolvePlainScalar(text), expected, text) }
        if case .float(let value) = resolvePlainScalar(".nan") { XCTAssertTrue(value.isNaN) } else { XCTFail(".nan") }
    }
}

import Foundation
import PromptText
import XCTest

@testable import PromptSyntax

/// The one JSON string writer and the YAML double-quoted form built on it: every kind of scalar
/// must come back unchanged from a JSON reader (Foundation's) and from our YAML parser, and the YAML
/// form must hold no character YAML forbids literally.
final class QuotingTests: XCTestCase {
    private static let samples: [String] = {
        var texts = ["", "plain", "quote \" and \\ backslash", "a/b", "line\nbreak\r\n\ttab", "日本語 😀 é", "trailing space ",
                     "#comment-like", "key: value", "yes", "null", "1.5"]
        // Every C0 control, DEL, every C1 control, the separators, a BOM and a few others, alone and in text.
        let specials: [UInt32] = Array(0..<0x20) + Array(0x7F...0xA0) + [0x2028, 0x2029, 0xFEFF, 0xFFFD, 0x1F600]
        for value in specials {
            let scalar = String(Unicode.Scalar(value)!)
            texts += [scalar, "a\(scalar)b"]
        }
        return texts
    }()

    func testJSONQuotedReadsBack() throws {
        // Foundation's reader drops a U+FEFF that opens a string, so each sample is read after a letter.
        for text in Self.samples { try check(json: "x" + text) }
    }

    func testYAMLDoubleQuotedReadsBackAndIsPrintable() {
        for text in Self.samples { check(yaml: text) }
    }

    private func check(json text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let literal = jsonQuoted(text)
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
        XCTAssertEqual(decoded, [text], "\(text.debugDescription) → \(literal)", file: file, line: line)
        var bytes: [UInt8] = []
        appendJSONString(text, to: &bytes)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), literal, file: file, line: line)
    }

    private func check(yaml text: String, file: StaticString = #filePath, line: UInt = #line) {
        let literal = yamlDoubleQuoted(text)
        XCTAssertFalse(literal.unicodeScalars.contains(where: isUnprintableInYAML), "\(literal.debugDescription) holds a forbidden character",
                       file: file, line: line)
        let document = parseYAML("key: \(literal)\n")
        XCTAssertEqual(document.diagnostics.map(\.message), [], literal, file: file, line: line)
        XCTAssertEqual(document.root?.plainValue, .object([.init(key: "key", value: .string(text))]), "\(text.debugDescription) → \(literal)",
                       file: file, line: line)
    }
}

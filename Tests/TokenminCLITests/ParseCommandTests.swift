import Foundation
import XCTest

@testable import TokenminCLI

final class ParseCommandTests: XCTestCase {
    /// One row: the input on stdin, the arguments after `parse`, the exit status and text the output
    /// must contain.
    private func check(
        _ input: String, _ arguments: [String] = ["-"], status: Int32, contains: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let result = runTokenmin(["parse"] + arguments, stdin: Data(input.utf8))
        XCTAssertEqual(result.status, status, result.err, file: file, line: line)
        for expected in contains {
            XCTAssertTrue(result.out.contains(expected) || result.err.contains(expected), "missing \(expected) in:\n\(result.out)\(result.err)", file: file, line: line)
        }
    }

    func testTextOutput() {
        check(
            "---\nmodel: x\n---\n{{role \"system\"}}Hi {{name}}\n", status: 0,
            contains: ["frontmatter: 0..17 (1:1-4:1)", "\"model\"@4..9 = str \"x\"", "mustache(escaped) @17..34", "system 34..", "diagnostics: 0"])
        check("{{#if a}}x", status: 1, contains: ["-:1:1: error[unclosed-block]"])
        check(
            "\u{FEFF}---\nmodel: x\n---\nHi", status: 0,
            contains: ["frontmatter ignored (byte-order-mark)", "warning[frontmatter-ignored]"])
    }

    func testJSONOutput() throws {
        let result = runTokenmin(["parse", "-", "--format", "json"], stdin: Data("---\nmodel: x\n---\n{{#each xs}}{{this}}{{/each}} é".utf8))
        XCTAssertEqual(result.status, 0, result.err)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let frontmatter = try XCTUnwrap(object["frontmatter"] as? [String: Any])
        let yaml = try XCTUnwrap(frontmatter["yaml"] as? [String: Any])
        XCTAssertEqual(yaml["kind"] as? String, "mapping")
        let template = try XCTUnwrap(object["template"] as? [String: Any])
        let nodes = try XCTUnwrap(template["nodes"] as? [[String: Any]])
        XCTAssertEqual(nodes.map { $0["kind"] as? String }, ["block", "mustache", "text"])
        let range = try XCTUnwrap(nodes[2]["range"] as? [String: Int])
        XCTAssertEqual(range["endColumn"], 32, "31 scalars on the line (33 if é counted as its 2 bytes)")
        XCTAssertEqual((object["diagnostics"] as? [Any])?.count, 0)
    }

    func testInputErrors() {
        check("", ["/nonexistent/x.prompt"], status: 2, contains: ["no such file"])
        check("", [], status: 2, contains: ["missing FILE"])
        check("", ["-", "--format", "xml"], status: 2, contains: ["--format must be one of text, json"])
    }

    func testInvalidUTF8IsReplaced() {
        let result = runTokenmin(["parse", "-"], stdin: Data([0x48, 0xFF, 0x69]))
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.out.contains("\"H\u{FFFD}i\""), result.out)
    }
}

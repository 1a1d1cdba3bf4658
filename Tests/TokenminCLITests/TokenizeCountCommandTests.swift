import Foundation
import XCTest

@testable import TokenminCLI

/// `tokenmin tokenize` and `tokenmin count --raw`. Expected ids are tiktoken's (`encode_ordinary`).
final class TokenizeCountCommandTests: XCTestCase {
    struct Expectation {
        var arguments: [String]
        var stdin = ""
        var status: Int32
        var out: String? = nil
        var errContains: String? = nil
    }

    func check(_ expected: Expectation, file: StaticString = #filePath, line: UInt = #line) {
        let result = runTokenmin(expected.arguments, stdin: Data(expected.stdin.utf8))
        XCTAssertEqual(result.status, expected.status, result.err, file: file, line: line)
        if let out = expected.out { XCTAssertEqual(result.out, out, file: file, line: line) }
        if let fragment = expected.errContains {
            XCTAssertTrue(result.err.contains(fragment), "stderr: \(result.err)", file: file, line: line)
        }
    }

    /// A temporary file holding `text`, removed after the test.
    func temporaryFile(_ text: String, name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testTokenize() throws {
        let file = try temporaryFile("hello world", name: "hello.txt")
        check(.init(arguments: ["tokenize", "--encoding", "o200k_base"], stdin: "hello world", status: 0, out: "24912 2375\n"))
        check(.init(arguments: ["tokenize", "--encoding", "cl100k_base", "-"], stdin: "hello world", status: 0, out: "15339 1917\n"))
        check(.init(arguments: ["tokenize", "--encoding=o200k_base", file], status: 0, out: "24912 2375\n"))
        check(.init(arguments: ["tokenize", "--encoding", "o200k_base"], stdin: "", status: 0, out: "\n"))
        check(.init(arguments: ["tokenize", "--encoding", "cl100k_base"], stdin: "<|endoftext|>", status: 0, out: "27 91 8862 728 428 91 29\n"))
    }

    func testTokenizeUsageErrors() {
        check(.init(arguments: ["tokenize"], status: 2, errContains: "--encoding is required"))
        check(.init(arguments: ["tokenize", "--encoding", "o200k-base"], status: 2, errContains: "did you mean 'o200k_base'"))
        check(.init(arguments: ["tokenize", "--encoding", "o200k_base", "a", "b"], status: 2, errContains: "at most one FILE"))
        check(.init(arguments: ["tokenize", "--encoding", "o200k_base", "/nonexistent/x"], status: 2, errContains: "no such file"))
    }

    func testCountRaw() throws {
        let hello = try temporaryFile("hello world", name: "hello.txt")
        let quoted = try temporaryFile("The quick brown fox", name: "a \"quoted\" name.txt")
        check(.init(arguments: ["count", "--raw", "--encoding", "o200k_base", hello, quoted], status: 0,
            out: "2 \(hello)\n4 \(quoted)\n"))
        let escaped = quoted.replacingOccurrences(of: "\"", with: "\\\"")
        check(.init(arguments: ["count", "--raw", "--encoding", "cl100k_base", "--format", "json", quoted, hello], status: 0,
            out: "[{\"path\": \"\(escaped)\", \"tokens\": 4}, {\"path\": \"\(hello)\", \"tokens\": 2}]\n"))
        check(.init(arguments: ["count", "--raw", "--encoding", "o200k_base", "-"], stdin: "hello world", status: 0, out: "2 -\n"))
        // The bundled tokenizers' names too (ids of "hello world": DeepSeek V3 [33310, 2058], Tekken [29706, 4304]).
        check(.init(arguments: ["count", "--raw", "--encoding", "deepseek_v3", "-"], stdin: "hello world", status: 0, out: "2 -\n"))
        check(.init(arguments: ["count", "--raw", "--encoding", "tekken", "-"], stdin: "hello world", status: 0, out: "2 -\n"))
    }

    func testCountUsageErrors() {
        check(.init(arguments: ["count", "--encoding", "o200k_base", "x.prompt"], status: 2, errContains: "--encoding goes with --raw"))
        check(.init(arguments: ["count", "--raw", "--encoding", "o200k_base"], status: 2, errContains: "at least one FILE"))
        check(.init(arguments: ["count", "--raw", "--encoding", "o200k_base", "--format", "xml", "-"], status: 2,
            errContains: "--format must be one of text, json"))
        check(.init(arguments: ["count", "--raw", "--encoding", "o200k_base", "/nonexistent/x"], status: 2, errContains: "no such file"))
    }
}

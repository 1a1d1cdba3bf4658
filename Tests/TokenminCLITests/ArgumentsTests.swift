import XCTest

@testable import TokenminCLI
import PromptText

final class ArgumentsTests: XCTestCase {
    private let spec = ArgumentSpec(
        flags: ["--raw", "--check"], options: ["--format", "--encoding"], repeatableOptions: ["--input"],
        aliases: ["-f": "--format"])

    /// One row per command line: the arguments and the expected parse, or the expected usage error.
    private func check(
        _ arguments: [String], flags: Set<String> = [], options: [String: [String]] = [:],
        positionals: [String] = [], error: String? = nil, file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let parsed = try parseArguments(arguments, spec: spec)
            XCTAssertNil(error, "expected the error: \(error ?? "")", file: file, line: line)
            XCTAssertEqual(
                parsed, ParsedArguments(flags: flags, options: options, positionals: positionals),
                file: file, line: line)
        } catch let usage {
            XCTAssertEqual(usage.message, error, file: file, line: line)
        }
    }

    func testParsing() {
        check(["a.prompt", "b.prompt"], positionals: ["a.prompt", "b.prompt"])
        check(["--raw", "x"], flags: ["--raw"], positionals: ["x"])
        check(["--format", "json", "x"], options: ["--format": ["json"]], positionals: ["x"])
        check(["--format=json"], options: ["--format": ["json"]])
        check(["-f", "sarif"], options: ["--format": ["sarif"]])
        check(["--input", "a", "--input=b"], options: ["--input": ["a", "b"]])
        check(["-"], positionals: ["-"])
        check(["--", "--raw"], positionals: ["--raw"])
        check(["--format"], error: "--format needs a value")
        check(["--format", "a", "--format", "b"], error: "--format was given more than once")
        check(["--raw=1"], error: "--raw does not take a value")
        check(["--fromat", "json"], error: "unknown option '--fromat'; did you mean '--format'?")
        check(["--zzzzzzzzzz"], error: "unknown option '--zzzzzzzzzz'")
    }

    func testChoice() throws {
        let parsed = try parseArguments(["--format", "xml"], spec: spec)
        XCTAssertThrowsError(try parsed.choice("--format", of: ["text", "json"], default: "text")) { error in
            XCTAssertEqual((error as? UsageError)?.message, "--format must be one of text, json; got 'xml'")
        }
        XCTAssertEqual(try ParsedArguments().choice("--format", of: ["text"], default: "text"), "text")
    }

    func testEditDistance() {
        let cases: [(String, String, Int)] = [
            ("", "", 0), ("a", "", 1), ("kitten", "sitting", 3), ("check", "check", 0), ("ché", "che", 1),
        ]
        for (a, b, expected) in cases {
            XCTAssertEqual(editDistance(a, b), expected, "\(a) → \(b)")
        }
    }
}

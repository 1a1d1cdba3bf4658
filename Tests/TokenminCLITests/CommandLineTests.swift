import Foundation
import PromptText
import XCTest

@testable import TokenminCLI

/// Captures what a command writes, for in-process CLI tests.
final class CapturedConsole: Sendable {
    private let state = Locked<(out: String, err: String)>(("", ""))
    let stdin: Data

    init(stdin: Data = Data()) { self.stdin = stdin }

    var console: Console {
        Console(
            writeOut: { text in self.state.withLock { $0.out += text } },
            writeError: { text in self.state.withLock { $0.err += text } },
            readStandardInput: { self.stdin })
    }
    var out: String { state.withLock { $0.out } }
    var err: String { state.withLock { $0.err } }
}

/// Runs `tokenmin` in-process and returns (status, stdout, stderr).
func runTokenmin(_ arguments: [String], stdin: Data = Data()) -> (status: Int32, out: String, err: String) {
    let captured = CapturedConsole(stdin: stdin)
    let status = TokenminCommandLine.run(arguments: arguments, console: captured.console)
    return (status, captured.out, captured.err)
}

final class CommandLineTests: XCTestCase {
    func testVersionAndHelp() {
        XCTAssertEqual(runTokenmin(["--version"]).out, "tokenmin \(TokenminCommandLine.version)\n")
        let help = runTokenmin(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.out.contains("Usage: tokenmin <command>"))
        for command in TokenminCommandLine.subcommands {
            XCTAssertTrue(help.out.contains(command.name), "\(command.name) missing from --help")
            let own = runTokenmin([command.name, "--help"])
            XCTAssertEqual(own.status, 0)
            XCTAssertEqual(own.out, command.help)
            XCTAssertTrue(command.help.contains("tokenmin \(command.name)"), "\(command.name) help lacks usage")
        }
    }

    func testNoArgumentsIsUsageError() {
        let result = runTokenmin([])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("Usage:"))
    }

    func testUnknownCommand() {
        let result = runTokenmin(["frobnicate"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("unknown command 'frobnicate'"))
    }
}

final class ExplainCommandTests: XCTestCase {
    func testExplainEveryRule() {
        for id in ["scaffolding", "politeness", "dev-note", "reasoning-scaffold"] {
            let result = runTokenmin(["explain", id])
            XCTAssertEqual(result.status, 0, id)
            XCTAssertTrue(result.out.hasPrefix("\(id) ("), id)
            XCTAssertTrue(result.out.contains("tokenmin-disable-next-line \(id)"), id)
        }
    }

    func testUnknownRuleSuggests() {
        let result = runTokenmin(["explain", "polite"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("did you mean 'politeness'?"), result.err)
    }

    func testRulesTable() {
        let result = runTokenmin(["rules", "--format", "markdown"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.out.hasPrefix("| rule | category | default | what it finds |\n"))
        XCTAssertTrue(result.out.contains("<a id=\"rule-politeness\"></a>`politeness`"))
    }
}

final class ReadmeTests: XCTestCase {
    /// The README's rule table is the output of `tokenmin rules --format markdown`, between markers.
    /// `TOKENMIN_UPDATE_GOLDENS=1` rewrites the section; it is never edited by hand.
    func testRuleTableIsCurrent() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md")
        let readme = try String(contentsOf: url, encoding: .utf8)
        let begin = "<!-- rules:begin -->\n"
        let end = "<!-- rules:end -->"
        let start = try XCTUnwrap(readme.range(of: begin), "README lacks \(begin)")
        let stop = try XCTUnwrap(readme.range(of: end), "README lacks \(end)")
        let table = ruleTableMarkdown()
        if ProcessInfo.processInfo.environment["TOKENMIN_UPDATE_GOLDENS"] == "1" {
            try readme.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: table)
                .write(to: url, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(String(readme[start.upperBound..<stop.lowerBound]), table,
                       "README rule table is stale: run the tests with TOKENMIN_UPDATE_GOLDENS=1")
    }
}

import Foundation
import PromptAnalysis
import PromptCheck
import XCTest

@testable import TokenminCLI

/// `tokenmin report --format html` and `tokenmin report --diff`: the command prints what the library
/// builds, exit codes, and usage errors.
final class ReportWorkspaceCommandTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = canonicalPath(NSTemporaryDirectory() + "tokenmin-report-page-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: root + "/prompts", withIntermediateDirectories: true)
        try git(["-c", "init.defaultBranch=main", "init", "-q"])
        try write("prompts/a.prompt", "---\nmodel: openai/gpt-4o-mini\nconfig:\n  maxOutputTokens: 50\n---\nLabel the ticket.\n")
        try write("prompts/b.prompt", "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 50\n---\nSummarize the ticket.\n")
        try git(["add", "-A"])
        try git(["-c", "commit.gpgsign=false", "commit", "-q", "-m", "Add prompts"])
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    private func write(_ relative: String, _ text: String) throws {
        try text.write(toFile: root + "/" + relative, atomically: true, encoding: .utf8)
    }

    private func git(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.environment = ProcessInfo.processInfo.environment.merging([
            "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Fixture",
            "GIT_AUTHOR_EMAIL": "fixture@example.com", "GIT_COMMITTER_NAME": "Fixture",
            "GIT_COMMITTER_EMAIL": "fixture@example.com",
        ]) { $1 }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandFailure("git \(arguments) failed") }
    }

    func testThePageIsTheLibrarysPage() {
        let prompts = root + "/prompts"
        var configuration = Configuration()
        configuration.callsPerMonth = 1_000_000
        let run = runCheck(CheckRequest(paths: [prompts], baseConfiguration: configuration, makeModelResolver: catalogModelResolver))
        let expected = workspaceHTML(buildWorkspaceReport(run))
        let result = runTokenmin(["report", "--format", "html", "--volume", "1M/month", prompts])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.err, "")
        XCTAssertEqual(result.out, expected)
        let history = runTokenmin(["report", "--format", "html", "--history", prompts])
        XCTAssertEqual(history.status, 0, history.err)
        XCTAssertEqual(history.out.components(separatedBy: "class=\"spark\"").count, 3)
    }

    func testTheDiffCommentAndItsExitCode() throws {
        let prompts = root + "/prompts"
        let same = runTokenmin(["report", "--diff", "HEAD", prompts])
        XCTAssertEqual(same.status, 0, same.err)
        XCTAssertTrue(same.out.hasPrefix("<!-- tokenmin-report -->\n"), same.out)
        XCTAssertTrue(same.out.contains("No prompt's tokens, cost or findings changed (2 prompts compared)."), same.out)
        try write("prompts/a.prompt", "---\nmodel: openai/gpt-4o-mini\nconfig:\n  maxOutputTokens: 50\n---\nLabel the ticket as a bug, a feature request, a question or spam; spam wins ties.\n")
        let grew = runTokenmin(["report", "--diff", "HEAD", prompts])
        XCTAssertEqual(grew.status, 1, grew.err)
        XCTAssertTrue(grew.out.contains("❌ **1 prompt grew more than 10%**"), grew.out)
        let allowed = runTokenmin(["report", "--diff", "HEAD", "--max-growth", "500%", "--format", "json", prompts])
        XCTAssertEqual(allowed.status, 0, allowed.err)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(allowed.out.utf8)) as? [String: Any])
        XCTAssertEqual(json["failed"] as? Bool, false)
        XCTAssertEqual((json["changes"] as? [[String: Any]])?.first?["change"] as? String, "grew")
    }

    func testUsageErrors() throws {
        let prompts = root + "/prompts"
        try write("volumes.txt", "prompts/** lots\n")
        let cases: [(arguments: [String], message: String)] = [
            (["report", "--volume", "1M", prompts], "--volume goes with --format html or --diff"),
            (["report", "--history", "--volume-file", "v.txt", prompts], "--volume-file goes with --format html or --diff"),
            (["report", "--format", "html"], "expected at least one PATH"),
            (["report", "--format", "html", "--max-growth", "5%", prompts], "--max-growth goes with --diff"),
            (["report", "--format", "html", "--since", "HEAD", prompts], "--since goes with --history"),
            (["report", "--format", "html", "--volume", "often", prompts], "--volume: 'often' is not a volume"),
            (["report", "--format", "html", "--volume-file", root + "/volumes.txt", prompts], "volumes.txt:1: 'lots' is not a volume"),
            (["report", "--diff", "HEAD", "--history", prompts], "--history and --since go with the history report"),
            (["report", "--diff", "HEAD", "--format", "html", prompts], "--format must be one of markdown, json"),
            (["report", "--diff", "HEAD", "--max-growth", "lots", prompts], "--max-growth must be a share"),
            (["report", "--diff", "no-such-branch", prompts], "unknown revision 'no-such-branch'"),
            (["report", "--format", "csv", "--history", prompts], "--format must be one of text, json, markdown, svg, html"),
        ]
        for (arguments, message) in cases {
            let result = runTokenmin(arguments)
            XCTAssertEqual(result.status, 2, arguments.joined(separator: " "))
            XCTAssertTrue(result.err.contains(message), "\(arguments): \(result.err)")
            XCTAssertEqual(result.out, "", arguments.joined(separator: " "))
        }
    }
}

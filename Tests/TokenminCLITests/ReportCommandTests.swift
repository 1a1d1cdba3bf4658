import Foundation
import PromptAnalysis
import PromptCheck
import XCTest

@testable import TokenminCLI

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A temporary git repository built by the test (no user configuration, pinned identities and dates).
private final class GitFixture {
    let root: String

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tokenmin-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        root = (folder.path as NSString).resolvingSymlinksInPath
        try git(["-c", "init.defaultBranch=main", "init", "-q"])
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    func write(_ relative: String, _ text: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path(relative) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path(relative), atomically: true, encoding: .utf8)
    }

    func commit(_ message: String, date: String) throws {
        try git(["add", "-A"])
        try git(["-c", "commit.gpgsign=false", "commit", "-q", "-m", message], date: date)
    }

    func git(_ arguments: [String], date: String = "2025-01-01") throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.environment = ProcessInfo.processInfo.environment.merging([
            "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Fixture",
            "GIT_AUTHOR_EMAIL": "fixture@example.com", "GIT_COMMITTER_NAME": "Fixture",
            "GIT_COMMITTER_EMAIL": "fixture@example.com",
            "GIT_AUTHOR_DATE": "\(date)T12:00:00Z", "GIT_COMMITTER_DATE": "\(date)T12:00:00Z",
        ]) { $1 }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure("git \(arguments.joined(separator: " ")) failed")
        }
    }
}

private let header = "---\nmodel: openai/gpt-4o-mini\nconfig:\n  maxOutputTokens: 200\n---\n"

/// A prompt that grows, is renamed, then shrinks.
private func makeFixture() throws -> GitFixture {
    let fixture = try GitFixture()
    try fixture.write("prompts/triage.prompt", header + "Label the ticket as bug, feature or question.\n")
    try fixture.commit("Add triage prompt", date: "2025-03-03")
    try fixture.write(
        "prompts/triage.prompt",
        header
            + "Label the ticket as bug, feature or question. Security reports are always bugs; duplicates get the label of the original; a ticket in another language is labelled like an English one.\n"
    )
    try fixture.commit("Triage: edge cases", date: "2025-03-10")
    try fixture.git(["mv", "prompts/triage.prompt", "prompts/label.prompt"])
    try fixture.commit("Rename triage to label", date: "2025-03-17")
    try fixture.write(
        "prompts/label.prompt",
        header + "Label the ticket: bug, feature or question. Security reports are bugs.\n")
    try fixture.commit("Label: shorter", date: "2025-03-24")
    return fixture
}

final class ReportCommandTests: XCTestCase {
    /// The command prints what `buildTrendReport` finds, in each format.
    func testEveryFormatOnAFixtureRepository() throws {
        let fixture = try makeFixture()
        let path = fixture.path("prompts/label.prompt")
        let report = try buildTrendReport(
            TrendRequest(paths: [path], makeModelResolver: catalogModelResolver))
        XCTAssertEqual(report.prompts.first?.points.count, 4)
        let expected: [String: String] = [
            "text": trendText(report), "json": trendJSON(report), "markdown": trendMarkdown(report),
            "svg": trendSVG(report),
        ]
        for (format, output) in expected {
            let result = runTokenmin(["report", "--history", "--format", format, path])
            XCTAssertEqual(result.status, 0, "\(format): \(result.err)")
            XCTAssertEqual(result.out, output, format)
            XCTAssertEqual(result.err, "", format)
        }
        let text = runTokenmin(["report", "--history", path]).out
        XCTAssertTrue(text.hasPrefix("prompts/label.prompt  (4 commits, openai/gpt-4o-mini)\n"), text)
        XCTAssertTrue(text.contains("Triage: edge cases  (was prompts/triage.prompt)"), text)
        XCTAssertTrue(text.contains("\n  change: "), text)
        let parser = XMLParser(
            data: Data(runTokenmin(["report", "--history", "--format", "svg", path]).out.utf8))
        XCTAssertTrue(parser.parse(), "SVG is well-formed XML")
        let since = runTokenmin(["report", "--history", "--since", "HEAD~1", "--format", "json", path])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(since.out.utf8)) as? [String: Any])
        let points = try XCTUnwrap(
            (json["prompts"] as? [[String: Any]])?.first?["points"] as? [[String: Any]])
        XCTAssertEqual(points.map { $0["subject"] as? String }, ["Rename triage to label", "Label: shorter"])
    }

    func testUsageAndEnvironmentErrors() throws {
        let fixture = try makeFixture()
        let cases: [(arguments: [String], message: String)] = [
            (["report", fixture.path("prompts")], "report needs --history"),
            (["report", "--history"], "expected at least one PATH"),
            (
                ["report", "--history", "--format", "csv", fixture.path("prompts")],
                "--format must be one of text, json, markdown, svg"
            ),
            (["report", "--history", "--since", "v9", fixture.path("prompts")], "unknown revision 'v9'"),
        ]
        for (arguments, message) in cases {
            let result = runTokenmin(arguments)
            XCTAssertEqual(result.status, 2, arguments.joined(separator: " "))
            XCTAssertTrue(result.err.contains(message), "\(arguments): \(result.err)")
        }
        // A prompt that was never committed: reported, exit 2 (nothing to show).
        try fixture.write("prompts/draft.prompt", "Draft\n")
        let untracked = runTokenmin(["report", "--history", fixture.path("prompts/draft.prompt")])
        XCTAssertEqual(untracked.status, 2)
        XCTAssertTrue(untracked.err.contains("not in the git history"), untracked.err)
        // Outside any repository.
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tokenmin-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        try "Hi\n".write(to: outside.appendingPathComponent("a.prompt"), atomically: true, encoding: .utf8)
        let noRepository = runTokenmin([
            "report", "--history", outside.appendingPathComponent("a.prompt").path,
        ])
        XCTAssertEqual(noRepository.status, 2)
        XCTAssertTrue(noRepository.err.contains("is not in a git repository"), noRepository.err)
    }
}

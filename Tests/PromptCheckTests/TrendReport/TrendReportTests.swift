import Foundation
import PromptAnalysis
import XCTest

@testable import PromptCheck

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Git settings for fixture repositories and report runs: no user or system configuration, fixed
/// identities (commit hashes depend only on the fixture's content, names, dates and messages).
let isolatedGitEnvironment = [
    "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Fixture",
    "GIT_AUTHOR_EMAIL": "fixture@example.com",
    "GIT_COMMITTER_NAME": "Fixture", "GIT_COMMITTER_EMAIL": "fixture@example.com",
]

/// A git repository in a temporary folder, built commit by commit by the test.
final class FixtureRepository {
    let root: String
    private let git = GitTool(environment: isolatedGitEnvironment)

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tokenmin-trend-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        root = (folder.path as NSString).resolvingSymlinksInPath
        try run(["-c", "init.defaultBranch=main", "init", "-q"])
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root).appendingPathComponent(path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func move(_ from: String, _ to: String) throws { try run(["mv", from, to]) }

    /// Commits everything with author and committer date `date` (YYYY-MM-DD, noon UTC).
    func commit(_ message: String, date: String) throws {
        try run(["add", "-A"])
        var dated = git
        dated.environment["GIT_AUTHOR_DATE"] = "\(date)T12:00:00Z"
        dated.environment["GIT_COMMITTER_DATE"] = "\(date)T12:00:00Z"
        _ = try dated.output(["-c", "commit.gpgsign=false", "commit", "-q", "-m", message], in: root)
    }

    func revision(_ name: String) throws -> String {
        String(decoding: try git.output(["rev-parse", name], in: root), as: UTF8.self).trimmingCharacters(
            in: .newlines)
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> Data { try git.output(arguments, in: root) }

    func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }
}

/// The fixture's prompts, one text per version, so that tests can analyse each version themselves.
enum TrendFixture {
    static let header = "---\nmodel: openai/gpt-4o-mini\nconfig:\n  maxOutputTokens: 300\n---\n"
    static let helpV1 = header + "You answer support questions for Acme.\n\n{{question}}\n"
    static let helpV2 =
        header + """
            You answer support questions for Acme. Be accurate and polite, cite the relevant help-center article, and
            escalate billing disputes to a human agent. Never promise refunds. Reply in the customer's language.

            {{question}}

            """
    static let supportV4 =
        header
        + "Answer Acme support questions; cite the help-center article. Escalate billing disputes. No refund promises.\n\n{{question}}\n"
    static let summaryV1 = header + "Summarise the release notes below.\n{{> style}}\n"
    static let styleV1 = "Use plain words.\n"
    static let summaryV2 = header + "Summarise the release notes below in three bullet points.\n{{> style}}\n"
    static let styleV2 =
        "Use plain words. Lead with the user-visible change, then the fix, then credits to contributors by name.\n"

    /// help.prompt added, grown, renamed to support.prompt, shrunk; summary.prompt with a partial that
    /// changes in the same commit as the prompt; an unrelated commit in between.
    static func make() throws -> FixtureRepository {
        let repository = try FixtureRepository()
        try repository.write("prompts/help.prompt", helpV1)
        try repository.write("prompts/summary.prompt", summaryV1)
        try repository.write("prompts/_style.prompt", styleV1)
        try repository.commit("Add help and summary prompts", date: "2025-01-06")
        try repository.write("prompts/help.prompt", helpV2)
        try repository.commit("Add escalation rules", date: "2025-01-13")
        try repository.write("README.md", "Prompts.\n")
        try repository.commit("Add a README", date: "2025-01-15")
        try repository.move("prompts/help.prompt", "prompts/support.prompt")
        try repository.commit("Rename help to support", date: "2025-01-20")
        try repository.write("prompts/support.prompt", supportV4)
        try repository.write("prompts/summary.prompt", summaryV2)
        try repository.write("prompts/_style.prompt", styleV2)
        try repository.commit("Tighten support, longer style | summary", date: "2025-02-03")
        return repository
    }
}

/// A fixed model (gpt-4o-mini's list prices) so that the report does not move with the catalog.
let fixedPriceResolver: @Sendable (Configuration) -> ModelResolver = { _ in
    { name in
        ModelProfile(
            name: name, id: "gpt-4o-mini", provider: "openai", isExactTokenizer: true,
            inputPerToken: Decimal(string: "0.00000015")!, outputPerToken: Decimal(string: "0.0000006")!)
    }
}

final class TrendReportTests: XCTestCase {
    private func report(_ repository: FixtureRepository, _ paths: [String], since: String? = nil) throws
        -> TrendReport
    {
        try buildTrendReport(
            TrendRequest(
                paths: paths.map(repository.path), since: since, makeModelResolver: fixedPriceResolver,
                git: GitTool(environment: isolatedGitEnvironment)))
    }

    /// Checks one prompt's history: commits (oldest first), paths at each commit, and that every point's
    /// tokens and USD are the analysis of that version's text (with the partial as it was then).
    private func check(
        _ trend: PromptTrend, _ repository: FixtureRepository,
        expected: [(subject: String, path: String, text: String, partial: String?)],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(
            trend.points.map(\.subject), expected.map(\.subject), "subjects", file: file, line: line)
        XCTAssertEqual(
            trend.points.map(\.path), expected.map(\.path), "paths at each commit", file: file, line: line)
        for (point, version) in zip(trend.points, expected) {
            let partial = version.partial
            let analysis = analyzeDocument(
                AnalysisInput(
                    text: version.text, path: repository.path(version.path),
                    resolveModel: fixedPriceResolver(Configuration()),
                    resolvePartial: { name, _ in
                        partial.map { .found(path: "_\(name).prompt", text: $0) } ?? .missing(searched: [])
                    }))
            XCTAssertEqual(
                point.inputTokens, analysis.cost.inputTokens, "\(point.subject): input tokens", file: file,
                line: line)
            XCTAssertEqual(point.outputTokens, 300, file: file, line: line)
            XCTAssertEqual(
                point.usdPerCall, analysis.cost.usdPerCall, "\(point.subject): USD", file: file, line: line)
            XCTAssertEqual(point.model, "gpt-4o-mini", file: file, line: line)
            XCTAssertEqual(point.commit.count, 40, file: file, line: line)
        }
    }

    func testHistoryFollowsRenamesAndReadsPartialsAtEachCommit() throws {
        let repository = try TrendFixture.make()
        let report = try report(repository, ["prompts"])
        XCTAssertEqual(report.problems, [])
        // The partial itself is a prompt file in the folder; its history is reported too.
        XCTAssertEqual(
            report.prompts.map(\.path),
            ["prompts/_style.prompt", "prompts/summary.prompt", "prompts/support.prompt"])
        check(
            report.prompts[2], repository,
            expected: [
                ("Add help and summary prompts", "prompts/help.prompt", TrendFixture.helpV1, nil),
                ("Add escalation rules", "prompts/help.prompt", TrendFixture.helpV2, nil),
                ("Rename help to support", "prompts/support.prompt", TrendFixture.helpV2, nil),
                (
                    "Tighten support, longer style | summary", "prompts/support.prompt",
                    TrendFixture.supportV4, nil
                ),
            ])
        check(
            report.prompts[1], repository,
            expected: [
                (
                    "Add help and summary prompts", "prompts/summary.prompt", TrendFixture.summaryV1,
                    TrendFixture.styleV1
                ),
                (
                    "Tighten support, longer style | summary", "prompts/summary.prompt",
                    TrendFixture.summaryV2, TrendFixture.styleV2
                ),
            ])
        let support = report.prompts[2].points.map(\.inputTokens)
        XCTAssertLessThan(support[0], support[1], "grew")
        XCTAssertEqual(support[1], support[2], "a rename changes nothing")
        XCTAssertGreaterThan(support[2], support[3], "shrank")
        XCTAssertEqual(
            report.prompts[2].points.map(\.date), ["2025-01-06", "2025-01-13", "2025-01-20", "2025-02-03"])
    }

    /// `--since REV`: REV's version first (under its old name), then the later commits.
    func testSinceStartsAtTheRevision() throws {
        let repository = try TrendFixture.make()
        let report = try report(repository, ["prompts/support.prompt"], since: "HEAD~3")
        XCTAssertEqual(
            report.prompts.first?.points.map(\.subject),
            ["Add escalation rules", "Rename help to support", "Tighten support, longer style | summary"])
        XCTAssertEqual(report.prompts.first?.points.first?.path, "prompts/help.prompt")
        XCTAssertEqual(report.prompts.first?.points.first?.commit, try repository.revision("HEAD~3"))
        let none = try self.report(repository, ["prompts/support.prompt"], since: "HEAD")
        XCTAssertEqual(
            none.prompts.first?.points.map(\.subject), ["Tighten support, longer style | summary"],
            "HEAD itself, no later commits")
        XCTAssertThrowsError(try self.report(repository, ["prompts/support.prompt"], since: "no-such-tag")) {
            error in
            XCTAssertTrue(
                (error as? GitError)?.description.contains("unknown revision 'no-such-tag'") ?? false,
                "\(error)")
        }
    }

    func testUntrackedPromptIsAProblem() throws {
        let repository = try TrendFixture.make()
        try repository.write("prompts/new.prompt", "Hello\n")
        let report = try report(repository, ["prompts/new.prompt"])
        XCTAssertEqual(report.prompts, [])
        XCTAssertEqual(report.problems.count, 1)
        XCTAssertTrue(report.problems[0].contains("not in the git history"), report.problems[0])
    }

    func testNotARepositoryAndGitMissing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tokenmin-nogit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let prompt = folder.appendingPathComponent("a.prompt").path
        try "Hi\n".write(toFile: prompt, atomically: true, encoding: .utf8)
        let environment = isolatedGitEnvironment.merging([
            "GIT_CEILING_DIRECTORIES": folder.deletingLastPathComponent().path
        ]) { $1 }
        XCTAssertThrowsError(
            try buildTrendReport(TrendRequest(paths: [prompt], git: GitTool(environment: environment)))
        ) { error in
            guard case .notARepository? = error as? GitError else {
                return XCTFail("expected notARepository, got \(error)")
            }
            XCTAssertTrue((error as! GitError).description.contains("is not in a git repository"))
        }
        XCTAssertThrowsError(
            try buildTrendReport(
                TrendRequest(
                    paths: [prompt], git: GitTool(executable: folder.appendingPathComponent("git").path)))
        ) { error in
            guard case .gitMissing? = error as? GitError else {
                return XCTFail("expected gitMissing, got \(error)")
            }
            XCTAssertTrue((error as! GitError).description.contains("git is not installed"))
        }
    }

    /// The four formats against golden files (hashes are stable: the fixture pins names, dates and
    /// messages), and each format's own structure.
    func testFormats() throws {
        let repository = try TrendFixture.make()
        let report = try report(repository, ["prompts/support.prompt", "prompts/summary.prompt"])
        let text = trendText(report)
        assertGolden("trend.txt", text)
        assertGolden("trend.md", trendMarkdown(report))
        assertGolden("trend.json", trendJSON(report))
        assertGolden("trend.svg", trendSVG(report))
        XCTAssertTrue(text.contains("(was prompts/help.prompt)"))
        XCTAssertEqual(trendText(report), text, "deterministic")

        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(trendJSON(report).utf8)) as? [String: Any])
        XCTAssertEqual(json["schemaVersion"] as? Int, 1)
        let prompts = try XCTUnwrap(json["prompts"] as? [[String: Any]])
        XCTAssertEqual(prompts.map { $0["path"] as? String }, report.prompts.map(\.path))
        let points = try XCTUnwrap(prompts.first?["points"] as? [[String: Any]])
        XCTAssertEqual(points.map { $0["inputTokens"] as? Int }, report.prompts[0].points.map(\.inputTokens))
        XCTAssertEqual(
            points.map { $0["usdPerCall"] as? String }.compactMap { $0.flatMap { Decimal(string: $0) } },
            report.prompts[0].points.compactMap(\.usdPerCall))
        let change = try XCTUnwrap(prompts.first?["change"] as? [String: Any])
        XCTAssertEqual(
            change["inputTokens"] as? Int,
            report.prompts[0].points.last!.inputTokens - report.prompts[0].points.first!.inputTokens)

        let markdown = trendMarkdown(report)
        XCTAssertTrue(
            markdown.contains("Tighten support, longer style \\| summary"), "pipes in subjects are escaped")
        XCTAssertEqual(
            markdown.components(separatedBy: "|---|---|---:|---:|---:|---|").count - 1, 2,
            "one table per prompt")

        try checkWellFormedSVG(trendSVG(report), rows: 2)
        try checkWellFormedSVG(trendSVG(TrendReport(prompts: [], problems: [])), rows: 0)
    }

    /// A one-commit prompt draws its single point in the middle; paths with XML characters are escaped.
    func testSVGEdgeCases() throws {
        let point = TrendPoint(
            commit: String(repeating: "a", count: 40), date: "2025-01-01", subject: "s", path: "a<&>.prompt",
            inputTokens: 10, outputTokens: 5, usdPerCall: nil, isExact: false, model: nil)
        let svg = trendSVG(
            TrendReport(
                prompts: [PromptTrend(path: "a<&>\".prompt", absolutePath: "/a<&>\".prompt", points: [point], notes: [])], problems: []))
        try checkWellFormedSVG(svg, rows: 1)
        XCTAssertTrue(svg.contains("a&lt;&amp;&gt;&quot;.prompt"))
        XCTAssertTrue(svg.contains("points=\"340.0,15.0\""), svg)
    }
}

/// Parses `svg` with Foundation's XMLParser: well-formed, an `svg` root in the SVG namespace, one
/// polyline per prompt with history.
private func checkWellFormedSVG(_ svg: String, rows: Int, file: StaticString = #filePath, line: UInt = #line)
    throws
{
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var rootNamespace: String?
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if elements.isEmpty { rootNamespace = attributes["xmlns"] }
            elements.append(name)
        }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    XCTAssertTrue(
        parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")\n\(svg)", file: file,
        line: line)
    XCTAssertEqual(collector.elements.first, "svg", file: file, line: line)
    XCTAssertEqual(collector.rootNamespace, "http://www.w3.org/2000/svg", file: file, line: line)
    XCTAssertEqual(collector.elements.filter { $0 == "polyline" }.count, rows, file: file, line: line)
}

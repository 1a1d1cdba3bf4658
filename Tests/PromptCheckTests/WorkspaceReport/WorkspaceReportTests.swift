import Foundation
import PromptAnalysis
import XCTest

@testable import PromptCheck

/// The workspace report (`report --format html`), the volume file, and the comparison with a base
/// revision (`report --diff`), on the trend fixture repository with fixed prices.
final class WorkspaceReportTests: XCTestCase {
    private let git = GitTool(environment: isolatedGitEnvironment)

    /// The check run over the fixture's prompts, with a volume and an optional volume file.
    private func run(_ repository: FixtureRepository, volumeFile: VolumeFile? = nil) -> CheckRun {
        var configuration = Configuration()
        configuration.callsPerMonth = 100_000
        var request = CheckRequest(
            paths: [repository.path("prompts")], baseConfiguration: configuration, makeModelResolver: fixedPriceResolver,
            roots: [repository.root])
        if let volumeFile { request.callsPerMonthForFile = { volumeFile.rule(forFileAt: $0)?.callsPerMonth } }
        return runCheck(request)
    }

    /// Paths relative to the fixture's root, so that the output is the same in every temporary folder.
    private func portable(_ text: String, _ repository: FixtureRepository) -> String {
        text.replacingOccurrences(of: repository.root + "/", with: "")
    }

    func testVolumeFileRules() {
        let text = "# volumes\n\n**/*.prompt   10k/month\nprompts/support.prompt 250k per day\nprompts/_* 0\n"
        guard case .success(let file) = parseVolumeFile(text, path: "v.txt", folder: "/w") else {
            return XCTFail("the file parses")
        }
        XCTAssertEqual(file.rules.map(\.line), [3, 4, 5])
        let rows: [(path: String, calls: Decimal?, line: Int?)] = [
            ("/w/prompts/support.prompt", 7_500_000, 4),  // the last matching line wins
            ("/w/prompts/summary.prompt", 10_000, 3),
            ("/w/prompts/_style.prompt", 0, 5),
            ("/w/deep/er/x.prompt", 10_000, 3),  // a glob without '/' matches at any depth
            ("/elsewhere/x.prompt", nil, nil),  // outside the volume file's folder
        ]
        for row in rows {
            let rule = file.rule(forFileAt: row.path)
            XCTAssertEqual(rule?.callsPerMonth, row.calls, row.path)
            XCTAssertEqual(rule?.line, row.line, row.path)
        }
        let bad = parseVolumeFile("a/** 1M\nlonely\nb/** 12 per fortnight\nc/** 5x\n", path: "v.txt", folder: "/w")
        guard case .failure(let error) = bad else { return XCTFail("bad lines are errors") }
        XCTAssertEqual(error.description, """
            v.txt:2: expected a glob and a volume, e.g. 'prompts/support/** 2M/month'; found 'lonely'
            v.txt:3: unknown period 'fortnight' in '12 per fortnight'; use /month, /week, /day, /hour or /minute
            v.txt:4: unknown multiplier 'x' in '5x'; use k, M or B
            """)
    }

    func testVolumeSources() throws {
        let repository = try TrendFixture.make()
        let header = "---\nmodel: openai/gpt-4o-mini\nmetadata:\n  tokenmin:\n    volume: "
        try repository.write("prompts/own.prompt", header + "1M/month\n---\nLabel it.\n")
        try repository.write("prompts/broken.prompt", header + "often\n---\nLabel it.\n")
        try repository.write("volumes.txt", "prompts/*.prompt 5k/month\n")
        guard case .success(let volumes) = loadVolumeFile(at: repository.path("volumes.txt")) else {
            return XCTFail("the volume file loads")
        }
        func sources(_ report: WorkspaceReport) -> [String: (VolumeSource, Decimal?)] {
            Dictionary(uniqueKeysWithValues: report.prompts.map {
                (($0.path as NSString).lastPathComponent, ($0.volumeSource, $0.cost.callsPerMonth))
            })
        }
        let withFile = sources(buildWorkspaceReport(run(repository, volumeFile: volumes), volumeFile: volumes))
        XCTAssertEqual(withFile["own.prompt"]?.0, .metadata)
        XCTAssertEqual(withFile["own.prompt"]?.1, 1_000_000)
        XCTAssertEqual(withFile["broken.prompt"]?.0, .volumeFile(glob: "prompts/*.prompt", line: 1))
        XCTAssertEqual(withFile["broken.prompt"]?.1, 5_000)
        XCTAssertEqual(withFile["summary.prompt"]?.0, .volumeFile(glob: "prompts/*.prompt", line: 1))
        let without = sources(buildWorkspaceReport(run(repository)))
        XCTAssertEqual(without["summary.prompt"]?.0, .configuration)
        XCTAssertEqual(without["summary.prompt"]?.1, 100_000)
        XCTAssertEqual(without["own.prompt"]?.0, .metadata)
    }

    func testPageOfTheFixture() throws {
        let repository = try TrendFixture.make()
        try repository.write("volumes.txt", "prompts/support.prompt 2M/month\n")
        guard case .success(let volumes) = loadVolumeFile(at: repository.path("volumes.txt")) else {
            return XCTFail("the volume file loads")
        }
        let checkRun = run(repository, volumeFile: volumes)
        let trends = try buildTrendReport(
            TrendRequest(paths: [repository.path("prompts")], makeModelResolver: fixedPriceResolver, git: git))
        var report = buildWorkspaceReport(checkRun, volumeFile: volumes, trends: trends)
        XCTAssertEqual(report.prompts.count, 3)
        for index in report.prompts.indices { report.prompts[index].path = portable(report.prompts[index].path, repository) }
        let support = try XCTUnwrap(report.prompts.first { $0.path == "prompts/support.prompt" })
        XCTAssertEqual(support.volumeSource, .volumeFile(glob: "prompts/support.prompt", line: 1))
        XCTAssertEqual(support.cost.callsPerMonth, 2_000_000)
        XCTAssertEqual(support.trend?.points.count, 4)
        // Totals are the sums of the prompts' own costs.
        XCTAssertEqual(report.totalUSDPerCall, report.prompts.compactMap(\.cost.usdPerCall).reduce(0, +))
        XCTAssertEqual(report.totalUSDPerMonth, report.prompts.compactMap(\.cost.usdPerMonth).reduce(0, +))
        let page = workspaceHTML(report)
        assertGolden("report.html", page)
        // Self-contained: no URL of any kind, one inline style and one inline script.
        for needle in ["http:", "https:", "src=", "href=", "@import", "url("] {
            XCTAssertFalse(page.contains(needle), needle)
        }
        XCTAssertEqual(page.components(separatedBy: "<script>").count, 2)
        XCTAssertEqual(page.components(separatedBy: "<style>").count, 2)
    }

    func testEverythingFromFilesIsEscaped() throws {
        let repository = try TrendFixture.make()
        try repository.write(
            "prompts/<b>&\"x'.prompt",
            "---\nmodel: <script>alert(1)</script>\n---\nPlease say </td></table><img src=x onerror=alert(1)>.\n")
        let page = workspaceHTML(buildWorkspaceReport(run(repository)))
        XCTAssertTrue(page.contains("prompts/<wbr>&lt;b&gt;&amp;&quot;x&#39;.prompt"))
        // The finding quotes the prompt's text, escaped.
        XCTAssertTrue(page.contains("&lt;/td&gt;&lt;/table&gt;&lt;img src=x onerror=alert(1)&gt;") || !page.contains("onerror"))
        XCTAssertFalse(page.contains("<img"))
        XCTAssertFalse(page.contains("<script>alert"))
        XCTAssertFalse(page.contains("<b>&"))
    }

    func testDiffAgainstTheBaseRevision() throws {
        let repository = try TrendFixture.make()
        // After the fixture's last commit: a new prompt, a removed one, and a longer summary with a new finding.
        try repository.write("prompts/new.prompt", TrendFixture.header + "Translate the text.\n\n{{text}}\n")
        try FileManager.default.removeItem(atPath: repository.path("prompts/support.prompt"))
        try repository.write(
            "prompts/summary.prompt",
            TrendFixture.header
                + "Please summarise the release notes below in three bullet points, grouped by area, the most "
                + "important change first.\n{{> style}}\n")
        let base = try repository.revision("HEAD")
        var configuration = Configuration()
        configuration.callsPerMonth = 100_000
        let request = DiffRequest(
            check: CheckRequest(
                paths: [repository.path("prompts")], baseConfiguration: configuration,
                makeModelResolver: fixedPriceResolver, roots: [repository.root]),
            baseRevision: "main", maxGrowth: 0.1, git: git)
        let diff = try buildDiffReport(request)
        XCTAssertEqual(diff.baseCommit, base)
        XCTAssertEqual(diff.unchanged, 1)  // the partial
        let kinds = diff.changes.map { (portable($0.path, repository), $0.kind.name) }
        XCTAssertEqual(kinds.map(\.0), ["prompts/new.prompt", "prompts/summary.prompt", "prompts/support.prompt"])
        XCTAssertEqual(kinds.map(\.1), ["added", "grew-beyond-limit", "removed"])
        let summary = diff.changes[1]
        XCTAssertEqual(summary.newFindings.map(\.ruleID), ["politeness"])
        XCTAssertEqual(summary.newFindings.first?.line, 6)
        // Both versions are analysed as they are (the partial read at the base revision for the base).
        let before = analyzeDocument(AnalysisInput(
            text: TrendFixture.summaryV2, path: repository.path("prompts/summary.prompt"),
            resolveModel: fixedPriceResolver(Configuration()),
            resolvePartial: { _, _ in .found(path: "_style.prompt", text: TrendFixture.styleV2) }))
        XCTAssertEqual(summary.before?.inputTokens, before.cost.inputTokens)
        XCTAssertGreaterThan(summary.tokenGrowth, 0.1)
        XCTAssertEqual(
            summary.usdPerMonthDelta,
            ((summary.after?.usdPerCall ?? 0) - (summary.before?.usdPerCall ?? 0)) * 100_000)
        XCTAssertEqual(diff.changes[0].usdPerMonthDelta, diff.changes[0].after?.usdPerMonth)
        XCTAssertEqual(diff.changes[2].usdPerMonthDelta, diff.changes[2].before.flatMap(\.usdPerMonth).map { -$0 })
        XCTAssertTrue(diff.failed)
        assertGolden("diff.md", portable(diffMarkdown(diff), repository).replacingOccurrences(of: base.prefix(7), with: "BASE"))
        assertGolden("diff.json", portable(diffJSON(diff), repository).replacingOccurrences(of: base, with: "BASE"))
        // A rename since the base is compared with the old version, not reported as removed and added.
        try repository.commit("Work-tree changes", date: "2025-02-10")
        try repository.move("prompts/summary.prompt", "prompts/release-summary.prompt")
        try repository.commit("Rename the summary", date: "2025-02-11")
        let renamed = try buildDiffReport(DiffRequest(check: request.check, baseRevision: "HEAD~1", git: git))
        XCTAssertEqual(renamed.changes.map { portable($0.path, repository) }, ["prompts/release-summary.prompt"])
        XCTAssertEqual(renamed.changes.first?.previousPath.map { portable($0, repository) }, "prompts/summary.prompt")
        XCTAssertEqual(renamed.changes.first?.kind, .unchanged)
        XCTAssertTrue(diffMarkdown(renamed).contains("release-summary.prompt` (was `"))
        // An unknown revision is an error.
        let unknown = DiffRequest(check: request.check, baseRevision: "no-such-branch", git: git)
        XCTAssertThrowsError(try buildDiffReport(unknown))
    }

    /// The README quotes the fixture's pull-request comment: every quoted line is in the golden file.
    func testTheReadmeQuotesTheGoldenComment() throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let readme = try String(contentsOf: here.appendingPathComponent("../../../README.md"), encoding: .utf8)
        let golden = try String(contentsOf: here.appendingPathComponent("../Golden/diff.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "(`Tests/PromptCheckTests/Golden/diff.md`):\n\n```markdown\n"))
        let end = try XCTUnwrap(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let quoted = readme[start.upperBound..<end.lowerBound].split(separator: "\n").filter { !$0.isEmpty }
        XCTAssertGreaterThan(quoted.count, 3)
        for line in quoted { XCTAssertTrue(golden.contains(line + "\n"), String(line)) }
    }
}

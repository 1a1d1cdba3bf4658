import Foundation
import PromptAnalysis
import XCTest

@testable import PromptCheck

final class ReporterTests: XCTestCase {
    private let usd: (Decimal) -> String = { "$" + decimalString($0) }

    func testText() {
        assertGolden("report.txt", textReport(sampleResult(), colors: false, formatUSD: usd))
        let colored = textReport(sampleResult(), colors: true, formatUSD: usd)
        XCTAssertTrue(colored.contains("\u{1B}[1;31merror\u{1B}[0m"))
    }

    func testJSON() throws {
        let text = jsonReport(sampleResult())
        assertGolden("report.json", text)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let summary = try XCTUnwrap(object["summary"] as? [String: Any])
        XCTAssertEqual(summary["findings"] as? Int, 3)
        XCTAssertEqual(summary["usdPerCall"] as? String, "0.0110655")
    }

    func testSARIF() {
        // Only the sample's rules, so that adding a rule elsewhere does not churn this golden.
        let rules = RuleRegistry.descriptors.filter { ["politeness", "contradiction", "dev-note"].contains($0.id) }
        assertGolden("report.sarif", sarifReport(sampleResult(), rules: rules, version: "0.0.0-test"))
    }

    func testGitHub() {
        assertGolden("report.github.txt", githubReport(sampleResult()))
    }

    func testDeterministic() {
        XCTAssertEqual(jsonReport(sampleResult()), jsonReport(sampleResult()))
        XCTAssertEqual(sarifReport(sampleResult(), rules: RuleRegistry.descriptors, version: "1"),
                       sarifReport(sampleResult(), rules: RuleRegistry.descriptors, version: "1"))
    }
}

final class BaselineTests: XCTestCase {
    private func entry(_ tokens: Int, _ usd: String?, calls: String? = nil) -> Baseline.Entry {
        Baseline.Entry(model: "gpt-4o", inputTokens: tokens, usdPerCall: usd, callsPerMonth: calls, messages: [])
    }

    /// One row per prompt: (before, after, expected kind); the gate allows +10%.
    private func check(_ rows: [(Baseline.Entry?, Baseline.Entry?, BaselineComparison.Kind)], failed: Bool,
                       file: StaticString = #filePath, line: UInt = #line) {
        var before: [String: Baseline.Entry] = [:]
        var after: [String: Baseline.Entry] = [:]
        for (index, row) in rows.enumerated() {
            before["p\(index).prompt"] = row.0
            after["p\(index).prompt"] = row.1
        }
        let comparison = compare(Baseline(prompts: before), with: Baseline(prompts: after), maxGrowth: 0.1)
        XCTAssertEqual(comparison.changes.map(\.kind), rows.map(\.2), file: file, line: line)
        XCTAssertEqual(comparison.failed, failed, file: file, line: line)
    }

    func testGate() {
        check([(entry(100, "0.001"), entry(100, "0.001"), .unchanged)], failed: false)
        check([(entry(100, "0.001"), entry(110, "0.0011"), .grew(exceeded: false))], failed: false)
        check([(entry(100, "0.001"), entry(111, "0.00111"), .grew(exceeded: true))], failed: true)
        check([(entry(100, "0.001"), entry(100, "0.002"), .grew(exceeded: true))], failed: true)
        check([(entry(100, "0.001"), entry(50, "0.0005"), .shrank)], failed: false)
        check([(nil, entry(500, nil), .added), (entry(10, nil), nil, .removed)], failed: false)
    }

    func testMonthlyDeltaAndText() {
        let comparison = compare(
            Baseline(prompts: ["a.prompt": entry(1000, "0.0025")]),
            with: Baseline(prompts: ["a.prompt": entry(1500, "0.00375", calls: "1000000")]), maxGrowth: 0.1)
        XCTAssertEqual(comparison.changes.first?.usdPerMonthDelta, Decimal(1250))
        XCTAssertEqual(
            baselineLines(comparison, formatUSD: { "$" + decimalString($0) }),
            ["a.prompt: error: input tokens 1000 → 1500 (+50.0%), $0.0025 → $0.00375 per call, +$1250 per month — over the allowed growth of +10.0%"])
    }

    func testRoundTripAndStableEncoding() throws {
        let baseline = Baseline(reports: sampleResult().reports)
        let text = baseline.encoded()
        XCTAssertEqual(try Baseline.decode(Data(text.utf8)), baseline)
        assertGolden("baseline.json", text)
    }

    func testParseGrowth() {
        XCTAssertEqual(parseGrowth("10%"), 0.1)
        XCTAssertEqual(parseGrowth("0.25"), 0.25)
        XCTAssertEqual(parseGrowth("5"), 0.05)
        XCTAssertNil(parseGrowth("ten"))
        XCTAssertNil(parseGrowth("-5%"))
    }
}

final class DiscoveryTests: XCTestCase {
    func testWalkSkipsAndDetectsLoops() throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tokenmin-discovery-\(UUID())")
        let manager = FileManager.default
        for folder in ["a/b", "node_modules/x", ".git", "legacy"] {
            try manager.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for file in ["a/one.prompt", "a/b/two.prompt", "a/notes.txt", "node_modules/x/dep.prompt", ".git/h.prompt",
                     "legacy/old.prompt", "a/b/skip.draft.prompt"] {
            try Data("x".utf8).write(to: root.appendingPathComponent(file))
        }
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("a/b/loop").path, withDestinationPath: root.appendingPathComponent("a").path)
        defer { try? manager.removeItem(at: root) }

        let discovery = discoverPromptFiles(in: [root.path, root.path + "/missing"], ignore: [Glob("legacy/"), Glob("*.draft.prompt")])
        XCTAssertEqual(discovery.files.map { String($0.dropFirst(root.path.count + 1)) }, ["a/b/two.prompt", "a/one.prompt"])
        XCTAssertEqual(discovery.problems.map(\.message), ["skipped: symlink loop or folder already searched", "no such file or folder"])
    }
}

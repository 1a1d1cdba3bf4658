import Foundation
import PromptAnalysis
import PromptText
import XCTest

@testable import PromptCheck

/// A run that does not keep its analyses keeps each report's text only up to the last line its
/// positions fall on (`FileReport.compacted()`); every reporter must print exactly what it prints
/// from the whole text: the same goldens as `ReporterTests`.
final class CompactedReportTests: XCTestCase {
    private func compacted(_ result: CheckResult) -> CheckResult {
        var copy = result
        copy.reports = result.reports.map { $0.compacted() }
        return copy
    }

    func testCompactedReportsPrintTheSameGoldens() {
        let result = compacted(sampleResult())
        assertGolden("report.txt", textReport(result, colors: false, formatUSD: { "$" + decimalString($0) }))
        assertGolden("report.json", jsonReport(result))
        let rules = RuleRegistry.descriptors.filter { ["politeness", "contradiction", "dev-note"].contains($0.id) }
        assertGolden("report.sarif", sarifReport(result, rules: rules, version: "0.0.0-test"))
        assertGolden("report.github.txt", githubReport(result))
    }

    /// Offsets at the cut (the end of a line, between CR and LF, on a lone CR) keep their line and column.
    func testCutKeepsPositionsAroundLineBreaks() {
        let text = "a\r\nfinding here\r\nmore\rtext\nlast line\n"
        let whole = LineIndex(text)
        for offset in [3, 15, 16, 17, 21, 22] {
            let finding = Finding(ruleID: "dev-note", severity: .info, message: "m", range: .empty(at: offset))
            let report = FileReport(path: "p.prompt", lineIndex: whole, findings: [finding], cost: nil).compacted()
            XCTAssertLessThanOrEqual(report.lineIndex.utf8.count, text.utf8.count)
            XCTAssertEqual(report.lineIndex.position(ofUTF8Offset: offset, in: .utf32), whole.position(ofUTF8Offset: offset, in: .utf32), "offset \(offset)")
        }
        let none = FileReport(path: "p.prompt", lineIndex: whole, findings: [], cost: nil).compacted()
        XCTAssertEqual(none.lineIndex.utf8.count, 0)
    }
}

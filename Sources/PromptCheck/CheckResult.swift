import Foundation
import PromptAnalysis
import PromptText

/// Everything one `check` run found, in deterministic order, ready for a reporter.
public struct CheckResult: Sendable {
    public var reports: [FileReport]
    public var problems: [DiscoveryProblem]
    public var baseline: BaselineComparison?

    public init(reports: [FileReport], problems: [DiscoveryProblem] = [], baseline: BaselineComparison? = nil) {
        self.reports = reports
        self.problems = problems
        self.baseline = baseline
    }

    public var findingCount: Int { reports.reduce(0) { $0 + $1.findings.count } }

    public func count(of severity: Severity) -> Int {
        reports.reduce(0) { $0 + $1.findings.filter { $0.severity == severity }.count }
    }

    /// Total USD per call over the prompts whose cost is known.
    public var totalUSDPerCall: Decimal {
        reports.reduce(Decimal(0)) { $0 + ($1.cost?.usdPerCall ?? 0) }
    }

    /// The findings at or above `threshold` decide exit code 1.
    public func hasFindings(atOrAbove threshold: Severity) -> Bool {
        reports.contains { $0.findings.contains { $0.severity >= threshold } }
    }
}

/// A finding's position as reporters print it: 1-based lines and columns counted in Unicode code points.
struct ReportedRange: Equatable {
    var startLine: Int
    var startColumn: Int
    var endLine: Int
    var endColumn: Int

    init(_ range: UTF8Range, in index: LineIndex) {
        let start = index.position(ofUTF8Offset: range.start, in: .utf32)
        let end = index.position(ofUTF8Offset: range.end, in: .utf32)
        startLine = start.line + 1
        startColumn = start.column + 1
        endLine = end.line + 1
        endColumn = end.column + 1
    }
}

/// A plain decimal string for machine-readable output ("0.00425"): exact, never in exponent form.
func decimalString(_ value: Decimal) -> String {
    var copy = value
    var rounded = Decimal()
    NSDecimalRound(&rounded, &copy, 10, .plain)
    return NSDecimalNumber(decimal: rounded).stringValue
}

/// Serialises a JSON value with sorted keys and two-space indentation (stable, diff-able output).
public func jsonText(_ value: Any) -> String {
    let data = (try? JSONSerialization.data(
        withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
}

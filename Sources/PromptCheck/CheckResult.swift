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

    /// Prompt files reported (configuration files with problems are reported too, but are not prompts).
    public var promptCount: Int { reports.filter { !$0.isConfiguration }.count }

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

/// Serialises a JSON value with sorted keys and two-space indentation (stable, diff-able output), in
/// `JSONSerialization`'s pretty-printed layout (`"key" : value`). Written by hand: `JSONSerialization`
/// bridges every value to Objective-C objects, which cost more than analysing the prompts on large
/// reports. Values: `[String: Any]`, `[Any]`, `String`, `Bool`, `Int`, `Double`, `Decimal`, `NSNull`.
public func jsonText(_ value: Any) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(4096)
    var keyOrders: [String: [String]] = [:]
    writeJSON(value, indent: 0, into: &output, keyOrders: &keyOrders)
    output.append(0x0A)
    return String(decoding: output, as: UTF8.self)
}

/// Keys in `JSONSerialization`'s sorted order: numeric, case-insensitive, forced ordering (so `Z`
/// sorts after `a`). That comparison is slow, and report objects share a few key sets (every finding
/// has the same keys), so each key set is sorted once per report.
private func sortedKeys(_ keys: Dictionary<String, Any>.Keys, cache: inout [String: [String]]) -> [String] {
    let plain = keys.sorted()
    let signature = plain.joined(separator: "\u{0}")
    if let order = cache[signature] { return order }
    let order = plain.sorted { a, b in
        a.compare(b, options: [.numeric, .caseInsensitive, .forcedOrdering], range: a.startIndex..<a.endIndex, locale: NSLocale.system)
            == .orderedAscending
    }
    cache[signature] = order
    return order
}

private func writeJSON(_ value: Any, indent: Int, into output: inout [UInt8], keyOrders: inout [String: [String]]) {
    func newline(_ level: Int) {
        output.append(0x0A)
        output.append(contentsOf: repeatElement(0x20, count: level * 2))
    }
    switch value {
    case let text as String:
        appendJSONString(text, to: &output)
    case let flag as Bool:
        output.append(contentsOf: (flag ? "true" : "false").utf8)
    case let number as Int:
        output.append(contentsOf: String(number).utf8)
    case let number as Double:
        output.append(contentsOf: jsonNumber(number).utf8)
    case let number as Decimal:
        output.append(contentsOf: NSDecimalNumber(decimal: number).stringValue.utf8)
    case let object as [String: Any]:
        output.append(UInt8(ascii: "{"))
        for (index, key) in sortedKeys(object.keys, cache: &keyOrders).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            newline(indent + 1)
            appendJSONString(key, to: &output)
            output.append(contentsOf: " : ".utf8)
            writeJSON(object[key]!, indent: indent + 1, into: &output, keyOrders: &keyOrders)
        }
        if object.isEmpty { output.append(0x0A) }
        newline(indent)
        output.append(UInt8(ascii: "}"))
    case let array as [Any]:
        output.append(UInt8(ascii: "["))
        for (index, element) in array.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            newline(indent + 1)
            writeJSON(element, indent: indent + 1, into: &output, keyOrders: &keyOrders)
        }
        if array.isEmpty { output.append(0x0A) }
        newline(indent)
        output.append(UInt8(ascii: "]"))
    default:
        output.append(contentsOf: "null".utf8)
    }
}

/// A double as JSON: integral values without a fraction, others in Swift's shortest round-trip form.
private func jsonNumber(_ number: Double) -> String {
    guard number.isFinite else { return "null" }
    if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
    return "\(number)"
}

import Foundation
import PromptAnalysis

/// `file:line:col: severity[rule-id]: message` lines, then a summary. Colours only when asked (a TTY
/// without `NO_COLOR`). `quiet` leaves out the summary and the baseline's notes: only findings and
/// errors remain (nothing at all for a clean run).
public func textReport(_ result: CheckResult, colors: Bool, formatUSD: (Decimal) -> String, quiet: Bool = false) -> String {
    func paint(_ text: String, _ code: String) -> String { colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    var lines: [String] = []
    for problem in result.problems {
        lines.append("\(problem.path): \(paint("error", "1;31")): \(problem.message)")
    }
    for report in result.reports {
        for finding in report.findings {
            let position = ReportedRange(finding.range, in: report.lineIndex)
            let severity: String
            switch finding.severity {
            case .error: severity = paint("error", "1;31")
            case .warning: severity = paint("warning", "1;33")
            case .info: severity = paint("info", "1;36")
            }
            lines.append("\(report.path):\(position.startLine):\(position.startColumn): \(severity)[\(finding.ruleID)]: \(finding.message)")
        }
    }
    if let baseline = result.baseline {
        lines += baselineLines(baseline, formatUSD: formatUSD).filter { !quiet || !$0.contains(": note: ") }
    }
    if quiet { return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n" }
    let files = result.promptCount
    var summary = "\(files) prompt\(files == 1 ? "" : "s"), "
    summary += "\(result.count(of: .error)) error\(result.count(of: .error) == 1 ? "" : "s"), "
    summary += "\(result.count(of: .warning)) warning\(result.count(of: .warning) == 1 ? "" : "s"), "
    summary += "\(result.count(of: .info)) info"
    let priced = result.reports.filter { $0.cost?.usdPerCall != nil }
    if !priced.isEmpty {
        // The same marks as `count`: ≈ for estimated counts, + ? for inputs without a value.
        let estimated = priced.contains { $0.cost?.isEstimate ?? false }
        let open = priced.contains { !($0.cost?.unresolvedVariables.isEmpty ?? true) }
        summary += "; \(estimated ? "≈" : "")\(formatUSD(result.totalUSDPerCall)) per call in total"
        if open { summary += " (+ ? for inputs without values)" }
    }
    if let baseline = result.baseline, baseline.failed {
        // The exit code is 1 even with no error findings: say why.
        summary += "; \(paint("token-growth gate failed", "1;31")): \(baselineFailureReason(baseline))"
    }
    lines.append(summary)
    return lines.joined(separator: "\n") + "\n"
}

/// "2 prompts grew more than +10.0% over the baseline".
func baselineFailureReason(_ comparison: BaselineComparison) -> String {
    let grown = comparison.changes.filter { $0.kind == .grew(exceeded: true) }.count
    return "\(grown) prompt\(grown == 1 ? "" : "s") grew more than \(percent(comparison.maxGrowth)) over the baseline"
}

func baselineLines(_ comparison: BaselineComparison, formatUSD: (Decimal) -> String) -> [String] {
    var lines: [String] = []
    for change in comparison.changes {
        switch (change.kind, change.before, change.after) {
        case (.grew(let exceeded), _?, _?):
            lines.append("\(change.path): \(exceeded ? "error" : "note"): " + growthDescription(change, in: comparison, formatUSD: formatUSD))
        case (.shrank, let before?, let after?):
            var line = "\(change.path): note: input tokens \(before.inputTokens) → \(after.inputTokens) "
                + "(\(percent(change.tokenGrowth))), smaller than the baseline"
            if let monthly = change.usdPerMonthDelta { line += ", \(signed(monthly, formatUSD)) per month" }
            lines.append(line)
        case (.added, _, let after?):
            lines.append("\(change.path): note: new prompt, \(after.inputTokens) input tokens (not in the baseline)")
        case (.removed, let before?, _):
            lines.append("\(change.path): note: removed since the baseline (had \(before.inputTokens) input tokens)")
        default:
            continue
        }
    }
    return lines
}

/// "input tokens 120 → 180 (+50.0%), $0.0003 → $0.00045 per call, +$150 per month — over the allowed
/// growth of +10.0%" for a prompt that grew.
func growthDescription(_ change: BaselineComparison.Change, in comparison: BaselineComparison, formatUSD: (Decimal) -> String) -> String {
    guard let before = change.before, let after = change.after else { return "" }
    var line = "input tokens \(before.inputTokens) → \(after.inputTokens) (\(percent(change.tokenGrowth)))"
    if let usdBefore = before.usdPerCall.flatMap({ Decimal(string: $0) }),
       let usdAfter = after.usdPerCall.flatMap({ Decimal(string: $0) })
    {
        line += ", \(formatUSD(usdBefore)) → \(formatUSD(usdAfter)) per call"
    }
    if let monthly = change.usdPerMonthDelta { line += ", \(signed(monthly, formatUSD)) per month" }
    if change.kind == .grew(exceeded: true) { line += " — over the allowed growth of \(percent(comparison.maxGrowth))" }
    return line
}

func percent(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 10
    return (rounded > 0 ? "+" : "") + String(format: "%.1f%%", rounded)
}

private func signed(_ value: Decimal, _ formatUSD: (Decimal) -> String) -> String {
    value < 0 ? "−" + formatUSD(-value) : "+" + formatUSD(value)
}

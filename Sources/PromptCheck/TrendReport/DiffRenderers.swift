import Foundation
import PromptAnalysis

/// The first line of the pull-request comment: a CI job finds its earlier comment by this marker and
/// updates it instead of adding another.
public let diffCommentMarker = "<!-- tokenmin-report -->"

/// One pull-request comment in Markdown: a verdict line against `--max-growth`, a table of the prompts
/// whose tokens, USD or findings changed (before → after, %, USD per month delta), and the new findings.
public func diffMarkdown(_ report: PromptDiffReport) -> String {
    var lines = [diffCommentMarker]
    let base =
        "`\(markdownCode(report.baseRevision))`"
        + (report.baseCommit.isEmpty ? "" : " (`\(report.baseCommit.prefix(7))`)")
    lines.append("### tokenmin: prompt costs compared with \(base)")
    lines.append("")
    lines.append(diffVerdict(report))
    lines.append("")
    guard !report.changes.isEmpty else {
        lines.append(
            "No prompt's tokens, cost or findings changed (\(report.unchanged) prompt\(report.unchanged == 1 ? "" : "s") compared)."
        )
        return lines.joined(separator: "\n") + "\n"
    }
    lines.append("| prompt | input tokens | change | USD per call | USD per month | new findings |")
    lines.append("|---|---:|---:|---:|---:|---|")
    for change in report.changes {
        let tokens = "\(versionTokens(change.before)) → \(versionTokens(change.after))"
        let growth: String
        switch change.kind {
        case .added: growth = "new"
        case .removed: growth = "removed"
        case .grew(true): growth = "**\(percent(change.tokenGrowth))** ❌"
        default:
            growth =
                change.before?.inputTokens == change.after?.inputTokens ? "±0" : percent(change.tokenGrowth)
        }
        let usd = "\(versionUSD(change.before)) → \(versionUSD(change.after))"
        let monthly = change.usdPerMonthDelta.map(signedUSD) ?? "—"
        var findings = change.newFindings.isEmpty ? "" : findingSummary(change.newFindings)
        if change.resolvedFindings > 0 {
            findings += (findings.isEmpty ? "" : "; ") + "\(change.resolvedFindings) resolved"
        }
        let was = change.previousPath.map { " (was `\(markdownCode($0))`)" } ?? ""
        lines.append(
            "| `\(markdownCode(change.path))`\(was) | \(tokens) | \(growth) | \(usd) | \(monthly) | \(findings.isEmpty ? "—" : findings) |"
        )
    }
    if let total = report.totalUSDPerMonthDelta {
        lines.append("| **total** | | | | **\(signedUSD(total))** | |")
    }
    let newFindings = report.changes.flatMap { change in change.newFindings.map { (change.path, $0) } }
    if !newFindings.isEmpty {
        lines.append("")
        lines.append(
            "<details><summary>\(newFindings.count) new finding\(newFindings.count == 1 ? "" : "s")</summary>"
        )
        lines.append("")
        for (path, finding) in newFindings {
            lines.append(
                "- `\(markdownCode(path))` line \(finding.line): \(finding.severity.rawValue) `\(finding.ruleID)` — \(markdownCell(finding.message))"
            )
        }
        lines.append("")
        lines.append("</details>")
    }
    lines.append("")
    var notes = "\(report.unchanged) prompt\(report.unchanged == 1 ? "" : "s") unchanged. "
    notes +=
        "≈ estimate (not the model's own tokenizer, or inputs without values). USD per month at each prompt's volume "
    notes +=
        "(`metadata.tokenmin.volume`, `--volume-file`, `.tokenmin.yml` or `--volume`); both versions priced with today's catalog."
    lines.append(notes)
    return lines.joined(separator: "\n") + "\n"
}

/// `✅ …` or `❌ …`: the gate's outcome in one line.
func diffVerdict(_ report: PromptDiffReport) -> String {
    let limit = String(format: "%g%%", (report.maxGrowth * 1000).rounded() / 10)
    let added = report.changes.filter { $0.kind == .added }.count
    let removed = report.changes.filter { $0.kind == .removed }.count
    let changed = report.changes.count - added - removed
    var tail = "\(changed) changed, \(added) new, \(removed) removed"
    if let total = report.totalUSDPerMonthDelta { tail += ", \(signedUSD(total)) per month in total" }
    let over = report.changes.filter { $0.kind == .grew(exceeded: true) }
    guard !over.isEmpty else {
        return "✅ **No prompt grew more than \(limit)** (input tokens or USD per call): \(tail)."
    }
    let named = over.prefix(3).map { "`\(markdownCode($0.path))` (\(percent($0.tokenGrowth)))" }.joined(
        separator: ", ")
    let more = over.count > 3 ? " and \(over.count - 3) more" : ""
    return
        "❌ **\(over.count) prompt\(over.count == 1 ? "" : "s") grew more than \(limit)**: \(named)\(more); \(tail)."
}

/// JSON (schema version 1): `{"schemaVersion", "base", "baseCommit", "maxGrowth", "failed", "unchanged",
/// "usdPerMonthDelta"?, "changes": [{"path", "change", "before"?, "after"?, "tokenGrowth",
/// "usdPerMonthDelta"?, "previousPath"? (renamed since the base), "newFindings": [{"line", "column", "rule", "severity", "message"}],
/// "resolvedFindings"}], "problems"}`; money as decimal strings, keys sorted.
public func diffJSON(_ report: PromptDiffReport) -> String {
    func version(_ version: PromptVersion) -> [String: Any] {
        var object: [String: Any] = ["inputTokens": version.inputTokens, "exact": version.isExact]
        if let model = version.model { object["model"] = model }
        if let usd = version.usdPerCall { object["usdPerCall"] = decimalString(usd) }
        if let usd = version.usdPerMonth { object["usdPerMonth"] = decimalString(usd) }
        return object
    }
    let changes = report.changes.map { change -> [String: Any] in
        var object: [String: Any] = [
            "path": change.path, "change": change.kind.name, "tokenGrowth": change.tokenGrowth,
            "resolvedFindings": change.resolvedFindings,
            "newFindings": change.newFindings.map { finding -> [String: Any] in
                [
                    "line": finding.line, "column": finding.column, "rule": finding.ruleID,
                    "severity": finding.severity.rawValue, "message": finding.message,
                ]
            },
        ]
        if let before = change.before { object["before"] = version(before) }
        if let previous = change.previousPath { object["previousPath"] = previous }
        if let after = change.after { object["after"] = version(after) }
        if let delta = change.usdPerMonthDelta { object["usdPerMonthDelta"] = decimalString(delta) }
        return object
    }
    var root: [String: Any] = [
        "schemaVersion": 1, "base": report.baseRevision, "baseCommit": report.baseCommit,
        "maxGrowth": report.maxGrowth,
        "failed": report.failed, "unchanged": report.unchanged, "changes": changes,
        "problems": report.problems,
    ]
    if let total = report.totalUSDPerMonthDelta { root["usdPerMonthDelta"] = decimalString(total) }
    return jsonText(root)
}

private func versionTokens(_ version: PromptVersion?) -> String {
    guard let version else { return "—" }
    return (version.isExact ? "" : "≈") + "\(version.inputTokens)"
}

private func versionUSD(_ version: PromptVersion?) -> String {
    guard let version, let usd = version.usdPerCall else { return "—" }
    return (version.isExact ? "" : "≈") + formatUSD(usd)
}

private func signedUSD(_ value: Decimal) -> String {
    value < 0 ? "−" + formatUSD(-value) : (value == 0 ? "±" : "+") + formatUSD(value)
}

private func findingSummary(_ findings: [WorkspaceFinding]) -> String {
    var counts: [(String, Int)] = []
    for finding in findings {
        if let index = counts.firstIndex(where: { $0.0 == finding.ruleID }) {
            counts[index].1 += 1
        } else {
            counts.append((finding.ruleID, 1))
        }
    }
    return counts.map { "`\($0.0)`" + ($0.1 > 1 ? " ×\($0.1)" : "") }.joined(separator: ", ")
}

private func markdownCode(_ text: String) -> String {
    text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|")
        .replacingOccurrences(of: "\n", with: " ")
}

private func markdownCell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        .replacingOccurrences(of: "<", with: "&lt;")
}

import Foundation
import PromptAnalysis

/// The JSON report (schema version 1, documented in README): per-file cost and findings, a summary,
/// and the baseline comparison when one was given. Money is a decimal string; keys are sorted.
public func jsonReport(_ result: CheckResult) -> String {
    var files: [[String: Any]] = []
    for report in result.reports {
        var file: [String: Any] = ["path": report.path]
        if let cost = report.cost { file["cost"] = costJSON(cost) }
        file["findings"] = report.findings.map { finding -> [String: Any] in
            let position = ReportedRange(finding.range, in: report.lineIndex)
            var object: [String: Any] = [
                "rule": finding.ruleID, "severity": finding.severity.rawValue, "message": finding.message,
                "line": position.startLine, "column": position.startColumn, "endLine": position.endLine,
                "endColumn": position.endColumn, "fixable": finding.fixes.contains(where: \.isSafe),
            ]
            if let saved = finding.tokenSavings { object["savedTokens"] = saved }
            return object
        }
        files.append(file)
    }
    var root: [String: Any] = [
        "version": 1, "tool": "tokenmin", "files": files,
        "problems": result.problems.map { ["path": $0.path, "message": $0.message] },
        "summary": [
            "files": result.reports.count, "prompts": result.promptCount, "findings": result.findingCount, "errors": result.count(of: .error),
            "warnings": result.count(of: .warning), "infos": result.count(of: .info),
            "usdPerCall": decimalString(result.totalUSDPerCall),
        ] as [String: Any],
    ]
    if let baseline = result.baseline { root["baseline"] = baselineJSON(baseline) }
    return jsonText(root)
}

/// The JSON object of one prompt's cost (also used by `tokenmin count --format json`).
public func costJSON(_ cost: PromptCost) -> [String: Any] {
    var object: [String: Any] = [
        "encoding": cost.encoding, "exact": cost.isExact, "exactTokenizer": cost.isExactTokenizer,
        "inputTokens": cost.inputTokens, "overheadTokens": cost.overheadTokens, "toolDefinitionTokens": cost.toolDefinitionTokens, "outputTokens": cost.outputTokens,
        "outputIsDefault": cost.outputIsDefault, "unresolvedVariables": cost.unresolvedVariables,
        "messages": cost.messages.map { ["role": $0.role, "tokens": $0.tokens] as [String: Any] },
    ]
    if let model = cost.modelName { object["model"] = model }
    if let id = cost.modelID { object["modelId"] = id }
    if let usd = cost.usdPerCall { object["usdPerCall"] = decimalString(usd) }
    if let usd = cost.cachedUSDPerCall { object["cachedUSDPerCall"] = decimalString(usd) }
    if let calls = cost.callsPerMonth { object["callsPerMonth"] = decimalString(calls) }
    if let usd = cost.usdPerMonth { object["usdPerMonth"] = decimalString(usd) }
    return object
}

func baselineJSON(_ comparison: BaselineComparison) -> [String: Any] {
    [
        "maxGrowth": comparison.maxGrowth, "failed": comparison.failed,
        "changes": comparison.changes.filter { $0.kind != .unchanged }.map { change -> [String: Any] in
            var object: [String: Any] = ["path": change.path, "change": change.kind.name]
            if let before = change.before { object["before"] = before.inputTokens }
            if let after = change.after { object["after"] = after.inputTokens }
            if let delta = change.usdPerMonthDelta { object["usdPerMonthDelta"] = decimalString(delta) }
            return object
        },
    ]
}

import Foundation
import PromptAnalysis

/// GitHub Actions workflow commands (`::warning file=…,line=…::message`), which the runner turns into
/// annotations on the pull request's diff.
public func githubReport(_ result: CheckResult) -> String {
    var lines: [String] = []
    for problem in result.problems {
        lines.append("::error file=\(property(problem.path)),title=tokenmin::\(data(problem.message))")
    }
    for report in result.reports {
        for finding in report.findings {
            let position = ReportedRange(finding.range, in: report.lineIndex)
            let command: String
            switch finding.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .info: command = "notice"
            }
            lines.append(
                "::\(command) file=\(property(report.path)),line=\(position.startLine),col=\(position.startColumn),"
                    + "endLine=\(position.endLine),endColumn=\(position.endColumn),"
                    + "title=\(property("tokenmin(\(finding.ruleID))"))::\(data(finding.message))")
        }
    }
    // A failed token-growth gate: one error annotation per prompt over the limit, so the failed job says why.
    if let baseline = result.baseline {
        for change in baseline.changes where change.kind == .grew(exceeded: true) {
            lines.append(
                "::error file=\(property(change.path)),title=\(property("tokenmin(token-growth)"))::"
                    + data(growthDescription(change, in: baseline, formatUSD: formatUSD)))
        }
    }
    return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
}

/// Escaping from the Actions toolkit: `%`, CR and LF in data; also `:` and `,` in properties.
private func data(_ text: String) -> String {
    text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
        .replacingOccurrences(of: "\n", with: "%0A")
}

private func property(_ text: String) -> String {
    data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
}

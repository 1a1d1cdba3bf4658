import Foundation
import PromptAnalysis
import PromptText

/// SARIF 2.1.0 for code-scanning dashboards: every rule's metadata (help text, default level, category
/// tag, `security-severity` for security rules), results with regions in Unicode code points, related
/// locations, and fixes as artifact changes.
public func sarifReport(_ result: CheckResult, rules: [RuleDescriptor], version: String) -> String {
    let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
    let driverRules: [[String: Any]] = rules.map { rule in
        var properties: [String: Any] = ["tags": [rule.category.rawValue]]
        if rule.category == .security { properties["security-severity"] = securitySeverity(rule.defaultSeverity) }
        return [
            "id": rule.id, "name": rule.id,
            "shortDescription": ["text": rule.summary], "fullDescription": ["text": rule.explanation],
            "helpUri": rule.documentationURL,
            "help": ["text": rule.explanation, "markdown": "**\(rule.summary)**\n\n\(rule.explanation)"],
            "defaultConfiguration": ["level": level(rule.defaultSeverity)],
            "properties": properties,
        ]
    }
    var results: [[String: Any]] = []
    for report in result.reports {
        for finding in report.findings {
            var object: [String: Any] = [
                "ruleId": finding.ruleID, "level": level(finding.severity), "message": ["text": finding.message],
                "locations": [location(report.path, region(finding.range, report))],
            ]
            if let index = ruleIndex[finding.ruleID] { object["ruleIndex"] = index }
            if !finding.related.isEmpty {
                object["relatedLocations"] = finding.related.enumerated().map { index, related -> [String: Any] in
                    var location = location(related.path ?? report.path, region(related.range, report))
                    location["id"] = index
                    location["message"] = ["text": related.message]
                    return location
                }
            }
            let fixes = finding.fixes.filter { $0.kind != .suppression }
            if !fixes.isEmpty {
                object["fixes"] = fixes.map { fix -> [String: Any] in
                    [
                        "description": ["text": fix.title],
                        "artifactChanges": [[
                            "artifactLocation": ["uri": report.path],
                            "replacements": fix.edits.map { edit -> [String: Any] in
                                ["deletedRegion": region(edit.range, report), "insertedContent": ["text": edit.newText]]
                            },
                        ] as [String: Any]],
                    ]
                }
            }
            if let saved = finding.tokenSavings { object["properties"] = ["savedTokensPerCall": saved] }
            results.append(object)
        }
    }
    let root: [String: Any] = [
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [[
            "tool": ["driver": [
                "name": "tokenmin", "version": version, "semanticVersion": version,
                "informationUri": "https://github.com/tokenmin/tokenmin", "rules": driverRules,
            ] as [String: Any]],
            "columnKind": "unicodeCodePoints",
            "results": results,
        ] as [String: Any]],
    ]
    return jsonText(root)
}

private func level(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info: "note"
    }
}

/// GitHub ranks code-scanning alerts by this score (0–10): critical ≥ 9, high ≥ 7, medium ≥ 4.
private func securitySeverity(_ severity: Severity) -> String {
    switch severity {
    case .error: "9.0"
    case .warning: "6.0"
    case .info: "3.0"
    }
}

private func region(_ range: UTF8Range, _ report: FileReport) -> [String: Any] {
    let position = ReportedRange(range, in: report.lineIndex)
    return [
        "startLine": position.startLine, "startColumn": position.startColumn, "endLine": position.endLine,
        "endColumn": position.endColumn,
    ]
}

private func location(_ path: String, _ region: [String: Any]) -> [String: Any] {
    ["physicalLocation": ["artifactLocation": ["uri": path], "region": region] as [String: Any]]
}

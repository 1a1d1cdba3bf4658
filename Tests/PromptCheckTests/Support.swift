import Foundation
import PromptAnalysis
import PromptText
import XCTest

@testable import PromptCheck

/// Compares `actual` with the golden file `Golden/NAME`; with `TOKENMIN_UPDATE_GOLDENS=1` in the
/// environment the golden file is (re)written instead. Goldens are never edited by hand.
func assertGolden(_ name: String, _ actual: String, file: StaticString = #filePath, line: UInt = #line) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    if ProcessInfo.processInfo.environment["TOKENMIN_UPDATE_GOLDENS"] == "1" {
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("missing golden \(name); run with TOKENMIN_UPDATE_GOLDENS=1 to create it", file: file, line: line)
        return
    }
    XCTAssertEqual(actual, expected, "golden \(name) differs", file: file, line: line)
}

/// A small, fixed check result: two prompts, findings of each severity, a fix and a related location.
func sampleResult() -> CheckResult {
    let first = "---\nmodel: openai/gpt-4o\n---\nPlease summarize. Be concise.\nExplain in exhaustive detail.\n"
    let firstIndex = LineIndex(first)
    let please = byteRange(of: "Please", in: first)
    let findings = [
        Finding(ruleID: "politeness", severity: .info, message: "“Please” is politeness the model does not need",
                range: please, fixes: [Fix(title: "Remove “Please”", edits: [.delete(byteRange(of: "Please ", in: first)),
                                        TextEdit(range: byteRange(of: "s", in: first, after: please.end), newText: "S")], isSafe: true)],
                tokenSavings: 1, isUnnecessary: true),
        Finding(ruleID: "contradiction", severity: .warning, message: "Contradicts an earlier instruction: asks for exhaustive detail after asking for brevity",
                range: byteRange(of: "Explain in exhaustive detail.", in: first),
                related: [RelatedLocation(range: byteRange(of: "Be concise.", in: first), message: "conflicting instruction")]),
    ]
    let cost = PromptCost(
        modelName: "openai/gpt-4o", modelID: "gpt-4o", encoding: "o200k_base", isExactTokenizer: true,
        messages: [MessageCount(role: "user", tokens: 12, range: UTF8Range(start: please.start, end: first.utf8.count))], overheadTokens: 7,
        inputTokens: 19, outputTokens: 500, outputIsDefault: true, usdPerCall: Decimal(string: "0.0050475")!,
        callsPerMonth: 1_000_000, usdPerMonth: Decimal(string: "5047.5")!)
    let second = "---\nmodel: anthropic/claude-sonnet-4-5\n---\n{{role \"system\"}}\nTODO: fix, later\n"
    let secondFinding = Finding(
        ruleID: "dev-note", severity: .error, message: "Developer note sent to the model; a {{! comment }} costs nothing",
        range: byteRange(of: "TODO: fix, later", in: second))
    let secondCost = PromptCost(
        modelName: "anthropic/claude-sonnet-4-5", modelID: "claude-sonnet-4-5", encoding: "o200k_base",
        isExactTokenizer: false, messages: [MessageCount(role: "system", tokens: 6, range: byteRange(of: "{{role \"system\"}}\nTODO: fix, later\n", in: second))],
        inputTokens: 6, outputTokens: 400, outputIsDefault: false, usdPerCall: Decimal(string: "0.006018")!)
    return CheckResult(
        reports: [
            FileReport(path: "prompts/a.prompt", lineIndex: firstIndex, findings: findings, cost: cost),
            FileReport(path: "prompts/b,c.prompt", lineIndex: LineIndex(second), findings: [secondFinding], cost: secondCost),
        ],
        problems: [DiscoveryProblem(path: "missing", message: "no such file or folder")])
}

/// The UTF-8 range of the first occurrence of `needle` in `text` at or after `after`.
func byteRange(of needle: String, in text: String, after: Int = 0) -> UTF8Range {
    let bytes = Array(text.utf8)
    let pattern = Array(needle.utf8)
    for start in after...(bytes.count - pattern.count) where Array(bytes[start..<(start + pattern.count)]) == pattern {
        return UTF8Range(start: start, end: start + pattern.count)
    }
    fatalError("\(needle) not in fixture")
}

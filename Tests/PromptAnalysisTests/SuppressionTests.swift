import PromptText
import XCTest

@testable import PromptAnalysis

final class SuppressionTests: XCTestCase {
    /// Runs the politeness and scaffolding rules over `text` (comments are not prose), applies
    /// `configuration` and suppressions, and compares (rule id, severity, flagged text).
    private func check(
        _ text: String, configuration: Configuration = Configuration(), expected: [(String, Severity, String)],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let index = LineIndex(text)
        let context = RuleContext(
            text: text, prose: proseSegments(text).map { ProseSegment(text: $0.text, utf8Start: $0.start) },
            countTokens: wordTokenCount)
        let raw = RuleRegistry.run(context, rules: [Politeness.rule, Scaffolding.rule])
        let suppressions = parseSuppressions(in: text, lineIndex: index, knownIDs: Set(RuleRegistry.descriptors.map(\.id)))
        let findings = applyConfiguration(to: raw, configuration: configuration, suppressions: suppressions, lineIndex: index)
        let actual = findings.map { "\($0.ruleID) \($0.severity) \(text.utf8Slice($0.range))" }
        XCTAssertEqual(actual, expected.map { "\($0.0) \($0.1) \($0.2)" }, file: file, line: line)
    }

    func testNextLineAndFile() {
        check("{{! tokenmin-disable-next-line politeness }}\nPlease go.\nPlease stop.",
              expected: [("politeness", .info, "Please")])
        check("{{!-- tokenmin-disable-next-line --}}\nPlease go. You are a helpful assistant.\nPlease stop.",
              expected: [("politeness", .info, "Please")])
        check("{{! tokenmin-disable politeness }}\nPlease go. You are a helpful assistant.",
              expected: [("scaffolding", .warning, "You are a helpful assistant")])
        check("{{! tokenmin-disable }}\nPlease go. You are a helpful assistant.", expected: [])
        check("{{! tokenmin-disable-next-line politeness, scaffolding }}\nPlease go. You are a helpful assistant.", expected: [])
    }

    func testUnknownIdsAreReported() {
        check("{{! tokenmin-disable-next-line politness }}\nPlease go.",
              expected: [("invalid-suppression", .warning, "politness"), ("politeness", .info, "Please")])
    }

    func testConfiguredSeverities() {
        var configuration = Configuration()
        configuration.ruleSeverities = ["politeness": Severity.error, "scaffolding": Severity?.none]
        check("Please go. You are a helpful assistant.", configuration: configuration,
              expected: [("politeness", .error, "Please")])
    }
}

final class YAMLSuppressionTests: XCTestCase {
    func testYAMLCommentSuppressesFrontmatterFinding() {
        let text = "---\nmodel: openai/gpt-4o\n# tokenmin-disable-next-line missing-output-cap\nconfig:\n  temperature: 0\n---\nSummarize.\n"
        XCTAssertFalse(analyzeDocument(AnalysisInput(text: text)).findings.contains { $0.ruleID == "missing-output-cap" })
        let without = text.replacingOccurrences(of: "# tokenmin-disable-next-line missing-output-cap\n", with: "")
        XCTAssertTrue(analyzeDocument(AnalysisInput(text: without)).findings.contains { $0.ruleID == "missing-output-cap" })
    }
}

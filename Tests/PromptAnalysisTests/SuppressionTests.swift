import PromptSyntax
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
        let suppressions = parseSuppressions(in: parsePromptDocument(text), lineIndex: index, knownIDs: Set(RuleRegistry.descriptors.map(\.id)))
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

    /// Only comments suppress: Handlebars comments in the template and YAML comment lines in the
    /// frontmatter. Text the model receives (a body line starting with `#`, a raw block) and YAML
    /// scalar content never do.
    func testOnlyCommentsFromTheSyntaxTreeSuppress() {
        let frontmatter = "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 50\n---\n"
        let rows: [(text: String, suppressed: Bool)] = [
            (frontmatter + "{{! tokenmin-disable politeness }}\nPlease go.\n", true),
            (frontmatter + "{{!-- tokenmin-disable-next-line politeness --}}\nPlease go.\n", true),
            (frontmatter + "{{#if x}}{{! tokenmin-disable politeness }}{{/if}}\nPlease go.\n", true),
            ("---\nmodel: openai/gpt-4o\n# tokenmin-disable politeness\nconfig:\n  maxOutputTokens: 50\n---\nPlease go.\n", true),
            (frontmatter + "# tokenmin-disable politeness\nPlease go.\n", false),
            (frontmatter + "  # tokenmin-disable-next-line politeness\nPlease go.\n", false),
            (frontmatter + "{{{{raw}}}}{{! tokenmin-disable politeness }}{{{{/raw}}}}\nPlease go.\n", false),
            ("---\nmodel: openai/gpt-4o\ndescription: |\n  # tokenmin-disable politeness\nconfig:\n  maxOutputTokens: 50\n---\nPlease go.\n", false),
            ("---\nmodel: openai/gpt-4o\ndescription: \"a\n  # tokenmin-disable politeness\"\nconfig:\n  maxOutputTokens: 50\n---\nPlease go.\n", false),
        ]
        for row in rows { check(row.text, suppressesPoliteness: row.suppressed) }
    }

    private func check(_ text: String, suppressesPoliteness expected: Bool, file: StaticString = #filePath, line: UInt = #line) {
        let findings = analyzeDocument(AnalysisInput(text: text)).findings
        XCTAssertEqual(!findings.contains { $0.ruleID == "politeness" }, expected, text, file: file, line: line)
    }
}

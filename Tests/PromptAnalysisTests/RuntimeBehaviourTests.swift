import Foundation
import PromptSyntax
import PromptText
import XCTest

@testable import PromptAnalysis

/// What Dotprompt and Genkit do at run time, as data: `Tests/Fixtures/runtime/*.txt` (format in the
/// file's header). Each case is analysed with its `.tokenmin.yml` and the bundled catalog, and its
/// findings must be exactly the expected ones, in order.
final class RuntimeBehaviourTests: XCTestCase {
    struct Case {
        var title: String
        var config = ""
        var prompt = ""
        var expected: [(severity: String, rule: String, contains: String?)] = []
        var line: Int
    }

    static func cases(in text: String) -> [Case] {
        var cases: [Case] = []
        var section = ""
        var lines: [String] = []
        func flush() {
            guard !cases.isEmpty else { return }
            let body = lines.joined(separator: "\n")
            switch section {
            case "config": cases[cases.count - 1].config = body + "\n"
            case "prompt": cases[cases.count - 1].prompt = body + "\n"
            case "expect":
                cases[cases.count - 1].expected = lines.filter { !$0.isEmpty }.map { line in
                    let parts = line.components(separatedBy: " ~ ")
                    let head = parts[0].split(separator: " ").map(String.init)
                    return (head.first ?? "", head.count > 1 ? head[1] : "", parts.count > 1 ? parts[1] : nil)
                }
            default: break
            }
            lines = []
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("=== case: ") {
                flush()
                section = ""
                cases.append(Case(title: String(line.dropFirst(10)), line: index + 1))
            } else if line.hasPrefix("--- "), ["--- config", "--- prompt", "--- expect"].contains(line) {
                flush()
                section = String(line.dropFirst(4))
            } else if !section.isEmpty {
                lines.append(String(line))
            }
        }
        flush()
        return cases
    }

    private func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = repositoryRoot.appendingPathComponent("Tests/Fixtures/runtime/\(name).txt")
        let cases = Self.cases(in: try String(contentsOf: url, encoding: .utf8))
        XCTAssertFalse(cases.isEmpty, file: file, line: line)
        for item in cases {
            var configuration = Configuration()
            if !item.config.isEmpty, let root = parseYAML(item.config).root {
                XCTAssertEqual(configuration.apply(settingsValue(root)).map(\.message), [], "\(name).txt:\(item.line) config", file: file, line: line)
            }
            let analysis = analyzeDocument(AnalysisInput(
                text: item.prompt, configuration: configuration, resolveModel: catalogModelResolver(for: configuration)))
            let actual = analysis.findings.map { "\($0.severity) \($0.ruleID): \($0.message)" }
            XCTAssertEqual(analysis.findings.count, item.expected.count,
                           "\(name).txt:\(item.line) \(item.title): \(actual)", file: file, line: line)
            for (finding, expected) in zip(analysis.findings, item.expected) {
                XCTAssertEqual("\(finding.severity) \(finding.ruleID)", "\(expected.severity) \(expected.rule)",
                               "\(name).txt:\(item.line) \(item.title)", file: file, line: line)
                if let text = expected.contains {
                    XCTAssertTrue(finding.message.contains(text), "\(name).txt:\(item.line): “\(finding.message)” lacks “\(text)”",
                                  file: file, line: line)
                }
            }
        }
    }

    func testGenkitRuntime() throws { try check("genkit") }

    /// A thinking budget is billed as output: no cap means the default answer plus the budget.
    func testThinkingBudgetIsExpectedOutput() {
        let text = "---\nmodel: googleai/gemini-2.5-flash\nconfig:\n  thinkingConfig:\n    thinkingBudget: 1024\n---\nSummarize.\n"
        let analysis = analyzeDocument(AnalysisInput(text: text, resolveModel: catalogModelResolver(for: Configuration())))
        XCTAssertEqual(analysis.cost.outputTokens, 500 + 1024)
        let fix = analysis.findings.first { $0.ruleID == "missing-output-cap" }?.fixes.first
        XCTAssertEqual(fix?.title, "Add config.maxOutputTokens: 1524")
    }

    /// A static partial is part of the cacheable prefix wherever it is included; a partial that renders
    /// an expression ends the prefix as an input does. `cache-unfriendly` counts a static partial after
    /// the first input as static text.
    func testStaticPartialsInTheCachedPrefix() {
        let policy = String(repeating: "Refunds are issued within 14 days of purchase to the original payment method. ", count: 80)
        let rows: [(text: String, partial: String, prefix: String, includesPartial: Bool, cacheUnfriendly: Bool)] = [
            ("Intro.\n{{> policy}}\nCustomer: {{customer}}\n", policy, "Intro.\n\nCustomer: ", true, false),
            ("Intro.\n{{> policy}}\nCustomer: {{customer}}\n", "Dear {{customer}}, " + policy, "Intro.\n", false, false),
            ("Customer: {{customer}}\n{{> policy}}\n", policy, "Customer: ", false, true),
            ("Customer: {{customer}}\n{{> policy}}\n", "{{#if vip}}VIP. {{/if}}" + policy, "Customer: ", false, false),
        ]
        for row in rows {
            let analysis = analyzeDocument(AnalysisInput(
                text: row.text, resolveModel: catalogModelResolver(for: Configuration()),
                resolvePartial: { name, _ in name == "policy" ? .found(path: "/w/_policy.prompt", text: row.partial) : .missing(searched: []) }))
            let partialTokens = analysis.partials.first?.tokens ?? 0
            XCTAssertEqual(analysis.staticPrefixTokens, analysis.countTokens(row.prefix) + (row.includesPartial ? partialTokens : 0), row.text)
            XCTAssertEqual(analysis.findings.contains { $0.ruleID == "cache-unfriendly" }, row.cacheUnfriendly, row.text + row.partial.prefix(30))
        }
    }

    /// A partial that switches roles opens messages of its own, as `render` shows them: `count` files its
    /// system text under system and the text after the inclusion under the role it leaves open.
    func testPartialRoleMarkersOpenMessages() {
        let partial = "{{role \"system\"}}\nYou should speak like a pirate.\n{{role \"user\"}}"
        let text = "---\nmodel: openai/gpt-4o\nconfig: {maxOutputTokens: 100}\n---\n{{>style}}\n\nTell me a story about {{subject}}.\n"
        let analysis = analyzeDocument(AnalysisInput(
            text: text, resolveModel: catalogModelResolver(for: Configuration()),
            resolvePartial: { name, _ in name == "style" ? .found(path: "/w/_style.prompt", text: partial) : .missing(searched: []) }))
        XCTAssertEqual(analysis.messages.map(\.message.role), ["system", "user"])
        let encoding = analysis.countTokens
        XCTAssertEqual(analysis.messages[0].tokens, encoding("\nYou should speak like a pirate.\n"))
        XCTAssertEqual(analysis.messages[1].tokens, encoding("\n\nTell me a story about ") + encoding("."))
        XCTAssertEqual(analysis.messages[1].unresolvedVariables, ["subject"])
    }
}

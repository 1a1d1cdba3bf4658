import PromptText
import XCTest

@testable import PromptAnalysis

final class SecurityRulesTests: XCTestCase {
    func testSecretInPrompt() {
        let key = "sk-proj-" + FakeKey.random(64, from: FakeKey.base64URL, seed: "rule")
        let text = "Call the tool with ⟦\(key)⟧ as the key.\n{{! old key: ⟦\(key)⟧ }}"
        checkRule(SecretInPrompt.rule, text)
        let context = RuleContext(text: MarkedFixture(text).text, prose: [], countTokens: wordTokenCount)
        for finding in SecretInPrompt.rule.check(context) {
            XCTAssertFalse(finding.message.contains(String(key.dropFirst(8).prefix(5))), "the message must not echo the secret")
            XCTAssertEqual(finding.fixes.first?.edits.first?.newText, "{{openaiApiKey}}")
            XCTAssertEqual(finding.severity, .error)
        }
        checkRule(SecretInPrompt.rule, "Set OPENAI_API_KEY=sk-... or YOUR_API_KEY before running; the key is {{apiKey}}.")
    }

    func testPIIInPrompt() {
        checkRule(PIIInPrompt.rule, "Example: the customer ⟦jane.doe@gmail.com⟧ wrote in.")
        checkRule(PIIInPrompt.rule, "Write to support@example.com or the order #4111111111111112.")
    }

    func testProseFormat() {
        checkRule(ProseFormat.rule, "Classify the ticket.\n⟦Respond in JSON with the keys \"category\" and \"confidence\".⟧")
        checkRule(ProseFormat.rule, "The user will send JSON with the keys \"a\" and \"b\". Summarize it.")
    }
}

final class InjectionRulesTests: XCTestCase {
    /// Builds pieces from a tiny template: `{{name}}` is a variable, `@role` at a line start switches
    /// the role; everything else is text.
    private func pieces(_ text: String) -> [TemplatePiece] {
        var result: [TemplatePiece] = []
        var role = "user"
        var message = 0
        var offset = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("@") {
                role = String(line.dropFirst())
                message += 1
                result.append(TemplatePiece(.other, range: UTF8Range(start: offset, end: offset + line.utf8.count), role: role, messageIndex: message))
            } else {
                var cursor = line.startIndex
                while let open = line[cursor...].range(of: "{{"), let close = line[open.upperBound...].range(of: "}}") {
                    let textRange = UTF8Range(start: offset + line.utf8.distance(from: line.startIndex, to: cursor), end: offset + line.utf8.distance(from: line.startIndex, to: open.lowerBound))
                    if !textRange.isEmpty { result.append(TemplatePiece(.text(String(line[cursor..<open.lowerBound])), range: textRange, role: role, messageIndex: message)) }
                    let name = String(line[open.upperBound..<close.lowerBound])
                    result.append(TemplatePiece(.variable(name: name, raw: false), range: UTF8Range(start: offset + line.utf8.distance(from: line.startIndex, to: open.lowerBound), end: offset + line.utf8.distance(from: line.startIndex, to: close.upperBound)), role: role, messageIndex: message))
                    cursor = close.upperBound
                }
                let rest = String(line[cursor...]) + "\n"
                result.append(TemplatePiece(.text(rest), range: UTF8Range(start: offset + line.utf8.distance(from: line.startIndex, to: cursor), end: offset + line.utf8.count + 1), role: role, messageIndex: message))
            }
            offset += line.utf8.count + 1
        }
        return result
    }

    private func check(_ rule: Rule, _ marked: String, freeText: Set<String> = ["question"], trusted: [String] = [],
                       file: StaticString = #filePath, line: UInt = #line) {
        let fixture = MarkedFixture(marked)
        var options = RuleOptions()
        options.trustedVariables = trusted
        let context = RuleContext(text: fixture.text, prose: [], countTokens: wordTokenCount, options: options,
                                  pieces: pieces(fixture.text), freeTextVariables: freeText)
        XCTAssertEqual(rule.check(context).map(\.range), fixture.expectedRanges, file: file, line: line)
    }

    func testUntrustedInputInSystem() {
        check(UntrustedInputInSystem.rule, "@system\nYou answer about ⟦{{question}}⟧.\n@user\n{{question}}")
        // Identifiers the application controls (not user content) are not reported.
        check(UntrustedInputInSystem.rule, "@system\nYou answer questions about {{product}}.\n@user\n{{question}}")
        check(UntrustedInputInSystem.rule, "@system\nYou answer in {{locale}}.\n@user\n{{question}}", trusted: ["locale"])
    }

    func testUnfencedInput() {
        check(UnfencedInputRule.rule, "@user\nQuestion: ⟦{{question}}⟧\nAnswer in one sentence.")
        check(UnfencedInputRule.rule, "@user\n<question>\n{{question}}\n</question>\nAnswer in one sentence.")
        check(UnfencedInputRule.rule, "@user\nAnswer in one sentence.\n{{question}}")
    }
}

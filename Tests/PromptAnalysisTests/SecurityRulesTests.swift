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

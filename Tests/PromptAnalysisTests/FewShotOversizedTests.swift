import PromptText
import XCTest

@testable import PromptAnalysis

final class FewShotOversizedTests: XCTestCase {
    /// Runs the rule over `segments` and checks the number of examples counted and the message.
    private func check(
        _ segments: [ProseSegment], reasoning: Bool = false, fires message: String?, removes: Int = 0,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let context = RuleContext(prose: segments, countTokens: wordTokenCount, isReasoningModel: reasoning)
        let findings = FewShotOversized.rule.check(context)
        XCTAssertEqual(findings.first?.message, message, file: file, line: line)
        XCTAssertEqual(findings.first?.fixes.first?.edits.count ?? 0, removes, file: file, line: line)
        XCTAssertFalse(findings.first?.fixes.first?.isSafe ?? false, "trimming examples is never automatic", file: file, line: line)
    }

    private func tagged(_ count: Int) -> [ProseSegment] {
        let body = "Label the sentiment.\n" + (1...count).map { "<example>Review \($0): fine. Label: positive</example>\n" }.joined()
            + "Now label the review below, using the same labels as the examples above and nothing else at all. "
            + "Reviews can be sarcastic; when the praise is ironic, label the review by what the customer means."
        return [ProseSegment(text: body, utf8Start: 0, role: "system")]
    }

    func testTaggedExamples() {
        check(tagged(7), fires: "7 few-shot examples (the limit is 5): the 2 beyond the limit cost 14 tokens per call", removes: 2)
        check(tagged(5), fires: nil)
        check(tagged(2), reasoning: true, fires: "2 few-shot examples (reasoning models work best zero-shot): the 2 beyond the limit cost 14 tokens per call", removes: 2)
        // One example shows the format: never too many, even on a reasoning model.
        check(tagged(1), reasoning: true, fires: nil)
    }

    /// Labelled records inside `<example>` tags are the same examples, counted once: never a record
    /// across two tags (`Sentiment: positive</example>` + `<example>Review: …`).
    func testLabelledRecordsInsideTagsAreCountedOnce() {
        for count in [3, 6] {
            let body = "Label the sentiment of the review.\n"
                + (1...count).map { "<example>Review: review \($0)\nSentiment: \($0 % 2 == 0 ? "negative" : "positive")</example>\n" }.joined()
                + "Review: "
            let examples = FewShotOversized.collectExamples([ProseSegment(text: body, utf8Start: 0)])
            XCTAssertEqual(examples.map(\.text), (1...count).map { "<example>Review: review \($0)\nSentiment: \($0 % 2 == 0 ? "negative" : "positive")</example>\n" })
        }
    }

    func testTurnPairs() {
        var segments = [ProseSegment(text: "Classify the intent of the message as one of the labels shown.\n", utf8Start: 0, role: "system", messageIndex: 0)]
        var offset = segments[0].text.utf8.count
        for pair in 0..<6 {
            for (role, text) in [("user", "message \(pair)\n"), ("model", "intent \(pair)\n")] {
                segments.append(ProseSegment(text: text, utf8Start: offset, role: role, messageIndex: segments.count, isExample: true))
                offset += text.utf8.count
            }
        }
        check(segments, fires: "6 few-shot examples (the limit is 5): the 1 beyond the limit cost 4 tokens per call", removes: 1)
    }

    func testHeadingsAndShare() {
        let text = "Answer.\n\nExample 1: the quick brown fox jumps over it\n\nExample 2: the lazy dog sleeps under the big table\n\nGo."
        check([ProseSegment(text: text, utf8Start: 0)], fires: "Few-shot examples are 90% of the prompt's tokens (limit 60%): check that each one earns its place")
    }
}

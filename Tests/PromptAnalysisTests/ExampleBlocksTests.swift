import PromptText
import XCTest

@testable import PromptAnalysis

/// `exampleBlocks(in:)`: marked fixtures, `⟦…⟧` around each expected range.
final class ExampleBlocksTests: XCTestCase {
    private func check(regions marked: String, file: StaticString = #filePath, line: UInt = #line) {
        let fixture = MarkedFixture(marked)
        let found = exampleBlocks(in: Array(fixture.text.utf8)).regions.map { UTF8Range(start: $0.lowerBound, end: $0.upperBound) }
        XCTAssertEqual(found.map(fixture.substring), fixture.expectedRanges.map(fixture.substring), file: file, line: line)
    }

    private func check(records marked: String, file: StaticString = #filePath, line: UInt = #line) {
        let fixture = MarkedFixture(marked)
        let found = exampleBlocks(in: Array(fixture.text.utf8)).records.map { UTF8Range(start: $0.lowerBound, end: $0.upperBound) }
        XCTAssertEqual(found.map(fixture.substring), fixture.expectedRanges.map(fixture.substring), file: file, line: line)
    }

    func testLabelledRecords() {
        check(regions: "Classify.\n⟦Q: one?\nA: 1\nQ: two?\nA: 2⟧\n\nAnswer the next one.\n")
        // Labels on their own line with the content below; a blank line separates records.
        check(regions: "Judge it.\n\n⟦Input:\nWhat is up?\nOutput:\n{\"ok\": true}⟧\n\n⟦Input:\nHi\nOutput:\n{\"ok\": false}⟧\n\nNow judge.\n")
        // Any labels that repeat together, list markers and bold labels included.
        check(regions: "⟦- **Review:** cold soup\n- **Sentiment:** negative\n- **Review:** great\n- **Sentiment:** positive⟧\n")
        // Instruction labels and single fields are not records.
        check(regions: "Rule: be brief.\nRule: be kind.\nName: the customer's name\n")
        check(regions: "Note: prices are in EUR.\nNote: taxes are included.\n")
    }

    func testRecordsAndTheQuery() {
        // Each record starts where the first label recurs; the last record, whose answer is left empty
        // at the end of the text (a variable follows), is the query.
        check(records: "Translate.\n⟦Q: hello\nA: bonjour⟧\n⟦Q: thanks\nA: merci⟧\nQ: ")
        check(records: "⟦Input: 1\nOutput: one⟧\n\n⟦Input: 2\nOutput: two⟧\n\nInput:\n")
    }

    func testExampleSectionsAndLists() {
        check(regions: "Write haiku.\n### Example 1\n⟦Topic: rain\nHaiku: soft rain⟧\n### Task\nWrite one.\n")
        // The last section ends where an instruction paragraph starts.
        check(regions: "## Example 2\n⟦Context: plants\nAnswer: {}⟧\n\nNow provide your analysis.\n")
        // The introduction is part of the examples; blocks of the same shape continue them.
        check(regions: "Be kind.\n⟦Here are some examples of bad replies:\n- No.\n- Go away.\n\n- Whatever.⟧\n\nWrite a reply.\n")
        check(regions: "⟦Here is an example of an output that is a funny joke:\n\nOutput: pun\nResponse: FUNNY⟧\n")
        // A colon line that names no example is not an introduction.
        check(regions: "Follow these rules:\n- be brief\n- be kind\n")
    }
}

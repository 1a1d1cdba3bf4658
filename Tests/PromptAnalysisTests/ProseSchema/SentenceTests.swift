import Foundation
import PromptText
import XCTest

@testable import PromptAnalysis

/// Sentence segmentation: each fixture lists the expected sentences as `kind: text` lines.
final class SentenceTests: XCTestCase {
    private func check(
        _ text: String, _ expected: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        let base = 17
        let sentences = instructionSentences(in: text, baseOffset: base)
        let rendered = sentences.map { sentence -> String in
            let kind: String
            switch sentence.kind {
            case .prose: kind = "p"
            case .listItem: kind = "li"
            case .heading: kind = "h"
            case .codeBlock: kind = "code"
            }
            return kind + ": " + sentence.text
        }
        XCTAssertEqual(rendered, expected, file: file, line: line)
        // Ranges point at the text in the document, and contain the content.
        let bytes = Array(text.utf8)
        for sentence in sentences {
            let content = sentence.contentUTF8Range.shifted(by: -base)
            XCTAssertEqual(
                String(decoding: bytes[content.range], as: UTF8.self), sentence.text, file: file, line: line)
            XCTAssertTrue(sentence.utf8Range.contains(sentence.contentUTF8Range), file: file, line: line)
        }
    }

    func testTerminatorsAndAbbreviations() {
        check(
            "Summarize the text. Respond in JSON! Is it spam? Yes.",
            [
                "p: Summarize the text.", "p: Respond in JSON!", "p: Is it spam?", "p: Yes.",
            ])
        check(
            "Use short labels, e.g. \"spam\". The score is 0.75 at most.",
            [
                "p: Use short labels, e.g. \"spam\".", "p: The score is 0.75 at most.",
            ])
        check(
            "Keep it short (max. 5 tags). Use i.e. lowercase.",
            [
                "p: Keep it short (max. 5 tags).", "p: Use i.e. lowercase.",
            ])
        check("Wait... then answer. Done", ["p: Wait... then answer.", "p: Done"])
        check("He said \"Stop. Now.\" and left. Next.", ["p: He said \"Stop. Now.\" and left.", "p: Next."])
        check("Say “Done. Bye.” then stop.", ["p: Say “Done. Bye.” then stop."])
    }

    func testLinesListsAndHeadings() {
        check(
            "# Output format\nRespond in JSON.\n\n- Use snake_case.\n* Keep keys short\n1. First\n2) Second",
            [
                "h: Output format", "p: Respond in JSON.", "li: Use snake_case.", "li: Keep keys short",
                "li: First",
                "li: Second",
            ])
        // Hard-wrapped prose continues; a capitalised line or a line after a colon starts anew.
        check(
            "Return your answer in\nJSON format.\nUse these fields:\nname and age",
            [
                "p: Return your answer in\nJSON format.", "p: Use these fields:", "p: name and age",
            ])
        check("Respond in JSON\nKeep it short", ["p: Respond in JSON", "p: Keep it short"])
        check(
            "- Output JSON.\n  continued here. Second sentence.",
            [
                "li: Output JSON.", "p: continued here.", "p: Second sentence.",
            ])
    }

    func testBlocksStayWhole() {
        check(
            "Output JSON: {\"title\": \"A. B.\", \"tags\": [\"x\"]}. Then stop.",
            [
                "p: Output JSON: {\"title\": \"A. B.\", \"tags\": [\"x\"]}.", "p: Then stop.",
            ])
        check(
            "Use this format:\n{\n  \"a\": 1.5,\n  \"b\": \"x. y\"\n}\nThanks.",
            [
                "p: Use this format:", "p: {\n  \"a\": 1.5,\n  \"b\": \"x. y\"\n}", "p: Thanks.",
            ])
        check(
            "Answer:\n```json\n{\"ok\": true}\n```\nDone.",
            ["p: Answer:", "code: {\"ok\": true}", "p: Done."])
        check("Hello {{name}}. Bye.", ["p: Hello {{name}}.", "p: Bye."])
        // An unclosed fence or brace is prose.
        check("```\nA. B.", ["p: ```", "p: A.", "p: B."])
        check("Smile :) okay. Next.", ["p: Smile :) okay.", "p: Next."])
    }

    func testCRLFAndUnicode() {
        check(
            "Réponds en JSON.\r\nUse “quotes”. 日本語です。 Next.",
            [
                "p: Réponds en JSON.", "p: Use “quotes”.", "p: 日本語です。 Next.",
            ])
        check("", [])
        check("   \n\n  ", [])
    }

    func testDeletionRanges() {
        func deleting(_ text: String, _ pick: (Sentence) -> Bool) -> String {
            let sentences = instructionSentences(in: text, baseOffset: 5)
            var bytes = Array(text.utf8)
            for range in deletionRanges(
                removing: sentences.filter(pick).map(\.utf8Range), in: text, baseOffset: 5
            )
            .reversed() {
                bytes.removeSubrange(range.shifted(by: -5).range)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        XCTAssertEqual(
            deleting("Do X. Respond in JSON. Do Y.\n") { $0.text.contains("JSON") }, "Do X. Do Y.\n")
        XCTAssertEqual(deleting("Do X. Respond in JSON.\nNext") { $0.text.contains("JSON") }, "Do X.\nNext")
        XCTAssertEqual(
            deleting("Do X.\n  - Respond in JSON.\nNext") { $0.text.contains("JSON") }, "Do X.\nNext")
        XCTAssertEqual(deleting("A.\r\nRespond in JSON.\r\nB.") { $0.text.contains("JSON") }, "A.\r\nB.")
        XCTAssertEqual(
            deleting("Use this:\n```json\n{\"a\": 1}\n```\nEnd.") {
                $0.kind == .codeBlock || $0.text == "Use this:"
            },
            "End.")
        XCTAssertEqual(deleting("Respond in JSON.") { _ in true }, "")
    }
}

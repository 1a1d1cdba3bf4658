import Foundation
import PromptText
import XCTest

@testable import PromptAnalysis

final class InjectionChecksTests: XCTestCase {
    /// Splits a template body into pieces the way the rule layer will from the syntax tree: text,
    /// `{{name}}` / `{{{name}}}` variables, and everything else (`{{#…}}`, `{{/…}}`, `{{!…}}`, `{{>…}}`)
    /// as `other`. `{{role "x"}}` starts a new message with role x; the first message is `user`, as in
    /// Dotprompt.
    private func pieces(_ template: String) -> [TemplatePiece] {
        let bytes = Array(template.utf8)
        var result: [TemplatePiece] = []
        var role = "user"
        var message = 0
        var index = 0
        var textStart = 0
        func flushText(until end: Int) {
            if end > textStart {
                let text = String(decoding: bytes[textStart..<end], as: UTF8.self)
                result.append(
                    TemplatePiece(
                        .text(text), range: UTF8Range(start: textStart, end: end), role: role,
                        messageIndex: message))
            }
        }
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "{") else {
                index += 1
                continue
            }
            flushText(until: index)
            let raw = index + 2 < bytes.count && bytes[index + 2] == UInt8(ascii: "{")
            let close = raw ? "}}}" : "}}"
            let rest = String(decoding: bytes[index...], as: UTF8.self)
            let closeRange = rest.range(of: close)!
            let end = index + rest.utf8.distance(from: rest.startIndex, to: closeRange.upperBound)
            let inner = String(
                rest[rest.index(rest.startIndex, offsetBy: raw ? 3 : 2)..<closeRange.lowerBound]
            )
            .trimmingCharacters(in: .whitespaces)
            let range = UTF8Range(start: index, end: end)
            if inner.hasPrefix("role ") {
                role = inner.dropFirst(5).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
                message += 1
                result.append(TemplatePiece(.other, range: range, role: role, messageIndex: message))
            } else if let first = inner.first, "#/!>^".contains(first) || inner.contains(" ") {
                result.append(TemplatePiece(.other, range: range, role: role, messageIndex: message))
            } else {
                result.append(
                    TemplatePiece(
                        .variable(name: inner, raw: raw), range: range, role: role, messageIndex: message))
            }
            index = end
            textStart = end
        }
        flushText(until: bytes.count)
        return result
    }

    private func checkSystem(
        _ marked: String, trusted: Set<String> = [], file: StaticString = #filePath, line: UInt = #line
    ) {
        let fixture = MarkedFixture(marked)
        let found = findUntrustedInputInSystem(pieces: pieces(fixture.text), trustedVariables: trusted)
        XCTAssertEqual(found, fixture.expectedRanges, fixture.text.debugDescription, file: file, line: line)
    }

    /// Expects the marked variables to be reported, and applying all fixes to give `fixed` (when given).
    private func checkUnfenced(
        _ marked: String, freeText: Set<String>, fixed: String? = nil, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let fixture = MarkedFixture(marked)
        let found = findUnfencedInputs(pieces: pieces(fixture.text), freeTextVariables: freeText)
        XCTAssertEqual(
            found.map(\.range), fixture.expectedRanges, fixture.text.debugDescription, file: file, line: line)
        guard let fixed else { return }
        var bytes = Array(fixture.text.utf8)
        for edit in found.flatMap(\.edits).reversed() {
            bytes.replaceSubrange(edit.range.range, with: Array(edit.replacement.utf8))
        }
        let result = String(decoding: bytes, as: UTF8.self)
        XCTAssertEqual(result, fixed, file: file, line: line)
        // The fix is idempotent: once applied, nothing is reported.
        let again = findUnfencedInputs(pieces: pieces(result), freeTextVariables: freeText)
        XCTAssertEqual(again, [], "after the fix: \(result.debugDescription)", file: file, line: line)
    }

    func testUntrustedInputInSystemMessages() {
        checkSystem(
            #"{{role "system"}}You are a support agent for ⟦{{company}}⟧. {{role "user"}}{{question}}"#)
        checkSystem(
            #"{{role "system"}}Tone: {{config.tone}}. Reply to ⟦{{{userBio}}}⟧."#, trusted: ["config"])
        checkSystem(#"{{role "SYSTEM"}}Answer in ⟦{{language}}⟧, item {{@index}}, root {{@root.x}}."#)
        // `this` comes from the enclosing block, which the rule resolves; user messages are fine.
        checkSystem(#"{{role "system"}}{{#each rules}}- {{this}}{{/each}}{{role "user"}}{{question}}"#)
        checkSystem(#"{{role "system"}}Be brief.{{role "user"}}{{question}}"#)
        checkSystem("No roles at all: {{question}}")
        checkSystem(#"{{role "system"}}Hi ⟦{{a.b}}⟧"#, trusted: ["a.c"])
    }

    func testUnfencedInputs() {
        checkUnfenced(
            "Summarize ⟦{{document}}⟧ in three bullet points.", freeText: ["document"],
            fixed: "Summarize <document>\n{{document}}\n</document> in three bullet points.")
        checkUnfenced(
            "Review:\n⟦{{{user.review}}}⟧\nClassify the sentiment.", freeText: ["user"],
            fixed: "Review:\n<user_review>\n{{{user.review}}}\n</user_review>\nClassify the sentiment.")
        // Nothing but whitespace or punctuation after it: no instructions to override.
        checkUnfenced("Classify the sentiment of this review:\n{{review}}\n", freeText: ["review"])
        checkUnfenced("Translate to French: {{text}}.", freeText: ["text"])
        // Not a free-text variable.
        checkUnfenced("Answer in {{language}} only.", freeText: ["text"])
        // Another message follows, not instructions in this one.
        checkUnfenced(#"{{role "user"}}{{question}}{{role "model"}}Sure."#, freeText: ["question"])
        // Two in one message: each is reported.
        checkUnfenced(
            "Compare ⟦{{a}}⟧ with ⟦{{b}}⟧ and explain.", freeText: ["a", "b"],
            fixed: "Compare <a>\n{{a}}\n</a> with <b>\n{{b}}\n</b> and explain.")
    }

    func testDelimitedInputsAreFine() {
        let delimited = [
            "<document>\n{{document}}\n</document>\nSummarize it.",
            "<document>{{document}}</document> Summarize it.",
            "<doc id=\"1\">\n{{title}}\n{{document}}\n</doc>\nSummarize it.",
            "<outer><inner>{{document}}</inner></outer> Summarize it.",
            "Text:\n\"\"\"\n{{document}}\n\"\"\"\nSummarize it.",
            "Text: '''{{document}}''' Summarize it.",
            "```\n{{document}}\n```\nSummarize it.",
            "~~~text\n{{document}}\n~~~\nSummarize it.",
            "The user said \"{{document}}\"; answer politely.",
            "The user said “{{document}}”; answer politely.",
            "The user said «{{document}}»; answer politely.",
            "Quote: `{{document}}` then answer.",
            "{{! comment }}<doc>{{#if document}}{{document}}{{/if}}</doc> Summarize it.",
        ]
        for text in delimited { checkUnfenced(text, freeText: ["document", "title"]) }
    }

    func testHalfFencesAndNonTagsDoNotCount() {
        checkUnfenced("<document>\n⟦{{document}}⟧\nSummarize it.", freeText: ["document"])
        checkUnfenced("</document> ⟦{{document}}⟧ Summarize it, <b>now</b>.", freeText: ["document"])
        checkUnfenced("If a < b then ⟦{{document}}⟧ matters > c.", freeText: ["document"])
        checkUnfenced("\"\"\"\nold\n\"\"\"\n⟦{{document}}⟧ \"\"\" Summarize.", freeText: ["document"])
        checkUnfenced("\"⟦{{document}}⟧ Summarize.\"", freeText: ["document"])
        checkUnfenced("<br/>⟦{{document}}⟧ Summarize it. </br>", freeText: ["document"])
    }

    func testTagNames() {
        let cases: [(String, String)] = [
            ("document", "document"), ("user.question", "user_question"), ("@root.user.bio", "user_bio"),
            ("this.text", "text"), ("items[0]", "items_0"), ("2nd", "input_2nd"),
            ("xmlBody", "input_xmlBody"),
            ("ñame", "ame"), ("@", "input"), ("user-input", "user-input"), ("a..b", "a_b"),
        ]
        for (variable, expected) in cases { XCTAssertEqual(fenceTagName(for: variable), expected, variable) }
    }

    func testRangesAreByteOffsetsWithUnicodeAround() {
        checkSystem(#"{{role "system"}}Réponds en 日本語 à ⟦{{client}}⟧ 👋"#)
        checkUnfenced(
            "Résume ⟦{{texte}}⟧ en 3 points — merci 🙏", freeText: ["texte"],
            fixed: "Résume <texte>\n{{texte}}\n</texte> en 3 points — merci 🙏")
    }
}

import Foundation
import PromptText

/// `dev-note`: notes meant for developers left in prompt text (TODO, FIXME, "update this when…"). The
/// model reads them, and they are billed; a `{{! comment }}` costs zero tokens.
enum DevNote {
    static let descriptor = RuleDescriptor(
        id: "dev-note", category: .waste, defaultSeverity: .warning,
        summary: "Developer notes (TODO, FIXME, “update this when…”) sent to the model.",
        explanation: """
            Prompt text is sent to the model verbatim, so a note for the next developer is paid for on \
            every call and may confuse the model. Handlebars comments (`{{! … }}`) are stripped before \
            the prompt is sent and cost nothing. The fix turns the note's line into a comment.
            """,
        example: ("TODO: tune this for the EU launch\nSummarize the ticket.", "{{! TODO: tune this for the EU launch }}\nSummarize the ticket."))

    /// Markers matched case-sensitively as whole words: they are conventions in upper case.
    static let markers = ["TODO", "FIXME", "XXX", "HACK", "NOTE TO SELF"]
    /// Phrases matched case-insensitively at the start of a line.
    static let lineStarts = PhraseMatcher([
        "note to self", "update this (when|once|after|before)", "remove this (when|once|after|before)",
        "remove before (launch|release|shipping|prod|production)", "internal note", "dev note", "developer note",
    ])

    static let rule = Rule(descriptor, isLocal: true) { context in
        var findings: [Finding] = []
        for segment in context.prose where !segment.isExample {
            let bytes = Array(segment.text.utf8)
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                if let markerStart = noteStart(bytes, lineStart, lineEnd) {
                    findings.append(finding(segment, bytes: bytes, noteStart: markerStart, lineStart: lineStart,
                                            lineEnd: lineEnd, context: context))
                }
                lineStart = lineEnd + 1
            }
        }
        return findings
    }

    /// Where a developer note starts on a line, if the line has one.
    private static func noteStart(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int? {
        let line = String(decoding: bytes[start..<end], as: UTF8.self)
        for marker in markers {
            var search = line.startIndex
            while let found = line.range(of: marker, range: search..<line.endIndex) {
                let before = found.lowerBound == line.startIndex ? nil : line[line.index(before: found.lowerBound)]
                let after = found.upperBound == line.endIndex ? nil : line[found.upperBound]
                if !(before?.isLetter ?? false) && !(before?.isNumber ?? false)
                    && !(after?.isLetter ?? false) && !(after?.isNumber ?? false)
                {
                    return start + line.utf8.distance(from: line.startIndex, to: found.lowerBound)
                }
                search = found.upperBound
            }
        }
        let words = scanWords(line, baseOffset: start)
        if let first = words.first,
           let match = lineStarts.matches(in: words, text: line, baseOffset: start).first, match.firstWord == 0
        {
            return first.range.start
        }
        return nil
    }

    private static func finding(
        _ segment: ProseSegment, bytes: [UInt8], noteStart: Int, lineStart: Int, lineEnd: Int, context: RuleContext
    ) -> Finding {
        var contentEnd = lineEnd
        if contentEnd > lineStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        while contentEnd > noteStart, bytes[contentEnd - 1] == 0x20 || bytes[contentEnd - 1] == 0x09 { contentEnd -= 1 }
        let note = String(decoding: bytes[noteStart..<contentEnd], as: UTF8.self)
        let range = UTF8Range(start: segment.utf8Start + noteStart, end: segment.utf8Start + contentEnd)
        // A comment containing `}}` must use the long form, which ends only at `--}}`.
        let comment = note.contains("}}") ? "{{!-- \(note.replacingOccurrences(of: "--}}", with: "-- }}")) --}}" : "{{! \(note) }}"
        let edits = [TextEdit(range: range, newText: comment)]
        let saved = context.countTokens(note)
        return Finding(
            ruleID: descriptor.id, severity: descriptor.defaultSeverity,
            message: "Developer note sent to the model; a {{! comment }} costs nothing",
            range: range, fixes: [Fix(title: "Turn the note into a {{! comment }}", edits: edits, isSafe: true)],
            tokenSavings: saved)
    }
}

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

    /// Markers as bytes (searched on every line of prose).
    private static let markerBytes = markers.map { Array($0.utf8) }

    /// Where a developer note starts on a line, if the line has one.
    private static func noteStart(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int? {
        for marker in markerBytes {
            var index = start
            while index + marker.count <= end {
                defer { index += 1 }
                guard bytes[index] == marker[0], bytes[index..<(index + marker.count)].elementsEqual(marker) else { continue }
                let before = index == start ? nil : scalar(endingAt: index, in: bytes)
                let after = index + marker.count == end ? nil : scalar(startingAt: index + marker.count, in: bytes)
                if !(before.map(isLetterOrNumber) ?? false) && !(after.map(isLetterOrNumber) ?? false) { return index }
            }
        }
        let line = String(decoding: bytes[start..<end], as: UTF8.self)
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

    /// Letters, numbers, and combining marks (a mark belongs to the letter before it): a marker next to
    /// one is part of a longer word ("TODOs", "HACKATHON").
    private static func isLetterOrNumber(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default: return scalar.properties.numericType != nil
        }
    }

    /// The scalar whose UTF-8 ends just before `index`.
    private static func scalar(endingAt index: Int, in bytes: [UInt8]) -> Unicode.Scalar? {
        var start = index - 1
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(startingAt: start, in: bytes)
    }

    /// The scalar whose UTF-8 starts at `index`.
    private static func scalar(startingAt index: Int, in bytes: [UInt8]) -> Unicode.Scalar? {
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self).unicodeScalars.first
    }
}

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
        example: RuleExample(flagged: "TODO: tune this for the EU launch\nSummarize the ticket.\n", fixed: "{{! TODO: tune this for the EU launch }}\nSummarize the ticket.\n"))

    /// Markers matched case-sensitively as whole words: they are conventions in upper case.
    static let markers = ["TODO", "FIXME", "XXX", "HACK", "NOTE TO SELF"]
    /// Phrases matched case-insensitively at the start of a line.
    static let lineStarts = PhraseMatcher([
        "note to self", "update this (when|once|after|before)", "remove this (when|once|after|before)",
        "remove before (launch|release|shipping|prod|production)", "internal note", "dev note", "developer note",
        "(do not|don't|never) (remove|delete) this (line|section|paragraph|sentence|block|note|instruction|part)",
        "keep (this|it) in sync with", "temporary (hack|workaround|fix)", "(editor's|editors|editor|maintainer|maintainer's) note",
        "(for|to) (editors|maintainers|developers|devs|reviewers|whoever edits this)", "(added|changed|edited|updated) by @",
    ])

    static let rule = Rule(descriptor, isLocal: true) { context in
        var findings: [Finding] = []
        for segment in context.prose where !segment.isExample {
            let bytes = Array(segment.text.utf8)
            // Quoted text, code and examples are data: a "TODO" in a sample ticket is not a note.
            let quoted = context.quotedRegions(of: segment)
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                let isQuoted = { (offset: Int) in quoted.contains { $0.contains(offset) } }
                if let note = addressedNote(bytes, lineStart, lineEnd), !isQuoted(note.lowerBound) {
                    findings.append(finding(segment, bytes: bytes, note: note, context: context))
                } else if let markerStart = noteStart(bytes, lineStart, lineEnd), !isQuoted(markerStart) {
                    findings.append(finding(segment, bytes: bytes, note: markerStart..<lineEnd, context: context))
                }
                lineStart = lineEnd + 1
            }
        }
        return findings
    }

    /// Markers as bytes (searched on every line of prose).
    private static let markerBytes = markers.map { Array($0.utf8) }
    /// Whether a byte starts some marker.
    private static let markerFirstBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for marker in markerBytes { table[Int(marker[0])] = true }
        return table
    }()

    /// Where a developer note starts on a line, if the line has one.
    private static func noteStart(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int? {
        // The first marker in `markers` order that occurs as a whole word, at its first such place: found
        // in one pass over the line (a pass per marker was a sixth of the rule's time).
        var best: (marker: Int, index: Int)?
        var index = start
        while index < end {
            let byte = bytes[index]
            if markerFirstBytes[Int(byte)] {
                for (number, marker) in markerBytes.enumerated() where marker[0] == byte {
                    if let best, best.marker <= number { break }
                    guard index + marker.count <= end, bytes[index..<(index + marker.count)].elementsEqual(marker) else { continue }
                    let before = index == start ? nil : scalar(endingAt: index, in: bytes)
                    let after = index + marker.count == end ? nil : scalar(startingAt: index + marker.count, in: bytes)
                    if !(before.map(isLetterOrNumber) ?? false) && !(after.map(isLetterOrNumber) ?? false) {
                        best = (number, index)
                        break
                    }
                }
                if best?.marker == 0 { break }
            }
            index += 1
        }
        if let best { return best.index }
        // Only a phrase at the line's start counts: its first words are all that is scanned.
        let line = String(decoding: bytes[start..<end], as: UTF8.self)
        let words = scanWords(line, baseOffset: start, maximumCount: lineStarts.longestPhraseWords)
        if let first = words.first, lineStarts.matchAtStart(of: words, text: line, baseOffset: start) != nil {
            return first.range.start
        }
        return nil
    }

    /// Words that introduce a note ("Note for…", "NB to…", "FYI for…", "Reminder to…").
    private static let noteWords: Set<String> = ["note", "notes", "nb", "fyi", "reminder", "psa", "memo", "heads"]
    /// Who a developer note is addressed to: the people who edit the prompt, not the model or its users.
    private static let addressees: Set<String> = [
        "editor", "editors", "maintainer", "maintainers", "developer", "developers", "dev", "devs", "whoever",
        "self", "myself", "future", "reviewer", "reviewers", "engineer", "engineers", "contributor", "contributors",
        "teammates", "team", "us", "yourself",
    ]

    /// A note addressed to the prompt's editors anywhere on a line: "(Note for whoever edits this next: …)",
    /// "NB for editors: …", "Reminder to self: …". Runs to the closing parenthesis when the note opens
    /// with one, otherwise to the line end.
    private static func addressedNote(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Range<Int>? {
        guard mentionsNoteWord(bytes, start, end) else { return nil }
        let line = String(decoding: bytes[start..<end], as: UTF8.self)
        let words = scanWords(line, baseOffset: start)
        for (index, word) in words.enumerated() where noteWords.contains(word.folded) {
            // "Note to self", "note for whoever edits this", "NB for editors", "heads up for devs".
            let window = words[(index + 1)..<min(words.count, index + 5)].map(\.folded)
            guard window.first.map({ ["to", "for", "up", "self"].contains($0) }) ?? false,
                  window.contains(where: { addressees.contains($0) })
            else { continue }
            if window.first == "to", window.count > 1, window[1] == "the", window.count > 2, window[2] == "model" { continue }
            // A note heads its own text: it opens the line, a sentence or a parenthesis, and a colon or
            // dash follows its address ("Leave a note for the reviewers" is an instruction).
            var before = word.range.start - 1
            while before >= start, bytes[before] == 0x20 || bytes[before] == 0x2A { before -= 1 }
            guard before < start || [0x28, 0x5B, 0x2E, 0x21, 0x3F, 0x2D, 0x3B].contains(bytes[before]) else { continue }
            let lookahead = words.count > index + 6 ? words[index + 6].range.start : end
            guard bytes[word.range.end..<min(end, lookahead)].contains(where: { $0 == 0x3A || $0 == 0x2D }) else { continue }
            var noteStart = word.range.start
            var opener = noteStart - 1
            while opener >= start, bytes[opener] == 0x20 || bytes[opener] == 0x28 || bytes[opener] == 0x5B || bytes[opener] == 0x2A {
                if bytes[opener] == 0x28 || bytes[opener] == 0x5B {
                    noteStart = opener
                    // A parenthetical note ends at its closing parenthesis.
                    let closer: UInt8 = bytes[opener] == 0x28 ? 0x29 : 0x5D
                    var close = word.range.end
                    while close < end, bytes[close] != closer { close += 1 }
                    return noteStart..<min(end, close + 1)
                }
                opener -= 1
            }
            return noteStart..<end
        }
        return nil
    }

    /// Note words' spellings as bytes, for a cheap test before a line's words are scanned.
    private static let noteWordBytes: [[UInt8]] = ["note", "nb", "fyi", "remind", "psa", "memo", "heads"].map { Array($0.utf8) }

    /// Whether a note word occurs in the line at all (case-insensitive, anywhere).
    private static func mentionsNoteWord(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end {
            let byte = bytes[index] | 0x20
            if byte == 0x6E || byte == 0x66 || byte == 0x72 || byte == 0x70 || byte == 0x6D || byte == 0x68 {
                for word in noteWordBytes where word[0] == byte && index + word.count <= end {
                    var matches = true
                    for offset in 1..<word.count where bytes[index + offset] | 0x20 != word[offset] {
                        matches = false
                        break
                    }
                    if matches { return true }
                }
            }
            index += 1
        }
        return false
    }

    private static func finding(
        _ segment: ProseSegment, bytes: [UInt8], note: Range<Int>, context: RuleContext
    ) -> Finding {
        let noteStart = note.lowerBound
        var contentEnd = note.upperBound
        if contentEnd > noteStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        while contentEnd > noteStart, bytes[contentEnd - 1] == 0x20 || bytes[contentEnd - 1] == 0x09 { contentEnd -= 1 }
        var note = String(decoding: bytes[noteStart..<contentEnd], as: UTF8.self)
        var editStart = noteStart
        // A parenthetical note inside a sentence: the comment takes the parentheses and the space before
        // them, so the sentence reads as before without it ("Summarize the ticket (Note for …)." →
        // "Summarize the ticket{{! Note for … }}.").
        if let first = note.first, let last = note.last, (first == "(" && last == ")") || (first == "[" && last == "]") {
            note = String(note.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
            while editStart > 0, bytes[editStart - 1] == 0x20 || bytes[editStart - 1] == 0x09 { editStart -= 1 }
            if editStart > 0, bytes[editStart - 1] == 0x0A { editStart = noteStart }
        }
        let range = UTF8Range(start: segment.utf8Start + noteStart, end: segment.utf8Start + contentEnd)
        let editRange = UTF8Range(start: segment.utf8Start + editStart, end: segment.utf8Start + contentEnd)
        // A comment containing `}}` must use the long form, which ends only at `--}}`.
        let comment = note.contains("}}") ? "{{!-- \(note.replacingOccurrences(of: "--}}", with: "-- }}")) --}}" : "{{! \(note) }}"
        let edits = [TextEdit(range: editRange, newText: comment)]
        let saved = context.countTokens(String(decoding: bytes[editStart..<contentEnd], as: UTF8.self))
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

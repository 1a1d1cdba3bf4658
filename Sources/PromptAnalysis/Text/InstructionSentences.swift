import PromptText

/// A sentence of instruction prose: its range in the document and its instruction words (quoted and
/// example words excluded).
package struct InstructionSentence: Sendable, Hashable {
    package var range: UTF8Range
    package var words: [Word]
    package var role: String
    package var messageIndex: Int
}

/// Splits the instruction prose of `segments` into sentences: at `.`, `!`, `?` followed by whitespace, at
/// line breaks (list items and headings are sentences of their own), and at the end of a segment.
/// Decimal points and abbreviations such as "e.g." do not end sentences because the next character is
/// not whitespace or the next word is lower case after a short abbreviation.
package func instructionSentences(of segments: [ProseSegment]) -> [InstructionSentence] {
    var sentences: [InstructionSentence] = []
    for segment in segments where !segment.isExample {
        let words = instructionWords(of: segment)
        guard !words.isEmpty else { continue }
        let bytes = Array(segment.text.utf8)
        var current: [Word] = []
        var previousEnd = 0
        func flush() {
            guard let first = current.first, let last = current.last else { return }
            sentences.append(
                InstructionSentence(
                    range: UTF8Range(start: first.range.start, end: last.range.end), words: current,
                    role: segment.role, messageIndex: segment.messageIndex))
            current.removeAll()
        }
        for word in words {
            let start = word.range.start - segment.utf8Start
            if !current.isEmpty && endsSentence(bytes[previousEnd..<start], nextWord: word, previous: current.last!) {
                flush()
            }
            current.append(word)
            previousEnd = word.range.end - segment.utf8Start
        }
        flush()
    }
    return sentences
}

private let abbreviations: Set<String> = ["e", "g", "i", "etc", "vs", "eg", "ie", "mr", "mrs", "dr", "no"]

private func endsSentence(_ gap: ArraySlice<UInt8>, nextWord: Word, previous: Word) -> Bool {
    var sawTerminator = false
    for byte in gap {
        switch byte {
        case 0x0A, 0x0D: return true
        case 0x2E, 0x21, 0x3F: sawTerminator = true
        case 0x20, 0x09:
            if sawTerminator && !abbreviations.contains(previous.folded) { return true }
        default: break
        }
    }
    return false
}

import PromptText

/// A sentence of instruction prose: its range in the document and its instruction words (quoted and
/// example words excluded).
package struct InstructionSentence: Sendable, Hashable {
    package var range: UTF8Range
    package var words: [Word]
    package var role: String
    package var messageIndex: Int
}

/// The instruction sentences of `segments`: each segment is split with `instructionSentences(in:)`
/// (prose, list items and headings; code blocks are skipped), and each sentence keeps the instruction
/// words that fall inside it. Sentences made only of quoted text or examples have no words and are
/// dropped.
package func instructionSentences(
    of segments: [ProseSegment], words wordsOf: (ProseSegment) -> [Word] = instructionWords(of:),
    sentences sentencesOf: (ProseSegment) -> [Sentence] = { instructionSentences(in: $0.text, baseOffset: $0.utf8Start) }
) -> [InstructionSentence] {
    var result: [InstructionSentence] = []
    for segment in segments where !segment.isExample {
        let words = wordsOf(segment)
        guard !words.isEmpty else { continue }
        var next = 0
        for sentence in sentencesOf(segment) where sentence.kind != .codeBlock {
            let content = sentence.contentUTF8Range
            while next < words.count, words[next].range.start < content.start { next += 1 }
            var inside: [Word] = []
            while next < words.count, words[next].range.end <= content.end {
                inside.append(words[next])
                next += 1
            }
            guard let first = inside.first, let last = inside.last else { continue }
            result.append(InstructionSentence(
                range: UTF8Range(start: first.range.start, end: last.range.end), words: inside, role: segment.role,
                messageIndex: segment.messageIndex))
        }
    }
    return result
}

import PromptText

/// Edits that remove a phrase from prose and repair what it leaves: the following space, a comma that
/// would dangle, and the capital letter of a sentence it started ("Please summarize" → "Summarize",
/// "Summarize it, please." → "Summarize it."). When nothing but punctuation would remain of the
/// sentence ("Thank you!"), the whole sentence goes, with the whitespace after it.
///
/// `range` is a document range inside `segment`. Returns nil when the removal would leave an ungrammatical
/// fragment that a safe fix should not produce.
package func phraseRemovalEdits(removing range: UTF8Range, in segment: ProseSegment) -> [TextEdit]? {
    // The segment's own storage, not a copy: this runs once per finding, and copying a long segment
    // for each of its findings was quadratic.
    var text = segment.text
    return text.withUTF8 { bytes in phraseRemovalEdits(removing: range, bytes: bytes, base: segment.utf8Start) }
}

private func phraseRemovalEdits(removing range: UTF8Range, bytes: UnsafeBufferPointer<UInt8>, base: Int) -> [TextEdit]? {
    var start = range.start - base
    var end = range.end - base
    guard start >= 0, end <= bytes.count, start < end else { return nil }

    let sentenceStart = isSentenceStart(bytes, at: start)
    // Whitespace and commas after the phrase.
    var after = end
    while after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x09 { after += 1 }
    if after < bytes.count, bytes[after] == 0x2C {
        after += 1
        while after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x09 { after += 1 }
    }
    var atSentenceEnd = after >= bytes.count || [0x2E, 0x21, 0x3F, 0x0A, 0x0D].contains(bytes[after])
    // What would remain of a sentence the phrase opens: a lone word ("Think it through step by step
    // first." → "First.") is no sentence, so the whole sentence goes.
    if sentenceStart && !atSentenceEnd && ![0x2E, 0x21, 0x3F].contains(bytes[end - 1]) {
        var end = after
        var words = 0
        var inWord = false
        while end < bytes.count, ![0x2E, 0x21, 0x3F, 0x0A, 0x0D].contains(bytes[end]) {
            let isLetter = bytes[end] >= 0x80 || (bytes[end] | 0x20) >= 0x61 && (bytes[end] | 0x20) <= 0x7A || (bytes[end] >= 0x30 && bytes[end] <= 0x39)
            if isLetter && !inWord { words += 1 }
            inWord = isLetter
            end += 1
        }
        // Only a sentence that ends inside this text: a segment that stops at a template expression
        // ("Please summarize {{text}} in one sentence.") continues after it, and "summarize" is no lone word.
        if words <= 1, end < bytes.count {
            after = end
            atSentenceEnd = true
        }
    }

    if sentenceStart && atSentenceEnd {
        // The phrase is the whole sentence: remove it with its terminator and the space that follows.
        var stop = after
        while stop < bytes.count, [0x2E, 0x21, 0x3F].contains(bytes[stop]) { stop += 1 }
        while stop < bytes.count, bytes[stop] == 0x20 || bytes[stop] == 0x09 { stop += 1 }
        if stop == bytes.count || bytes[stop] == 0x0A || bytes[stop] == 0x0D {
            if isLineStart(bytes, at: start) {
                // A line of its own: remove the line with its terminator.
                if stop < bytes.count, bytes[stop] == 0x0D { stop += 1 }
                if stop < bytes.count, bytes[stop] == 0x0A { stop += 1 }
            } else {
                // The last sentence of a line: remove the space before it, keep the line break.
                while start > 0, bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09 { start -= 1 }
            }
        }
        return [.delete(UTF8Range(start: base + start, end: base + stop))]
    }
    if atSentenceEnd {
        // "…, please." — remove the phrase with the separator before it.
        while start > 0, bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09 { start -= 1 }
        if start > 0, bytes[start - 1] == 0x2C { start -= 1 }
        end = after
        while end > range.end - base, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x2C {
            end -= 1
        }
        return [.delete(UTF8Range(start: base + start, end: base + end))]
    }
    // Removing a phrase from the middle of a sentence must not strand the word that governs it:
    // "Let me think step by step:" without its verb phrase is "Let me :".
    if !sentenceStart, endsWithGoverningWord(bytes, before: start), !startsVerbPhrase(bytes, at: after) { return nil }
    // Removing a sentence's opening must leave a sentence: "You are an assistant that triages bugs" minus
    // its subject and verb would start with "that". Such removals are not offered.
    if sentenceStart, startsDependentClause(bytes, at: after) { return nil }
    var edits: [TextEdit] = [.delete(UTF8Range(start: base + start, end: base + after))]
    if sentenceStart, let capital = capitalized(bytes, at: after) {
        edits[0] = .delete(UTF8Range(start: base + start, end: base + after))
        edits.append(TextEdit(range: UTF8Range(start: base + after, end: base + after + 1), newText: capital))
    }
    return edits
}

/// Whether only whitespace (or list markers) separates `index` from the start of the text, a line, or
/// the end of the previous sentence.
package func isSentenceStart(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    var position = index
    while position > 0 {
        let byte = bytes[position - 1]
        switch byte {
        case 0x20, 0x09, 0x2A, 0x2D, 0x22, 0x28: position -= 1
        case 0x0A, 0x0D, 0x2E, 0x21, 0x3F, 0x3A: return true
        default: return false
        }
    }
    return true
}

private func isLineStart(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    var position = index
    while position > 0, bytes[position - 1] == 0x20 || bytes[position - 1] == 0x09 { position -= 1 }
    return position == 0 || bytes[position - 1] == 0x0A
}

private func capitalized(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> String? {
    guard index < bytes.count, bytes[index] >= 0x61, bytes[index] <= 0x7A else { return nil }
    return String(Unicode.Scalar(bytes[index] - 0x20))
}

/// Words that cannot open a sentence once its subject is removed: relative pronouns, conjunctions and
/// auxiliaries that need the subject the removal would take away.
private let dependentOpeners: Set<String> = [
    "that", "who", "which", "whose", "whom", "and", "or", "but", "nor", "is", "are", "was", "were", "has", "have",
    "had", "does", "did", "am", "than",
]

/// Whether the (lowercase) word at `index` cannot start a sentence once what precedes it is removed.
private func startsDependentClause(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    var end = index
    while end < bytes.count, (bytes[end] >= 0x61 && bytes[end] <= 0x7A) || bytes[end] == 0x27 { end += 1 }
    guard end > index else { return false }
    let word = String(decoding: bytes[index..<end], as: UTF8.self)
    return dependentOpeners.contains(word)
}

/// Words after which a verb phrase must follow ("let me …", "you should …", "and …").
private let governingWords: Set<String> = [
    "me", "us", "let", "let's", "to", "will", "would", "should", "must", "can", "could", "shall", "may", "might",
    "and", "or", "then", "please", "you", "we", "i", "always", "never", "not",
]

/// Whether the word just before `index` (spaces skipped) needs what follows it.
private func endsWithGoverningWord(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int) -> Bool {
    var end = index
    while end > 0, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
    var start = end
    while start > 0, (bytes[start - 1] | 0x20) >= 0x61 && (bytes[start - 1] | 0x20) <= 0x7A || bytes[start - 1] == 0x27 { start -= 1 }
    guard start < end else { return false }
    let word = String(decoding: bytes[start..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    return governingWords.contains(word)
}

/// Whether text at `index` can complete a governing word: a word that is not a conjunction ("and please
/// be brief" keeps "be brief"); punctuation, a conjunction or the end cannot ("Let me …:" → "Let me :").
private func startsVerbPhrase(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    var end = index
    while end < bytes.count, (bytes[end] | 0x20) >= 0x61 && (bytes[end] | 0x20) <= 0x7A || bytes[end] == 0x27 { end += 1 }
    guard end > index else { return false }
    let word = String(decoding: bytes[index..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    return !["and", "or", "then", "but", "so", "before", "after", "first"].contains(word)
}

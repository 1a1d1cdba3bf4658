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
    let atSentenceEnd = after >= bytes.count || [0x2E, 0x21, 0x3F, 0x0A, 0x0D].contains(bytes[after])

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

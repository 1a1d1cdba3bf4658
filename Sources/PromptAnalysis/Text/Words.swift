import PromptText

/// A word of prose: a run of letters, digits and inner apostrophes, with its range in the document and
/// a case-folded spelling (typographic apostrophes normalised to `'`) for phrase matching.
package struct Word: Sendable, Hashable {
    package var range: UTF8Range
    package var folded: String
}

/// Splits `text` into words. Hyphens, punctuation and whitespace separate words ("step-by-step" is three
/// words); an apostrophe between letters stays inside the word ("don't", "I'd"). Offsets are shifted by
/// `baseOffset` so that ranges refer to the document the text came from.
package func scanWords(_ text: String, baseOffset: Int = 0) -> [Word] {
    var text = text
    return text.withUTF8 { scanWords(UnsafeBufferPointer(rebasing: $0[...]), baseOffset: baseOffset, maximumCount: .max) }
}

/// The first `maximumCount` words of `text` (the same as the first words of `scanWords(text)`; the
/// rest of the text is not scanned).
package func scanWords(_ text: String, baseOffset: Int = 0, maximumCount: Int) -> [Word] {
    var text = text
    return text.withUTF8 { scanWords(UnsafeBufferPointer(rebasing: $0[...]), baseOffset: baseOffset, maximumCount: maximumCount) }
}

/// `scanWords` over valid UTF-8. ASCII words are folded byte by byte; a word with other scalars is
/// folded with `String.lowercased()`.
private func scanWords(_ bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int, maximumCount: Int) -> [Word] {
    var words: [Word] = []
    var current: [UInt8] = []
    var isASCII = true
    var start = 0
    var end = 0
    var pendingApostrophe = false

    func flush() {
        guard !current.isEmpty else { return }
        let spelled = String(decoding: current, as: UTF8.self)
        words.append(Word(range: UTF8Range(start: baseOffset + start, end: baseOffset + end), folded: isASCII ? spelled : spelled.lowercased()))
        current.removeAll(keepingCapacity: true)
        isASCII = true
    }

    var offset = 0
    while offset < bytes.count {
        let lead = bytes[offset]
        let width: Int
        let isWord: Bool
        var isApostrophe = false
        if lead < 0x80 {
            width = 1
            isWord = (lead >= 0x61 && lead <= 0x7A) || (lead >= 0x41 && lead <= 0x5A) || (lead >= 0x30 && lead <= 0x39) || lead == 0x5F
            isApostrophe = lead == 0x27
        } else {
            width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            var value = UInt32(lead) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
            for index in 1..<width where offset + index < bytes.count { value = value << 6 | UInt32(bytes[offset + index] & 0x3F) }
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            isWord = isWordScalar(scalar)
            isApostrophe = scalar == "\u{2019}"
        }
        if isWord {
            if current.isEmpty { start = offset }
            if pendingApostrophe { current.append(0x27) }
            pendingApostrophe = false
            if width == 1 {
                current.append(lead >= 0x41 && lead <= 0x5A ? lead + 0x20 : lead)
            } else {
                isASCII = false
                for index in 0..<width where offset + index < bytes.count { current.append(bytes[offset + index]) }
            }
            end = offset + width
        } else if isApostrophe && !current.isEmpty && !pendingApostrophe {
            pendingApostrophe = true
        } else {
            pendingApostrophe = false
            flush()
            if words.count >= maximumCount { return words }
        }
        offset += width
    }
    flush()
    return words
}

@inline(__always)
private func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII {
        let value = scalar.value
        return (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) || (value >= 0x30 && value <= 0x39)
            || value == 0x5F
    }
    let properties = scalar.properties
    return properties.isAlphabetic || properties.numericType != nil
        || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
}

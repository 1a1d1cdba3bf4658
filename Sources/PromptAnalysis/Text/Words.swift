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
    var words: [Word] = []
    var current: [Unicode.Scalar] = []
    var start = 0
    var end = 0
    var offset = 0
    var pendingApostrophe = false

    func flush() {
        guard !current.isEmpty else { return }
        var folded = ""
        folded.unicodeScalars.append(contentsOf: current)
        words.append(
            Word(range: UTF8Range(start: baseOffset + start, end: baseOffset + end), folded: folded.lowercased()))
        current.removeAll(keepingCapacity: true)
    }

    for scalar in text.unicodeScalars {
        let width = UTF8.width(scalar)
        defer { offset += width }
        if isWordScalar(scalar) {
            if current.isEmpty { start = offset }
            if pendingApostrophe { current.append("'") }
            pendingApostrophe = false
            current.append(scalar)
            end = offset + width
        } else if (scalar == "'" || scalar == "\u{2019}") && !current.isEmpty && !pendingApostrophe {
            pendingApostrophe = true
        } else {
            pendingApostrophe = false
            flush()
        }
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

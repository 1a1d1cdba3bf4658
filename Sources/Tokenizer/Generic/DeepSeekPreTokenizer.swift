/// A hand-written scanner for DeepSeek V3's three `Split` pre-tokenizers (bundled `deepseek_v3`,
/// `deepseek_v4`, and any user `tokenizer.json` that starts with the same three), the fast path
/// for those exact patterns in Oniguruma's dialect; any other pre-tokenizer runs on `SplitRegex`.
///
/// The three stages, each applied to every piece the previous one produced (`Isolated`: matches
/// and the text between them are pieces):
/// 1. `\p{N}{1,3}`: numbers, in chunks of up to three characters from the left;
/// 2. `[一-龥぀-ゟ゠-ヿ]+`: runs of CJK ideographs and kana;
/// 3. `wordPattern` below, on each piece alone (so `(?!\S)` and the runs stop at the piece's end).
///
/// A number chunk is whole after stages 2 and 3 (no number is in the CJK ranges; in stage 3 no
/// alternative matches a number character, so the chunk is one unmatched run), so it is emitted at
/// once. Character classes come from `ScalarCategories` (measured from Oniguruma) and `\s` is
/// `ScalarCategories.isWhiteSpace`, exactly what `SplitRegex` uses; invalid UTF-8 is one byte at a
/// time, outside every class, as there. `Tests/TokenizerTests` checks this scanner against the
/// regex engine on random text; the pytest suite checks both against `tokenizers`.
struct DeepSeekPreTokenizer {
    static let numberPattern = #"\p{N}{1,3}"#
    static let cjkPattern = "[\u{4E00}-\u{9FA5}\u{3040}-\u{309F}\u{30A0}-\u{30FF}]+"
    static let wordPattern =
        "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+"

    /// Whether `steps` begins with the three splits this scanner replaces.
    static func matchesPrefix(of steps: [PreTokenizerStep]) -> Bool {
        guard steps.count >= 3 else { return false }
        for (step, pattern) in zip(steps, [numberPattern, cjkPattern, wordPattern]) {
            guard case .split(let regex, .isolated, false) = step, regex.dialect == .oniguruma, regex.source == pattern
            else { return false }
        }
        return true
    }

    // Character flags.
    private static let letter: UInt16 = 1 << 0
    private static let mark: UInt16 = 1 << 1
    private static let number: UInt16 = 1 << 2
    private static let punctuationOrSymbol: UInt16 = 1 << 3
    private static let whiteSpace: UInt16 = 1 << 4
    /// `\r` or `\n`.
    private static let lineBreak: UInt16 = 1 << 5
    /// In stage 2's ranges.
    private static let cjk: UInt16 = 1 << 6
    /// `[A-Za-z]`.
    private static let asciiLetter: UInt16 = 1 << 7
    /// The first class of the word pattern (every ASCII punctuation character and symbol).
    private static let asciiPunctuation: UInt16 = 1 << 8
    private static let letterOrMark = letter | mark
    /// What `[^\r\n\p{L}\p{P}\p{S}]` excludes.
    private static let notPrefix = lineBreak | letter | punctuationOrSymbol

    /// Flags of each general category number (`ScalarCategories`), index 31 for invalid bytes.
    private static let categoryFlags: [UInt16] = (0..<32).map { number -> UInt16 in
        switch UInt8(number) {
        case ScalarCategories.uppercaseLetter...ScalarCategories.otherLetter: letter
        case ScalarCategories.nonspacingMark...ScalarCategories.enclosingMark: mark
        case ScalarCategories.decimalNumber...ScalarCategories.otherNumber: DeepSeekPreTokenizer.number
        case ScalarCategories.connectorPunctuation...ScalarCategories.otherSymbol: punctuationOrSymbol
        default: 0
        }
    }

    /// Flags of each ASCII character.
    private static let asciiFlags: [UInt16] = (0..<128).map { value -> UInt16 in
        var flags = categoryFlags[Int(ScalarCategories.category(of: UInt32(value)))]
        if ScalarCategories.isWhiteSpace(UInt32(value)) { flags |= whiteSpace }
        if value == 0x0A || value == 0x0D { flags |= lineBreak }
        let byte = UInt8(value)
        if (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") { flags |= asciiLetter }
        if "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".utf8.contains(byte) { flags |= asciiPunctuation }
        return flags
    }

    private let base: UnsafePointer<UInt8>
    private let categories: UnsafePointer<UInt8>
    private let categoryFlags: UnsafePointer<UInt16>
    private let asciiFlags: UnsafePointer<UInt16>

    /// Splits `text` into pieces, in order, as the three stages would.
    static func split(_ text: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let base = text.baseAddress, text.count > 0 else { return }
        ScalarCategories.table.withUnsafeBufferPointer { categories in
            categoryFlags.withUnsafeBufferPointer { categoryFlags in
                asciiFlags.withUnsafeBufferPointer { asciiFlags in
                    let scanner = DeepSeekPreTokenizer(
                        base: base, categories: categories.baseAddress!, categoryFlags: categoryFlags.baseAddress!,
                        asciiFlags: asciiFlags.baseAddress!)
                    scanner.splitNumbersAndCJK(text.count) { range in
                        emit(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
                    }
                }
            }
        }
    }

    /// The flags and UTF-8 length of the character at `i` (`i < end`), decoded within `end` as the
    /// regex engine decodes within the piece it is given.
    @inline(__always) private func flags(at i: Int, _ end: Int) -> (flags: UInt16, length: Int) {
        let lead = base[i]
        if lead < 0x80 { return (asciiFlags[Int(lead)], 1) }
        return multibyteFlags(at: i, end)
    }

    private func multibyteFlags(at i: Int, _ end: Int) -> (flags: UInt16, length: Int) {
        guard let (value, length) = UTF8Sequence.decode(base + i, available: end - i) else { return (categoryFlags[31], 1) }
        var flags = categoryFlags[Int(categories[Int(value)])]
        if ScalarCategories.isWhiteSpace(value) { flags |= DeepSeekPreTokenizer.whiteSpace }
        if (0x4E00...0x9FA5).contains(value) || (0x3040...0x30FF).contains(value) { flags |= DeepSeekPreTokenizer.cjk }
        return (flags, length)
    }

    /// Stages 1 and 2 in one pass: the pieces between number chunks and CJK runs, and the CJK
    /// runs, go to stage 3; number chunks are pieces.
    private func splitNumbersAndCJK(_ count: Int, _ emit: (Range<Int>) -> Void) {
        var segmentStart = 0
        var i = 0
        while i < count {
            let lead = base[i]
            if lead < 0x80 && lead &- 0x30 > 9 {
                // Neither a number nor CJK.
                i += 1
                continue
            }
            let (flags, length) = flags(at: i, count)
            if flags & DeepSeekPreTokenizer.number != 0 {
                // A stage-1 match ends the stage-1 gap (and so any CJK run in it).
                if segmentStart < i { splitWords(segmentStart, i, emit) }
                var end = i + length
                var taken = 1
                while taken < 3 && end < count {
                    let (next, nextLength) = self.flags(at: end, count)
                    guard next & DeepSeekPreTokenizer.number != 0 else { break }
                    end += nextLength
                    taken += 1
                }
                emit(i..<end)
                segmentStart = end
                i = end
            } else if flags & DeepSeekPreTokenizer.cjk != 0 {
                // A stage-2 match within the stage-1 gap: it stops at a number or a non-CJK character.
                if segmentStart < i { splitWords(segmentStart, i, emit) }
                var end = i + length
                while end < count {
                    let (next, nextLength) = self.flags(at: end, count)
                    guard next & DeepSeekPreTokenizer.cjk != 0, next & DeepSeekPreTokenizer.number == 0 else { break }
                    end += nextLength
                }
                splitWords(i, end, emit)
                segmentStart = end
                i = end
            } else {
                i += length
            }
        }
        if segmentStart < count { splitWords(segmentStart, count, emit) }
    }

    /// Stage 3 on the piece `start..<end`: matches and the runs between them.
    private func splitWords(_ start: Int, _ end: Int, _ emit: (Range<Int>) -> Void) {
        var gapStart = start
        var i = start
        while i < end {
            if let matchEnd = match(at: i, end) {
                if gapStart < i { emit(gapStart..<i) }
                emit(i..<matchEnd)
                i = matchEnd
                gapStart = matchEnd
            } else {
                i += flags(at: i, end).length
            }
        }
        if gapStart < end { emit(gapStart..<end) }
    }

    /// The end of the word pattern's match at `i`, or nil; alternatives in order:
    /// A `[punct][A-Za-z]+`, B `[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+`, C ` ?[\p{P}\p{S}]+[\r\n]*`,
    /// D `\s*[\r\n]+`, E `\s+(?!\S)`, F `\s+`.
    @inline(__always) private func match(at i: Int, _ end: Int) -> Int? {
        let (first, firstLength) = flags(at: i, end)
        let next = i + firstLength
        // A: only ever ASCII.
        if first & DeepSeekPreTokenizer.asciiPunctuation != 0 && next < end && base[next] < 0x80
            && asciiFlags[Int(base[next])] & DeepSeekPreTokenizer.asciiLetter != 0
        {
            return asciiLetterRunEnd(from: next + 1, end)
        }
        // B: with the one-character prefix when it is allowed and letters follow, else without.
        if first & DeepSeekPreTokenizer.notPrefix == 0 && next < end
            && flags(at: next, end).flags & DeepSeekPreTokenizer.letterOrMark != 0
        {
            return letterOrMarkRunEnd(from: next, end)
        }
        if first & DeepSeekPreTokenizer.letterOrMark != 0 { return letterOrMarkRunEnd(from: next, end) }
        // C.
        var symbolsStart = -1
        if first & DeepSeekPreTokenizer.punctuationOrSymbol != 0 {
            symbolsStart = i
        } else if base[i] == UInt8(ascii: " ") && next < end
            && flags(at: next, end).flags & DeepSeekPreTokenizer.punctuationOrSymbol != 0
        {
            symbolsStart = next
        }
        if symbolsStart >= 0 {
            var j = runEnd(from: symbolsStart, end, DeepSeekPreTokenizer.punctuationOrSymbol)
            while j < end && (base[j] == 0x0A || base[j] == 0x0D) { j += 1 }
            return j
        }
        guard first & DeepSeekPreTokenizer.whiteSpace != 0 else { return nil }
        // D, E, F over the white-space run.
        var j = i
        var lastStart = i
        var afterLastLineBreak = -1
        while j < end {
            let (flags, length) = flags(at: j, end)
            guard flags & DeepSeekPreTokenizer.whiteSpace != 0 else { break }
            if flags & DeepSeekPreTokenizer.lineBreak != 0 { afterLastLineBreak = j + length }
            lastStart = j
            j += length
        }
        if afterLastLineBreak >= 0 { return afterLastLineBreak }  // D
        if j == end { return j }  // E at the piece's end
        if lastStart > i { return lastStart }  // E, giving back the last character
        return j  // F
    }

    @inline(__always) private func asciiLetterRunEnd(from i: Int, _ end: Int) -> Int {
        var j = i
        while j < end && base[j] < 0x80 && asciiFlags[Int(base[j])] & DeepSeekPreTokenizer.asciiLetter != 0 { j += 1 }
        return j
    }

    @inline(__always) private func letterOrMarkRunEnd(from i: Int, _ end: Int) -> Int {
        var j = asciiLetterRunEnd(from: i, end)
        while j < end {
            let (flags, length) = flags(at: j, end)
            guard flags & DeepSeekPreTokenizer.letterOrMark != 0 else { break }
            j += length
            j = asciiLetterRunEnd(from: j, end)
        }
        return j
    }

    @inline(__always) private func runEnd(from i: Int, _ end: Int, _ mask: UInt16) -> Int {
        var j = i
        while j < end {
            let (flags, length) = flags(at: j, end)
            guard flags & mask != 0 else { break }
            j += length
        }
        return j
    }
}

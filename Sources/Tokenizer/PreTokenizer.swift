/// Splits UTF-8 text into pieces exactly as tiktoken's regex does, one piece at a time.
///
/// Each conformer is a hand-written scanner for one pattern in `tiktoken_ext/openai_public.py`,
/// reproducing fancy-regex semantics: leftmost-first alternation, greedy quantifiers that give back
/// characters on failure, possessive ones that do not, `$` at the end of the text only, and
/// case-insensitive contractions (`(?i)s` also matches U+017F LATIN SMALL LETTER LONG S).
protocol PreTokenizer {
    init(text: UnsafeBufferPointer<UInt8>, classes: UnicodeClassTable)
    /// The end (exclusive UTF-8 offset) of the piece that starts at `start` (`start < count`).
    func pieceEnd(from start: Int) -> Int
}

/// Character access shared by the scanners: UTF-8 decoding with an ASCII fast path and the
/// embedded class table. Invalid UTF-8 (possible only through the byte-buffer API) is read one byte
/// at a time as class `other`, so that every byte still lands in exactly one piece.
struct TextCursor {
    let base: UnsafePointer<UInt8>
    let count: Int
    let classes: UnicodeClassTable
    private let latin1: UnsafePointer<UInt8>

    init(text: UnsafeBufferPointer<UInt8>, classes: UnicodeClassTable) {
        // An empty buffer may have a nil base address; nothing is ever read from it then.
        base = text.baseAddress ?? UnsafePointer(bitPattern: 1)!
        count = text.count
        self.classes = classes
        latin1 = classes.latin1
    }

    @inline(__always) func byte(_ i: Int) -> UInt8 { i < count ? base[i] : 0 }

    /// The class of an ASCII byte.
    @inline(__always) func latin1Class(_ byte: UInt8) -> UInt8 { latin1[Int(byte)] }

    /// The class and UTF-8 length of the character at `i`, or (`end`, 0) at the end of the text.
    @inline(__always) func character(at i: Int) -> (klass: UInt8, length: Int) {
        guard i < count else { return (CharClass.end, 0) }
        let lead = base[i]
        if lead < 0x80 { return (latin1[Int(lead)], 1) }
        return decodeMultibyte(at: i)
    }

    private func decodeMultibyte(at i: Int) -> (klass: UInt8, length: Int) {
        guard let (scalar, length) = UTF8Sequence.decode(base + i, available: count - i) else {
            return (CharClass.other, 1)
        }
        return (classes.klass(of: scalar), length)
    }

    /// The end of the run of characters whose class is in `mask`, starting at `i`.
    @inline(__always) func runEnd(from i: Int, in mask: UInt32) -> Int {
        var j = i
        // Letter runs are mostly ASCII: skip those eight bytes at a time (`mask` is a constant at
        // every call site, so only the matching branch is compiled in).
        if mask == CharClass.lowerishMask {
            j = asciiRunEnd(from: j, UInt8(ascii: "a"), UInt8(ascii: "z"))
        } else if mask == CharClass.letterMask {
            j = asciiRunEnd(from: j, UInt8(ascii: "a"), UInt8(ascii: "z"), foldCase: true)
        }
        while true {
            let (klass, length) = character(at: j)
            if !CharClass.isIn(klass, mask) { return j }
            j += length
        }
    }

    /// The end of the run of ASCII bytes in `first...last` from `i` (with `foldCase`, of letters of
    /// either case: `first...last` is then a lowercase range), eight bytes per step (SWAR). Stops
    /// at the first other byte; the caller classifies it.
    @inline(__always) func asciiRunEnd(from i: Int, _ first: UInt8, _ last: UInt8, foldCase: Bool = false) -> Int {
        var j = i
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high = ones &* 0x80
        // Per byte: the high bit of `low &+ (0x80 - first)` is set from `first` up, that of
        // `low &+ (0x7F - last)` from `last + 1` up; bytes of 0x80 and more are excluded by `~word`.
        // Bytes are masked to seven bits first, so no addition carries into the next byte.
        let fromFirst = ones &* UInt64(0x80 - first)
        let pastLast = ones &* UInt64(0x7F - last)
        while j + 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
            let low = (foldCase ? word | ones &* 0x20 : word) & ~high
            let inRange = (low &+ fromFirst) & ~(low &+ pastLast) & ~word & high
            let others = ~inRange & high
            if others != 0 { return j + others.trailingZeroBitCount / 8 }
            j += 8
        }
        while j < count {
            let byte = foldCase ? base[j] | 0x20 : base[j]
            guard byte >= first && byte <= last else { break }
            j += 1
        }
        return j
    }

    /// Up to three `\p{N}` characters from `i` (which is one).
    @inline(__always) func numberEnd(from i: Int) -> Int {
        var j = i
        for _ in 0..<3 {
            let (klass, length) = character(at: j)
            if klass != CharClass.number { break }
            j += length
        }
        return j
    }

    /// Length of the letter after an apostrophe if it matches `(?i)c` for the ASCII lowercase `c`,
    /// else 0. Only `s` has a non-ASCII case-fold partner among the contraction letters (U+017F).
    @inline(__always) func foldedLetter(at i: Int, _ c: UInt8) -> Int {
        let b = byte(i)
        if b | 0x20 == c && b >= 0x41 { return 1 }
        if c == UInt8(ascii: "s") && b == 0xC5 && byte(i + 1) == 0xBF { return 2 }
        return 0
    }

    /// A run of white space from `i`: its end, the end of its last CR/LF (or nil), and where its last
    /// character starts. Shared by `\s++$`, `\s*[\r\n]`, `\s+(?!\S)` and `\s`.
    @inline(__always) func whitespaceRun(from i: Int) -> (end: Int, afterLastNewline: Int?, lastStart: Int) {
        var j = i
        var afterLastNewline: Int?
        var lastStart = i
        while true {
            let (klass, length) = character(at: j)
            if klass == CharClass.newline {
                afterLastNewline = j + 1
            } else if klass != CharClass.space {
                return (j, afterLastNewline, lastStart)
            }
            lastStart = j
            j += length
        }
    }
}

/// `cl100k_base`:
/// `'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s`
struct Cl100kPreTokenizer: PreTokenizer {
    let text: TextCursor

    init(text: UnsafeBufferPointer<UInt8>, classes: UnicodeClassTable) {
        self.text = TextCursor(text: text, classes: classes)
    }

    @inline(__always) func pieceEnd(from i: Int) -> Int {
        let (first, firstLength) = text.character(at: i)
        // '(?i:[sdmt]|ll|ve|re)
        if text.base[i] == UInt8(ascii: "'") {
            let end = contractionEnd(after: i + 1)
            if end > 0 { return end }
        }
        // [^\r\n\p{L}\p{N}]?+\p{L}++
        if CharClass.isIn(first, CharClass.letterMask) {
            return text.runEnd(from: i + firstLength, in: CharClass.letterMask)
        }
        if CharClass.isIn(first, CharClass.prefixMask),
            CharClass.isIn(text.character(at: i + firstLength).klass, CharClass.letterMask)
        {
            return text.runEnd(from: i + firstLength, in: CharClass.letterMask)
        }
        // \p{N}{1,3}+
        if first == CharClass.number { return text.numberEnd(from: i) }
        //  ?[^\s\p{L}\p{N}]++[\r\n]*+
        var punctuationStart = -1
        if CharClass.isIn(first, CharClass.punctuationMask) {
            punctuationStart = i
        } else if text.base[i] == UInt8(ascii: " "),
            CharClass.isIn(text.character(at: i + 1).klass, CharClass.punctuationMask)
        {
            punctuationStart = i + 1
        }
        if punctuationStart >= 0 {
            var end = text.runEnd(from: punctuationStart, in: CharClass.punctuationMask)
            while end < text.count && (text.base[end] == 0x0A || text.base[end] == 0x0D) { end += 1 }
            return end
        }
        // Only white space is left.
        let run = text.whitespaceRun(from: i)
        if run.end == text.count { return run.end }  // \s++$
        if let afterNewline = run.afterLastNewline { return afterNewline }  // \s*[\r\n]
        if run.lastStart > i { return run.lastStart }  // \s+(?!\S)
        return i + firstLength  // \s
    }

    /// The end of `(?i:[sdmt]|ll|ve|re)` at `i`, or 0.
    @inline(__always) private func contractionEnd(after i: Int) -> Int {
        for letter in [UInt8(ascii: "s"), UInt8(ascii: "d"), UInt8(ascii: "m"), UInt8(ascii: "t")] {
            let length = text.foldedLetter(at: i, letter)
            if length > 0 { return i + length }
        }
        for (a, b) in [(UInt8(ascii: "l"), UInt8(ascii: "l")), (UInt8(ascii: "v"), UInt8(ascii: "e")),
            (UInt8(ascii: "r"), UInt8(ascii: "e"))]
        where text.foldedLetter(at: i, a) == 1 && text.foldedLetter(at: i + 1, b) == 1 {
            return i + 2
        }
        return 0
    }
}

/// `o200k_base`: the seven alternatives joined with `|`:
/// `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?`,
/// `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?`,
/// `\p{N}{1,3}`, ` ?[^\s\p{L}\p{N}]+[\r\n/]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`.
struct O200kPreTokenizer: PreTokenizer {
    let text: TextCursor

    init(text: UnsafeBufferPointer<UInt8>, classes: UnicodeClassTable) {
        self.text = TextCursor(text: text, classes: classes)
    }

    @inline(__always) func pieceEnd(from i: Int) -> Int {
        if let end = asciiWordEnd(from: i) { return end }
        let (first, firstLength) = text.character(at: i)
        // The two word alternatives. The optional prefix is tried first; when the rest fails without
        // it, the engine backtracks to an empty prefix, which can only help when the first
        // character is a mark (the only prefix character in the case classes).
        if CharClass.isIn(first, CharClass.prefixMask) {
            if let end = lowerWordEnd(from: i + firstLength)
                ?? (first == CharClass.mark ? lowerWordEnd(from: i) : nil)
                ?? upperWordEnd(from: i + firstLength)
                ?? (first == CharClass.mark ? upperWordEnd(from: i) : nil)
            {
                return contractionEnd(at: end)
            }
        } else if CharClass.isIn(first, CharClass.letterMask) {
            if let end = lowerWordEnd(from: i) ?? upperWordEnd(from: i) {
                return contractionEnd(at: end)
            }
        }
        // \p{N}{1,3}
        if first == CharClass.number { return text.numberEnd(from: i) }
        //  ?[^\s\p{L}\p{N}]+[\r\n/]*
        var punctuationStart = -1
        if CharClass.isIn(first, CharClass.punctuationMask) {
            punctuationStart = i
        } else if text.base[i] == UInt8(ascii: " "),
            CharClass.isIn(text.character(at: i + 1).klass, CharClass.punctuationMask)
        {
            punctuationStart = i + 1
        }
        if punctuationStart >= 0 {
            var end = text.runEnd(from: punctuationStart, in: CharClass.punctuationMask)
            while end < text.count {
                let byte = text.base[end]
                guard byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: "/") else { break }
                end += 1
            }
            return end
        }
        // Only white space is left.
        let run = text.whitespaceRun(from: i)
        if let afterNewline = run.afterLastNewline { return afterNewline }  // \s*[\r\n]+
        if run.end == text.count { return run.end }  // \s+(?!\S) at the end
        if run.lastStart > i { return run.lastStart }  // \s+(?!\S)
        return run.end  // \s+
    }

    /// The word alternatives where everything they look at is ASCII (most of English and code): an
    /// optional prefix byte, then `[A-Z]*[a-z]+` or `[A-Z]+`, then an ASCII byte or the end of the
    /// text. U and W hold no other ASCII characters and no backtracking can change such a match,
    /// so this is the general scanner's answer; nil hands everything else to that scanner.
    @inline(__always) private func asciiWordEnd(from i: Int) -> Int? {
        let byte = text.base[i]
        guard byte < 0x80 else { return nil }
        let klass = text.latin1Class(byte)
        let wordStart: Int
        if CharClass.isIn(klass, CharClass.letterMask) {
            wordStart = i
        } else if CharClass.isIn(klass, CharClass.prefixMask) {
            wordStart = i + 1
        } else {
            return nil
        }
        let upperEnd = text.asciiRunEnd(from: wordStart, UInt8(ascii: "A"), UInt8(ascii: "Z"))
        let end = text.asciiRunEnd(from: upperEnd, UInt8(ascii: "a"), UInt8(ascii: "z"))
        guard end > wordStart, text.byte(end) < 0x80 else { return nil }
        return contractionEnd(at: end)
    }

    /// `U*W+` from `p` with backtracking (U = upper-ish, W = lower-ish; Lm, Lo and M are in both):
    /// the greedy U run is given back one character at a time until a W character can start W+.
    @inline(__always) private func lowerWordEnd(from p: Int) -> Int? {
        var j = p
        var afterLastLowerish: Int?
        while true {
            let (klass, length) = text.character(at: j)
            if !CharClass.isIn(klass, CharClass.upperishMask) {
                if klass == CharClass.lower {
                    return text.runEnd(from: j + length, in: CharClass.lowerishMask)
                }
                // Backtrack: W+ starts at the last W character of the U run and, since the
                // characters after it are not W, matches just that one.
                return afterLastLowerish
            }
            j += length
            if CharClass.isIn(klass, CharClass.lowerishMask) { afterLastLowerish = j }
        }
    }

    /// `U+W*` from `p`: greedy, and no backtracking is ever needed because W* cannot fail.
    @inline(__always) private func upperWordEnd(from p: Int) -> Int? {
        let upperEnd = text.runEnd(from: p, in: CharClass.upperishMask)
        if upperEnd == p { return nil }
        return text.runEnd(from: upperEnd, in: CharClass.lowerishMask)
    }

    /// Extends `end` over an optional `(?i:'s|'t|'re|'ve|'m|'ll|'d)`.
    @inline(__always) private func contractionEnd(at end: Int) -> Int {
        guard text.byte(end) == UInt8(ascii: "'") else { return end }
        let i = end + 1
        for letter in [UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d")] {
            let length = text.foldedLetter(at: i, letter)
            if length > 0 { return i + length }
        }
        for (a, b) in [(UInt8(ascii: "r"), UInt8(ascii: "e")), (UInt8(ascii: "v"), UInt8(ascii: "e")),
            (UInt8(ascii: "l"), UInt8(ascii: "l"))]
        where text.foldedLetter(at: i, a) == 1 && text.foldedLetter(at: i + 1, b) == 1 {
            return i + 2
        }
        return end
    }
}

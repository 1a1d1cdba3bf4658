/// A hand-written scanner for Mistral Tekken's split pattern, the fast path for that exact pattern
/// (bundled `tekken` and user `tekken*.json` files); any other pattern runs on `SplitRegex`:
/// `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`
///
/// It is o200k_base's pattern without the contraction suffix and with single digits, so this is
/// `O200kPreTokenizer`'s logic with those two parts changed (kept separate so that the OpenAI fast
/// paths stay as they are). The character classes are the table measured from tiktoken, whose
/// regex engine is also Tekken's reference.
struct TekkenPreTokenizer: PreTokenizer {
    static let pattern =
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    let text: TextCursor

    init(text: UnsafeBufferPointer<UInt8>, classes: UnicodeClassTable) {
        self.text = TextCursor(text: text, classes: classes)
    }

    @inline(__always) func pieceEnd(from i: Int) -> Int {
        if let end = asciiWordEnd(from: i) { return end }
        let (first, firstLength) = text.character(at: i)
        if CharClass.isIn(first, CharClass.prefixMask) {
            if let end = lowerWordEnd(from: i + firstLength)
                ?? (first == CharClass.mark ? lowerWordEnd(from: i) : nil)
                ?? upperWordEnd(from: i + firstLength)
                ?? (first == CharClass.mark ? upperWordEnd(from: i) : nil)
            {
                return end
            }
        } else if CharClass.isIn(first, CharClass.letterMask) {
            if let end = lowerWordEnd(from: i) ?? upperWordEnd(from: i) { return end }
        }
        // \p{N}
        if first == CharClass.number { return i + firstLength }
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
        let run = text.whitespaceRun(from: i)
        if let afterNewline = run.afterLastNewline { return afterNewline }  // \s*[\r\n]+
        if run.end == text.count { return run.end }  // \s+(?!\S) at the end
        if run.lastStart > i { return run.lastStart }  // \s+(?!\S)
        return run.end  // \s+
    }

    /// The word alternatives when everything they look at is ASCII (see `O200kPreTokenizer`).
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
        return end
    }

    /// `U*W+` from `p` with backtracking (see `O200kPreTokenizer.lowerWordEnd`).
    @inline(__always) private func lowerWordEnd(from p: Int) -> Int? {
        var j = p
        var afterLastLowerish: Int?
        while true {
            let (klass, length) = text.character(at: j)
            if !CharClass.isIn(klass, CharClass.upperishMask) {
                if klass == CharClass.lower {
                    return text.runEnd(from: j + length, in: CharClass.lowerishMask)
                }
                return afterLastLowerish
            }
            j += length
            if CharClass.isIn(klass, CharClass.lowerishMask) { afterLastLowerish = j }
        }
    }

    /// `U+W*` from `p`.
    @inline(__always) private func upperWordEnd(from p: Int) -> Int? {
        let upperEnd = text.runEnd(from: p, in: CharClass.upperishMask)
        if upperEnd == p { return nil }
        return text.runEnd(from: upperEnd, in: CharClass.lowerishMask)
    }
}

import Foundation

/// A word-level token of one sentence. Hand-scanned (no regular expressions): this runs on every
/// keystroke over every sentence of a prompt.
struct ProseToken: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        /// Letters, digits, `_`, inner `-`, `'` and `.` ("is_spam", "e.g", "don't").
        case word
        case number
        /// Text inside "…", “…”, '…' or `…` (the quotes removed).
        case quoted
        /// A balanced `{…}` block, or a `[…]` that holds quoted strings or objects: an example.
        case block
        case punct
    }

    var kind: Kind
    /// Original text (for `quoted`, without the quotes).
    var text: String
    /// Lowercased text for matching.
    var lower: String
    var number: Decimal?
    /// UTF-8 offsets in the sentence text.
    var start: Int
    var end: Int
}

/// Looked up for every word token (a `WordTable`: no SipHash per word).
private let numberWords = WordTable<Int>([
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "fifty": 50, "hundred": 100,
])

@inline(__always) private func isWordByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        || byte >= 0x80
}

@inline(__always) private func isDigitByte(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
}

/// Curly quotes and dashes that must not be glued into words.
private let multiBytePunctuation: [(String, String, ProseToken.Kind?)] = [
    ("“", "”", .quoted), ("‘", "’", .quoted), ("–", "-", nil), ("—", "-", nil), ("…", "…", nil),
    ("•", "•", nil),
    ("”", "\"", nil), ("’", "'", nil),
]

/// Splits `text` into tokens. Markdown emphasis (`*`, `**`) is dropped; it carries no meaning here.
func proseTokens(_ text: String) -> [ProseToken] {
    let bytes = Array(text.utf8)
    var tokens: [ProseToken] = []
    var i = 0
    func string(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }
    func hasPrefix(_ p: String, at index: Int) -> Bool {
        var i = index
        for byte in p.utf8 {
            guard i < bytes.count, bytes[i] == byte else { return false }
            i += 1
        }
        return true
    }
    func matching(_ index: Int) -> Int? {
        let open = bytes[index]
        let close: UInt8 = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var depth = 0
        var j = index
        var inString = false
        while j < bytes.count {
            let byte = bytes[j]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    j += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == open {
                depth += 1
            } else if byte == close {
                depth -= 1
                if depth == 0 { return j }
            }
            j += 1
        }
        return nil
    }
    outer: while i < bytes.count {
        let byte = bytes[i]
        if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "*")
        {
            i += 1
            continue
        }
        // (Only a non-ASCII byte can start one: the list is not walked for every token.)
        for (open, close, kind) in byte >= 0x80 ? multiBytePunctuation : [] where hasPrefix(open, at: i) {
            let openEnd = i + open.utf8.count
            if kind == .quoted {
                var j = openEnd
                while j < bytes.count && !hasPrefix(close, at: j) && bytes[j] != UInt8(ascii: "\n") { j += 1 }
                if j < bytes.count && hasPrefix(close, at: j) {
                    let inner = string(openEnd, j)
                    tokens.append(
                        .init(
                            kind: .quoted, text: inner, lower: foldCase(inner), start: i,
                            end: j + close.utf8.count))
                    i = j + close.utf8.count
                    continue outer
                }
            }
            tokens.append(.init(kind: .punct, text: close, lower: close, start: i, end: openEnd))
            i = openEnd
            continue outer
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "`")
            || (byte == UInt8(ascii: "'") && (tokens.last.map { $0.end < i || $0.kind == .punct } ?? true))
        {
            var j = i + 1
            while j < bytes.count && bytes[j] != byte && bytes[j] != UInt8(ascii: "\n") { j += 1 }
            if j < bytes.count && bytes[j] == byte && j > i + 1 {
                var inner = string(i + 1, j)
                // `"title"` in backticks names the key title.
                if inner.count >= 2, inner.first == "\"", inner.last == "\"" {
                    inner = String(inner.dropFirst().dropLast())
                }
                tokens.append(
                    .init(kind: .quoted, text: inner, lower: foldCase(inner), start: i, end: j + 1))
                i = j + 1
                continue
            }
            tokens.append(
                .init(kind: .punct, text: string(i, i + 1), lower: string(i, i + 1), start: i, end: i + 1))
            i += 1
            continue
        }
        if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
            var isBlock = byte == UInt8(ascii: "{")
            if !isBlock {
                var k = i + 1
                while k < bytes.count && (bytes[k] == UInt8(ascii: " ") || bytes[k] == UInt8(ascii: "\n")) {
                    k += 1
                }
                isBlock =
                    k < bytes.count
                    && (bytes[k] == UInt8(ascii: "\"") || bytes[k] == UInt8(ascii: "{")
                        || bytes[k] == UInt8(ascii: "'")
                        || bytes[k] == UInt8(ascii: "]"))
            }
            if isBlock, let close = matching(i) {
                let raw = string(i, close + 1)
                tokens.append(.init(kind: .block, text: raw, lower: raw, start: i, end: close + 1))
                i = close + 1
                continue
            }
        }
        let signed =
            (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")) && i + 1 < bytes.count
            && isDigitByte(bytes[i + 1])
            && (tokens.last.map { $0.kind == .punct || $0.end < i } ?? true)
        if isDigitByte(byte) || signed {
            var j = i + 1
            while j < bytes.count && isDigitByte(bytes[j]) { j += 1 }
            if j + 1 < bytes.count && (bytes[j] == UInt8(ascii: ".") || bytes[j] == UInt8(ascii: ","))
                && isDigitByte(bytes[j + 1])
            {
                // "1,000" is a thousands separator only with exactly three digits after the comma.
                var k = j + 1
                while k < bytes.count && isDigitByte(bytes[k]) { k += 1 }
                if bytes[j] == UInt8(ascii: ".") || k - j - 1 == 3 { j = k }
            }
            if j < bytes.count && isWordByte(bytes[j]) && !isDigitByte(bytes[j]) {
                // "3rd", "2x": a word, not a number.
                while j < bytes.count && isWordByte(bytes[j]) { j += 1 }
                let text = string(i, j)
                tokens.append(.init(kind: .word, text: text, lower: foldCase(text), start: i, end: j))
            } else {
                let text = string(i, j)
                tokens.append(.init(kind: .number, text: text, lower: text, number: parseNumber(bytes[i..<j]), start: i, end: j))
            }
            i = j
            continue
        }
        if isWordByte(byte) {
            var j = i + 1
            while j < bytes.count {
                if isWordByte(bytes[j]) {
                    j += 1
                } else if (bytes[j] == UInt8(ascii: "-") || bytes[j] == UInt8(ascii: "'")
                    || bytes[j] == UInt8(ascii: "."))
                    && j + 1 < bytes.count && isWordByte(bytes[j + 1]) && bytes[j + 1] < 0x80
                {
                    j += 2
                } else {
                    break
                }
            }
            let text = string(i, j)
            let lower = foldCase(text)
            tokens.append(
                .init(
                    kind: .word, text: text, lower: lower, number: numberWords[lower].map { Decimal($0) },
                    start: i,
                    end: j))
            i = j
            continue
        }
        tokens.append(
            .init(kind: .punct, text: string(i, i + 1), lower: string(i, i + 1), start: i, end: i + 1))
        i += 1
    }
    return tokens
}

/// `text.lowercased()`, without its Unicode machinery when the text is ASCII (almost every token).
func foldCase(_ text: String) -> String {
    var text = text
    let ascii = text.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } }
    guard ascii else { return text.lowercased() }
    guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
    return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
}

/// The value of a number token (`1,000`, `+3`, `-2.5`): thousands commas and a plus sign are
/// ignored. Equal to `Decimal(string:)` of the text without them; computed from the digits when they
/// fit in 18 (no Foundation parsing per number).
func parseNumber(_ bytes: ArraySlice<UInt8>) -> Decimal? {
    var negative = false
    var digits: UInt64 = 0
    var count = 0
    var fraction = 0
    var seenPoint = false
    for byte in bytes {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "+"): continue
        case UInt8(ascii: "-") where count == 0 && !negative && !seenPoint: negative = true
        case UInt8(ascii: ".") where !seenPoint: seenPoint = true
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            count += 1
            if seenPoint { fraction += 1 }
            guard count <= 18 else { return slowParseNumber(bytes) }
            digits = digits * 10 + UInt64(byte - UInt8(ascii: "0"))
        default: return slowParseNumber(bytes)
        }
    }
    guard count > 0 else { return slowParseNumber(bytes) }
    return Decimal(sign: negative ? .minus : .plus, exponent: -fraction, significand: Decimal(digits))
}

private func slowParseNumber(_ bytes: ArraySlice<UInt8>) -> Decimal? {
    Decimal(string: String(decoding: bytes.filter { $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "+") }, as: UTF8.self))
}

/// A backtracking cursor over tokens for the hand-written phrase grammar. Every `accept…` either
/// consumes and returns a match or leaves the position unchanged.
struct TokenCursor {
    let tokens: [ProseToken]
    let text: String
    var index = 0

    init(_ text: String) {
        self.text = text
        self.tokens = proseTokens(text)
    }

    var current: ProseToken? { index < tokens.count ? tokens[index] : nil }

    func peek(_ offset: Int = 0) -> ProseToken? {
        index + offset < tokens.count ? tokens[index + offset] : nil
    }

    /// True at the end or when only closing punctuation (`.`, `!`, `;`) remains.
    var atEnd: Bool {
        var i = index
        while i < tokens.count {
            let token = tokens[i]
            guard token.kind == .punct, [".", "!", ";", ")", "…"].contains(token.text) else { return false }
            i += 1
        }
        return true
    }

    mutating func word(_ w: String) -> Bool {
        guard let token = current, token.kind == .word, token.lower == w else { return false }
        index += 1
        return true
    }

    /// Accepts the whole sequence of words ("one", "of") or nothing.
    mutating func words(_ sequence: [String]) -> Bool {
        let mark = index
        for w in sequence where !word(w) {
            index = mark
            return false
        }
        return true
    }

    /// Accepts the first sequence that matches; returns its index.
    @discardableResult
    mutating func anyOf(_ sequences: [[String]]) -> Int? {
        for (n, sequence) in sequences.enumerated() where words(sequence) { return n }
        return nil
    }

    mutating func anyWord(_ set: Set<String>) -> String? {
        guard let token = current, token.kind == .word, set.contains(token.lower) else { return nil }
        index += 1
        return token.lower
    }

    mutating func skip(_ set: Set<String>) {
        while let token = current, token.kind == .word, set.contains(token.lower) { index += 1 }
    }

    /// `anyWord` and `skip` with a literal list: the grammar passes short literals on every sentence,
    /// and a linear search beats building (hashing) a `Set` per call.
    mutating func anyWord(_ list: [String]) -> String? {
        guard let token = current, token.kind == .word, list.contains(token.lower) else { return nil }
        index += 1
        return token.lower
    }

    mutating func skip(_ list: [String]) {
        while let token = current, token.kind == .word, list.contains(token.lower) { index += 1 }
    }

    mutating func punct(_ p: String) -> Bool {
        guard let token = current, token.kind == .punct, token.text == p else { return false }
        index += 1
        return true
    }

    mutating func number() -> Decimal? {
        guard let token = current, let value = token.number, token.kind == .number || token.kind == .word
        else {
            return nil
        }
        index += 1
        return value
    }

    mutating func take() -> ProseToken? {
        guard let token = current else { return nil }
        index += 1
        return token
    }

    /// The original text from the current token to the end, without closing punctuation.
    var restText: String {
        guard let first = current else { return "" }
        let bytes = Array(text.utf8)
        var end = bytes.count
        while end > first.start,
            [UInt8(ascii: "."), UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "!")].contains(
                bytes[end - 1])
        {
            end -= 1
        }
        return String(decoding: bytes[first.start..<end], as: UTF8.self)
    }

    mutating func skipToEnd() { index = tokens.count }
}

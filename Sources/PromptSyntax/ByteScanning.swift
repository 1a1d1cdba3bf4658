import PromptText

// Byte-level helpers shared by the parsers. Every parser works on the document's UTF-8 bytes with absolute
// offsets, so that ranges need no translation; the delimiters they look for are ASCII, so every offset
// they produce lies on a scalar boundary.

enum ASCII {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let verticalTab: UInt8 = 0x0B
    static let formFeed: UInt8 = 0x0C
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let exclamation: UInt8 = 0x21
    static let doubleQuote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let ampersand: UInt8 = 0x26
    static let singleQuote: UInt8 = 0x27
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let asterisk: UInt8 = 0x2A
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let equals: UInt8 = 0x3D
    static let greaterThan: UInt8 = 0x3E
    static let question: UInt8 = 0x3F
    static let at: UInt8 = 0x40
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let caret: UInt8 = 0x5E
    static let backtick: UInt8 = 0x60
    static let openBrace: UInt8 = 0x7B
    static let pipe: UInt8 = 0x7C
    static let closeBrace: UInt8 = 0x7D
    static let tilde: UInt8 = 0x7E
    static let percent: UInt8 = 0x25
}

extension Array where Element == UInt8 {
    /// The string for `range`; invalid sequences (impossible for bytes taken from a `String` at scalar
    /// boundaries) would be replaced with U+FFFD.
    func string(_ range: Range<Int>) -> String { String(decoding: self[range], as: UTF8.self) }

    func matches(_ literal: StaticString, at offset: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset >= 0, offset + count <= self.count else { return false }
        return literal.withUTF8Buffer { pattern in
            for index in 0..<count where self[offset + index] != pattern[index] { return false }
            return true
        }
    }

    /// The length of the scalar starting at `offset` (1 for a stray continuation byte).
    func scalarLength(at offset: Int) -> Int {
        let lead = self[offset]
        let length: Int
        switch lead {
        case 0..<0x80: length = 1
        case 0xC0..<0xE0: length = 2
        case 0xE0..<0xF0: length = 3
        case 0xF0..<0xF8: length = 4
        default: length = 1
        }
        return Swift.min(length, count - offset)
    }

    /// The scalar value starting at `offset`, decoded without validation (inputs come from `String`).
    func scalarValue(at offset: Int) -> UInt32 {
        let length = scalarLength(at: offset)
        let lead = UInt32(self[offset])
        switch length {
        case 2: return (lead & 0x1F) << 6 | UInt32(self[offset + 1] & 0x3F)
        case 3:
            return (lead & 0x0F) << 12 | UInt32(self[offset + 1] & 0x3F) << 6 | UInt32(self[offset + 2] & 0x3F)
        case 4:
            return (lead & 0x07) << 18 | UInt32(self[offset + 1] & 0x3F) << 12
                | UInt32(self[offset + 2] & 0x3F) << 6 | UInt32(self[offset + 3] & 0x3F)
        default: return lead
        }
    }

    /// The byte length of the JavaScript `\s` whitespace scalar at `offset`, or 0. JavaScript's `\s` and
    /// `String.prototype.trim` use the same set: ASCII tab, LF, VT, FF, CR, space, plus NBSP, U+1680,
    /// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF.
    func javaScriptWhitespaceLength(at offset: Int) -> Int {
        guard offset < count else { return 0 }
        let byte = self[offset]
        if byte < 0x80 {
            return (byte >= ASCII.tab && byte <= ASCII.carriageReturn) || byte == ASCII.space ? 1 : 0
        }
        guard byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3 || byte == 0xEF else { return 0 }
        let scalar = scalarValue(at: offset)
        switch scalar {
        case 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return scalarLength(at: offset)
        default: return 0
        }
    }

    /// The start of the scalar that ends at `offset` (exclusive).
    func scalarStart(before offset: Int) -> Int {
        var start = offset - 1
        while start > 0 && self[start] & 0xC0 == 0x80 && offset - start < 4 { start -= 1 }
        return start
    }

    /// `range` without leading and trailing JavaScript whitespace (what `String.prototype.trim` keeps).
    func javaScriptTrimmed(_ range: UTF8Range) -> UTF8Range {
        var start = range.start
        var end = range.end
        while start < end {
            let length = javaScriptWhitespaceLength(at: start)
            if length == 0 { break }
            start += length
        }
        while end > start {
            let previous = scalarStart(before: end)
            if javaScriptWhitespaceLength(at: previous) != end - previous { break }
            end = previous
        }
        return UTF8Range(start: start, end: end)
    }
}

func isLineBreak(_ byte: UInt8) -> Bool { byte == ASCII.newline || byte == ASCII.carriageReturn }
func isDigit(_ byte: UInt8) -> Bool { byte >= ASCII.zero && byte <= ASCII.nine }

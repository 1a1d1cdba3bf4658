import Foundation
import PromptText

/// One instruction sentence (or list item, heading, fenced code block) of prompt prose, with its
/// place in the document.
public struct Sentence: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case prose
        /// A line starting with `-`, `*`, `+`, `•` or `1.` / `1)`; only the item's first sentence.
        case listItem
        /// A Markdown heading (`# Output format`).
        case heading
        /// A fenced code block (```` ``` ````); `text` is the code without the fences.
        case codeBlock
    }

    public var kind: Kind
    /// The whole sentence in document offsets: list marker, heading hashes and fences included,
    /// surrounding whitespace excluded. Deleting it (see `deletionRanges`) removes the sentence.
    public var utf8Range: UTF8Range
    /// The content without marker or fences, in document offsets.
    public var contentUTF8Range: UTF8Range
    /// The content text (may span lines when prose is hard-wrapped or a JSON block spans lines).
    public var text: String

    public init(kind: Kind, utf8Range: UTF8Range, contentUTF8Range: UTF8Range, text: String) {
        self.kind = kind
        self.utf8Range = utf8Range
        self.contentUTF8Range = contentUTF8Range
        self.text = text
    }
}

extension Sentence {
    /// The sentence with its ranges moved by `delta` bytes (`instructionSentences(in:baseOffset:)` only
    /// adds its base offset to them).
    func shifted(by delta: Int) -> Sentence {
        delta == 0 ? self : Sentence(kind: kind, utf8Range: utf8Range.shifted(by: delta),
                                     contentUTF8Range: contentUTF8Range.shifted(by: delta), text: text)
    }
}

private enum Byte {
    static let newline = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let quote = UInt8(ascii: "\"")
    static let backtick = UInt8(ascii: "`")
    static let dot = UInt8(ascii: ".")
    static let colon = UInt8(ascii: ":")
}

@inline(__always) private func isBlank(_ byte: UInt8) -> Bool {
    byte == Byte.space || byte == Byte.tab || byte == Byte.cr
}

@inline(__always) private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
}

/// Abbreviations whose dot never ends a sentence unless a line break follows (lowercased).
private let strongAbbreviations: Set<String> = [
    "e.g", "i.e", "eg", "ie", "vs", "cf", "approx", "incl", "esp", "viz", "al", "mr", "mrs", "ms", "dr",
]

/// Abbreviations that end a sentence unless a lowercase word or a number follows ("max. 5 tags").
private let weakAbbreviations: Set<String> = ["etc", "no", "nos", "max", "min", "resp"]

/// Splits instruction prose into sentences with UTF-8 ranges (offset by `baseOffset`, the position
/// of `text` in its document).
///
/// Boundaries: `.`, `!` or `?` followed by whitespace (closing quotes and brackets stay with the
/// sentence); blank lines; list items (`-`, `*`, `+`, `•`, `1.`, `1)`), headings and table rows,
/// each starting a sentence; a line break after a line ending in `:`, or before a line that starts
/// with a capitalised word, `{`, `[` or `<` (hard-wrapped prose continues otherwise). Never inside
/// double or curly quotes or backticks on one line, inside balanced `{…}` / `[…]` (JSON examples,
/// Handlebars), after abbreviations such as "e.g.", in decimals, or in fenced code blocks, which are
/// one `codeBlock` sentence each. Runs in one pass over the UTF-8 bytes.
public func instructionSentences(in text: String, baseOffset: Int = 0) -> [Sentence] {
    let bytes = Array(text.utf8)
    var scanner = SentenceScanner(bytes: bytes, baseOffset: baseOffset)
    scanner.run()
    return scanner.sentences
}

private struct SentenceScanner {
    let bytes: [UInt8]
    let baseOffset: Int
    var sentences: [Sentence] = []
    /// Matching close index for each `{`/`[` that has one.
    var closing: [Int: Int] = [:]

    var start: Int? = nil
    var markerStart: Int? = nil
    var kind: Sentence.Kind = .prose
    var end = 0
    var previousLineEndedWithColon = false

    init(bytes: [UInt8], baseOffset: Int) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        closing = Self.matchBrackets(bytes)
    }

    /// Pairs brackets with a stack, skipping double-quoted strings (JSON strings stay on one line).
    static func matchBrackets(_ bytes: [UInt8]) -> [Int: Int] {
        var result: [Int: Int] = [:]
        var stack: [(Int, UInt8)] = []
        var i = 0
        var inString = false
        while i < bytes.count {
            let byte = bytes[i]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    i += 1
                } else if byte == Byte.quote || byte == Byte.newline {
                    inString = false
                }
            } else if byte == Byte.quote {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                stack.append((i, byte))
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                let open: UInt8 = byte == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "[")
                // An unmatched closer is prose (a smiley, a typo): it does not disturb the stack.
                if let index = stack.lastIndex(where: { $0.1 == open }) {
                    result[stack[index].0] = i
                    stack.removeSubrange(index...)
                }
            }
            i += 1
        }
        return result
    }

    mutating func flush() {
        if let start {
            let first = markerStart ?? start
            let range = UTF8Range(start: baseOffset + first, end: baseOffset + end)
            let content = UTF8Range(start: baseOffset + start, end: baseOffset + max(start, end))
            let text = String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
            sentences.append(Sentence(kind: kind, utf8Range: range, contentUTF8Range: content, text: text))
        }
        start = nil
        markerStart = nil
        kind = .prose
    }

    func lineEnd(from index: Int) -> Int {
        var i = index
        while i < bytes.count && bytes[i] != Byte.newline { i += 1 }
        return i
    }

    func skipBlanks(from index: Int, to limit: Int) -> Int {
        var i = index
        while i < limit && (bytes[i] == Byte.space || bytes[i] == Byte.tab) { i += 1 }
        return i
    }

    func trimmedEnd(_ from: Int, _ to: Int) -> Int {
        var e = to
        while e > from && isBlank(bytes[e - 1]) { e -= 1 }
        return e
    }

    func hasPrefix(_ prefix: String, at index: Int) -> Bool {
        // Every caller checks for a non-ASCII mark; bail out before touching the string on ASCII.
        guard index < bytes.count, bytes[index] >= 0x80 || prefix.utf8.first! < 0x80 else { return false }
        var i = index
        for byte in prefix.utf8 {
            guard i < bytes.count, bytes[i] == byte else { return false }
            i += 1
        }
        return true
    }

    /// The end of a list marker starting at `index` (the first content byte), or nil.
    func listMarkerEnd(at index: Int, lineEnd: Int) -> Int? {
        guard index < lineEnd else { return nil }
        var i = index
        let byte = bytes[i]
        if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "+") {
            i += 1
        } else if hasPrefix("•", at: i) {
            i += "•".utf8.count
        } else if isDigit(byte) {
            while i < lineEnd && isDigit(bytes[i]) && i - index < 3 { i += 1 }
            guard i < lineEnd, bytes[i] == Byte.dot || bytes[i] == UInt8(ascii: ")") else { return nil }
            i += 1
        } else {
            return nil
        }
        guard i < lineEnd, bytes[i] == Byte.space || bytes[i] == Byte.tab else { return nil }
        return skipBlanks(from: i, to: lineEnd)
    }

    func headingEnd(at index: Int, lineEnd: Int) -> Int? {
        var i = index
        while i < lineEnd && bytes[i] == UInt8(ascii: "#") && i - index < 6 { i += 1 }
        guard i > index, i < lineEnd, bytes[i] == Byte.space else { return nil }
        return skipBlanks(from: i, to: lineEnd)
    }

    /// Whether a wrapped line starting at `index` begins a new instruction: a Title-case word (not an
    /// all-caps acronym such as JSON, which often continues a wrapped sentence) or a block opener.
    func startsNewInstruction(at index: Int, lineEnd: Int) -> Bool {
        let byte = bytes[index]
        if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: "|")
        {
            return true
        }
        guard byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") else { return false }
        let next = index + 1
        if next >= lineEnd || !isASCIILetter(bytes[next]) { return true }
        return bytes[next] >= UInt8(ascii: "a") && bytes[next] <= UInt8(ascii: "z")
    }

    mutating func begin(at index: Int) {
        if start == nil { start = index }
    }

    mutating func run() {
        var i = 0
        var atLineStart = true
        while i < bytes.count {
            if atLineStart {
                atLineStart = false
                i = startLine(at: i)
                continue
            }
            let byte = bytes[i]
            switch byte {
            case Byte.newline:
                previousLineEndedWithColon = start != nil && end > 0 && bytes[end - 1] == Byte.colon
                atLineStart = true
                i += 1
            case Byte.space, Byte.tab, Byte.cr:
                i += 1
            case Byte.quote, Byte.backtick:
                begin(at: i)
                i = closeOnLine(from: i, closer: byte) ?? i + 1
                end = i
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                begin(at: i)
                if let close = closing[i] { i = close + 1 } else { i += 1 }
                end = i
            case Byte.dot, UInt8(ascii: "!"), UInt8(ascii: "?"):
                begin(at: i)
                i = sentenceEnd(at: i)
            default:
                if hasPrefix("“", at: i) {
                    begin(at: i)
                    i = closeCurly(from: i) ?? i + 1
                    end = i
                } else {
                    begin(at: i)
                    i += 1
                    end = i
                }
            }
        }
        flush()
    }

    /// The index just past the closer matching the opener at `index`, on the same line.
    func closeOnLine(from index: Int, closer: UInt8) -> Int? {
        var i = index + 1
        while i < bytes.count && bytes[i] != Byte.newline {
            if bytes[i] == closer { return i + 1 }
            i += 1
        }
        return nil
    }

    func closeCurly(from index: Int) -> Int? {
        var i = index + "“".utf8.count
        while i < bytes.count && bytes[i] != Byte.newline {
            if hasPrefix("”", at: i) { return i + "”".utf8.count }
            i += 1
        }
        return nil
    }

    /// Handles a `.`, `!` or `?` at `index`: ends the sentence when whitespace follows (after any
    /// closing quotes or brackets), unless the dot belongs to an abbreviation, a decimal or an
    /// ellipsis. Returns where scanning continues.
    mutating func sentenceEnd(at index: Int) -> Int {
        var j = index + 1
        while j < bytes.count {
            let byte = bytes[j]
            if byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "'") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "*")
                || byte == UInt8(ascii: "_")
            {
                j += 1
            } else if hasPrefix("”", at: j) || hasPrefix("’", at: j) {
                j += 3
            } else {
                break
            }
        }
        end = j
        let followedBySpace = j >= bytes.count || isBlank(bytes[j]) || bytes[j] == Byte.newline
        guard followedBySpace else { return j }
        if bytes[index] == Byte.dot && !dotEndsSentence(at: index, next: j) { return j }
        flush()
        return j
    }

    func dotEndsSentence(at index: Int, next: Int) -> Bool {
        // An ellipsis continues the sentence.
        if index > 0 && bytes[index - 1] == Byte.dot { return false }
        var wordStart = index
        while wordStart > 0 && (isASCIILetter(bytes[wordStart - 1]) || bytes[wordStart - 1] == Byte.dot) {
            wordStart -= 1
        }
        let word = String(decoding: bytes[wordStart..<index], as: UTF8.self).lowercased()
        let nextWord = skipBlanks(from: next, to: bytes.count)
        let nextIsLowercase =
            nextWord < bytes.count && bytes[nextWord] >= UInt8(ascii: "a")
            && bytes[nextWord] <= UInt8(ascii: "z")
        let nextIsNewline = nextWord >= bytes.count || bytes[nextWord] == Byte.newline
        if strongAbbreviations.contains(word) { return nextIsNewline }
        if weakAbbreviations.contains(word) {
            return !(nextIsLowercase || (nextWord < bytes.count && isDigit(bytes[nextWord])))
        }
        // A single letter followed by a dot is an initial or a list label ("a. b."), not an end.
        if word.count == 1 && nextIsLowercase { return false }
        return true
    }

    /// Line-level structure: blank lines, fences, list markers, headings, wrapped lines.
    mutating func startLine(at lineStart: Int) -> Int {
        let lineEnd = lineEnd(from: lineStart)
        let content = skipBlanks(from: lineStart, to: lineEnd)
        let contentEnd = trimmedEnd(content, lineEnd)
        if content >= contentEnd {
            flush()
            previousLineEndedWithColon = false
            return lineEnd
        }
        if hasPrefix("```", at: content) || hasPrefix("~~~", at: content),
            let fence = fencedBlock(at: content)
        {
            flush()
            sentences.append(fence)
            previousLineEndedWithColon = false
            return self.lineEnd(from: fence.utf8Range.end - baseOffset)
        }
        if let markerEnd = listMarkerEnd(at: content, lineEnd: contentEnd) {
            flush()
            markerStart = content
            kind = .listItem
            return markerEnd
        }
        if let headingEnd = headingEnd(at: content, lineEnd: contentEnd) {
            flush()
            markerStart = content
            kind = .heading
            // A heading is one line: its end is the line end.
            start = headingEnd
            end = contentEnd
            flush()
            return lineEnd
        }
        if start != nil
            && (previousLineEndedWithColon || startsNewInstruction(at: content, lineEnd: contentEnd))
        {
            flush()
        }
        return content
    }

    /// A fenced code block starting at `index`, as one sentence, or nil when it is never closed.
    func fencedBlock(at index: Int) -> Sentence? {
        let fence = bytes[index]
        let openLineEnd = lineEnd(from: index)
        var lineStart = openLineEnd + 1
        while lineStart < bytes.count {
            let lineEnd = lineEnd(from: lineStart)
            let content = skipBlanks(from: lineStart, to: lineEnd)
            if content + 2 < lineEnd && bytes[content] == fence && bytes[content + 1] == fence
                && bytes[content + 2] == fence
            {
                let closeEnd = trimmedEnd(content, lineEnd)
                let codeStart = min(openLineEnd + 1, lineStart)
                var codeEnd = lineStart
                if codeEnd > codeStart && bytes[codeEnd - 1] == Byte.newline { codeEnd -= 1 }
                if codeEnd > codeStart && bytes[codeEnd - 1] == Byte.cr { codeEnd -= 1 }
                return Sentence(
                    kind: .codeBlock,
                    utf8Range: UTF8Range(start: baseOffset + index, end: baseOffset + closeEnd),
                    contentUTF8Range: UTF8Range(start: baseOffset + codeStart, end: baseOffset + codeEnd),
                    text: String(decoding: bytes[codeStart..<codeEnd], as: UTF8.self))
            }
            lineStart = lineEnd + 1
        }
        return nil
    }
}

/// The ranges to delete to remove `sentences` from `text` cleanly (document offsets; `text` starts
/// at `baseOffset`): a sentence alone on its line(s) takes its whole line(s) with the line break;
/// otherwise the spaces after it go too (or, at the end of a line, the spaces before it). Adjacent
/// ranges are merged; the result is sorted and never overlaps, so it is safe as one set of edits.
public func deletionRanges(removing sentences: [UTF8Range], in text: String, baseOffset: Int = 0)
    -> [UTF8Range]
{
    let bytes = Array(text.utf8)
    var ranges: [UTF8Range] = []
    for sentence in sentences.sorted(by: { $0.start < $1.start }) {
        var start = min(max(0, sentence.start - baseOffset), bytes.count)
        var end = min(max(start, sentence.end - baseOffset), bytes.count)
        var after = end
        while after < bytes.count && (bytes[after] == Byte.space || bytes[after] == Byte.tab) { after += 1 }
        var before = start
        while before > 0 && (bytes[before - 1] == Byte.space || bytes[before - 1] == Byte.tab) { before -= 1 }
        let atLineStart = before == 0 || bytes[before - 1] == Byte.newline
        var lineBreakEnd: Int? = nil
        if after >= bytes.count {
            lineBreakEnd = bytes.count
        } else if bytes[after] == Byte.newline {
            lineBreakEnd = after + 1
        } else if bytes[after] == Byte.cr {
            lineBreakEnd = after + 1 < bytes.count && bytes[after + 1] == Byte.newline ? after + 2 : after + 1
        }
        if let lineBreakEnd, atLineStart {
            start = before
            end = lineBreakEnd
        } else if lineBreakEnd != nil {
            start = before
            end = after
        } else {
            end = after
        }
        let range = UTF8Range(start: baseOffset + start, end: baseOffset + end)
        if let last = ranges.last, last.end >= range.start {
            ranges[ranges.count - 1] = last.union(range)
        } else {
            ranges.append(range)
        }
    }
    return ranges
}

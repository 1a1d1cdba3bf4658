import PromptText

/// A run of static prompt text (template text between Handlebars expressions), with the message it
/// belongs to. Rules about wording look only at prose: variables, comments and markers are not prose.
public struct ProseSegment: Sendable, Hashable {
    public var text: String {
        didSet { textHash = Self.hash(text) }
    }
    /// `utf8Hash` of `text`, kept with it: the session memo looks segments up by text several times
    /// per analysis.
    private(set) var textHash: UInt64
    /// Document offset of `text`'s first byte.
    public var utf8Start: Int
    /// The role of the message the text is in (`system`, `user`, `model`, …).
    public var role: String
    public var messageIndex: Int
    /// The whole segment is few-shot material (a static `model` turn, or a user turn answered by one):
    /// wording rules do not apply to examples.
    public var isExample: Bool

    public init(text: String, utf8Start: Int, role: String = "user", messageIndex: Int = 0, isExample: Bool = false) {
        self.text = text
        self.textHash = Self.hash(text)
        self.utf8Start = utf8Start
        self.role = role
        self.messageIndex = messageIndex
        self.isExample = isExample
    }

    public var range: UTF8Range { UTF8Range(start: utf8Start, end: utf8Start + text.utf8.count) }

    private static func hash(_ text: String) -> UInt64 { TextKey(text).hash }
}

/// Regions of a prose segment that quote material rather than instruct: quoted strings, code (fenced
/// and inline), XML-style example/data blocks, and dialogue lines (`User:`, `Input:`, `Q:`…). "Please"
/// inside a quoted customer message is data, not politeness. Offsets are relative to the segment text.
package func quotedRegions(in text: String) -> [Range<Int>] {
    quotedRegions(in: Array(text.utf8))
}

/// `quotedRegions(in:)` over UTF-8 bytes: quotations and code, merged with line-structured example
/// material (labelled records, example sections; see `exampleBlocks(in:)`). Ordered and disjoint.
package func quotedRegions(in bytes: [UInt8]) -> [Range<Int>] {
    let inline = inlineQuotedRegions(bytes)
    let blocks = exampleBlocks(in: bytes).regions
    guard !blocks.isEmpty else { return inline }
    var merged: [Range<Int>] = []
    for region in (inline + blocks).sorted(by: { $0.lowerBound < $1.lowerBound }) {
        if let last = merged.last, last.upperBound >= region.lowerBound {
            merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, region.upperBound)
        } else {
            merged.append(region)
        }
    }
    return merged
}

/// Quoted strings, code, example tags and dialogue lines, in order.
private func inlineQuotedRegions(_ bytes: [UInt8]) -> [Range<Int>] {
    var regions: [Range<Int>] = []
    var index = 0
    var lineStart = true
    while index < bytes.count {
        let byte = bytes[index]
        if lineStart, let end = dialogueLineEnd(bytes, from: index) {
            regions.append(index..<end)
            index = end
            continue
        }
        lineStart = byte == 0x0A
        switch byte {
        case 0x60 where hasPrefix(bytes, at: index, "```"):
            let close = find(bytes, "```", from: index + 3) ?? bytes.count
            let end = min(bytes.count, close + 3)
            regions.append(index..<end)
            index = end
            continue
        case 0x60:
            if let close = findOnLine(bytes, 0x60, from: index + 1) {
                regions.append(index..<(close + 1))
                index = close + 1
                continue
            }
        case 0x22:
            if let close = findOnLine(bytes, 0x22, from: index + 1), close - index < 400 {
                regions.append(index..<(close + 1))
                index = close + 1
                continue
            }
        case 0xE2 where hasPrefix(bytes, at: index, "\u{201C}"):
            if let close = find(bytes, "\u{201D}", from: index + 3), close - index < 400 {
                regions.append(index..<(close + 3))
                index = close + 3
                continue
            }
        case 0x3C:
            if let (name, tagEnd) = openingTag(bytes, at: index), exampleTags.contains(name),
               let close = find(bytes, "</\(name)>", from: tagEnd)
            {
                let end = close + name.utf8.count + 3
                regions.append(index..<end)
                index = end
                continue
            }
        default:
            break
        }
        index += 1
    }
    return regions
}

/// Tags whose content is data or examples by convention in prompt writing.
private let exampleTags: Set<String> = [
    "example", "examples", "sample", "samples", "input", "output", "document", "documents", "context", "data",
    "text", "email", "message", "transcript", "conversation", "quote", "article", "review", "query",
]

/// Line prefixes that introduce example or dialogue content rather than instructions.
private let dialoguePrefixes: [String] = [
    "user:", "assistant:", "human:", "ai:", "input:", "output:", "q:", "a:", "customer:", "agent:", "question:",
    "answer:", "text:", "review:", "message:", "email:", "example:",
]

/// `dialoguePrefixes` as bytes, by their first byte (every line start is tested against them).
private let dialoguePrefixBytes: [UInt8: [[UInt8]]] = Dictionary(grouping: dialoguePrefixes.map { Array($0.utf8) }, by: { $0[0] })

private func dialogueLineEnd(_ bytes: [UInt8], from start: Int) -> Int? {
    var index = start
    while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x2D || bytes[index] == 0x2A {
        index += 1
    }
    guard index < bytes.count else { return nil }
    let first = bytes[index] >= 0x41 && bytes[index] <= 0x5A ? bytes[index] + 0x20 : bytes[index]
    guard let candidates = dialoguePrefixBytes[first] else { return nil }
    for prefix in candidates where hasPrefix(bytes, at: index, prefix, caseInsensitive: true) {
        var end = index
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        return end
    }
    return nil
}

private func openingTag(_ bytes: [UInt8], at index: Int) -> (String, Int)? {
    var end = index + 1
    var name = ""
    while end < bytes.count, (bytes[end] >= 0x61 && bytes[end] <= 0x7A) || bytes[end] == 0x5F || bytes[end] == 0x2D {
        name.append(Character(Unicode.Scalar(bytes[end])))
        end += 1
    }
    guard !name.isEmpty, end < bytes.count, bytes[end] == 0x3E else { return nil }
    return (name, end + 1)
}

private func hasPrefix(_ bytes: [UInt8], at index: Int, _ prefix: String, caseInsensitive: Bool = false) -> Bool {
    hasPrefix(bytes, at: index, Array(prefix.utf8), caseInsensitive: caseInsensitive)
}

private func hasPrefix(_ bytes: [UInt8], at index: Int, _ prefix: [UInt8], caseInsensitive: Bool = false) -> Bool {
    var position = index
    for expected in prefix {
        guard position < bytes.count else { return false }
        var actual = bytes[position]
        if caseInsensitive, actual >= 0x41, actual <= 0x5A { actual += 0x20 }
        if actual != expected { return false }
        position += 1
    }
    return true
}

private func find(_ bytes: [UInt8], _ needle: String, from start: Int) -> Int? {
    let pattern = Array(needle.utf8)
    guard !pattern.isEmpty, start <= bytes.count - pattern.count else { return nil }
    var index = start
    while index <= bytes.count - pattern.count {
        if bytes[index] == pattern[0] && bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
        index += 1
    }
    return nil
}

private func findOnLine(_ bytes: [UInt8], _ byte: UInt8, from start: Int) -> Int? {
    var index = start
    while index < bytes.count, bytes[index] != 0x0A {
        if bytes[index] == byte { return index }
        index += 1
    }
    return nil
}

/// The words of a segment that are instructions: not in a quoted region, and none at all when the whole
/// segment is an example.
package func instructionWords(of segment: ProseSegment) -> [Word] {
    instructionWords(of: segment, regions: nil)
}

/// `instructionWords(of:)` with the segment's quoted regions when already known.
package func instructionWords(of segment: ProseSegment, regions known: [Range<Int>]?) -> [Word] {
    guard !segment.isExample else { return [] }
    let regions = known ?? quotedRegions(in: segment.text)
    let words = scanWords(segment.text, baseOffset: segment.utf8Start)
    guard !regions.isEmpty else { return words }
    // Regions are ordered and disjoint, and so are words: one merge pass.
    var next = 0
    return words.filter { word in
        let relative = word.range.start - segment.utf8Start
        while next < regions.count, regions[next].upperBound <= relative { next += 1 }
        return !(next < regions.count && regions[next].contains(relative))
    }
}

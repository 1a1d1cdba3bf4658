import Foundation
import PromptSyntax
import PromptText

/// A foldable region of a prompt, in zero-based lines (both included).
public struct FoldingRegion: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case frontmatter, message, block, comment, record
    }

    public var startLine: Int
    public var endLine: Int
    public var kind: Kind
}

/// The frontmatter, each role section (marker to its last non-blank line), each multi-line block
/// (`{{#if}}` … up to the line before `{{/if}}`), multi-line comments, and `<example>`-style records
/// (a line opening `<tag>` up to the line before its `</tag>`), sorted and without duplicates.
public func foldingRegions(_ document: PromptDocument, lineIndex: LineIndex) -> [FoldingRegion] {
    var regions: [FoldingRegion] = []
    let bytes = lineIndex.utf8
    func line(_ offset: Int) -> Int { lineIndex.line(containingUTF8Offset: offset) }
    func add(_ start: Int, _ end: Int, _ kind: FoldingRegion.Kind) {
        if end > start { regions.append(FoldingRegion(startLine: start, endLine: end, kind: kind)) }
    }
    if let frontmatter = document.frontmatter {
        // The closing delimiter's range starts with the line break before `---`.
        let closing = frontmatter.closingDelimiter
        add(
            line(frontmatter.openingDelimiter.start), line(closing.isEmpty ? closing.start : closing.end - 1),
            .frontmatter)
    }
    for message in document.messages {
        guard let marker = message.markerRange, !message.isHistory else { continue }
        var end = message.contentRange.end
        while end > message.contentRange.start, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[end - 1]) { end -= 1 }
        if end > message.contentRange.start { add(line(marker.start), line(end - 1), .message) }
    }
    for node in document.template.nodes {
        switch node.content {
        case .block(let block):
            guard let close = block.close else { continue }
            add(line(block.open.range.start), line(close.range.start) - 1, .block)
        case .comment:
            add(line(node.range.start), line(max(node.range.end - 1, node.range.start)), .comment)
        case .rawBlock(let raw):
            guard let close = raw.closeRange else { continue }
            add(line(raw.openRange.start), line(close.start) - 1, .block)
        default:
            break
        }
    }
    regions += recordRegions(
        lineIndex: lineIndex, from: line(document.templateRange.start),
        to: line(max(document.templateRange.end - 1, 0)))
    var seen: Set<FoldingRegion> = []
    return regions.filter { seen.insert($0).inserted }.sorted {
        ($0.startLine, $0.endLine) < ($1.startLine, $1.endLine)
    }
}

/// Lines that open an XML-like tag (`<example>`, `<ticket id="3">`) matched with a later line that
/// starts with its closing tag.
private func recordRegions(lineIndex: LineIndex, from firstLine: Int, to lastLine: Int) -> [FoldingRegion] {
    var open: [(name: [UInt8], line: Int)] = []
    var regions: [FoldingRegion] = []
    let bytes = lineIndex.utf8
    guard firstLine <= lastLine else { return [] }
    for line in firstLine...lastLine {
        let range = lineIndex.utf8Range(ofLine: line)
        var index = range.start
        while index < range.end, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index < range.end, bytes[index] == UInt8(ascii: "<") else { continue }
        var cursor = index + 1
        let closing = cursor < range.end && bytes[cursor] == UInt8(ascii: "/")
        if closing { cursor += 1 }
        let nameStart = cursor
        while cursor < range.end, isTagNameByte(bytes[cursor], first: cursor == nameStart) { cursor += 1 }
        guard cursor > nameStart, cursor < range.end,
            bytes[cursor] == UInt8(ascii: ">") || bytes[cursor] == 0x20
                || (bytes[cursor] == UInt8(ascii: "/") && !closing)
        else { continue }
        let name = Array(bytes[nameStart..<cursor])
        if closing {
            if let match = open.lastIndex(where: { $0.name == name }) {
                if line - 1 > open[match].line {
                    regions.append(
                        FoldingRegion(startLine: open[match].line, endLine: line - 1, kind: .record))
                }
                open.removeSubrange(match...)
            }
        } else {
            // `<tag>` and its `</tag>` on the same line fold nothing; `<br/>` opens nothing.
            let rest = bytes[cursor..<range.end]
            let tagEnd = rest.firstIndex(of: UInt8(ascii: ">"))
            let selfClosing = tagEnd.map { $0 > cursor && bytes[$0 - 1] == UInt8(ascii: "/") } ?? false
            let closedOnLine = rest.firstRange(of: Array("</".utf8) + name) != nil
            if !selfClosing && !closedOnLine { open.append((name, line)) }
        }
    }
    return regions
}

private func isTagNameByte(_ byte: UInt8, first: Bool) -> Bool {
    let letter =
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    if first { return letter }
    return letter || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        || byte == UInt8(ascii: "-")
        || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
}

/// The ranges around `offset`, innermost first, each containing the previous: the word, the path
/// or YAML scalar, the tag or YAML entry, enclosing blocks and mappings, the message or frontmatter,
/// and the whole document.
public func selectionRanges(at offset: Int, in document: PromptDocument, lineIndex: LineIndex) -> [UTF8Range]
{
    let bytes = lineIndex.utf8
    let offset = min(max(offset, 0), bytes.count)
    var candidates: [UTF8Range] = []
    // The word (letters, digits, `_`, and any non-ASCII character) under the cursor.
    func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80
            || isTagNameByte(byte, first: false) && byte != UInt8(ascii: ":") && byte != UInt8(ascii: ".")
                && byte != UInt8(ascii: "-")
    }
    var start = offset
    while start > 0, isWordByte(bytes[start - 1]) { start -= 1 }
    var end = offset
    while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
    if end > start { candidates.append(UTF8Range(start: start, end: end)) }
    // The line without its indentation and terminator.
    let lineRange = lineIndex.utf8Range(ofLine: lineIndex.line(containingUTF8Offset: offset))
    var lineStart = lineRange.start
    while lineStart < lineRange.end, bytes[lineStart] == 0x20 || bytes[lineStart] == 0x09 { lineStart += 1 }
    candidates.append(UTF8Range(start: lineStart, end: lineRange.end))

    if let frontmatter = document.frontmatter, frontmatter.blockRange.touches(offset) {
        var node = frontmatter.root
        var depth = 0
        while let current = node, depth < 200 {
            depth += 1
            candidates.append(current.range)
            node = nil
            if let pairs = current.pairs, let pair = pairs.first(where: { $0.range.touches(offset) }) {
                candidates.append(pair.range)
                if pair.key.range.touches(offset) {
                    candidates.append(pair.key.range)
                } else {
                    node = pair.value
                }
            } else if let items = current.items {
                node = items.first { $0.range.touches(offset) }
            }
        }
        candidates += [frontmatter.contentRange, frontmatter.blockRange]
    } else {
        let template = document.template
        for reference in template.references().variables where reference.path.range.touches(offset) {
            candidates.append(reference.path.range)
            candidates += reference.path.segments.filter { $0.range.touches(offset) }.map(\.range)
        }
        for node in template.nodes where node.range.touches(offset) {
            candidates.append(node.range)
            switch node.content {
            case .block(let block):
                candidates.append(block.open.range)
                if block.open.call.range.touches(offset) { candidates.append(block.open.call.range) }
                if let close = block.close { candidates.append(close.range) }
                if let first = block.body.first,
                    let last = (block.elseBranches.last?.body ?? block.body).last ?? block.body.last
                {
                    candidates.append(template[first].range.union(template[last].range))
                }
            case .mustache(let mustache):
                candidates.append(mustache.call.range)
            case .partial(let partial):
                candidates.append(partial.name.range)
            default:
                break
            }
        }
        for message in document.messages {
            let full = message.markerRange.map { $0.union(message.contentRange) } ?? message.contentRange
            if full.touches(offset) { candidates += [message.contentRange, full] }
        }
        candidates += [document.templateRange, document.body]
    }
    candidates.append(UTF8Range(start: 0, end: bytes.count))
    // Innermost first; keep each range only when it contains the one before (so the chain nests).
    var chain: [UTF8Range] = []
    for range in candidates.filter({ $0.touches(offset) }).sorted(by: { $0.length < $1.length }) {
        if let last = chain.last {
            guard range.contains(last), range != last else { continue }
        }
        chain.append(range)
    }
    return chain
}

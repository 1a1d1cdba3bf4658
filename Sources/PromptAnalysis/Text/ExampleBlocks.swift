import Foundation

/// Few-shot material written as lines rather than tags: labelled records (`Q:`/`A:`, `Input:`/`Output:`,
/// `Review:`/`Sentiment:`: any labels that repeat), the section under an `### Example` heading, and the
/// block after an introduction such as "Here are some examples:". Wording rules treat it as data (a
/// "please" in an example is the example's content), and `few-shot-oversized` counts its records.
/// Offsets are relative to the text; everything is one pass over its lines.
package struct ExampleBlocks: Sendable {
    /// Byte ranges of example material, ordered and disjoint.
    package var regions: [Range<Int>] = []
    /// Demonstrations: labelled records (input and answer), the query record excluded.
    package var records: [Range<Int>] = []
    /// Demonstrations as sections: the text under each `### Example` heading, and each item after "Here
    /// are some examples:".
    package var sections: [Range<Int>] = []
}

/// A line of the text: its bytes `start..<end` (without the line break) and, when it starts with a
/// field label, the label (case-folded) and whether anything follows the colon.
private struct Line {
    var start: Int
    var end: Int
    /// The line break included (the next line's start).
    var next: Int
    var isBlank: Bool
    var label: String?
    var labelHasContent = false
    var headingLevel = 0
    var isListItem = false
    var firstByte: UInt8 = 0
}

/// Labels that head instructions, not data, even when they repeat ("Note:", "Rules:").
private let instructionLabels: Set<String> = [
    "note", "notes", "nb", "todo", "fixme", "important", "rule", "rules", "instruction", "instructions", "task",
    "goal", "goals", "warning", "tip", "hint", "constraints", "requirements", "guidelines", "steps", "step",
    "format", "output format", "role", "persona", "objective", "remember", "caution", "context", "background",
    "reminder", "http", "https",
]

/// Labels that mark dialogue or example data wherever they occur (a single occurrence is one line of data).
private let dataLabels: Set<String> = [
    "user", "assistant", "human", "ai", "input", "output", "q", "a", "customer", "agent", "question", "answer",
    "text", "review", "message", "email", "example", "sample", "submission", "response", "sentiment", "label",
    "query", "reply", "bot", "model", "system",
]

/// The example material of a text (see `ExampleBlocks`): labelled records whose labels repeat, example
/// sections under headings, and example blocks after an introduction, in one pass over its lines.
package func exampleBlocks(in bytes: [UInt8]) -> ExampleBlocks {
    let lines = scanLines(bytes)
    guard lines.count > 1 else { return ExampleBlocks() }
    // How often each label starts a line.
    var counts: [String: Int] = [:]
    for line in lines { if let label = line.label { counts[label, default: 0] += 1 } }
    let repeated = counts.filter { $0.value >= 2 && !instructionLabels.contains($0.key) }
    // Record labels: labels that repeat alongside another repeated label (Input/Output), or data labels
    // that repeat on their own ("Example:" ×3).
    let recordLabels = Set(repeated.keys.filter { repeated.count >= 2 || dataLabels.contains($0) || isExampleLabel($0) })

    var result = ExampleBlocks()
    var index = 0
    // The label that starts each record: the first record label seen ("Input" of Input/Output).
    var firstLabel: String?
    while index < lines.count {
        let line = lines[index]
        if let label = line.label, recordLabels.contains(label) {
            // A run of labelled lines with their continuation lines, up to a blank line or a heading.
            if firstLabel == nil { firstLabel = label }
            var stop = index
            var starts = [index]
            while stop + 1 < lines.count, !lines[stop + 1].isBlank, lines[stop + 1].headingLevel == 0 {
                stop += 1
                if stop > index, lines[stop].label == firstLabel { starts.append(stop) }
            }
            append(&result.regions, line.start..<lines[stop].end)
            // Records: the run split where the first label recurs. The query is the record that ends in
            // an empty label at the end of the text (the model writes the answer).
            for (position, first) in starts.enumerated() {
                let last = position + 1 < starts.count ? starts[position + 1] - 1 : stop
                let isQuery = last == lines.count - 1 && lines[last].label != nil && !lines[last].labelHasContent
                if !isQuery { result.records.append(lines[first].start..<lines[last].end) }
            }
            index = stop + 1
            continue
        }
        if line.headingLevel > 0, isExampleHeading(bytes, line) {
            // An `### Example` section: up to the next heading of the same or a higher level.
            var stop = index + 1
            while stop < lines.count, lines[stop].headingLevel == 0 || lines[stop].headingLevel > line.headingLevel {
                // The last example often runs into the instructions that follow it ("Now provide your
                // analysis…"): a paragraph that opens with such a word ends the section.
                if stop > index + 1, lines[stop - 1].isBlank, opensInstruction(bytes, lines[stop]) { break }
                stop += 1
            }
            while stop > index + 1, lines[stop - 1].isBlank { stop -= 1 }
            if stop > index + 1 {
                append(&result.regions, lines[index + 1].start..<lines[stop - 1].end)
                result.sections.append(line.start..<lines[stop - 1].end)
            }
            index = stop
            continue
        }
        if isExampleIntroduction(bytes, line) {
            // "Here are some examples:" then a block of lines, and further blocks of the same shape.
            var first = index + 1
            while first < lines.count, lines[first].isBlank { first += 1 }
            guard first < lines.count, lines[first].headingLevel == 0, !isExampleIntroduction(bytes, lines[first]) else {
                index += 1
                continue
            }
            var stop = first
            while true {
                while stop + 1 < lines.count, !lines[stop + 1].isBlank, lines[stop + 1].headingLevel == 0 { stop += 1 }
                var next = stop + 1
                while next < lines.count, lines[next].isBlank { next += 1 }
                guard next < lines.count, sameShape(lines[first], lines[next], bytes) else { break }
                stop = next
            }
            // The introduction describes the examples ("an output that is not a funny joke"): it is part
            // of them, not an instruction.
            append(&result.regions, line.start..<lines[stop].end)
            // Each list item, or each block of the same shape, is one example.
            var itemStart: Int?
            for position in first...stop {
                let current = lines[position]
                let startsItem = lines[first].isListItem ? current.isListItem : (position == first || (lines[position - 1].isBlank && !current.isBlank))
                if startsItem {
                    if let open = itemStart { result.sections.append(lines[open].start..<lines[position - 1].end) }
                    itemStart = position
                }
            }
            if let open = itemStart { result.sections.append(lines[open].start..<lines[stop].end) }
            index = stop + 1
            continue
        }
        index += 1
    }
    return result
}

/// Adds a region, merging it with the previous one when they touch.
private func append(_ regions: inout [Range<Int>], _ region: Range<Int>) {
    guard !region.isEmpty else { return }
    if let last = regions.last, last.upperBound >= region.lowerBound {
        regions[regions.count - 1] = last.lowerBound..<max(last.upperBound, region.upperBound)
    } else {
        regions.append(region)
    }
}

private func isExampleLabel(_ label: String) -> Bool {
    label.hasPrefix("example") || label.hasPrefix("sample")
}

private func scanLines(_ bytes: [UInt8]) -> [Line] {
    var lines: [Line] = []
    lines.reserveCapacity(bytes.count / 40 + 1)
    // Line ends found with memchr (this runs over a whole text node on every analysis, for chunking).
    let lineEnds: [Int] = bytes.withUnsafeBufferPointer { buffer in
        var ends: [Int] = []
        ends.reserveCapacity(buffer.count / 40 + 1)
        guard let base = buffer.baseAddress else { return ends }
        var offset = 0
        while offset < buffer.count, let found = memchr(base + offset, 0x0A, buffer.count - offset) {
            let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            ends.append(index)
            offset = index + 1
        }
        return ends
    }
    var nextEnd = 0
    var start = 0
    while start < bytes.count {
        let end = nextEnd < lineEnds.count ? lineEnds[nextEnd] : bytes.count
        nextEnd += 1
        let next = min(bytes.count, end + 1)
        var contentEnd = end
        if contentEnd > start, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        var line = Line(start: start, end: contentEnd, next: next, isBlank: true)
        var cursor = start
        while cursor < contentEnd, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
        if cursor < contentEnd {
            line.isBlank = false
            line.firstByte = bytes[cursor]
            var hashes = 0
            while cursor + hashes < contentEnd, bytes[cursor + hashes] == 0x23 { hashes += 1 }
            if hashes > 0, hashes <= 6, cursor + hashes < contentEnd, bytes[cursor + hashes] == 0x20 {
                line.headingLevel = hashes
            }
            var labelStart = cursor
            if line.headingLevel == 0 {
                // A list marker before a label: `- Input:`, `1. Q:`.
                if [0x2D, 0x2A, 0x2B].contains(bytes[cursor]), cursor + 1 < contentEnd, bytes[cursor + 1] == 0x20 {
                    line.isListItem = true
                    labelStart = cursor + 2
                } else {
                    var digits = cursor
                    while digits < contentEnd, bytes[digits] >= 0x30, bytes[digits] <= 0x39 { digits += 1 }
                    if digits > cursor, digits + 1 < contentEnd, bytes[digits] == 0x2E || bytes[digits] == 0x29,
                       bytes[digits + 1] == 0x20
                    {
                        line.isListItem = true
                        labelStart = digits + 2
                    }
                }
                // Bold labels: `**Input:**`.
                while labelStart < contentEnd, bytes[labelStart] == 0x2A { labelStart += 1 }
                if let (label, hasContent) = fieldLabel(bytes, from: labelStart, to: contentEnd) {
                    line.label = label
                    line.labelHasContent = hasContent
                }
            }
        }
        lines.append(line)
        start = next
    }
    return lines
}

/// A field label at `start`: one to four words of letters or digits (the first a letter) and a colon
/// followed by a space or the line end, at most 32 bytes. Returns the label case-folded, and whether
/// text follows it on the line.
private func fieldLabel(_ bytes: [UInt8], from start: Int, to end: Int) -> (String, Bool)? {
    guard start < end, isASCIILetterByte(bytes[start]) else { return nil }
    // Validate first (most lines are not labels), then build the folded label once.
    var cursor = start
    var words = 1
    while cursor < end, cursor - start <= 32 {
        let byte = bytes[cursor]
        if isASCIILetterByte(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x27 || byte == 0x5F || byte == 0x2D {
            cursor += 1
            continue
        }
        if byte == 0x20 {
            words += 1
            guard words <= 4 else { return nil }
            cursor += 1
            continue
        }
        guard byte == 0x3A else { return nil }
        var after = cursor + 1
        while after < end, bytes[after] == 0x2A { after += 1 }
        guard after == end || bytes[after] == 0x20 || bytes[after] == 0x09 else { return nil }
        while after < end, bytes[after] == 0x20 || bytes[after] == 0x09 { after += 1 }
        var labelEnd = cursor
        while labelEnd > start, bytes[labelEnd - 1] == 0x20 { labelEnd -= 1 }
        guard labelEnd > start else { return nil }
        let label = String(decoding: bytes[start..<labelEnd].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        return (label, after < end)
    }
    return nil
}

private func isASCIILetterByte(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

/// The folded words of a line (ASCII letters only; enough to recognise "example" and "sample").
private func lineWords(_ bytes: [UInt8], _ line: Line) -> [String] {
    var words: [String] = []
    var current: [UInt8] = []
    for byte in bytes[line.start..<line.end] {
        if isASCIILetterByte(byte) {
            current.append(byte | 0x20)
        } else if !current.isEmpty {
            words.append(String(decoding: current, as: UTF8.self))
            current.removeAll(keepingCapacity: true)
        }
    }
    if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
    return words
}

private let exampleWords: Set<String> = ["example", "examples", "sample", "samples", "demonstration", "demonstrations"]

private func isExampleHeading(_ bytes: [UInt8], _ line: Line) -> Bool {
    let words = lineWords(bytes, line)
    return words.count <= 8 && words.contains { exampleWords.contains($0) }
}

/// "Here are some examples:", "Here is an example of an output that is a funny joke:", "Example:" — a
/// short line that names examples and ends with a colon.
private func isExampleIntroduction(_ bytes: [UInt8], _ line: Line) -> Bool {
    guard !line.isBlank, line.headingLevel == 0 else { return false }
    var end = line.end
    while end > line.start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x2A { end -= 1 }
    guard end > line.start, bytes[end - 1] == 0x3A else { return false }
    let words = lineWords(bytes, line)
    guard words.count <= 20 else { return false }
    if words.contains(where: { exampleWords.contains($0) }) { return true }
    return words.count <= 4 && words.contains("for") && words.contains("instance")
}

/// Whether two blocks after an introduction look alike: the same label, both list items, or the same
/// first character (a quote, a brace).
private func sameShape(_ first: Line, _ other: Line, _ bytes: [UInt8]) -> Bool {
    guard other.headingLevel == 0, !isExampleIntroduction(bytes, other) else { return false }
    if let label = first.label { return other.label == label }
    if first.isListItem { return other.isListItem }
    return [0x22, 0x7B, 0x5B, 0x3C, 0x60].contains(first.firstByte) && first.firstByte == other.firstByte
}

/// Words that open an instruction paragraph after examples ("Now provide…", "Your response must…").
private let instructionOpeners: Set<String> = [
    "now", "then", "finally", "next", "your", "you", "use", "answer", "provide", "respond", "return", "remember",
    "given", "below", "please", "do", "don't", "never", "always", "make", "write",
]

private func opensInstruction(_ bytes: [UInt8], _ line: Line) -> Bool {
    guard !line.isBlank, line.label == nil, line.headingLevel == 0 else { return false }
    return lineWords(bytes, line).first.map { instructionOpeners.contains($0) } ?? false
}

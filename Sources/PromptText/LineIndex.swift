/// Column units of a `LinePosition`. LSP's default is UTF-16; clients may negotiate UTF-8 or UTF-32.
public enum PositionEncoding: String, Sendable, Codable, CaseIterable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case utf32 = "utf-32"
}

/// A zero-based line and a column counted in some `PositionEncoding`'s code units.
public struct LinePosition: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: LinePosition, rhs: LinePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A range of `LinePosition`s (start inclusive, end exclusive), as LSP ranges are.
public struct LineRange: Hashable, Sendable, Codable, CustomStringConvertible {
    public var start: LinePosition
    public var end: LinePosition

    public init(start: LinePosition, end: LinePosition) {
        self.start = start
        self.end = end
    }

    public var description: String { "\(start)-\(end)" }
}

/// Maps UTF-8 offsets to line/column positions and back, in UTF-8, UTF-16 or UTF-32 units.
///
/// Lines end at `\n`, `\r\n` or a lone `\r` (as LSP specifies). Building the index is one pass over the
/// bytes; each lookup is a binary search over line starts plus a scan of at most
/// `checkpointSpacing` bytes (none inside a run of ASCII): lines longer than that carry column checkpoints, so that a file that is
/// one 7 MB line costs the same per lookup as a file of short lines (thousands of findings on one line
/// would otherwise each count their column from the line start: quadratic). Positions past the
/// end of a line clamp to the line end (before its terminator); lines past the end clamp to the end of
/// the document; offsets inside a multi-byte scalar round down to the scalar's start.
public struct LineIndex: Sendable {
    /// The document's bytes, kept so that columns can be measured in any encoding.
    public let utf8: [UInt8]
    /// The UTF-8 offset at which each line starts; always begins with 0.
    public let lineStarts: [Int]
    /// Scalar starts inside long lines, about every `checkpointSpacing` bytes, with their UTF-16 and
    /// UTF-32 columns; sorted by offset (and, within a line, by column).
    /// (Set once, at the end of `init`: building them uses the other stored properties.)
    private var checkpoints: [ColumnCheckpoint]

    /// Bytes between column checkpoints; lines up to twice this long have none.
    static let checkpointSpacing = 256

    private struct ColumnCheckpoint: Sendable {
        var utf8Offset: Int
        var utf16Column: Int
        var utf32Column: Int
        /// Where the run of ASCII bytes starting here ends (at most the line end): inside it a column is
        /// the checkpoint's plus the byte distance, with no scan at all.
        var asciiEnd: Int = 0

        func column(in encoding: PositionEncoding) -> Int {
            switch encoding {
            case .utf8: 0
            case .utf16: utf16Column
            case .utf32: utf32Column
            }
        }
    }

    public init(_ text: String) { self.init(utf8: Array(text.utf8)) }

    public init(utf8: [UInt8]) {
        self.utf8 = utf8
        var starts = [0]
        starts.reserveCapacity(utf8.count / 32 + 1)
        utf8.withUnsafeBufferPointer { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                index += 1
                if byte == 0x0A {
                    starts.append(index)
                } else if byte == 0x0D {
                    if index < count && bytes[index] == 0x0A { index += 1 }
                    starts.append(index)
                }
            }
        }
        self.lineStarts = starts
        self.checkpoints = []
        self.checkpoints = makeCheckpoints()
    }

    /// Walks every line longer than twice `checkpointSpacing` scalar by scalar, exactly as `units` does,
    /// and records where the walk stands every `checkpointSpacing` bytes.
    private func makeCheckpoints() -> [ColumnCheckpoint] {
        var result: [ColumnCheckpoint] = []
        let spacing = Self.checkpointSpacing
        for line in lineStarts.indices {
            let range = utf8Range(ofLine: line)
            guard range.length > 2 * spacing else { continue }
            var offset = range.start
            var utf16Column = 0
            var utf32Column = 0
            var nextMark = offset + spacing
            let firstOfLine = result.count
            while offset < range.end {
                if offset >= nextMark {
                    result.append(ColumnCheckpoint(utf8Offset: offset, utf16Column: utf16Column, utf32Column: utf32Column))
                    nextMark = offset + spacing
                }
                let (length, units16) = scalarShape(at: offset, in: .utf16)
                utf16Column += units16
                utf32Column += 1
                offset += length
            }
            // ASCII runs, last checkpoint first: a run that reaches the next checkpoint goes on as far as
            // that one's does (each byte is looked at once).
            var index = result.count - 1
            while index >= firstOfLine {
                let stop = index + 1 < result.count ? result[index + 1].utf8Offset : range.end
                var end = result[index].utf8Offset
                while end < stop && utf8[end] < 0x80 { end += 1 }
                result[index].asciiEnd = end == stop && index + 1 < result.count ? result[index + 1].asciiEnd : end
                index -= 1
            }
        }
        return result
    }

    /// The index of the last checkpoint at or before `utf8Offset`, if any.
    private func lastCheckpoint(atOrBefore utf8Offset: Int) -> Int? {
        var low = 0
        var high = checkpoints.count
        // Invariant: checkpoints before `low` are at or before the offset; from `high` on, after it.
        while low < high {
            let middle = (low + high) / 2
            if checkpoints[middle].utf8Offset <= utf8Offset { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : low - 1
    }

    public var lineCount: Int { lineStarts.count }
    public var utf8Count: Int { utf8.count }

    /// The line containing `utf8Offset` (clamped to the document).
    public func line(containingUTF8Offset utf8Offset: Int) -> Int {
        let offset = min(max(utf8Offset, 0), utf8.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The bytes of `line` without its terminator.
    public func utf8Range(ofLine line: Int) -> UTF8Range {
        let line = min(max(line, 0), lineStarts.count - 1)
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : utf8.count
        if end > start && utf8[end - 1] == 0x0A { end -= 1 }
        if end > start && utf8[end - 1] == 0x0D { end -= 1 }
        return UTF8Range(start: start, end: end)
    }

    /// The bytes of `line` including its terminator.
    public func utf8RangeIncludingTerminator(ofLine line: Int) -> UTF8Range {
        let line = min(max(line, 0), lineStarts.count - 1)
        let end = line + 1 < lineStarts.count ? lineStarts[line + 1] : utf8.count
        return UTF8Range(start: lineStarts[line], end: end)
    }

    /// The line break that ends `line` (`"\r\n"`, `"\r"` or `"\n"`); for the last line, which has
    /// none, the one ending the line before it; `"\n"` in a one-line text. What an edit inserting a
    /// whole line uses, so a CRLF file stays CRLF.
    public func lineBreak(nearLine line: Int) -> String {
        let line = min(max(line, 0), lineStarts.count - 1)
        let candidate = line + 1 < lineStarts.count ? line : line - 1
        guard candidate >= 0 else { return "\n" }
        let content = utf8Range(ofLine: candidate).end
        let next = lineStarts[candidate + 1]
        return String(decoding: utf8[content..<next], as: UTF8.self)
    }

    /// The position of `utf8Offset`, with the column counted in `encoding` units.
    public func position(ofUTF8Offset utf8Offset: Int, in encoding: PositionEncoding) -> LinePosition {
        var offset = min(max(utf8Offset, 0), utf8.count)
        let line = line(containingUTF8Offset: offset)
        let lineRange = utf8Range(ofLine: line)
        // An offset inside the terminator (between \r and \n) belongs to the line end.
        offset = min(offset, lineRange.end)
        while offset > lineRange.start && offset < utf8.count && isContinuationByte(utf8[offset]) {
            offset -= 1
        }
        return LinePosition(line: line, column: units(from: lineRange.start, to: offset, in: encoding))
    }

    /// The UTF-8 offset of `position`, clamping lines and columns that lie past the end, and rounding a
    /// column that falls inside a scalar (half a surrogate pair) down to the scalar's start.
    public func utf8Offset(of position: LinePosition, in encoding: PositionEncoding) -> Int {
        if position.line < 0 { return 0 }
        if position.line >= lineStarts.count { return utf8.count }
        let lineRange = utf8Range(ofLine: position.line)
        if encoding == .utf8 {
            var offset = lineRange.start + min(max(position.column, 0), lineRange.length)
            while offset > lineRange.start && offset < lineRange.end && isContinuationByte(utf8[offset]) {
                offset -= 1
            }
            return offset
        }
        var remaining = max(position.column, 0)
        var offset = lineRange.start
        // Start from the last checkpoint of this line whose column is not past the target: the walk
        // from the line start passes through it (columns only grow), so the result is the same.
        if lineRange.length > 2 * Self.checkpointSpacing {
            // This line's checkpoints are `first..<end` (all lie strictly inside the line).
            let first = (lastCheckpoint(atOrBefore: lineRange.start) ?? -1) + 1
            let end = (lastCheckpoint(atOrBefore: lineRange.end) ?? -1) + 1
            var low = first
            var high = end
            while low < high {
                let middle = (low + high) / 2
                if checkpoints[middle].column(in: encoding) <= remaining { low = middle + 1 } else { high = middle }
            }
            if low > first {
                let checkpoint = checkpoints[low - 1]
                remaining -= checkpoint.column(in: encoding)
                // Through the ASCII run at once: one unit per byte.
                let ascii = checkpoint.asciiEnd - checkpoint.utf8Offset
                if remaining <= ascii { return checkpoint.utf8Offset + remaining }
                offset = checkpoint.asciiEnd
                remaining -= ascii
            }
        }
        while offset < lineRange.end && remaining > 0 {
            let (length, units) = scalarShape(at: offset, in: encoding)
            if units > remaining { break }
            remaining -= units
            offset += length
        }
        return offset
    }

    public func lineRange(of range: UTF8Range, in encoding: PositionEncoding) -> LineRange {
        LineRange(
            start: position(ofUTF8Offset: range.start, in: encoding),
            end: position(ofUTF8Offset: range.end, in: encoding))
    }

    public func utf8Range(of range: LineRange, in encoding: PositionEncoding) -> UTF8Range {
        let start = utf8Offset(of: range.start, in: encoding)
        let end = utf8Offset(of: range.end, in: encoding)
        return UTF8Range(start: min(start, end), end: max(start, end))
    }

    /// Code units of `encoding` between a line's start and a UTF-8 offset on that line.
    private func units(from start: Int, to end: Int, in encoding: PositionEncoding) -> Int {
        if encoding == .utf8 { return end - start }
        var count = 0
        var offset = start
        if end - start > Self.checkpointSpacing, let index = lastCheckpoint(atOrBefore: end),
            checkpoints[index].utf8Offset >= start
        {
            let checkpoint = checkpoints[index]
            // Through the ASCII run at once: one unit per byte.
            if end <= checkpoint.asciiEnd { return checkpoint.column(in: encoding) + (end - checkpoint.utf8Offset) }
            offset = checkpoint.asciiEnd
            count = checkpoint.column(in: encoding) + (checkpoint.asciiEnd - checkpoint.utf8Offset)
        }
        while offset < end {
            let (length, units) = scalarShape(at: offset, in: encoding)
            count += units
            offset += length
        }
        return count
    }

    /// The UTF-8 length of the scalar starting at `offset` and its size in `encoding` units. Invalid
    /// bytes count as one byte and one unit (they were replaced when the text became a `String`).
    private func scalarShape(at offset: Int, in encoding: PositionEncoding) -> (length: Int, units: Int) {
        let lead = utf8[offset]
        let length: Int
        switch lead {
        case 0..<0x80: length = 1
        case 0xC0..<0xE0: length = 2
        case 0xE0..<0xF0: length = 3
        case 0xF0..<0xF8: length = 4
        default: length = 1
        }
        let clamped = min(length, utf8.count - offset)
        switch encoding {
        case .utf8: return (clamped, clamped)
        case .utf16: return (clamped, length == 4 ? 2 : 1)
        case .utf32: return (clamped, 1)
        }
    }

    private func isContinuationByte(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
}

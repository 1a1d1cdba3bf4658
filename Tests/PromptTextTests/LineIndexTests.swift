import XCTest

@testable import PromptText

final class LineIndexTests: XCTestCase {
    /// Checks that `offset` maps to `expected` (line, column) in every encoding, and that each position
    /// maps back to `offset`. `expected` lists columns as (utf8, utf16, utf32).
    private func check(
        _ text: String, offset: Int, line: Int, columns: (Int, Int, Int), roundTrips: Bool = true,
        file: StaticString = #filePath, lineNumber: UInt = #line
    ) {
        let index = LineIndex(text)
        let expected: [(PositionEncoding, Int)] = [(.utf8, columns.0), (.utf16, columns.1), (.utf32, columns.2)]
        for (encoding, column) in expected {
            let position = index.position(ofUTF8Offset: offset, in: encoding)
            XCTAssertEqual(
                position, LinePosition(line: line, column: column), "\(encoding) for offset \(offset)",
                file: file, line: lineNumber)
            if roundTrips {
                XCTAssertEqual(
                    index.utf8Offset(of: position, in: encoding), offset, "\(encoding) back to offset",
                    file: file, line: lineNumber)
            }
        }
    }

    func testASCIIAndLineEnds() {
        check("", offset: 0, line: 0, columns: (0, 0, 0))
        check("abc", offset: 3, line: 0, columns: (3, 3, 3))
        check("ab\ncd", offset: 3, line: 1, columns: (0, 0, 0))
        check("ab\r\ncd", offset: 4, line: 1, columns: (0, 0, 0))
        check("ab\rcd", offset: 3, line: 1, columns: (0, 0, 0))
        check("ab\rcd", offset: 5, line: 1, columns: (2, 2, 2))
        check("a\n\n", offset: 3, line: 2, columns: (0, 0, 0))
        check("a\r\r\n\n", offset: 2, line: 1, columns: (0, 0, 0))
        check("a\r\r\n\n", offset: 4, line: 2, columns: (0, 0, 0))
        // An offset between \r and \n belongs to the end of the line, not to the next one.
        check("ab\r\ncd", offset: 3, line: 0, columns: (2, 2, 2), roundTrips: false)
    }

    func testMultiByteScalars() {
        // "é" precomposed is 2 UTF-8 bytes, 1 UTF-16 unit.
        check("é!", offset: 2, line: 0, columns: (2, 1, 1))
        // CJK: 3 bytes, 1 unit.
        check("日本語x", offset: 9, line: 0, columns: (9, 3, 3))
        // Emoji outside the BMP: 4 bytes, a surrogate pair, 1 scalar.
        check("a😀b", offset: 5, line: 0, columns: (5, 3, 2))
        // A combining mark is its own scalar: "e" + U+0301.
        check("e\u{301}x", offset: 3, line: 0, columns: (3, 2, 2))
        // ZWJ family: man, ZWJ, woman (4 + 3 + 4 bytes).
        check("👨\u{200D}👩.", offset: 11, line: 0, columns: (11, 5, 3))
        check("x\r\n😀😀", offset: 7, line: 1, columns: (4, 2, 1))
    }

    func testOffsetsInsideScalarsRoundDown() {
        let index = LineIndex("a😀b")
        XCTAssertEqual(index.position(ofUTF8Offset: 3, in: .utf16), LinePosition(line: 0, column: 1))
        // Half a surrogate pair rounds down to the scalar start.
        XCTAssertEqual(index.utf8Offset(of: LinePosition(line: 0, column: 2), in: .utf16), 1)
        XCTAssertEqual(index.utf8Offset(of: LinePosition(line: 0, column: 3), in: .utf8), 1)
    }

    func testClamping() {
        let index = LineIndex("ab\ncd\r\n")
        XCTAssertEqual(index.lineCount, 3)
        XCTAssertEqual(index.utf8Offset(of: LinePosition(line: 0, column: 99), in: .utf16), 2)
        XCTAssertEqual(index.utf8Offset(of: LinePosition(line: 1, column: 99), in: .utf8), 5)
        XCTAssertEqual(index.utf8Offset(of: LinePosition(line: 99, column: 0), in: .utf16), 7)
        XCTAssertEqual(index.utf8Offset(of: LinePosition(line: -1, column: 5), in: .utf16), 0)
        XCTAssertEqual(index.utf8Offset(of: LinePosition(line: 0, column: -3), in: .utf16), 0)
        XCTAssertEqual(index.position(ofUTF8Offset: 999, in: .utf16), LinePosition(line: 2, column: 0))
        XCTAssertEqual(index.position(ofUTF8Offset: -5, in: .utf16), LinePosition(line: 0, column: 0))
    }

    func testLineRanges() {
        let index = LineIndex("ab\r\ncd\ref\n")
        XCTAssertEqual(
            (0..<index.lineCount).map { index.utf8Range(ofLine: $0) },
            [UTF8Range(start: 0, end: 2), UTF8Range(start: 4, end: 6), UTF8Range(start: 7, end: 9),
             UTF8Range(start: 10, end: 10)])
        XCTAssertEqual(index.utf8RangeIncludingTerminator(ofLine: 0), UTF8Range(start: 0, end: 4))
        XCTAssertEqual((0...10).map { index.line(containingUTF8Offset: $0) }, [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3])
    }

    func testLineBreakOfALine() {
        let rows: [(text: String, breaks: [String])] = [
            ("ab\r\ncd\ref\n", ["\r\n", "\r", "\n", "\n"]),  // the last (empty) line borrows the one before
            ("ab\r\ncd", ["\r\n", "\r\n"]),
            ("one line", ["\n"]),
            ("", ["\n"]),
        ]
        for row in rows {
            let index = LineIndex(row.text)
            XCTAssertEqual((0..<index.lineCount).map { index.lineBreak(nearLine: $0) }, row.breaks, row.text.debugDescription)
        }
    }

    /// Lines longer than `checkpointSpacing` start their column scans at checkpoints. Every offset of
    /// long mixed lines (ASCII, 2-, 3- and 4-byte scalars, CRLF, several long lines) must map to the
    /// columns Swift's own UTF-16 and scalar views give, and back.
    func testLongLinesMatchSwiftsOwnCounts() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "word ", "é", "日本", "😀", "e\u{301}", "\t"]
        var text = ""
        for line in 0..<4 {
            let length = [10, 3_000, 1_500, 7_000][line]
            for _ in 0..<length { text += pieces.randomElement(using: &generator)! }
            text += line == 1 ? "\r\n" : "\n"
        }
        // Long ASCII runs across many checkpoints, broken by a few multi-byte scalars (the ASCII fast path).
        text += String(repeating: "ascii words ", count: 700) + "é" + String(repeating: "x", count: 2_000) + "😀"
            + String(repeating: "y ", count: 1_000) + "日\n"
        let index = LineIndex(text)
        let bytes = Array(text.utf8)
        XCTAssertEqual(index.lineCount, 6)
        for line in 0..<index.lineCount {
            let range = index.utf8Range(ofLine: line)
            var offset = range.start
            while offset <= range.end {
                let prefix = String(decoding: bytes[range.start..<offset], as: UTF8.self)
                let expected: [(PositionEncoding, Int)] = [
                    (.utf8, offset - range.start), (.utf16, prefix.utf16.count), (.utf32, prefix.unicodeScalars.count),
                ]
                for (encoding, column) in expected {
                    let position = index.position(ofUTF8Offset: offset, in: encoding)
                    XCTAssertEqual(position, LinePosition(line: line, column: column), "\(encoding) offset \(offset)")
                    XCTAssertEqual(index.utf8Offset(of: position, in: encoding), offset, "\(encoding) back from \(position)")
                }
                // Step to the next scalar start.
                offset += 1
                while offset < range.end && bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            }
            // A UTF-16 column inside a surrogate pair rounds down, also far into a long line.
            if let emoji = prefixUpToLastEmoji(bytes[range.start..<range.end]) {
                let column = String(decoding: bytes[range.start..<(range.start + emoji)], as: UTF8.self).utf16.count
                XCTAssertEqual(index.utf8Offset(of: LinePosition(line: line, column: column + 1), in: .utf16), range.start + emoji)
            }
        }
    }

    /// Invalid bytes (lone continuation bytes, truncated sequences) in a long line: the checkpointed
    /// lookups agree with a plain scan from the line start, the documented one-unit-per-bad-byte rule.
    func testLongLinesWithInvalidBytesMatchAPlainScan() {
        var bytes: [UInt8] = []
        let pieces: [[UInt8]] = [[0x61], [0x80], [0xC3, 0xA9], [0xE6, 0x97], [0xF0, 0x9F, 0x98, 0x80], [0xFF], [0xF0, 0x41]]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 { bytes += pieces.randomElement(using: &generator)! }
        let index = LineIndex(utf8: bytes)
        /// The scan the index documents: a lead byte's length, one unit per scalar (two for 4-byte
        /// leads in UTF-16), whatever follows it.
        func plainColumns(to end: Int) -> (utf16: Int, utf32: Int, start: Int) {
            var offset = 0
            var units = (0, 0)
            while offset < end {
                let lead = bytes[offset]
                let length = lead < 0x80 ? 1 : lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 1
                units.0 += length == 4 ? 2 : 1
                units.1 += 1
                offset += length
            }
            return (units.0, units.1, offset)
        }
        for offset in stride(from: 0, through: bytes.count, by: 7) {
            var rounded = offset
            while rounded > 0 && rounded < bytes.count && bytes[rounded] & 0xC0 == 0x80 { rounded -= 1 }
            let expected = plainColumns(to: rounded)
            XCTAssertEqual(index.position(ofUTF8Offset: offset, in: .utf16).column, expected.utf16, "offset \(offset)")
            XCTAssertEqual(index.position(ofUTF8Offset: offset, in: .utf32).column, expected.utf32, "offset \(offset)")
        }
        for column in stride(from: 0, through: 4_000, by: 13) {
            var offset = 0
            var remaining = column
            while offset < bytes.count && remaining > 0 {
                let lead = bytes[offset]
                let length = lead < 0x80 ? 1 : lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 1
                let units = length == 4 ? 2 : 1
                if units > remaining { break }
                remaining -= units
                offset = min(offset + length, bytes.count)
            }
            XCTAssertEqual(index.utf8Offset(of: LinePosition(line: 0, column: column), in: .utf16), offset, "column \(column)")
        }
    }

    private func prefixUpToLastEmoji(_ line: ArraySlice<UInt8>) -> Int? {
        guard let last = line.lastIndex(of: 0xF0) else { return nil }
        return last - line.startIndex
    }
}

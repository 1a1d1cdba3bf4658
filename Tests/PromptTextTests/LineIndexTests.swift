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
}

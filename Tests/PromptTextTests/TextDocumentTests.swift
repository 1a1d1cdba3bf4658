import XCTest

@testable import PromptText

final class TextDocumentTests: XCTestCase {
    /// Applies `changes` (positions in `encoding`) to `text` and compares with `expected`.
    private func check(
        _ text: String, _ changes: [TextChange], encoding: PositionEncoding = .utf16, expected: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        var document = TextDocument(text)
        document.apply(changes, encoding: encoding)
        XCTAssertEqual(document.text, expected, file: file, line: line)
        XCTAssertEqual(document.lineIndex.utf8, Array(expected.utf8), file: file, line: line)
    }

    private func change(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int, _ text: String) -> TextChange {
        TextChange(range: LineRange(start: LinePosition(line: l1, column: c1), end: LinePosition(line: l2, column: c2)), text: text)
    }

    func testEditsApplyInOrder() {
        check("hello world", [change(0, 0, 0, 5, "goodbye")], expected: "goodbye world")
        check("ab", [change(0, 1, 0, 1, "\n"), change(1, 0, 1, 1, "B")], expected: "a\nB")
        check("a😀b", [change(0, 3, 0, 4, "c")], expected: "a😀c")
        check("a😀b", [change(0, 1, 0, 3, "")], expected: "ab")
        check("a😀b", [change(0, 5, 0, 6, "!")], encoding: .utf8, expected: "a😀!")
        check("a😀b", [change(0, 2, 0, 3, "!")], encoding: .utf32, expected: "a😀!")
        check("x\r\ny", [change(1, 0, 1, 1, "z")], expected: "x\r\nz")
        check("x\ry", [change(0, 1, 1, 0, "")], expected: "xy")
        check("日本", [change(0, 1, 0, 2, "語")], expected: "日語")
        check("old", [TextChange(range: nil, text: "new\n"), change(1, 0, 1, 0, "more")], expected: "new\nmore")
        check("", [change(5, 5, 9, 9, "appended")], expected: "appended")
        check("abc", [change(0, 2, 0, 1, "X")], expected: "aXc")
    }

    /// Random edits through the line index must equal the same edits applied to an array of scalars.
    func testRandomEditsMatchModel() {
        var generator = SplitMix64(seed: 0x70_6B_6E)
        var applied = 0
        let alphabet: [String] = ["a", "b", " ", "\n", "\r\n", "\r", "é", "e\u{301}", "日", "😀", "👨\u{200D}👩", "{{", "}}"]
        for _ in 0..<300 {
            var model: [Unicode.Scalar] = []
            var document = TextDocument("")
            for _ in 0..<20 {
                let insertion = (0..<Int(generator.next() % 4)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
                let a = Int(generator.next() % UInt64(model.count + 1))
                let b = Int(generator.next() % UInt64(model.count + 1))
                let (low, high) = (min(a, b), max(a, b))
                let encoding = PositionEncoding.allCases[Int(generator.next() % 3)]
                let text = String(String.UnicodeScalarView(model))
                let index = LineIndex(text)
                let lowOffset = String(String.UnicodeScalarView(model[..<low])).utf8.count
                let highOffset = String(String.UnicodeScalarView(model[..<high])).utf8.count
                // Only ranges whose ends are not inside a CRLF pair are expressible as LSP positions.
                let start = index.position(ofUTF8Offset: lowOffset, in: encoding)
                let end = index.position(ofUTF8Offset: highOffset, in: encoding)
                guard index.utf8Offset(of: start, in: encoding) == lowOffset,
                    index.utf8Offset(of: end, in: encoding) == highOffset
                else { continue }
                model.replaceSubrange(low..<high, with: Array(insertion.unicodeScalars))
                document.apply([TextChange(range: LineRange(start: start, end: end), text: insertion)], encoding: encoding)
                XCTAssertEqual(document.text, String(String.UnicodeScalarView(model)))
                applied += 1
            }
        }
        // Most ranges are expressible; a generator bug that skipped them all must not pass silently.
        XCTAssertGreaterThan(applied, 4_000)
    }
}

/// A small deterministic generator so that random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class TextEditTests: XCTestCase {
    private func check(_ text: String, _ edits: [TextEdit], _ expected: Result<String, TextEditError>,
                       file: StaticString = #filePath, line: UInt = #line) {
        let actual = Result { () throws(TextEditError) -> String in try TextEdit.apply(edits, to: text) }
        XCTAssertEqual(actual, expected, file: file, line: line)
    }

    func testApply() {
        let r = { (a: Int, b: Int) in UTF8Range(start: a, end: b) }
        check("Please summarize.", [.delete(r(0, 7)), TextEdit(range: r(7, 8), newText: "S")], .success("Summarize."))
        check("ab", [.insert("1", at: 1), .insert("2", at: 1)], .success("a12b"))
        check("abc", [TextEdit(range: r(2, 3), newText: "Z"), TextEdit(range: r(0, 1), newText: "X")], .success("XbZ"))
        check("😀", [.insert("x", at: 4)], .success("😀x"))
        check("abc", [.delete(r(0, 2)), .delete(r(1, 3))], .failure(.overlapping(.delete(r(0, 2)), .delete(r(1, 3)))))
        check("abc", [.delete(r(2, 9))], .failure(.outOfBounds(.delete(r(2, 9)))))
        check("😀", [.delete(r(1, 4))], .failure(.splitsScalar(.delete(r(1, 4)))))
    }
}

import PromptText
import XCTest

@testable import PromptAnalysis

/// `scanWords` works on UTF-8 bytes with an ASCII fast path; it must split and fold exactly as the
/// definition does, scalar by scalar (the reference below), on any text.
final class WordScanTests: XCTestCase {
    func testByteScannerEqualsTheScalarDefinition() {
        let pieces = ["Don't", "I'd", "STEP-by-step", "naïve", "ÉCOLE", "straße", "ΣΟΦΊΑ", "日本語", "😀", "l’été", "x''y",
                      "'quoted'", "a_b", "42nd", " ", "\n", ".", "\u{301}", "İstanbul", "ǅ", "\u{0665}\u{0666}", "—", "\r\n"]
        var state: UInt64 = 11
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % bound
        }
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<next(12) {
                if next(4) == 0 {
                    // Any scalar from the BMP and beyond (surrogates skipped).
                    let value = UInt32(next(0x2FFFF))
                    text.unicodeScalars.append(Unicode.Scalar(value) ?? "?")
                } else {
                    text += pieces[next(pieces.count)]
                }
            }
            check(text)
        }
    }

    private func check(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = referenceWords(text, baseOffset: 7)
        let actual = scanWords(text, baseOffset: 7)
        XCTAssertEqual(actual, expected, "text: \(text.debugDescription)", file: file, line: line)
    }

    /// The definition: letters, digits, marks and `_` form words; `'`/`’` between word scalars stays
    /// in the word (as `'`); the word is lowercased.
    private func referenceWords(_ text: String, baseOffset: Int) -> [Word] {
        var words: [Word] = []
        var current: [Unicode.Scalar] = []
        var start = 0
        var end = 0
        var offset = 0
        var pendingApostrophe = false
        func flush() {
            guard !current.isEmpty else { return }
            var folded = ""
            folded.unicodeScalars.append(contentsOf: current)
            words.append(Word(range: UTF8Range(start: baseOffset + start, end: baseOffset + end), folded: folded.lowercased()))
            current.removeAll()
        }
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            defer { offset += width }
            let properties = scalar.properties
            let isWord = scalar.isASCII
                ? (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
                : (properties.isAlphabetic || properties.numericType != nil
                    || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark)
            if isWord {
                if current.isEmpty { start = offset }
                if pendingApostrophe { current.append("'") }
                pendingApostrophe = false
                current.append(scalar)
                end = offset + width
            } else if (scalar == "'" || scalar == "\u{2019}") && !current.isEmpty && !pendingApostrophe {
                pendingApostrophe = true
            } else {
                pendingApostrophe = false
                flush()
            }
        }
        flush()
        return words
    }
}

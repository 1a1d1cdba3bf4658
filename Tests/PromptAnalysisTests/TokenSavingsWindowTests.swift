import PromptText
import Tokenizer
import XCTest

@testable import PromptAnalysis

/// `RuleContext.tokenSavings` counts only a window around the edits, cut where the o200k_base and
/// cl100k_base pre-tokenizers always split. The saving must equal the whole segment's before/after
/// difference — the definition — for any text around the edit: letters, contractions, digits,
/// punctuation runs, spaces and newlines, CJK, accented and combining letters.
final class TokenSavingsWindowTests: XCTestCase {
    func testWindowedSavingsEqualTheWholeSegmentsDifference() {
        var state: UInt64 = 3
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % bound
        }
        let pieces = [
            "please", "Please", " ", "  ", "\n", "\r\n", ", ", ". ", "!", "'s", "'ll", " don't", "42", "1234567", "é",
            "e\u{301}", "日本語", "。", "...", "--", "\t", "HELLO", "World", "x", "’", "(", ")", "{", "😀", "ß",
        ]
        var compared = 0
        for name in [EncodingName.o200kBase, .cl100kBase] {
            let encoding = BPEEncoding.named(name)
            let context = RuleContext(prose: [], countTokens: { encoding.count($0) })
            for _ in 0..<400 {
                // Long enough that the window is usually much smaller than the segment.
                var text = ""
                for _ in 0..<(20 + next(600)) { text += pieces[next(pieces.count)] }
                let bytes = Array(text.utf8)
                // A random deletion (and sometimes a replacement) on scalar boundaries.
                var start = next(bytes.count)
                while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
                var end = min(bytes.count, start + 1 + next(30))
                while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
                let replacement = next(3) == 0 ? ["S", " ", "", "ummarize"][next(4)] : ""
                let base = next(2) == 0 ? 0 : 1000
                let segment = ProseSegment(text: text, utf8Start: base)
                let edit = TextEdit(range: UTF8Range(start: base + start, end: base + end), newText: replacement)
                let after = try! TextEdit.apply([TextEdit(range: UTF8Range(start: start, end: end), newText: replacement)], to: text)
                let expected = encoding.count(text) - encoding.count(after)
                XCTAssertEqual(context.tokenSavings(of: [edit], in: segment), expected, "\(name) \(text.debugDescription) \(start)..<\(end)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 800)
    }
}

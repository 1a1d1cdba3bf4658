import Foundation
import XCTest

@testable import Tokenizer

/// The hand-written scanner for DeepSeek V3's three `Split` stages: fixtures whose pieces are
/// `tokenizers`' `pre_tokenizer.pre_tokenize_str` on the bundled file, and random text against the
/// same three stages run by the regex engine (the pytest suite checks that engine against
/// `tokenizers` on every scalar).
final class DeepSeekPreTokenizerTests: XCTestCase {
    func check(_ text: String, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(pieces(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }, expected, file: file, line: line)
    }

    func pieces(_ bytes: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        bytes.withUnsafeBufferPointer { DeepSeekPreTokenizer.split($0) { result.append(Array($0)) } }
        return result
    }

    /// The three stages run by `SplitRegex`, each on every piece of the previous one.
    func referencePieces(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var pieces = [bytes]
        for pattern in [DeepSeekPreTokenizer.numberPattern, DeepSeekPreTokenizer.cjkPattern, DeepSeekPreTokenizer.wordPattern] {
            let regex = try SplitRegex(pattern, dialect: .oniguruma)
            var next: [[UInt8]] = []
            for piece in pieces {
                piece.withUnsafeBufferPointer { buffer in
                    var previous = 0
                    regex.matches(in: buffer) { match in
                        if previous < match.lowerBound { next.append(Array(buffer[previous..<match.lowerBound])) }
                        next.append(Array(buffer[match]))
                        previous = match.upperBound
                    }
                    if previous < buffer.count { next.append(Array(buffer[previous...])) }
                }
            }
            pieces = next
        }
        return pieces
    }

    func testPiecesAsTokenizersSplitsThem() {
        check("Hello, world! It's 12345 tokens.", ["Hello", ",", " world", "!", " It", "'s", " ", "123", "45", " tokens", "."])
        check("caf\u{E9}\u{301} na\u{EF}ve\tfoo  bar\u{A0}baz", ["caf\u{E9}\u{301}", " na\u{EF}ve", "\tfoo", " ", " bar", "\u{A0}baz"])
        check(
            "機械学習は人工智能カ・カ゛です。\r\n\r\n  x",
            ["機械学習は人工智能カ", "・", "カ", "゛", "です", "。\r\n\r\n", " ", " x"])
        check(".method(arg)->x\n\n\n  \n", [".method", "(arg", ")->", "x", "\n\n\n  \n"])
        check("a  1 \t\u{3000}ok", ["a", "  ", "1", " \t", "\u{3000}ok"])
        check(
            "\u{301}\u{301}ab \u{200D}z ²³⁴⁵ Ⅻ٣",
            ["\u{301}\u{301}ab", " ", "\u{200D}z", " ", "²³⁴", "⁵", " ", "Ⅻ٣"])
    }

    func testRandomTextSplitsAsTheRegexEngineSplitsIt() throws {
        // Characters chosen for the pattern's edges: every class it names, white space that is and
        // is not a line break, kana that are marks, symbols or punctuation, numbers of each kind,
        // format and private-use characters, and invalid UTF-8.
        let alphabet: [[UInt8]] =
            [
                "a", "Z", "q", " ", " ", "\t", "\r", "\n", "\u{0B}", "\u{01}", "\u{7F}", "'", ".", "-", "_", "$", "`",
                "0", "7", "é", "\u{301}", "ß", "Я", "ж", "ا", "٣", "²", "Ⅻ", "\u{A0}", "\u{85}", "\u{2028}", "\u{3000}",
                "\u{200D}", "\u{E000}", "\u{378}", "一", "龥", "龦", "ぁ", "\u{3099}", "゛", "゠", "・", "ー", "ヿ",
                "〇", "。", "「", "👍", "🏽", "€", "©", "…", "“",
            ].map { Array($0.utf8) } + [[0xFF], [0xE4, 0xB8], [0x80], [0xC3]]
        var state: UInt64 = 0x5DEE_CE66
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for round in 0..<4000 {
            var text: [UInt8] = []
            for _ in 0..<(1 + random(24)) {
                // Runs of one character make the repetition edges (number chunks, white-space runs).
                let character = alphabet[random(alphabet.count)]
                for _ in 0..<(random(4) == 0 ? 1 + random(5) : 1) { text += character }
            }
            let expected = try referencePieces(text)
            XCTAssertEqual(pieces(text), expected, "round \(round): \(text)")
            if pieces(text) != expected { return }
        }
    }

    func testBundledDeepSeekTokenizersUseTheScanner() {
        XCTAssertTrue(BundledTokenizer.deepSeekV3.tokenizer.hasHandWrittenPreTokenizer)
        XCTAssertTrue(BundledTokenizer.deepSeekV4.tokenizer.hasHandWrittenPreTokenizer)
        XCTAssertTrue(BundledTokenizer.tekken.tokenizer.hasHandWrittenPreTokenizer)
    }
}

/// The two merge loops of `PairMergeModel` (the scan for short pieces, the heap for long ones)
/// give the same tokens on DeepSeek V3's merges, for pieces of the kinds that reach them.
final class PairMergeLoopTests: XCTestCase {
    func testHeapMergesAsTheScanMerges() throws {
        guard case .pairMerges(let bpe) = BundledTokenizer.deepSeekV3.tokenizer.model else {
            return XCTFail("deepseek_v3 is not a pair-merge model")
        }
        let alphabet = Array("機械学習は人工智能の一分野です数据表明模型的表现很好カタカナひらがな안녕하세요 세계 hello world the and\n\t  ")
            .map { Array(String($0).utf8) }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var merged = 0
        bpe.merges.withLookup { lookup in
            for round in 0..<3000 {
                var piece: [UInt8] = []
                let characters = 1 + random(round % 3 == 0 ? 120 : 30)
                for _ in 0..<characters { piece += random(50) == 0 ? [UInt8(random(256))] : alphabet[random(alphabet.count)] }
                let symbols = piece.map { bpe.byteIds[Int($0)] }
                var scanned = symbols
                var heaped = symbols
                bpe.mergeByScan(&scanned, lookup)
                bpe.mergeByHeap(&heaped, lookup)
                XCTAssertEqual(heaped, scanned, "round \(round): \(piece)")
                if heaped != scanned { return }
                merged += symbols.count - scanned.count
            }
        }
        // The pieces did merge (a loop that merged nothing would pass trivially).
        XCTAssertGreaterThan(merged, 100_000)
    }
}

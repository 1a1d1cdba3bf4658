import Dispatch
import Foundation
import XCTest

@testable import Tokenizer

final class BPEEncodingTests: XCTestCase {
    /// `count(_:upTo:)` is exact up to the limit and exactly `limit + 1` beyond it.
    func checkCountUpTo(_ text: String, _ name: EncodingName, file: StaticString = #filePath, line: UInt = #line) {
        let encoding = BPEEncoding.named(name)
        let total = encoding.count(text)
        for limit in [0, 1, total / 2, total - 1, total, total + 1, Int.max - 1] where limit >= 0 {
            let expected = total <= limit ? total : limit + 1
            XCTAssertEqual(encoding.count(text, upTo: limit), expected, "limit \(limit)", file: file, line: line)
        }
        XCTAssertEqual(encoding.count(text, upTo: -5), min(total, 1), file: file, line: line)
    }

    func testCountUpTo() {
        for name in EncodingName.allCases {
            checkCountUpTo("", name)
            checkCountUpTo("hello", name)
            checkCountUpTo(String(repeating: "The budget is 4096 tokens. ", count: 200), name)
        }
    }

    /// A 100 KB piece with no split point (one run of letters) goes through the heap merge; that it
    /// completes at all shows the merge is not quadratic (a quadratic merge takes minutes here).
    func testHundredKilobytePieceWithoutSplitPoint() {
        var state: UInt64 = 42
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        var bytes: [UInt8] = []
        for _ in 0..<100_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(letters[Int(state >> 33) % letters.count])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for name in EncodingName.allCases {
            let encoding = BPEEncoding.named(name)
            let tokens = encoding.encode(text)
            XCTAssertEqual(encoding.decode(tokens), bytes)
            XCTAssertEqual(encoding.count(text), tokens.count)
            XCTAssertLessThan(tokens.count, bytes.count, "letters merge into multi-byte tokens")
        }
    }

    /// The heap merge used for long pieces makes exactly the merges of tiktoken's scan (leftmost
    /// lowest rank first), checked on pieces short enough for both.
    func testHeapMergeAgreesWithScanMerge() {
        let alphabet = Array("etaoinshrdlucmfwypvbgkqjxz  '.,0123".utf8) + Array("éü東京😀".utf8)
        var state: UInt64 = 7
        for name in EncodingName.allCases {
            let vocabulary = BPEEncoding.named(name).vocabularyForTesting
            for _ in 0..<3000 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let length = 2 + Int(state >> 40) % (scratchPieceLimit - 1)
                var piece: [UInt8] = []
                for _ in 0..<length {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    piece.append(alphabet[Int(state >> 33) % alphabet.count])
                }
                var scan = CollectedTokens()
                var heap = CollectedTokens()
                piece.withUnsafeBufferPointer { bytes in
                    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: MergeScratch.capacity) { memory in
                        let scratch = MergeScratch(memory)
                        let partCount = vocabulary.mergeShort(bytes.baseAddress!, length: length, scratch: scratch)
                        for k in 0..<partCount {
                            scan.emit(scratch.tokens[k], start: Int(scratch.starts[k]), end: Int(scratch.starts[k + 1]))
                        }
                    }
                    vocabulary.mergeLong(bytes.baseAddress!, length: length, offset: 0, into: &heap)
                }
                XCTAssertEqual(heap.tokens, scan.tokens, "\(piece)")
                XCTAssertEqual(heap.ends, scan.ends)
            }
        }
    }

    /// A large text goes through the per-call piece cache, which stops caching long pieces of
    /// multi-byte characters when they rarely recur; every line encoded alone (too short for the
    /// cache) must give the same tokens. Lines start with a letter, so a line break ends a piece.
    func testLargeTextAgreesWithItsLinesEncodedAlone() {
        let hanzi = Array("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面")
        var state: UInt64 = 11
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        var lines: [String] = []
        for line in 0..<1500 {
            // Long pieces that recur (the Cyrillic word, the place name) are too rare to keep
            // the cache for such pieces: it is given up part-way, which this test covers.
            var text = line % 10 == 0 ? "строка программирования \(line % 7): " : "line \(line): "
            for _ in 0..<(1 + next(4)) {
                text += String((0..<(6 + next(14))).map { _ in hanzi[next(hanzi.count)] }) + "，"
            }
            text += " tokenizerConfiguration" + (line % 10 == 0 ? " 東京都庁舎東京都庁舎" : "") + "\n"
            lines.append(text)
        }
        let text = lines.joined()
        XCTAssertGreaterThan(text.utf8.count, 4 * PieceCache.minimumTextLength)
        for name in EncodingName.allCases {
            let encoding = BPEEncoding.named(name)
            XCTAssertEqual(encoding.encode(text), lines.flatMap { encoding.encode($0) }, name.rawValue)
            XCTAssertEqual(encoding.count(text), lines.reduce(0) { $0 + encoding.count($1) }, name.rawValue)
        }
    }

    /// Merging one character at a time gives `mergeLong`'s tokens whenever it accepts a piece, on
    /// random pieces of many scripts; pieces that it declines (a token that straddles a character
    /// boundary may occur, or invalid UTF-8) are counted, so that both outcomes are covered.
    func testCharacterMergeAgreesWithByteMerge() {
        let characters: [String] = [
            "的", "一", "是", "中", "国", "人", "東", "京", "都", "学", "生", "あ", "い", "う", "ア", "イ", "한", "국", "어",
            "п", "р", "о", "г", "а", "м", "ы", "é", "ü", "ß", "α", "β", "ש", "ل", "क", "ा", "ก", "😀", "👍", "🏽",
            "\u{200D}", "，", "。", " ", "a", "b", "'", "1",
        ]
        var state: UInt64 = 5
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        for name in EncodingName.allCases {
            let vocabulary = BPEEncoding.named(name).vocabularyForTesting
            var accepted = 0
            var declined = 0
            for round in 0..<6000 {
                var piece = Array((0..<(2 + next(round % 10 == 0 ? 120 : 30))).map { _ in characters[next(characters.count)] }.joined().utf8)
                if round % 50 == 0 { piece.insert(0xFF, at: next(piece.count)) }
                var byBytes = CollectedTokens()
                var byCharacters = CollectedTokens()
                let took = piece.withUnsafeBufferPointer { bytes in
                    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: MergeScratch.capacity) { memory in
                        let scratch = MergeScratch(memory)
                        vocabulary.mergeLong(bytes.baseAddress!, length: bytes.count, offset: 3, into: &byBytes)
                        return vocabulary.mergeCharacters(
                            bytes.baseAddress!, length: bytes.count, offset: 3, scratch: scratch, into: &byCharacters)
                    }
                }
                if took {
                    accepted += 1
                    XCTAssertEqual(byCharacters.tokens, byBytes.tokens, "\(name) \(String(decoding: piece, as: UTF8.self))")
                    XCTAssertEqual(byCharacters.ends, byBytes.ends)
                } else {
                    declined += 1
                    XCTAssertTrue(byCharacters.tokens.isEmpty, "a declined piece emits nothing")
                }
            }
            XCTAssertGreaterThan(accepted, 3000, name.rawValue)
            XCTAssertGreaterThan(declined, 200, name.rawValue)
        }
    }

    /// Which tokens straddle a character boundary unaligned: the counts were measured from the
    /// vocabularies independently (Python over tiktoken's ranks), and a few shapes are spelled out.
    func testStraddlingTokens() {
        for (name, expected) in [(EncodingName.o200kBase, 794), (.cl100kBase, 250)] {
            let encoding = BPEEncoding.named(name)
            var straddling = 0
            for token in 0..<UInt32(encoding.vocabularySize) {
                let bytes = encoding.bytes(ofToken: token)!
                if bytes.withUnsafeBufferPointer({ Vocabulary.crossingSignature($0.baseAddress!, $0.count) }) != nil {
                    straddling += 1
                }
            }
            XCTAssertEqual(straddling, expected, name.rawValue)
        }
        func signature(_ bytes: [UInt8]) -> UInt64? {
            bytes.withUnsafeBufferPointer { Vocabulary.crossingSignature($0.baseAddress!, $0.count) }
        }
        XCTAssertNotNil(signature([0x20, 0xD0]), "a space, then the head of a Cyrillic letter")
        XCTAssertNotNil(signature([0x97] + Array("京".utf8)), "the tail of a character, then a whole one")
        XCTAssertNotNil(signature([0x80, 0xE0, 0xB8]), "a tail, then a head")
        XCTAssertNil(signature(Array("中国".utf8)), "whole characters")
        XCTAssertNil(signature([0xE4, 0xB8]), "the head of one character")
        XCTAssertNil(signature([0xB8, 0xAD]), "the tail of one character")
        XCTAssertNil(signature([0x41, 0x80]), "never in valid UTF-8")
    }

    /// Invalid UTF-8 is data: every byte lands in a token and decoding returns the input.
    func testInvalidUTF8RoundTrips() {
        let samples: [[UInt8]] = [
            [0xFF], [0x80, 0x80], [0x61, 0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xC0, 0xAF], Array("ok ".utf8) + [0xFE, 0xFF] + Array(" fine".utf8),
        ]
        for name in EncodingName.allCases {
            let encoding = BPEEncoding.named(name)
            for sample in samples {
                let tokens = withBytes(sample) { encoding.encode(utf8: $0) }
                XCTAssertEqual(encoding.decode(tokens), sample, "\(sample)")
                XCTAssertEqual(withBytes(sample) { encoding.count(utf8: $0) }, tokens.count)
            }
        }
    }

    /// Every token id maps back to its own bytes through the vocabulary's hash tables.
    func testEveryTokenIsFoundByItsBytes() {
        for name in EncodingName.allCases {
            let encoding = BPEEncoding.named(name)
            var mismatches = 0
            for token in 0..<UInt32(encoding.vocabularySize) {
                let bytes = encoding.bytes(ofToken: token)!
                let found = bytes.withUnsafeBufferPointer { encoding.rank(of: $0) }
                if found != token { mismatches += 1 }
            }
            XCTAssertEqual(mismatches, 0, name.rawValue)
        }
        XCTAssertEqual(BPEEncoding.named(.o200kBase).vocabularySize, 199_998)
        XCTAssertEqual(BPEEncoding.named(.cl100kBase).vocabularySize, 100_256)
        XCTAssertNil(BPEEncoding.named(.o200kBase).bytes(ofToken: 199_999))
        XCTAssertEqual(BPEEncoding.named(.cl100kBase).decode([100_257, 15339]), Array("hello".utf8))
    }

    /// Shared instances give the same answers from many threads at once.
    func testConcurrentUseAgreesWithSerialUse() {
        let texts = (0..<16).map { "Thread \($0): naïve café 東京 \(String(repeating: "x", count: $0 * 50)) 🚀" }
        for name in EncodingName.allCases {
            let serial = texts.map { BPEEncoding.named(name).encode($0) }
            let results = ResultBox(count: texts.count)
            DispatchQueue.concurrentPerform(iterations: texts.count) { index in
                results.set(index, BPEEncoding.named(name).encode(texts[index]))
            }
            XCTAssertEqual(results.values, serial)
        }
    }
}

private struct CollectedTokens: TokenSink {
    var tokens: [UInt32] = []
    var ends: [Int] = []
    mutating func emit(_ token: UInt32, start: Int, end: Int) {
        tokens.append(token)
        ends.append(end)
    }
    var isSatisfied: Bool { false }
}

/// Collects per-index results from concurrent work.
private final class ResultBox: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var storage: [[UInt32]]
    init(count: Int) { storage = Array(repeating: [], count: count) }
    func set(_ index: Int, _ value: [UInt32]) { lock.withLock { storage[index] = value } }
    var values: [[UInt32]] { lock.withLock { storage } }
}

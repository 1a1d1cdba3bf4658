import Foundation
import XCTest

@testable import Tokenizer

/// The split-pattern regex engine: each case is a pattern, a text and the matches `find_iter`
/// reports (as the substrings matched), checked against Oniguruma/fancy-regex behaviour.
final class SplitRegexTests: XCTestCase {
    func check(
        _ pattern: String, _ text: String, _ expected: [String], dialect: SplitRegex.Dialect = .oniguruma,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let regex: SplitRegex
        do {
            regex = try SplitRegex(pattern, dialect: dialect)
        } catch {
            return XCTFail("\(pattern): \(error)", file: file, line: line)
        }
        var matches: [String] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            regex.matches(in: UnsafeBufferPointer(buffer)) { range in
                matches.append(String(decoding: buffer[range], as: UTF8.self))
            }
        }
        XCTAssertEqual(matches, expected, pattern, file: file, line: line)
    }

    func checkError(_ pattern: String, containing fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SplitRegex(pattern, dialect: .oniguruma), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(fragment), "\(error)", file: file, line: line)
        }
    }

    func testAlternationIsLeftmostFirst() {
        check("a|ab", "ab", ["a"])
        check("ab|a", "ab", ["ab"])
        // An empty match right after a match is skipped, as Rust regex's find_iter does.
        check("x*", "axx", ["", "xx"])
    }

    func testGreedyQuantifiersGiveBackCharacters() {
        check(#"\s+(?!\S)|\s+"#, "a   b", ["  ", " "])
        check(#"\s*[\r\n]+"#, "  \n\nx", ["  \n\n"])
        check(#"\p{N}{1,3}"#, "12345678", ["123", "456", "78"])
        check(#"[^\r\n\p{L}\p{N}]?\p{L}+"#, " héllo,wörld", [" héllo", ",wörld"])
    }

    func testPossessiveAndLazyQuantifiers() {
        check("a++a", "aaaa", [])
        check("a+?", "aaa", ["a", "a", "a"])
        check("(?>a+)b|a", "aab", ["aab"])
        check("(?:ab)+", "ababa", ["abab"])
        check("(?:ab){2}", "ababab", ["abab"])
    }

    func testUnicodeClasses() {
        check(#"\p{Lu}+"#, "abcÀÉÎxyΩ", ["ÀÉÎ", "Ω"])
        check(#"[\p{L}\p{M}]+"#, "e\u{301}x 中文", ["e\u{301}x", "中文"])
        check(#"[^\s\p{L}\p{N}]+"#, "a+-*/ 1!", ["+-*/", "!"])
        check(#"[一-龥぀-ゟ]+"#, "中文かなabc", ["中文かな"])
        check(#"\s"#, "a\u{3000}b\u{A0}c\u{85}", ["\u{3000}", "\u{A0}", "\u{85}"])
        check(#"\d+"#, "1٣２x", ["1٣２"])
        check(#"\w+"#, "ab_é٣ x", ["ab_é٣", "x"])
    }

    func testCaseInsensitiveContractions() {
        check("(?i:'s|'ll)", "'S 'ſ 'Ll 'x", ["'S", "'ſ", "'Ll"])
        check("(?i)k", "kK\u{212A}", ["k", "K", "\u{212A}"])
        check("(?i:a)b", "ABab", ["ab"])
    }

    func testAnchorsDifferByDialect() {
        check("a$", "a\nba", ["a", "a"], dialect: .oniguruma)
        check("a$", "a\nba", ["a"], dialect: .fancyRegex)
        check("^b", "a\nb", ["b"], dialect: .oniguruma)
        check("^b", "a\nb", [], dialect: .fancyRegex)
        check(#"\s+$"#, "x  ", ["  "], dialect: .fancyRegex)
    }

    func testEscapesAndLiteralBraces() {
        check(#"\x41\u0042\x{43}"#, "ABC", ["ABC"])
        check("a{", "a{", ["a{"])
        check(#"[\-\]\\]+"#, #"-]\x"#, [#"-]\"#])
    }

    func testInvalidUTF8IsOneCharacterPerByte() {
        let regex = try! SplitRegex(#"\p{L}+|[^\p{L}]"#, dialect: .oniguruma)
        var matches: [[UInt8]] = []
        let bytes: [UInt8] = [0x61, 0xE4, 0xB8, 0x62, 0xFF]
        bytes.withUnsafeBufferPointer { buffer in
            regex.matches(in: buffer) { matches.append(Array(buffer[$0])) }
        }
        XCTAssertEqual(matches, [[0x61], [0xE4], [0xB8], [0x62], [0xFF]])
    }

    func testUnsupportedSyntaxIsAnError() {
        checkError("(?<=a)b", containing: "lookbehind")
        checkError("[abc", containing: "unterminated")
        checkError(#"\1"#, containing: "unsupported escape")
        checkError(#"\p{Greek}"#, containing: "unsupported Unicode property")
        checkError("a**", containing: "quantifier")
        checkError("(a", containing: "missing ')'")
        checkError("[[:alpha:]]", containing: "POSIX")
    }
}

/// Loading and encoding tokenizer files: hand-made `tokenizer.json` files whose ids follow from the
/// rules of `tokenizers` (worked out in the comments), and errors that name the file.
final class TokenizerFileTests: XCTestCase {
    /// Parses `json` as if read from `path`.
    func load(_ json: String, path: String = "/tmp/tokenizer.json") throws(TokenizerFileError) -> GenericTokenizer {
        try GenericTokenizer.parse(Array(json.utf8), name: "test", path: path, pattern: nil)
    }

    func check(_ json: String, _ text: String, _ expected: [UInt32], file: StaticString = #filePath, line: UInt = #line) {
        do {
            let tokenizer = try load(json)
            XCTAssertEqual(tokenizer.encode(text), expected, text, file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }

    func checkError(_ json: String, containing fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try load(json, path: "/work/my tokenizer.json"), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("/work/my tokenizer.json: "), message, file: file, line: line)
            XCTAssertTrue(message.contains(fragment), message, file: file, line: line)
        }
    }

    /// A character-level BPE (no ByteLevel pre-tokenizer) over a, b, c.
    func model(merges: String, ignoreMerges: Bool = false, extra: String = "") -> String {
        """
        {"normalizer": null, "pre_tokenizer": {"type": "WhitespaceSplit"}, \(extra)
         "model": {"type": "BPE", "ignore_merges": \(ignoreMerges),
                   "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4, "abc": 5}, "merges": \(merges)}}
        """
    }

    func testMergesApplyByPairRankNotByTheMergedToken() {
        // b+c (rank 0) first; "a"+"bc" is not a listed merge, so "abc" stays two tokens even though
        // it is in the vocabulary (tiktoken's rule, by merged token, would give 5).
        check(model(merges: #"["b c", "a b"]"#), "abc", [0, 4])
        // a+b (rank 0) first, then ab+c.
        check(model(merges: #"["a b", "b c", "ab c"]"#), "abc", [5])
        // The leftmost of equal ranks: "ab" then "ab" then "c".
        check(model(merges: #"[["a", "b"]]"#), "ababc", [3, 3, 2])
    }

    func testIgnoreMergesTakesWholeWordsFromTheVocabulary() {
        check(model(merges: #"["b c"]"#, ignoreMerges: true), "abc bca", [5, 4, 0])
    }

    func testAddedTokensAreNumberedAsTokenizersNumbersThem() {
        // "bc" is in the vocabulary: it keeps id 4 whatever the file says; the new ones get 6 and 7.
        let extra = """
            "added_tokens": [{"id": 99, "content": "<x>", "special": true, "normalized": false},
                             {"id": 98, "content": "bc", "special": false, "normalized": true},
                             {"id": 97, "content": "<y>", "special": true, "normalized": false}],
            """
        check(model(merges: "[]", extra: extra), "a<x>bc<y>", [0, 6, 4, 7])
    }

    func testNormalizerRunsBeforeSplitting() {
        let nfc = """
            {"normalizer": {"type": "NFC"}, "pre_tokenizer": null,
             "model": {"type": "BPE", "vocab": {"\u{E9}": 0, "e": 1, "\u{301}": 2}, "merges": []}}
            """
        check(nfc, "e\u{301}", [0])
    }

    func testMalformedAndUnsupportedFilesNameTheFile() {
        checkError(#"{"model": {"type": "BPE""#, containing: "not valid JSON")
        checkError(#"{"model": {"type": "WordPiece", "vocab": {}}}"#, containing: "WordPiece is not supported")
        checkError(#"{"model": {"type": "Unigram", "vocab": []}}"#, containing: "Unigram is not supported")
        checkError(#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}"#, containing: "not in the vocabulary")
        checkError(#"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a"]}}"#, containing: "not a pair")
        checkError(#"{"model": {"type": "BPE", "dropout": 0.1, "vocab": {}, "merges": []}}"#, containing: "dropout")
        checkError(
            #"{"pre_tokenizer": {"type": "BertPreTokenizer"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}"#,
            containing: "pre-tokenizer BertPreTokenizer is not supported")
        checkError(
            #"{"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(?<=x)"}, "behavior": "Isolated"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}"#,
            containing: "lookbehind")
        checkError(#"{"normalizer": {"type": "BertNormalizer"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}"#,
                   containing: "normalizer BertNormalizer is not supported")
        checkError(#"{"hello": 1}"#, containing: "neither")
        checkError("YQ== 0\nYg== 1\n", containing: "no token for the byte")
        checkError("\n\u{0B}\n\u{05}<unk>", containing: "SentencePiece")
    }

    func testMissingFileNamesTheFile() {
        XCTAssertThrowsError(try GenericTokenizer.load(path: "/nonexistent/tokenizer.json")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/tokenizer.json: no such file")
        }
    }

    func testBundledTokenizersLoadAndRoundTripCounts() {
        for bundled in BundledTokenizer.allCases {
            let tokenizer = bundled.tokenizer
            let text = "Hello, world! 12345 中文 <｜User｜>"
            XCTAssertEqual(tokenizer.count(text), tokenizer.encode(text).count, bundled.rawValue)
            XCTAssertGreaterThan(tokenizer.count(text), 5, bundled.rawValue)
            XCTAssertTrue(tokenizer.splitsAtLineStarts, bundled.rawValue)
        }
    }
}

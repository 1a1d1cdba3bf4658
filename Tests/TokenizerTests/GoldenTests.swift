import Foundation
import XCTest

@testable import Tokenizer

/// Token ids identical to tiktoken on the corpus in Golden/tokenizer-goldens.json, which
/// Tests/python/tools/generate_tokenizer_goldens.py generates with tiktoken (never edit it by hand).
final class GoldenTests: XCTestCase {
    struct Golden: Decodable {
        struct Case: Decodable {
            var name: String
            var text: String
            var o200k_base: [UInt32]
            var cl100k_base: [UInt32]

            func expected(_ name: EncodingName) -> [UInt32] {
                switch name {
                case .o200kBase: o200k_base
                case .cl100kBase: cl100k_base
                }
            }
        }
        var cases: [Case]
    }

    static func loadGoldens() throws -> [Golden.Case] {
        let url = repositoryRoot.appendingPathComponent("Tests/TokenizerTests/Golden/tokenizer-goldens.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url)).cases
    }

    /// Everything the API says about one text must agree with tiktoken's ids.
    func check(_ golden: Golden.Case, _ name: EncodingName, file: StaticString = #filePath, line: UInt = #line) {
        let encoding = BPEEncoding.named(name)
        let expected = golden.expected(name)
        let label = "\(golden.name) [\(name.rawValue)]"
        XCTAssertEqual(encoding.encode(golden.text), expected, label, file: file, line: line)
        XCTAssertEqual(encoding.count(golden.text), expected.count, label, file: file, line: line)
        XCTAssertEqual(encoding.decode(expected), Array(golden.text.utf8), label, file: file, line: line)
        let ranges = encoding.tokenRanges(golden.text)
        XCTAssertEqual(ranges.count, expected.count, label, file: file, line: line)
        let utf8 = Array(golden.text.utf8)
        var position = 0
        for (range, token) in zip(ranges, expected) {
            XCTAssertEqual(range.lowerBound, position, label, file: file, line: line)
            XCTAssertEqual(Array(utf8[range]), encoding.bytes(ofToken: token), label, file: file, line: line)
            position = range.upperBound
        }
        XCTAssertEqual(position, utf8.count, label, file: file, line: line)
    }

    func testGoldenCorpusMatchesTiktoken() throws {
        let cases = try Self.loadGoldens()
        XCTAssertGreaterThanOrEqual(cases.count, 20)
        for golden in cases {
            for name in EncodingName.allCases { check(golden, name) }
        }
    }
}

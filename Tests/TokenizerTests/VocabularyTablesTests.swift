import XCTest

@testable import Tokenizer

/// The lookup tables embedded ready to use (`*.tmbpt`, written by
/// Tests/python/tools/generate_tokenizer_data.py) are exactly the tables the Swift hash functions
/// build from the vocabulary: a generator that drifted from `Vocabulary` would make lookups miss.
final class VocabularyTablesTests: XCTestCase {
    private func check(_ name: EncodingName, file: StaticString = #filePath, line: UInt = #line) {
        let (embedded, built) = BPEEncoding.embeddedAndBuiltTables(name)
        defer { built.deallocate() }
        XCTAssertEqual(embedded.count, built.count, "\(name.rawValue): table sizes", file: file, line: line)
        let firstDifference = zip(embedded, built).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        XCTAssertNil(firstDifference, "\(name.rawValue): tables differ at byte \(firstDifference ?? -1)", file: file, line: line)
        XCTAssertEqual(Int(bitPattern: embedded.baseAddress) % 64, 0, "\(name.rawValue): alignment", file: file, line: line)
    }

    func testEmbeddedTablesAreTheTablesSwiftBuilds() {
        for name in EncodingName.allCases { check(name) }
    }
}

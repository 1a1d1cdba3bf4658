import XCTest

@testable import PromptText

final class UTF8RangeTests: XCTestCase {
    func testRelations() {
        let range = UTF8Range(start: 2, end: 5)
        XCTAssertEqual(range.length, 3)
        XCTAssertEqual([1, 2, 4, 5].map(range.contains), [false, true, true, false])
        XCTAssertEqual([1, 2, 5, 6].map(range.touches), [false, true, true, false])
        XCTAssertTrue(range.overlaps(UTF8Range(start: 4, end: 9)))
        XCTAssertFalse(range.overlaps(UTF8Range(start: 5, end: 9)))
        XCTAssertEqual(range.union(UTF8Range(start: 7, end: 9)), UTF8Range(start: 2, end: 9))
        XCTAssertEqual(range.shifted(by: 10), UTF8Range(start: 12, end: 15))
        XCTAssertTrue(range.contains(UTF8Range(start: 3, end: 5)))
    }
}

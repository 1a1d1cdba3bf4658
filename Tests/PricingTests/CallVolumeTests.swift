import Foundation
import XCTest

@testable import Pricing

/// Volume strings → calls per month (30-day month), and errors as values.
final class CallVolumeTests: XCTestCase {
    func check(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        switch CallVolume.parse(text) {
        case .success(let volume):
            XCTAssertEqual(volume.callsPerMonth, usd(expected), "'\(text)'", file: file, line: line)
        case .failure(let error): XCTFail("'\(text)': \(error)", file: file, line: line)
        }
    }

    func checkError(
        _ text: String, mentions fragment: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        switch CallVolume.parse(text) {
        case .success(let volume):
            XCTFail("'\(text)' parsed as \(volume.callsPerMonth)", file: file, line: line)
        case .failure(let error):
            XCTAssertTrue(
                error.message.contains(fragment), "'\(text)': \(error.message)", file: file, line: line)
        }
    }

    func testVolumes() {
        check("8M/month", "8000000")
        check("  8M/month  ", "8000000")
        check("8m/mo", "8000000")
        check("250k/day", "7500000")  // 250,000 × 30
        check("1200/hour", "864000")  // 1,200 × 24 × 30
        check("1,200/hour", "864000")
        check("1_200 / hr", "864000")
        check("10/min", "432000")  // 10 × 60 × 24 × 30
        check("7/week", "30")  // 7 × 30 / 7
        check("2 per day", "60")
        check("5000", "5000")
        check("1.5k", "1500")
        check("3B/month", "3000000000")
        check("0/day", "0")
    }

    func testBadVolumesAreErrorValues() {
        checkError("", mentions: "empty")
        checkError("abc", mentions: "not a volume")
        checkError("8X/month", mentions: "unknown multiplier 'X'")
        checkError("8M/fortnight", mentions: "unknown period 'fortnight'")
        checkError("1.2.3/day", mentions: "not a volume")
        checkError("-5/day", mentions: "not a volume")
        checkError("k/day", mentions: "not a volume")
        checkError("12abc", mentions: "not a volume")
        checkError("12 x", mentions: "unknown multiplier 'x'")
    }
}

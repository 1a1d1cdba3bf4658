import Foundation
import XCTest

@testable import PromptAnalysis

/// Number and word tokens are parsed without Foundation on the fast path; they must equal what
/// `Decimal(string:)` and `lowercased()` give.
final class NumberTokenTests: XCTestCase {
    func testNumbersEqualFoundationParsing() {
        var samples = ["0", "7", "42", "1,000", "12,345,678", "+3", "-2", "-2.5", "3.14159", "0.000", "007", "1.50",
                       "123456789012345678", "1234567890123456789", "99999999999999999999.5", "-0", "1,00"]
        var state: UInt64 = 3
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let integer = Int(state >> 40) % 10_000_000
            let fraction = Int(state >> 20) % 1000
            switch state % 4 {
            case 0: samples.append("\(integer)")
            case 1: samples.append("\(integer).\(fraction)")
            case 2: samples.append("-\(integer).\(String(repeating: "0", count: Int(state % 5)))\(fraction)")
            default: samples.append(integer.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))))
            }
        }
        for sample in samples { check(sample) }
    }

    func testCaseFoldingEqualsLowercased() {
        for text in ["JSON", "json", "Keys", "naïve", "ÉCOLE", "straße", "ΣΟΦΙΑ", "日本語", "MiXeD_42", "", "İ"] {
            XCTAssertEqual(foldCase(text), text.lowercased(), text)
        }
    }

    private func check(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = Decimal(string: text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "+", with: ""))
        let actual = parseNumber(Array(text.utf8)[...])
        XCTAssertEqual(actual, expected, text, file: file, line: line)
        XCTAssertEqual(actual?.description, expected?.description, text, file: file, line: line)
    }
}

import Foundation
import XCTest

@testable import Pricing

/// Money formatting: significant-digit and cents rules, half-up rounding, edge cases.
final class USDFormatTests: XCTestCase {
    func check(
        _ format: (Decimal) -> String, _ table: [(String, String)], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        for (amount, expected) in table {
            XCTAssertEqual(format(usd(amount)), expected, "amount \(amount)", file: file, line: line)
        }
    }

    /// Two amounts compared in one message read differently whenever they differ (an overage is never
    /// shown as the limit), with no more digits than that takes.
    func testComparingShowsTheDifference() {
        let table: [(String, String, String, String)] = [
            ("0.00102", "0.001", "$0.00102", "$0.001"),
            ("0.0053", "0.01", "$0.0053", "$0.01"),
            ("0.0100004", "0.01", "$0.0100004", "$0.01"),
            ("0.001", "0.001", "$0.001", "$0.001"),
            ("1.004", "1", "$1.004", "$1.00"),
            ("1234.5678", "1234.56", "$1,234.57", "$1,234.56"),
            ("1234.561", "1234.56", "$1,234.561", "$1,234.56"),
            ("0.000000000012", "0.000000000011", "$0.000000000012", "$0.000000000011"),
        ]
        for (amount, limit, shownAmount, shownLimit) in table {
            let shown = USDFormat.comparing(usd(amount), with: usd(limit))
            XCTAssertEqual(shown.amount, shownAmount, "\(amount) vs \(limit)")
            XCTAssertEqual(shown.limit, shownLimit, "\(amount) vs \(limit)")
        }
    }

    func testPerCall() {
        check(
            USDFormat.perCall,
            [
                ("0", "$0"),
                ("0.0042", "$0.0042"),
                ("0.0075", "$0.0075"),
                // Half-up, not banker's: banker's rounding would give $0.0042, $0.12 and $2.34.
                ("0.00425", "$0.0043"),
                ("0.125", "$0.13"),
                ("2.345", "$2.35"),
                ("0.00435", "$0.0044"),
                ("0.004249", "$0.0042"),
                ("0.4", "$0.40"),
                ("0.05", "$0.05"),
                ("0.042", "$0.042"),
                ("0.00000015", "$0.00000015"),
                ("0.000000000001", "<$0.0000000001"),
                ("0.99996", "$1.00"),
                ("1", "$1.00"),
                ("1234.565", "$1,234.57"),
                ("1000000", "$1,000,000.00"),
                ("-0.0042", "-$0.0042"),
            ])
    }

    func testPerMonth() {
        check(
            USDFormat.perMonth,
            [
                ("0", "$0/month"),
                ("0.5", "$0.50/month"),
                ("42.5", "$42.50/month"),
                ("99.996", "$100/month"),
                ("420.4", "$420/month"),
                ("999.5", "$1.0k/month"),
                ("1234", "$1.2k/month"),
                ("1250", "$1.3k/month"),
                ("9960", "$10k/month"),
                ("12345", "$12k/month"),
                ("60000", "$60k/month"),
                ("999500", "$1.0M/month"),
                ("3400000", "$3.4M/month"),
                ("2500000000000", "$2.5T/month"),
                ("5000000000000000", "$5,000T/month"),
                ("-1234", "-$1.2k/month"),
            ])
    }

    func testPerMillionTokens() {
        check(
            { USDFormat.perMillionTokens(perToken: $0) },
            [
                ("0.0000025", "$2.50/MTok"),
                ("0.00001", "$10.00/MTok"),
                ("0.000000075", "$0.075/MTok"),
                ("0.0000000375", "$0.0375/MTok"),
                ("0", "$0.00/MTok"),
                ("0.00006", "$60.00/MTok"),
                ("0.000000000001", "$0.000001/MTok"),
                ("0.0015", "$1,500.00/MTok"),
            ])
    }
}

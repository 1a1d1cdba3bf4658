import Foundation
import PromptText
import XCTest

@testable import PromptAnalysis

final class PersonalDataScannerTests: XCTestCase {
    /// Scans the marked fixture and expects exactly the marked ranges with `kinds` in order (and, when
    /// given, which of them are public test data). Every match's preview must not repeat the value.
    private func check(
        _ marked: String, _ kinds: [PIIKind], testData: [Bool]? = nil, baseOffset: Int = 0,
        allowedDomains: Set<String> = defaultAllowedEmailDomains, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let fixture = MarkedFixture(marked)
        let matches = scanPersonalData(
            in: fixture.text, baseOffset: baseOffset, allowedDomains: allowedDomains)
        let expected = fixture.expectedRanges.map { $0.shifted(by: baseOffset) }
        XCTAssertEqual(
            matches.map(\.range), expected, "ranges in \(fixture.text.debugDescription)", file: file,
            line: line)
        XCTAssertEqual(
            matches.map(\.kind), kinds, "kinds in \(fixture.text.debugDescription)", file: file, line: line)
        if let testData { XCTAssertEqual(matches.map(\.isTestData), testData, file: file, line: line) }
        for match in matches {
            let value = fixture.substring(match.range.shifted(by: -baseOffset))
            XCTAssertFalse(
                match.redacted.contains(value), "\(match.redacted) repeats \(value)", file: file, line: line)
            XCTAssertFalse(match.description.contains(value), file: file, line: line)
            let digits = value.filter(\.isNumber)
            if digits.count >= 5 {
                assertNothingLeaks(digits, in: [match.redacted, match.description], file: file, line: line)
            }
        }
    }

    func testEmails() {
        check("Contact ⟦jane.doe+news@acme-corp.io⟧ or ⟦J_SMITH@mail.company.co.uk⟧.", [.email, .email])
        check("Reply to user@example.com, a@mail.example.org, ops@host.test, x@y.invalid, me@localhost", [])
        check(
            "Custom allow-list: a@corp.internal.net ⟦b@other.com⟧", [.email], allowedDomains: ["internal.net"]
        )
        // Not addresses: Handlebars data variables, decorators, URL credentials, SSH remotes, no TLD.
        check("{{@index}} {{#each items}}{{@root.name}}{{/each}} @Override user@host", [])
        check("https://admin:hunter2@db.internal.com/x git@github.com:org/repo.git", [])
        check("Email: {{email}}@{{domain}} and foo@bar.c0m", [])
        let match = scanPersonalData(in: "write to jane@acme.io").first
        XCTAssertEqual(match?.redacted, "j…@….io")
    }

    func testPhones() {
        check("Call ⟦+1 (415) 867-5309⟧ or ⟦415-867-5309⟧ or ⟦(212) 736.5000⟧.", [.phone, .phone, .phone])
        check(
            "UK ⟦+44 20 7946 0018⟧, ⟦+44 (0)20 7946 0958⟧, ⟦020 7946 0018⟧, FR ⟦06 12 34 56 78⟧",
            [.phone, .phone, .phone, .phone])
        check("compact ⟦+4915112345678⟧ and ⟦1-800-275-2273⟧", [.phone, .phone])
        check("Phone: ⟦212-736-5000⟧ 10 times", [.phone])
        check("fictional ⟦(415) 555-0134⟧", [.phone], testData: [true])
        XCTAssertEqual(scanPersonalData(in: "tel 415-867-5309").first?.redacted, "…09")
    }

    func testNumbersThatAreNotPhones() {
        let negatives = [
            "Order #12345678 shipped on 2024-01-15 at 10:30.",
            "Invoice INV-2024-000123, ticket 48213, PIN 1234, code 004521",
            "Released v10.0.19041.1234 on 15.01.2024; build 2023.11.2",
            "Server 192.168.100.200 and 10.120.130.140",
            "Between 1990-2000 the range was 3-5 and 100 200 300 400",
            "Top 10 2023 2024 results",
            "ISBN 978-3-16-148410-0, price $1,234,567.89",
            "Call 555-123-4567",  // exchange starting with 1 cannot exist
            "order_id=5551234567 and id 4155551234",
            "2024-01-15 2024-02-16",
        ]
        for text in negatives { check(text, []) }
    }

    func testCardNumbers() {
        check(
            "Visa ⟦4539 1488 0343 6467⟧, MC ⟦5222-3344-5566-7786⟧, Amex ⟦349123456789015⟧",
            [.cardNumber, .cardNumber, .cardNumber], testData: [false, false, false])
        check("Discover ⟦6011987654321019⟧ 2-series ⟦2223000048400011⟧", [.cardNumber, .cardNumber])
        XCTAssertEqual(scanPersonalData(in: "card 4539148803436467").first?.description, "card number (Visa)")
        XCTAssertEqual(scanPersonalData(in: "card 4539148803436467").first?.redacted, "…6467")
        // Published test cards are reported as test data (a rule shows them at info level).
        check(
            "Use ⟦4111 1111 1111 1111⟧ or ⟦4242424242424242⟧ or ⟦3714 496353 98431⟧",
            [.cardNumber, .cardNumber, .cardNumber], testData: [true, true, true])
    }

    func testNumbersThatAreNotCards() {
        let negatives = [
            "Order 4539 1488 0343 6468 failed",  // Luhn fails by one digit
            "Tracking 1234567890123452",  // Luhn passes, but no card network uses prefix 12
            "Reference #4539148803436467",
            "id=4539148803436467",
            "Account 4539 14 88 0343 6467",  // groups of two are not how cards are written
            "4539148803436467123456",  // too long
        ]
        for text in negatives { check(text, []) }
    }

    func testNationalIdentifiers() {
        check("SSN ⟦536-22-8170⟧", [.usSocialSecurityNumber])
        check("Famous: ⟦078-05-1120⟧", [.usSocialSecurityNumber], testData: [true])
        check("000-12-3456 666-12-3456 912-34-5678 536-00-8170 536-22-0000 536228170", [])
        check(
            "NINO ⟦AB123456C⟧ and ⟦JG 10 37 50 D⟧", [.ukNationalInsuranceNumber, .ukNationalInsuranceNumber])
        check("QQ123456C DA123456A BG123456A AB123456E XAB123456C AB123456CD", [])
        XCTAssertEqual(scanPersonalData(in: "AB123456C").first?.redacted, "AB…")
        check(
            "IBAN ⟦NL91 ABNA 0417 1643 00⟧ and ⟦GB33BUKB20201555555555⟧", [.iban, .iban],
            testData: [false, false])
        check("Example ⟦GB82 WEST 1234 5698 7654 32⟧", [.iban], testData: [true])
        check("GB82 WEST 1234 5698 7654 33 and NL91ABNA0417164301", [])
    }

    func testUnicodeAndBaseOffset() {
        check("Ünïcødé 👩‍💻 e-mail: ⟦zoë@acme.io⟧, ⟦josé.müller@acme.de⟧!", [.email, .email])
        check("連絡先は⟦taro@acme.jp⟧まで", [.email], baseOffset: 9)
        check("電話 ⟦+81 3-1234-5678⟧、メール ⟦taro@acme.jp⟧", [.phone, .email])
        check("電話 ⟦+81 3-1234-5678⟧、メール ⟦taro@acme.jp⟧", [.phone, .email], baseOffset: 4_096)
    }

    func testThroughputOnALargePrompt() {
        var lines: [String] = []
        for index in 0..<2_000 {
            switch index % 100 {
            case 3: lines.append("Example customer: jane\(index)@acme.io, phone +1 415-867-5309.")
            default:
                lines.append(
                    "Line \(index): Summarize {{document}} in 3 bullet points; order #\(index)4567 from 2024-01-15."
                )
            }
        }
        let text = lines.joined(separator: "\n")
        let repetitions = 20
        var found = 0
        let started = Date()
        for _ in 0..<repetitions { found += scanPersonalData(in: text).count }
        let seconds = Date().timeIntervalSince(started)
        let megabytesPerSecond = Int(Double(text.utf8.count * repetitions) / 1_000_000 / seconds)
        #if DEBUG
            let configuration = "debug build; ~700 MB/s measured with -O -wmo"
        #else
            let configuration = "optimized build"
        #endif
        print(
            "scanPersonalData: \(text.utf8.count) bytes × \(repetitions): \(megabytesPerSecond) MB/s (\(configuration))"
        )
        XCTAssertEqual(found, 40 * repetitions)
    }
}

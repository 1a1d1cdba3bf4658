import Foundation
import PromptText

/// The kinds of personal data `scanPersonalData` recognises.
package enum PIIKind: String, Sendable, Hashable, CaseIterable {
    /// An e-mail address whose domain is not allow-listed: ASCII domain, local part ASCII or accented
    /// Latin letters.
    case email
    /// `+` international numbers (8–15 digits), North American numbers (`(415) 867-5309`,
    /// `415-867-5309`, area and exchange starting 2–9) and trunk-`0` national numbers with separators
    /// (`020 7946 0018`, `06 12 34 56 78`).
    case phone
    /// 13–19 digits, optionally grouped by spaces or dashes, with a known issuer prefix and a valid
    /// Luhn checksum.
    case cardNumber
    /// `ddd-dd-dddd`, excluding area 000/666/9xx, group 00 and serial 0000.
    case usSocialSecurityNumber
    /// `AB123456C` or `AB 12 34 56 C` with a prefix HMRC issues.
    case ukNationalInsuranceNumber
    /// An IBAN (compact or in groups of four) whose ISO 7064 mod-97 check passes.
    case iban
}

/// One piece of personal data found by `scanPersonalData`. `redacted` never contains the full value.
package struct PIIMatch: Hashable, Sendable {
    package var kind: PIIKind
    /// The value's bytes in the scanned text (shifted by `baseOffset`).
    package var range: UTF8Range
    /// What was found, for a diagnostic message: "e-mail address", "card number (Visa)".
    package var description: String
    /// A short hint that identifies the value without repeating it: "j…@….com", "…1111", "…67".
    package var redacted: String
    /// Publicly documented test or fictional data (payment-network test cards such as
    /// 4111 1111 1111 1111, North American 555 numbers, the standard example IBANs, SSN 078-05-1120).
    /// Reported so that a rule can show it at info level; not personal data.
    package var isTestData: Bool

    package init(
        kind: PIIKind, range: UTF8Range, description: String, redacted: String, isTestData: Bool = false
    ) {
        self.kind = kind
        self.range = range
        self.description = description
        self.redacted = redacted
        self.isTestData = isTestData
    }
}

/// Domains reserved for documentation and testing (RFC 2606 and RFC 6761).
package let defaultAllowedEmailDomains: Set<String> = [
    "example.com", "example.org", "example.net", "test", "invalid", "localhost",
]

/// Finds personal data in `text` with one hand-written pass over its UTF-8 bytes.
///
/// Numbers are read as spans of digit groups joined by single spaces, dashes, dots or parentheses, and
/// only at word boundaries, so `#12345678`, `INV-2024-000123`, `v10.0.19041.1234` and digits inside
/// words never start a match. A span is split at spaces to find the longest reading that is a card
/// number, a social security number or a phone number, in that order. Unseparated national numbers,
/// dates (8 digits at most), versions and IP addresses (groups too short or too many) and plain 4–6
/// digit numbers do not qualify as phones.
///
/// E-mail addresses whose domain is one of `allowedDomains` or a subdomain of one are skipped, as are
/// URL credentials (`https://user@host`) and SSH remotes (`git@github.com:org/repo`).
package func scanPersonalData(
    in text: String, baseOffset: Int = 0, allowedDomains: Set<String> = defaultAllowedEmailDomains
) -> [PIIMatch] {
    var text = text
    let allowed = Set(allowedDomains.map { $0.lowercased() })
    return text.withUTF8 { bytes in
        var scanner = PersonalDataScanner(bytes: bytes, allowedDomains: allowed)
        scanner.scan()
        var kept: [PIIMatch] = []
        for match in scanner.matches.sorted(by: { $0.range.start < $1.range.start }) {
            if let last = kept.last, last.range.overlaps(match.range) { continue }
            kept.append(match)
        }
        return kept.map { match in
            var shifted = match
            shifted.range = match.range.shifted(by: baseOffset)
            return shifted
        }
    }
}

// MARK: - Known public test data

/// Test card numbers the payment networks and processors publish (Stripe, Braintree, Adyen docs).
private let publishedTestCards: Set<String> = [
    "4111111111111111", "4242424242424242", "4012888888881881", "4000056655665556", "4000000000000002",
    "5555555555554444", "5105105105105100", "5200828282828210", "2223003122003222", "378282246310005",
    "371449635398431", "378734493671000", "6011111111111117", "6011000990139424", "30569309025904",
    "38520000023237", "3566002020360505", "3530111333300000", "6200000000000005",
]

/// Example IBANs from the ECBS/SWIFT registry documentation and SSNs that were published by mistake or
/// in advertising and are permanently invalid.
private let publishedExampleIDs: Set<String> = [
    "GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606",
    "078-05-1120", "219-09-9999", "123-45-6789",
]

// MARK: - Scanner

private struct DigitGroup {
    var digits: Range<Int>
    /// The separator before this group: 0 for the first, else ` `, `-` or `.`.
    var separator: UInt8
    var parenthesized: Bool
    /// Where the group ends in the text, including a closing parenthesis.
    var end: Int
}

private struct PersonalDataScanner {
    let bytes: Bytes
    let allowedDomains: Set<String>
    var matches: [PIIMatch] = []

    init(bytes: Bytes, allowedDomains: Set<String>) {
        self.bytes = bytes
        self.allowedDomains = allowedDomains
    }

    mutating func scan() {
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "@") {
                index = max(index + 1, scanEmail(at: index))
                continue
            }
            let atBoundary = isNumberBoundary(before: index)
            if atBoundary, isASCIIDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "(") {
                if let end = scanNumbers(from: index) {
                    index = end
                    continue
                }
            }
            if atBoundary, isASCIIUpper(byte), let end = scanUppercaseIdentifier(at: index) {
                index = end
                continue
            }
            // Skip the rest of a word so that digits inside it never start a number.
            index =
                isASCIIAlphanumeric(byte)
                ? bytes.runEnd(from: index + 1, where: isASCIIAlphanumeric) : index + 1
        }
    }

    private mutating func add(
        _ kind: PIIKind, _ range: Range<Int>, _ description: String, _ redacted: String, test: Bool = false
    ) {
        matches.append(
            PIIMatch(
                kind: kind, range: UTF8Range(range), description: description, redacted: redacted,
                isTestData: test))
    }

    /// Whether a number may start at `index`: not glued to a word, an id marker or another number.
    private func isNumberBoundary(before index: Int) -> Bool {
        guard index > 0 else { return true }
        let previous = bytes[index - 1]
        if isASCIIAlphanumeric(previous) { return false }
        switch previous {
        case UInt8(ascii: "_"), UInt8(ascii: "#"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"),
            UInt8(ascii: "+"), UInt8(ascii: "@"), UInt8(ascii: "$"), UInt8(ascii: ":"),
            UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: "\\"):
            return false
        default:
            return true
        }
    }

    // MARK: E-mail

    /// Reports the address around the `@` at `sign` if there is one; returns where scanning resumes.
    private mutating func scanEmail(at sign: Int) -> Int {
        var localStart = sign
        while localStart > 0, sign - localStart < 64 {
            if isLocalPartByte(bytes[localStart - 1]) {
                localStart -= 1
            } else if let letterStart = latinLetterStart(endingAt: localStart) {
                localStart = letterStart
            } else {
                break
            }
        }
        while localStart < sign, bytes[localStart] == UInt8(ascii: ".") { localStart += 1 }
        guard localStart < sign, bytes[sign - 1] != UInt8(ascii: ".") else { return sign + 1 }
        // `https://user:secret@host` is a URL credential, not an address.
        var back = localStart
        while back > 0, localStart - back < 200, !isWhitespace(bytes[back - 1]) {
            back -= 1
            if bytes.matches("://", at: back) { return sign + 1 }
        }
        var domainEnd = bytes.runEnd(from: sign + 1) {
            isASCIIAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
        while domainEnd > sign + 1,
            bytes[domainEnd - 1] == UInt8(ascii: ".") || bytes[domainEnd - 1] == UInt8(ascii: "-")
        {
            domainEnd -= 1
        }
        let domain = (sign + 1)..<domainEnd
        guard let tldStart = validDomainTLDStart(domain) else { return sign + 1 }
        // `git@github.com:org/repo.git` is an SSH remote.
        if bytes.byte(at: domainEnd) == UInt8(ascii: ":") { return domainEnd }
        let domainName = bytes.string(domain).lowercased()
        if isAllowed(domainName) { return domainEnd }
        let first = String(bytes.string(localStart..<sign).prefix(1))
        let tld = bytes.string(tldStart..<domainEnd)
        add(.email, localStart..<domainEnd, "e-mail address", "\(first)…@….\(tld)")
        return domainEnd
    }

    /// The start of an accented Latin letter (U+00C0–U+024F: `ë`, `é`, `ł`) that ends at `end`, else nil.
    /// Such letters belong to internationalised local parts (`zoë@…`, RFC 6531); other scripts end the
    /// address, so that `連絡先はtaro@acme.jp` yields `taro@acme.jp`.
    private func latinLetterStart(endingAt end: Int) -> Int? {
        guard end >= 2 else { return nil }
        let lead = bytes[end - 2]
        let trail = bytes[end - 1]
        guard lead & 0xE0 == 0xC0, trail & 0xC0 == 0x80 else { return nil }
        let scalar = (UInt32(lead & 0x1F) << 6) | UInt32(trail & 0x3F)
        guard (0xC0...0x24F).contains(scalar), scalar != 0xD7, scalar != 0xF7 else { return nil }
        return end - 2
    }

    private func isLocalPartByte(_ byte: UInt8) -> Bool {
        isASCIIAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "%")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    /// The start of the top-level domain if `domain` is `label(.label)+` with an alphabetic TLD of 2+
    /// letters and labels of 1–63 characters that neither start nor end with `-`.
    private func validDomainTLDStart(_ domain: Range<Int>) -> Int? {
        var labelStart = domain.lowerBound
        var lastLabelStart: Int?
        var labels = 0
        for index in domain.lowerBound...domain.upperBound {
            guard index == domain.upperBound || bytes[index] == UInt8(ascii: ".") else { continue }
            let length = index - labelStart
            guard length >= 1, length <= 63, bytes[labelStart] != UInt8(ascii: "-"),
                bytes[index - 1] != UInt8(ascii: "-")
            else { return nil }
            labels += 1
            lastLabelStart = labelStart
            labelStart = index + 1
        }
        guard labels >= 2, let tld = lastLabelStart, domain.upperBound - tld >= 2 else { return nil }
        for index in tld..<domain.upperBound where !isASCIILetter(bytes[index]) { return nil }
        return tld
    }

    private func isAllowed(_ domain: String) -> Bool {
        if allowedDomains.contains(domain) { return true }
        var rest = Substring(domain)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if allowedDomains.contains(String(rest)) { return true }
        }
        return false
    }

    // MARK: Numbers

    /// Reads a span of digit groups from `start` and reports every card, SSN or phone number in it.
    /// Returns the end of the span, or nil when no digit group starts here.
    private mutating func scanNumbers(from start: Int) -> Int? {
        var index = start
        let hasPlus = bytes[index] == UInt8(ascii: "+")
        if hasPlus {
            index += 1
            guard isASCIIDigit(bytes.byte(at: index)) || bytes.byte(at: index) == UInt8(ascii: "(") else {
                return nil
            }
        }
        var groups: [DigitGroup] = []
        var separator: UInt8 = 0
        while groups.count < 16 {
            var cursor = index
            let parenthesized = bytes.byte(at: cursor) == UInt8(ascii: "(")
            if parenthesized { cursor += 1 }
            let digitsEnd = bytes.runEnd(from: cursor, where: isASCIIDigit)
            guard digitsEnd > cursor else { break }
            var end = digitsEnd
            if parenthesized {
                guard bytes.byte(at: end) == UInt8(ascii: ")") else { break }
                end += 1
            }
            groups.append(
                DigitGroup(
                    digits: cursor..<digitsEnd, separator: separator, parenthesized: parenthesized, end: end))
            // A separator joins groups only when another group follows it directly; `)` may be
            // followed by a group with or without a space.
            let next = bytes.byte(at: end)
            let afterNext = bytes.byte(at: end + 1)
            let startsGroup = { (byte: UInt8) in isASCIIDigit(byte) || byte == UInt8(ascii: "(") }
            if parenthesized, startsGroup(next) {
                separator = UInt8(ascii: " ")
                index = end
            } else if next == UInt8(ascii: " ") || next == UInt8(ascii: "-") || next == UInt8(ascii: "."),
                startsGroup(afterNext)
            {
                separator = next
                index = end + 1
            } else {
                break
            }
        }
        guard !groups.isEmpty else { return nil }
        // A group glued to a word, an address or a time (`4567abc`, `10:30`) belongs to something else.
        var spanEnd = groups[groups.count - 1].end
        let following = bytes.byte(at: spanEnd)
        if isASCIILetter(following) || following == UInt8(ascii: "_") || following == UInt8(ascii: "@")
            || ((following == UInt8(ascii: ":") || following == UInt8(ascii: "/")
                || following == UInt8(ascii: ","))
                && isASCIIDigit(bytes.byte(at: spanEnd + 1)))
        {
            groups.removeLast()
            if groups.isEmpty { return bytes.runEnd(from: spanEnd, where: isASCIIAlphanumeric) }
            spanEnd = max(spanEnd, groups[groups.count - 1].end)
        }
        // Every kind needs at least 8 digits (a short `+` number); most spans in prose are shorter.
        var digitCount = 0
        for group in groups { digitCount += group.digits.count }
        if digitCount >= 8 { classifySpan(groups, hasPlus: hasPlus, plusOffset: start) }
        return spanEnd
    }

    /// Tries readings of `groups` split at spaces, longest first from each start.
    private mutating func classifySpan(_ groups: [DigitGroup], hasPlus: Bool, plusOffset: Int) {
        // Chunk boundaries: indices of groups that follow a space.
        var chunkStarts = [0]
        for (offset, group) in groups.enumerated().dropFirst() where group.separator == UInt8(ascii: " ") {
            chunkStarts.append(offset)
        }
        chunkStarts.append(groups.count)
        var first = 0
        while first < chunkStarts.count - 1 {
            var matched = false
            for last in stride(from: chunkStarts.count - 1, to: first, by: -1) {
                let window = Array(groups[chunkStarts[first]..<chunkStarts[last]])
                let plus = hasPlus && first == 0
                if classify(window, hasPlus: plus, spanStart: plus ? plusOffset : nil) {
                    first = last
                    matched = true
                    break
                }
            }
            if !matched { first += 1 }
        }
    }

    private mutating func classify(_ groups: [DigitGroup], hasPlus: Bool, spanStart: Int?) -> Bool {
        var digits: [UInt8] = []
        for group in groups { digits.append(contentsOf: bytes[group.digits]) }
        let start =
            spanStart
            ?? (groups[0].parenthesized ? groups[0].digits.lowerBound - 1 : groups[0].digits.lowerBound)
        let range = start..<groups[groups.count - 1].end
        let separators = groups.dropFirst().map { $0.separator }
        let anyParentheses = groups.contains { $0.parenthesized }
        let lengths = groups.map { $0.digits.count }

        // Cards: 13–19 digits, spaces or dashes between groups of 3+ (or none at all).
        if !hasPlus, !anyParentheses, (13...19).contains(digits.count),
            separators.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") }),
            groups.count == 1 || lengths.allSatisfy({ $0 >= 3 }),
            let issuer = cardIssuer(digits), luhnIsValid(digits)
        {
            let number = String(decoding: digits, as: UTF8.self)
            add(
                .cardNumber, range, "card number (\(issuer))", "…" + number.suffix(4),
                test: publishedTestCards.contains(number))
            return true
        }
        // US social security numbers: exactly ddd-dd-dddd.
        if !hasPlus, !anyParentheses, lengths == [3, 2, 4],
            separators == [UInt8(ascii: "-"), UInt8(ascii: "-")]
        {
            let area = digits[0..<3]
            let groupDigits = digits[3..<5]
            let serial = digits[5..<9]
            let invalid =
                area.elementsEqual("000".utf8) || area.elementsEqual("666".utf8)
                || area.first == UInt8(ascii: "9")
                || groupDigits.elementsEqual("00".utf8) || serial.elementsEqual("0000".utf8)
            if !invalid {
                let text = bytes.string(range)
                add(
                    .usSocialSecurityNumber, range, "US social security number", "…" + text.suffix(2),
                    test: publishedExampleIDs.contains(text))
                return true
            }
            return false
        }
        if let fictional = phoneReading(digits, lengths: lengths, separators: separators, hasPlus: hasPlus) {
            add(
                .phone, range, "phone number", "…" + String(decoding: digits.suffix(2), as: UTF8.self),
                test: fictional)
            return true
        }
        return false
    }

    /// Whether the groups read as a phone number; the result says whether it is fictional (NANP 555).
    private func phoneReading(
        _ digits: [UInt8], lengths: [Int], separators: [UInt8], hasPlus: Bool
    ) -> Bool? {
        let zero = UInt8(ascii: "0")
        if hasPlus {
            guard (8...15).contains(digits.count), digits[0] != zero else { return nil }
            if digits[0] == UInt8(ascii: "1") {
                // +1 is the North American plan: exactly 10 more digits with valid area and exchange.
                guard digits.count == 11 else { return nil }
                return nanpReading(Array(digits.dropFirst()))
            }
            return false
        }
        guard lengths.count >= 2 else { return nil }
        // IPv4 addresses and dotted versions are not phone numbers.
        if separators.contains(UInt8(ascii: ".")), lengths.count >= 4 || lengths.contains(where: { $0 < 2 }) {
            return nil
        }
        // North American: 3-3-4 (optionally after a 1), any of the usual separators.
        if lengths == [3, 3, 4] || lengths == [1, 3, 3, 4] {
            if lengths.count == 4, digits[0] != UInt8(ascii: "1") { return nil }
            return nanpReading(Array(digits.suffix(10)))
        }
        // Elsewhere: a trunk 0, 10–11 digits, every group at least 2 digits.
        guard digits[0] == zero, digits.count >= 10, digits.count <= 11, lengths.allSatisfy({ $0 >= 2 })
        else { return nil }
        return false
    }

    /// Area code and exchange must start with 2–9 (NANP numbering rules); exchange 555 is fictional.
    private func nanpReading(_ tenDigits: [UInt8]) -> Bool? {
        guard tenDigits.count == 10, tenDigits[0] >= UInt8(ascii: "2"), tenDigits[3] >= UInt8(ascii: "2")
        else { return nil }
        return tenDigits[3...5].elementsEqual("555".utf8)
    }

    // MARK: Uppercase identifiers (UK NINO, IBAN)

    /// Reports a National Insurance number or an IBAN starting at `start`; returns its end.
    private mutating func scanUppercaseIdentifier(at start: Int) -> Int? {
        guard isASCIIUpper(bytes.byte(at: start + 1)) else { return nil }
        if isASCIIDigit(bytes.byte(at: start + 2)) || bytes.byte(at: start + 2) == UInt8(ascii: " ") {
            if let end = scanNINO(at: start) { return end }
        }
        if isASCIIDigit(bytes.byte(at: start + 2)), isASCIIDigit(bytes.byte(at: start + 3)) {
            return scanIBAN(at: start)
        }
        return nil
    }

    private mutating func scanNINO(at start: Int) -> Int? {
        let first = bytes[start]
        let second = bytes[start + 1]
        let badFirst: [UInt8] = Array("DFIQUV".utf8)
        let badSecond: [UInt8] = Array("DFIOQUV".utf8)
        guard !badFirst.contains(first), !badSecond.contains(second) else { return nil }
        let prefix = bytes.string(start..<(start + 2))
        guard !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(prefix) else { return nil }
        // Compact `AB123456C` or spaced `AB 12 34 56 C`.
        var index = start + 2
        let spaced = bytes.byte(at: index) == UInt8(ascii: " ")
        for _ in 0..<3 {
            if spaced {
                guard bytes.byte(at: index) == UInt8(ascii: " ") else { return nil }
                index += 1
            }
            guard isASCIIDigit(bytes.byte(at: index)), isASCIIDigit(bytes.byte(at: index + 1)) else {
                return nil
            }
            index += 2
        }
        if spaced {
            guard bytes.byte(at: index) == UInt8(ascii: " ") else { return nil }
            index += 1
        }
        let suffix = bytes.byte(at: index)
        guard suffix >= UInt8(ascii: "A"), suffix <= UInt8(ascii: "D"),
            !isTokenByte(bytes.byte(at: index + 1))
        else { return nil }
        add(.ukNationalInsuranceNumber, start..<(index + 1), "UK National Insurance number", prefix + "…")
        return index + 1
    }

    private mutating func scanIBAN(at start: Int) -> Int? {
        // Two letters, two check digits, then uppercase alphanumerics, optionally in groups of four.
        var characters: [UInt8] = []
        var index = start
        var end = start
        var groupLength = 0
        while index < bytes.count, characters.count < 34 {
            let byte = bytes[index]
            if isASCIIUpper(byte) || isASCIIDigit(byte) {
                characters.append(byte)
                groupLength += 1
                index += 1
                end = index
            } else if byte == UInt8(ascii: " "), groupLength == 4,
                isASCIIUpper(bytes.byte(at: index + 1)) || isASCIIDigit(bytes.byte(at: index + 1))
            {
                groupLength = 0
                index += 1
            } else {
                break
            }
        }
        guard characters.count >= 15, characters.count <= 34, !isTokenByte(bytes.byte(at: end)),
            ibanChecksumIsValid(characters)
        else { return nil }
        let compact = String(decoding: characters, as: UTF8.self)
        add(
            .iban, start..<end, "IBAN", String(compact.prefix(2)) + "…",
            test: publishedExampleIDs.contains(compact))
        return end
    }
}

// MARK: - Checksums

/// The card network for a number's issuer identification prefix, or nil for unknown prefixes.
private func cardIssuer(_ digits: [UInt8]) -> String? {
    func prefix(_ count: Int) -> Int {
        digits.prefix(count).reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
    let length = digits.count
    let two = prefix(2)
    let four = prefix(4)
    let six = prefix(6)
    switch true {
    case digits[0] == UInt8(ascii: "4") && [13, 16, 19].contains(length): return "Visa"
    case (51...55).contains(two) && length == 16, (2221...2720).contains(four) && length == 16:
        return "Mastercard"
    case (two == 34 || two == 37) && length == 15: return "American Express"
    case (four == 6011 || two == 65 || (644...649).contains(prefix(3)) || (622126...622925).contains(six))
        && length >= 16:
        return "Discover"
    case (3528...3589).contains(four) && length >= 16: return "JCB"
    case (two == 36 || two == 38 || (300...305).contains(prefix(3))) && length >= 14: return "Diners Club"
    case two == 62 && length >= 16: return "UnionPay"
    case [50, 56, 57, 58, 63, 67].contains(two) && length >= 12: return "Maestro"
    default: return nil
    }
}

/// The Luhn (mod 10) checksum over ASCII digits.
private func luhnIsValid(_ digits: [UInt8]) -> Bool {
    var sum = 0
    for (position, byte) in digits.reversed().enumerated() {
        var value = Int(byte - UInt8(ascii: "0"))
        if position % 2 == 1 {
            value *= 2
            if value > 9 { value -= 9 }
        }
        sum += value
    }
    return sum % 10 == 0
}

/// ISO 13616 / ISO 7064 mod-97-10: move the first four characters to the end, letters become 10–35,
/// and the number must leave remainder 1.
private func ibanChecksumIsValid(_ characters: [UInt8]) -> Bool {
    guard isASCIIUpper(characters[0]), isASCIIUpper(characters[1]), isASCIIDigit(characters[2]),
        isASCIIDigit(characters[3])
    else { return false }
    var remainder = 0
    for byte in characters[4...] + characters[..<4] {
        if isASCIIDigit(byte) {
            remainder = (remainder * 10 + Int(byte - UInt8(ascii: "0"))) % 97
        } else {
            remainder = (remainder * 100 + Int(byte - UInt8(ascii: "A")) + 10) % 97
        }
    }
    return remainder == 1
}

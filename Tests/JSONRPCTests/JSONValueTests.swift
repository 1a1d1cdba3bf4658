import XCTest

@testable import JSONRPC

final class JSONValueTests: XCTestCase {
    /// Parses `text` and compares with `expected`; then checks that serializing and re-parsing is stable.
    private func check(
        _ text: String, _ expected: JSONValue, file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let value = try JSONValue.parse(text)
            XCTAssertEqual(value, expected, file: file, line: line)
            XCTAssertEqual(
                try JSONValue.parse(value.serialized()), value, "round trip", file: file, line: line)
        } catch {
            XCTFail("\(text): \(error)", file: file, line: line)
        }
    }

    private func checkInvalid(
        _ text: String, _ message: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try JSONValue.parse(Array(text.utf8)), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(message), "\(error) lacks '\(message)'", file: file, line: line)
        }
    }

    func testScalars() {
        check("null", .null)
        check(" true ", true)
        check("false", false)
        check("0", .integer(0))
        check("-12", .integer(-12))
        check("9223372036854775807", .integer(Int64.max))
        check("-9223372036854775808", .integer(Int64.min))
        check("9007199254740993", .integer(9_007_199_254_740_993))  // not representable as Double
        check("9223372036854775808", .double(9_223_372_036_854_775_808))  // past Int64 → double
        check("1.5", .double(1.5))
        check("1.0", .double(1.0))
        check("-2e3", .double(-2000))
        check("1E-2", .double(0.01))
    }

    func testStrings() {
        check(#""plain""#, "plain")
        check(#""a\"b\\c\/d\b\f\n\r\t""#, .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        check(#""\u00e9\u4e2d""#, "é中")
        check(#""\ud83d\ude00""#, "😀")  // surrogate pair
        check(#""\ud83d x""#, "\u{FFFD} x")  // lone high surrogate
        check(#""\ude00""#, "\u{FFFD}")  // lone low surrogate
        check("\"é😀中\"", "é😀中")  // raw UTF-8
        XCTAssertEqual(try JSONValue.parse([0x22, 0xFF, 0x61, 0x22]), "\u{FFFD}a")  // invalid UTF-8 replaced
    }

    func testContainers() {
        check("[]", [])
        check("{}", [:])
        check(#"[1, "a", [null], {"k": false}]"#, [1, "a", [nil], ["k": false]])
        check(#"{"a": {"b": [1.25]}, "a2": 3}"#, ["a": ["b": [1.25]], "a2": 3])
        check(#"{"dup": 1, "dup": 2}"#, ["dup": 2])  // last member wins
    }

    func testInvalid() {
        checkInvalid("", "unexpected end")
        checkInvalid("{", "expected a string key")
        checkInvalid(#"{"a" 1}"#, "expected ':'")
        checkInvalid("[1 2]", "expected ',' or ']'")
        checkInvalid("[1,]", "unexpected character")
        checkInvalid("01", "unexpected data after")
        checkInvalid("1.", "invalid number")
        checkInvalid("-", "invalid number")
        checkInvalid("tru", "unexpected end")
        checkInvalid("nul1", "invalid literal")
        checkInvalid("\"abc", "unterminated string")
        checkInvalid("\"a\nb\"", "control character")
        checkInvalid(#""\x""#, "invalid escape")
        checkInvalid(#""\u12G4""#, "invalid hex digit")
        checkInvalid("1e999", "out of range")
        checkInvalid("{} {}", "unexpected data after")
        checkInvalid(
            String(repeating: "[", count: 600) + String(repeating: "]", count: 600), "nesting deeper")
    }

    func testNestingAtTheLimitIsAccepted() throws {
        let depth = JSONValue.maximumNestingDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        XCTAssertNoThrow(try JSONValue.parse(text))
    }

    func testSerializationIsCompactSortedAndEscaped() {
        let value: JSONValue = ["b": [1, 2.5, nil, true], "a": "q\"\\\n\u{1}é"]
        XCTAssertEqual(value.description, #"{"a":"q\"\\\n\u0001é","b":[1,2.5,null,true]}"#)
        XCTAssertEqual(JSONValue.double(3).description, "3.0")
    }

    private struct Sample: Codable, Equatable {
        struct Inner: Codable, Equatable { var uri: String }
        var count: Int
        var ratio: Double
        var flag: Bool?
        var inner: Inner
        var list: [Int64]
        var extra: JSONValue?
    }

    func testTypedDecodingAndErrorPaths() throws {
        let value = try JSONValue.parse(
            #"{"count": 3, "ratio": 2, "inner": {"uri": "file:///a"}, "list": [1, 2.0], "extra": {"x": [1]}, "unknown": 0}"#
        )
        let sample = try value.decode(Sample.self)
        XCTAssertEqual(
            sample,
            Sample(
                count: 3, ratio: 2, flag: nil, inner: .init(uri: "file:///a"), list: [1, 2], extra: ["x": [1]]
            ))
        XCTAssertEqual(try JSONValue(encoding: sample).decode(Sample.self), sample)

        func failure(_ text: String) -> String {
            do {
                _ = try JSONValue.parse(text).decode(Sample.self)
                return "no error"
            } catch {
                return describeDecodingFailure(error)
            }
        }
        XCTAssertEqual(
            failure(#"{"count": 1, "ratio": 1, "inner": {"uri": 5}, "list": []}"#),
            "params.inner.uri: expected string, got number")
        XCTAssertEqual(
            failure(#"{"count": 1, "ratio": 1, "list": []}"#), "params: missing required member 'inner'")
        XCTAssertEqual(
            failure(#"{"count": 1.5, "ratio": 1, "inner": {"uri": ""}, "list": []}"#),
            "params.count: expected integer, got 1.5")
        XCTAssertEqual(
            failure(#"{"count": 1, "ratio": 1, "inner": {"uri": ""}, "list": [1, "2"]}"#),
            "params.list[1]: expected integer, got string")
        XCTAssertEqual(failure("[]"), "params: expected object, got array")
    }

    func testFoundationCodingKeepsIntegersExact() throws {
        let value: JSONValue = ["big": .integer(9_007_199_254_740_993), "half": 0.5, "list": [nil, "s"]]
        let data = try JSONValue.encoder.encode(value)
        XCTAssertEqual(try JSONValue.parse(data), value)
        XCTAssertEqual(
            try JSONDecoder().decode(JSONValue.self, from: data)["big"], .integer(9_007_199_254_740_993))
    }
}

/// The direct encoder against the reference it replaces: for values of every shape, the JSON value it
/// builds equals what Foundation's `JSONEncoder` writes, parsed back.
final class JSONValueEncoderTests: XCTestCase {
    private struct Shapes: Encodable {
        enum Kind: String, Encodable { case one, two }
        struct Empty: Encodable {}
        var optionalNil: Int? = nil
        var optionalSome: String? = "s"
        var integral = 2.0
        var fraction = 0.1
        var negative = -3.25
        var float: Float = 1.5
        var big: UInt64 = .max
        var small: Int8 = -7
        var kind = Kind.two
        var kinds: [Kind] = [.one, .two]
        var nested: [[Int]] = [[1], [], [2, 3]]
        var map: [String: [String: Bool]] = ["a": ["b": true], "c": [:]]
        var empty = Empty()
        var json: JSONValue = ["x": [1, "y", nil]]
        var text = "quote \" slash / é 😀 \u{1}"
    }

    /// Encodes through a keyed container twice, a super encoder and nested containers by hand.
    private struct Manual: Encodable {
        enum Keys: String, CodingKey { case a, b, list, inner }
        func encode(to encoder: any Encoder) throws {
            var first = encoder.container(keyedBy: Keys.self)
            try first.encode(1, forKey: .a)
            var second = encoder.container(keyedBy: Keys.self)
            try second.encode("two", forKey: .b)
            var list = second.nestedUnkeyedContainer(forKey: .list)
            try list.encode(true)
            var row = list.nestedContainer(keyedBy: Keys.self)
            try row.encodeNil(forKey: .a)
            try Shapes.Empty().encode(to: second.superEncoder(forKey: .inner))
            try Shapes.Kind.one.encode(to: second.superEncoder())
        }
    }

    /// Writes one key twice: JSON keeps the last, as Foundation's encoder does.
    private struct Repeated: Encodable {
        enum Keys: String, CodingKey { case a }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .a)
            try container.encode(2, forKey: .a)
        }
    }

    func testMatchesFoundationsEncoder() throws {
        try check(Shapes())
        try check(Manual())
        try check([Shapes(), Shapes()])
        try check(["k": 1.0])
        try check(Optional<Int>.none)
        try check([Optional<JSONValue>.none, .some(["b": 1, "a": [true]])])
        try check(["z": ["y": 1, "x": 2], "a": [:]] as [String: [String: Int]])
        try check(Repeated())
        try check(42)
        try check("top-level string")
    }

    func testNonFiniteNumbersAreErrors() {
        XCTAssertThrowsError(try JSONValue(encoding: Double.nan))
        XCTAssertThrowsError(try JSONValue(encoding: ["x": Double.infinity]))
    }

    private func check(_ value: some Encodable, file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = try JSONValue.parse(JSONValue.encoder.encode(value))
        XCTAssertEqual(try JSONValue(encoding: value), reference, file: file, line: line)
        // The streaming writer gives the tree's bytes exactly (sorted keys), whether it streams the
        // value or starts over with the tree (`Manual` uses nested containers and super encoders).
        XCTAssertEqual(String(decoding: try MessageEncoding.json(value), as: UTF8.self),
                       String(decoding: try JSONValue(encoding: value).serialized(), as: UTF8.self), file: file, line: line)
    }
}

import Foundation
import PromptSyntax
import PromptText

/// Why JSON text could not be read: the message and the UTF-8 offset where reading stopped.
public struct JSONReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var utf8Offset: Int
    public var description: String { "\(message) at byte \(utf8Offset)" }
}

/// Reads JSON text into ordered `PlainValue`s (Foundation's reader loses object key order, which the
/// reference renderer keeps: `{{#each}}` and `{{json}}` print keys in input order). Integers without
/// fraction or exponent that fit in `Int` become `.int`, other numbers `.double`; a repeated key keeps its
/// first position and its last value, as `JSON.parse` does.
public func parsePlainJSON(_ text: String) -> Result<PlainValue, JSONReadError> {
    var reader = PlainJSONReader(bytes: Array(text.utf8))
    do throws(JSONReadError) {
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        if reader.position != reader.bytes.count {
            throw reader.failure("unexpected text after the JSON value")
        }
        return .success(value)
    } catch {
        return .failure(error)
    }
}

private struct PlainJSONReader {
    let bytes: [UInt8]
    var position = 0
    /// Deeper nesting is refused rather than risking the stack.
    static let maximumDepth = 512

    init(bytes: [UInt8]) { self.bytes = bytes }

    func failure(_ message: String) -> JSONReadError { JSONReadError(message: message, utf8Offset: position) }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func expect(_ literal: String) throws(JSONReadError) {
        for byte in literal.utf8 {
            guard position < bytes.count, bytes[position] == byte else {
                throw failure("expected '\(literal)'")
            }
            position += 1
        }
    }

    mutating func readValue(depth: Int) throws(JSONReadError) -> PlainValue {
        guard depth < Self.maximumDepth else { throw failure("JSON nested too deeply") }
        guard position < bytes.count else { throw failure("unexpected end of JSON") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try readObject(depth: depth)
        case UInt8(ascii: "["): return try readArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        default: return try readNumber()
        }
    }

    mutating func readObject(depth: Int) throws(JSONReadError) -> PlainValue {
        position += 1
        var members: [PlainValue.Member] = []
        var positions: [String: Int] = [:]
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw failure("expected a string key")
            }
            let key = try readString()
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            let value = try readValue(depth: depth + 1)
            if let existing = positions[key] {
                members[existing].value = value
            } else {
                positions[key] = members.count
                members.append(PlainValue.Member(key: key, value: value))
            }
            skipWhitespace()
            guard position < bytes.count else { throw failure("unexpected end of JSON in an object") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect("}")
            return .object(members)
        }
    }

    mutating func readArray(depth: Int) throws(JSONReadError) -> PlainValue {
        position += 1
        var items: [PlainValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try readValue(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else { throw failure("unexpected end of JSON in an array") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect("]")
            return .array(items)
        }
    }

    mutating func readHex4() throws(JSONReadError) -> UInt32 {
        guard position + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { throw failure("invalid \\u escape") }
        position += 4
        return value
    }

    mutating func readString() throws(JSONReadError) -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flush(_ end: Int) {
            scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                flush(position)
                position += 1
                return String(scalars)
            }
            if byte < 0x20 { throw failure("control character in a string") }
            if byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            flush(position)
            position += 1
            guard position < bytes.count else { break }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try readHex4()
                if (0xD800..<0xDC00).contains(code), position + 6 <= bytes.count,
                    bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                {
                    let save = position
                    position += 2
                    let low = try readHex4()
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position = save
                    }
                }
                // A lone surrogate cannot live in a Swift string; it becomes U+FFFD.
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default: throw failure("invalid escape in a string")
            }
            runStart = position
        }
        throw failure("unterminated string")
    }

    mutating func readNumber() throws(JSONReadError) -> PlainValue {
        let start = position
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
        guard position > digitsStart else { throw failure("unexpected character") }
        if bytes[digitsStart] == 0x30 && position - digitsStart > 1 {
            throw failure("leading zero in a number")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            let fractionStart = position
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
            guard position > fractionStart else { throw failure("digits expected after '.'") }
        }
        if position < bytes.count,
            bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")
        {
            isInteger = false
            position += 1
            if position < bytes.count,
                bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
            {
                position += 1
            }
            let exponentStart = position
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
            guard position > exponentStart else { throw failure("digits expected in the exponent") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger, let value = Int(text) { return .int(value) }
        return .double(Double(text) ?? .nan)
    }
}

// MARK: - Writing

/// Writes an array or object in the layout both JSON writers of this module use: `[]`/`{}` when
/// empty; otherwise elements separated by commas, each on its own line indented two spaces per level
/// when `pretty`. `writeElement` writes one element (for objects, its key and value).
func appendJSONContainer<Element>(
    _ elements: [Element], open: String, close: String, pretty: Bool, level: Int, into out: inout String,
    writeElement: (Element, inout String) -> Void
) {
    if elements.isEmpty {
        out += open + close
        return
    }
    out += open
    for (index, element) in elements.enumerated() {
        if index > 0 { out += "," }
        if pretty { out += "\n" + String(repeating: "  ", count: level + 1) }
        writeElement(element, &out)
    }
    if pretty { out += "\n" + String(repeating: "  ", count: level) }
    out += close
}

extension PlainValue {
    /// JSON text with keys in stored order: compact, or indented by two spaces per level when `pretty`
    /// (`"key": value`). Non-finite doubles print as `null`, as in JavaScript.
    public func jsonText(pretty: Bool = false) -> String {
        var out = ""
        writeJSON(into: &out, pretty: pretty, level: 0)
        return out
    }

    private func writeJSON(into out: inout String, pretty: Bool, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .double(let number): out += number.isFinite ? javaScriptNumberText(number) : "null"
        case .string(let text): out += jsonQuoted(text)
        case .array(let items):
            appendJSONContainer(items, open: "[", close: "]", pretty: pretty, level: level, into: &out) { item, out in
                item.writeJSON(into: &out, pretty: pretty, level: level + 1)
            }
        case .object(let members):
            appendJSONContainer(members, open: "{", close: "}", pretty: pretty, level: level, into: &out) { member, out in
                out += jsonQuoted(member.key) + (pretty ? ": " : ":")
                member.value.writeJSON(into: &out, pretty: pretty, level: level + 1)
            }
        }
    }

    /// The same data with object keys sorted and numbers compared by value (`1` equals `1.0`), for
    /// comparisons that must ignore key order, as deep-equality in the reference tests does.
    public var normalizedForComparison: PlainValue {
        switch self {
        case .double(let number) where number.rounded() == number && abs(number) < 9.0e15:
            return .int(Int(number))
        case .array(let items): return .array(items.map(\.normalizedForComparison))
        case .object(let members):
            var byKey: [String: PlainValue] = [:]
            for member in members { byKey[member.key] = member.value.normalizedForComparison }
            return .object(byKey.keys.sorted().map { PlainValue.Member(key: $0, value: byKey[$0]!) })
        default: return self
        }
    }
}

extension PlainValue {
    /// A schema as plain data (integral numbers become `.int`).
    public init(_ schema: SchemaValue) {
        switch schema {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number):
            if number == number.rounded(0, .plain),
                let exact = Int(exactly: NSDecimalNumber(decimal: number).int64Value),
                Decimal(exact) == number
            {
                self = .int(exact)
            } else {
                self = .double(NSDecimalNumber(decimal: number).doubleValue)
            }
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(PlainValue.init))
        case .object(let members):
            self = .object(members.map { PlainValue.Member(key: $0.key, value: PlainValue($0.value)) })
        }
    }
}

extension Decimal {
    fileprivate func rounded(_ scale: Int, _ mode: NSDecimalNumber.RoundingMode) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, mode)
        return result
    }
}

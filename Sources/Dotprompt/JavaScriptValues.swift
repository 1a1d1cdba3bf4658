import Foundation
import PromptSyntax
import PromptText

// The reference renderer is Handlebars running in JavaScript, so values print, compare and test for
// truth the way JavaScript does. Rendering uses `PlainValue?`: `nil` is JavaScript's `undefined` (a
// missing property), `.null` is `null`; the two print the same but compare and serialise differently.

/// JavaScript's `String(value)` as Handlebars appends it (`undefined` and `null` print nothing).
func appendedText(_ value: PlainValue?) -> String {
    guard let value, value != .null else { return "" }
    return templateLiteralText(value)
}

/// JavaScript's `String(value)`, as used in template literals (`${x}`): `undefined` and `null` print
/// their names.
func templateLiteralText(_ value: PlainValue?) -> String {
    guard let value else { return "undefined" }
    switch value {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .int(let number): return String(number)
    case .double(let number): return javaScriptNumberText(number)
    case .string(let text): return text
    case .array(let items):
        // Array.prototype.toString joins with "," and prints null and undefined as nothing.
        return items.map { $0 == .null ? "" : templateLiteralText($0) }.joined(separator: ",")
    case .object: return "[object Object]"
    }
}

/// JavaScript's `Number.prototype.toString()` for a double: shortest round-trip digits, plain notation
/// from 1e-7 up to 1e21, exponent notation (`1e+21`, `1e-7`) outside.
func javaScriptNumberText(_ number: Double) -> String {
    if number.isNaN { return "NaN" }
    if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
    if number == 0 { return "0" }
    let sign = number < 0 ? "-" : ""
    // Swift's description is the shortest round-trip representation; extract its digits and exponent.
    var text = "\(abs(number))"
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        exponent = Int(text[text.index(after: e)...]) ?? 0
        text = String(text[..<e])
    }
    var integerPart = text
    var fraction = ""
    if let dot = text.firstIndex(of: ".") {
        integerPart = String(text[..<dot])
        fraction = String(text[text.index(after: dot)...])
    }
    var digits = integerPart + fraction
    // The decimal point sits after `point` digits of `digits` (times 10^exponent).
    var point = integerPart.count + exponent
    while digits.hasPrefix("0") && digits.count > 1 {
        digits.removeFirst()
        point -= 1
    }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    let k = digits.count
    let n = point
    if k <= n && n <= 21 { return sign + digits + String(repeating: "0", count: n - k) }
    if 0 < n && n <= 21 {
        return sign + String(digits.prefix(n)) + "." + String(digits.dropFirst(n))
    }
    if -6 < n && n <= 0 { return sign + "0." + String(repeating: "0", count: -n) + digits }
    let e = n - 1
    let mantissa = k == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
    return sign + mantissa + "e" + (e >= 0 ? "+" : "-") + String(abs(e))
}

/// JavaScript truthiness.
func isTruthy(_ value: PlainValue?) -> Bool {
    guard let value else { return false }
    switch value {
    case .null: return false
    case .bool(let flag): return flag
    case .int(let number): return number != 0
    case .double(let number): return number != 0 && !number.isNaN
    case .string(let text): return !text.isEmpty
    case .array, .object: return true
    }
}

/// Handlebars' `Utils.isEmpty`: falsy values except 0, and empty arrays.
func isHandlebarsEmpty(_ value: PlainValue?) -> Bool {
    if case .array(let items)? = value { return items.isEmpty }
    if case .int(0)? = value { return false }
    if case .double(let number)? = value, number == 0 { return false }
    return !isTruthy(value)
}

/// JavaScript's `===`. Arrays and objects are equal only to themselves; values copied out of the input
/// have no identity here, so two of them never compare equal (the reference compares references).
func strictlyEquals(_ lhs: PlainValue?, _ rhs: PlainValue?) -> Bool {
    switch (lhs, rhs) {
    case (nil, nil): return true
    case (nil, _), (_, nil): return false
    case (.null?, .null?): return true
    case (.bool(let a)?, .bool(let b)?): return a == b
    case (.string(let a)?, .string(let b)?): return a == b
    case (.int(let a)?, .int(let b)?): return a == b
    case (.int(let a)?, .double(let b)?): return Double(a) == b
    case (.double(let a)?, .int(let b)?): return a == Double(b)
    case (.double(let a)?, .double(let b)?): return a == b
    default: return false
    }
}

/// Whether `key` is a canonical array index (`"0"`, `"17"`, not `"01"`), which JavaScript orders
/// before all other keys of an object.
private func arrayIndex(_ key: String) -> UInt32? {
    guard let value = UInt32(key), value != UInt32.max, String(value) == key else { return nil }
    return value
}

/// An object's members in JavaScript's property order (`Object.keys`, `JSON.stringify`, `#each`):
/// integer keys ascending first, then the others in insertion order.
func membersInJavaScriptOrder(_ members: [PlainValue.Member]) -> [PlainValue.Member] {
    let indexed = members.compactMap { member in arrayIndex(member.key).map { (index: $0, member: member) } }
    if indexed.isEmpty { return members }
    return indexed.sorted { $0.index < $1.index }.map(\.member) + members.filter { arrayIndex($0.key) == nil }
}

/// Handlebars' `lookupProperty(parent, name)` for JSON data: own properties only (array elements and
/// `length`, string characters and `length`, object members).
func lookupProperty(_ parent: PlainValue?, _ name: String) -> PlainValue? {
    guard let parent else { return nil }
    switch parent {
    case .object(let members): return members.last { $0.key == name }?.value
    case .array(let items):
        if name == "length" { return .int(items.count) }
        if let index = arrayIndex(name), Int(index) < items.count { return items[Int(index)] }
        return nil
    case .string(let text):
        // JavaScript strings are UTF-16: `length` and indices count code units.
        let units = Array(text.utf16)
        if name == "length" { return .int(units.count) }
        if let index = arrayIndex(name), Int(index) < units.count {
            return .string(String(decoding: [units[Int(index)]], as: UTF16.self))
        }
        return nil
    default: return nil
    }
}

/// The property key JavaScript makes of a value (`obj[value]`).
func propertyKey(_ value: PlainValue?) -> String { templateLiteralText(value) }

// MARK: - JSON.stringify

/// JavaScript's `JSON.stringify(value, null, indent)`; nil when JavaScript returns `undefined`.
func javaScriptJSON(_ value: PlainValue?, indent: String) -> String? {
    guard let value else { return nil }
    var out = ""
    writeJavaScriptJSON(value, indent: indent, level: 0, into: &out)
    return out
}

private func writeJavaScriptJSON(_ value: PlainValue, indent: String, level: Int, into out: inout String) {
    switch value {
    case .null: out += "null"
    case .bool(let flag): out += flag ? "true" : "false"
    case .int(let number): out += String(number)
    case .double(let number): out += number.isFinite ? javaScriptNumberText(number) : "null"
    case .string(let text): out += jsonQuoted(text)
    case .array(let items):
        writeJSONContainer(
            count: items.count, open: "[", close: "]", indent: indent, level: level, into: &out
        ) {
            index, out in writeJavaScriptJSON(items[index], indent: indent, level: level + 1, into: &out)
        }
    case .object(let members):
        let ordered = membersInJavaScriptOrder(members)
        writeJSONContainer(
            count: ordered.count, open: "{", close: "}", indent: indent, level: level, into: &out
        ) {
            index, out in
            out += jsonQuoted(ordered[index].key) + (indent.isEmpty ? ":" : ": ")
            writeJavaScriptJSON(ordered[index].value, indent: indent, level: level + 1, into: &out)
        }
    }
}

private func writeJSONContainer(
    count: Int, open: String, close: String, indent: String, level: Int, into out: inout String,
    element: (Int, inout String) -> Void
) {
    if count == 0 {
        out += open + close
        return
    }
    out += open
    for index in 0..<count {
        if index > 0 { out += "," }
        if !indent.isEmpty { out += "\n" + String(repeating: indent, count: level + 1) }
        element(index, &out)
    }
    if !indent.isEmpty { out += "\n" + String(repeating: indent, count: level) }
    out += close
}

/// The `indent` argument of `JSON.stringify`: a number of spaces (at most 10) or a string (its first 10
/// characters); anything else means no indentation.
func javaScriptJSONIndent(_ value: PlainValue?) -> String {
    switch value {
    case .int(let number)?: return String(repeating: " ", count: max(0, min(10, number)))
    case .double(let number)? where number.isFinite:
        return String(repeating: " ", count: max(0, min(10, Int(number.rounded(.towardZero)))))
    case .string(let text)?: return String(text.prefix(10))
    default: return ""
    }
}

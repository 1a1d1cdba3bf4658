import Foundation
import PromptSyntax
import PromptText

/// A JSON value whose objects keep their key order, so that generated schemas print in a stable,
/// readable order (`type` first, `required` after `properties`). Equality is order-sensitive; use
/// `normalized` to compare values as JSON does.
public indirect enum SchemaValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([SchemaValue])
    case object([Member])

    /// One key/value pair of an object.
    public struct Member: Hashable, Sendable {
        public var key: String
        public var value: SchemaValue

        public init(_ key: String, _ value: SchemaValue) {
            self.key = key
            self.value = value
        }
    }

    /// The member named `key` of an object (the last one, as JSON parsers do), or nil.
    public subscript(key: String) -> SchemaValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The same value with object keys sorted (duplicates resolved to the last), for comparisons
    /// that must ignore key order.
    public var normalized: SchemaValue {
        switch self {
        case .array(let items): return .array(items.map(\.normalized))
        case .object(let members):
            var byKey: [String: SchemaValue] = [:]
            for member in members { byKey[member.key] = member.value.normalized }
            return .object(byKey.keys.sorted().map { Member($0, byKey[$0]!) })
        default: return self
        }
    }

    /// Replaces the member named `key`, keeping its position, or appends it.
    package mutating func set(_ key: String, _ value: SchemaValue) {
        guard case .object(var members) = self else { return }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append(Member(key, value))
        }
        self = .object(members)
    }
}

extension SchemaValue: Decodable {
    /// Decodes any JSON document (key order of objects is not preserved by `JSONDecoder`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([SchemaValue].self) {
            self = .array(value)
        } else {
            let object = try container.decode([String: SchemaValue].self)
            self = .object(object.keys.sorted().map { Member($0, object[$0]!) })
        }
    }
}

// MARK: - JSON text

extension SchemaValue {
    /// JSON text: compact on one line, or indented by two spaces per level when `pretty`.
    public func jsonText(pretty: Bool = false) -> String {
        var out = ""
        writeJSON(into: &out, pretty: pretty, level: 0)
        return out
    }

    private func writeJSON(into out: inout String, pretty: Bool, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value): out += value.description
        case .string(let value): out += jsonQuoted(value)
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
}

// MARK: - YAML text

extension SchemaValue {
    /// The value as block-style YAML lines, each prefixed by `indent` spaces and ending in a newline.
    /// Scalars and arrays of scalars stay on one line (`enum: [a, b]`); objects and arrays of objects
    /// nest. A scalar at the top level yields a single line.
    public func yaml(indent: Int = 0) -> String {
        var out = ""
        writeYAMLBlock(into: &out, indent: indent)
        return out
    }

    /// Whether the value prints on the same line as its key.
    package var isYAMLInline: Bool {
        switch self {
        case .array(let items): return items.allSatisfy(\.isYAMLScalar)
        case .object(let members): return members.isEmpty
        default: return true
        }
    }

    private var isYAMLScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    /// The one-line form of a scalar, an empty object or an array of scalars.
    package var yamlInline: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return value.description
        case .string(let value): return yamlScalar(value, inFlow: false)
        case .array(let items): return "[" + items.map { $0.flowScalar }.joined(separator: ", ") + "]"
        case .object: return "{}"
        }
    }

    private var flowScalar: String {
        if case .string(let value) = self { return yamlScalar(value, inFlow: true) }
        return yamlInline
    }

    private func writeYAMLBlock(into out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .object(let members) where !members.isEmpty:
            for member in members {
                let key = yamlScalar(member.key, inFlow: false)
                if member.value.isYAMLInline {
                    out += pad + key + ": " + member.value.yamlInline + "\n"
                } else {
                    out += pad + key + ":\n"
                    member.value.writeYAMLBlock(into: &out, indent: indent + 2)
                }
            }
        case .array(let items) where !isYAMLInline:
            for item in items {
                if item.isYAMLInline {
                    out += pad + "- " + item.yamlInline + "\n"
                } else {
                    // The first line of a nested block moves up onto the dash line.
                    var nested = ""
                    item.writeYAMLBlock(into: &nested, indent: indent + 2)
                    out += pad + "- " + nested.dropFirst(indent + 2)
                }
            }
        default:
            out += pad + yamlInline + "\n"
        }
    }
}

/// A YAML scalar for `text`: plain when a YAML 1.1 or 1.2 reader would read it back as the same
/// string, double-quoted otherwise (words like `yes`, `no`, `null` or `1.5` would change type).
package func yamlScalar(_ text: String, inFlow: Bool) -> String {
    yamlNeedsQuotes(text, inFlow: inFlow) ? yamlDoubleQuoted(text) : text
}

private let yamlReservedWords: Set<String> = [
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".nan", ".inf", "-.inf", "+.inf",
]

package func yamlNeedsQuotes(_ text: String, inFlow: Bool) -> Bool {
    guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return true }
    if yamlReservedWords.contains(text.lowercased()) { return true }
    if first == " " || last == " " || first == "\t" || last == "\t" { return true }
    if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return true }
    if Decimal(string: text) != nil,
        text.unicodeScalars.allSatisfy({ "0123456789.+-eE".unicodeScalars.contains($0) })
    {
        return true
    }
    var previous: Unicode.Scalar = " "
    for scalar in text.unicodeScalars {
        if scalar == "\t" || isUnprintableInYAML(scalar) { return true }
        if scalar == "#" && previous == " " { return true }
        if previous == ":" && scalar == " " { return true }
        if inFlow && ",[]{}".unicodeScalars.contains(scalar) { return true }
        previous = scalar
    }
    return last == ":"
}

// MARK: - From frontmatter data

extension SchemaValue {
    /// The same data as a `SchemaValue`: frontmatter (`YAMLNode.plainValue`) keeps its key order.
    /// Doubles go through their shortest decimal text so that `0.1` stays `0.1`.
    public init(_ plain: PlainValue) {
        switch plain {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .number(Decimal(value))
        case .double(let value):
            self = value.isFinite ? .number(Decimal(string: "\(value)") ?? Decimal(value)) : .null
        case .string(let value): self = .string(value)
        case .array(let items): self = .array(items.map(SchemaValue.init))
        case .object(let members): self = .object(members.map { Member($0.key, SchemaValue($0.value)) })
        }
    }
}

import Foundation

/// Infers a schema from an example of the expected output as prompts write them: JSON, or JSON with
/// placeholders (`"..."`, `"<the title>"`, `"string"`, `number`, `"positive|negative"`, `"positive"
/// or "negative"`, `"[one of: a, b]"`), single quotes, bare keys and trailing commas. Returns nil
/// when the text is not such an example (Handlebars, prose, unbalanced), so that the sentence holding
/// it is left alone.
func exampleSchema(_ text: String) -> OutputSchema? {
    var reader = ExampleReader(bytes: Array(text.utf8))
    reader.skipSpace()
    guard let value = reader.value() else { return nil }
    reader.skipSpace()
    guard reader.atEnd, case .example(let schema, _) = value else { return nil }
    return schema
}

private enum ExampleValue {
    /// A schema, and whether the value was `null` (the property is optional).
    case example(OutputSchema, isNull: Bool)
}

private let typeWords: [String: OutputSchema.Kind] = [
    "string": .string, "str": .string, "text": .string, "number": .number, "float": .number,
    "double": .number,
    "decimal": .number, "integer": .integer, "int": .integer, "boolean": .boolean, "bool": .boolean,
    "true/false": .boolean, "true|false": .boolean, "any": .any, "object": .object(properties: []),
]

private struct ExampleReader {
    let bytes: [UInt8]
    var i = 0

    var atEnd: Bool { i >= bytes.count }

    mutating func skipSpace() {
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
            {
                i += 1
            } else if byte == UInt8(ascii: "/") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "/") {
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            } else {
                break
            }
        }
    }

    mutating func accept(_ byte: UInt8) -> Bool {
        skipSpace()
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    mutating func value() -> ExampleValue? {
        skipSpace()
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return stringAlternatives()
        default: return bare()
        }
    }

    mutating func object() -> ExampleValue? {
        guard accept(UInt8(ascii: "{")) else { return nil }
        var properties: [OutputSchema.Property] = []
        while true {
            if accept(UInt8(ascii: "}")) { break }
            skipSpace()
            guard let key = quotedString() ?? bareWord(), !key.isEmpty else { return nil }
            // Handlebars (`{{name}}`) is template code, not an example.
            if key.hasPrefix("{") { return nil }
            guard accept(UInt8(ascii: ":")), case .example(let schema, let isNull)? = value() else {
                return nil
            }
            guard !properties.contains(where: { $0.name == key }) else { return nil }
            properties.append(OutputSchema.Property(name: key, schema: schema, isOptional: isNull))
            if accept(UInt8(ascii: ",")) { continue }
            guard accept(UInt8(ascii: "}")) else { return nil }
            break
        }
        return .example(OutputSchema(.object(properties: properties)), isNull: false)
    }

    mutating func array() -> ExampleValue? {
        guard accept(UInt8(ascii: "[")) else { return nil }
        var items: OutputSchema? = nil
        while true {
            if accept(UInt8(ascii: "]")) { break }
            skipSpace()
            // `...` / `…` marks "more of the same".
            if skipEllipsis() {
                _ = accept(UInt8(ascii: ","))
                continue
            }
            guard case .example(let schema, _)? = value() else { return nil }
            if let current = items {
                // Examples of different shapes: the items are of any type.
                items = current.merged(with: schema) ?? OutputSchema(.any)
            } else {
                items = schema
            }
            if accept(UInt8(ascii: ",")) { continue }
            guard accept(UInt8(ascii: "]")) else { return nil }
            break
        }
        return .example(OutputSchema(.array(items: items ?? OutputSchema(.any))), isNull: false)
    }

    mutating func skipEllipsis() -> Bool {
        if i + 2 < bytes.count && bytes[i] == UInt8(ascii: ".") && bytes[i + 1] == UInt8(ascii: ".")
            && bytes[i + 2] == UInt8(ascii: ".")
        {
            i += 3
            return true
        }
        let ellipsis = Array("…".utf8)
        if i + ellipsis.count <= bytes.count && bytes[i..<(i + ellipsis.count)].elementsEqual(ellipsis) {
            i += ellipsis.count
            return true
        }
        return false
    }

    mutating func quotedString() -> String? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
            return nil
        }
        let quote = bytes[i]
        var out: [UInt8] = []
        var j = i + 1
        while j < bytes.count && bytes[j] != quote {
            if bytes[j] == UInt8(ascii: "\\") && j + 1 < bytes.count {
                j += 1
                switch bytes[j] {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                default: out.append(bytes[j])
                }
            } else if bytes[j] == UInt8(ascii: "\n") {
                return nil
            } else {
                out.append(bytes[j])
            }
            j += 1
        }
        guard j < bytes.count else { return nil }
        i = j + 1
        return String(decoding: out, as: UTF8.self)
    }

    mutating func bareWord() -> String? {
        let start = i
        while i < bytes.count {
            let byte = bytes[i]
            let isWord =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "|")
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "+") || byte >= 0x80
            guard isWord else { break }
            i += 1
        }
        return i > start ? String(decoding: bytes[start..<i], as: UTF8.self) : nil
    }

    /// `"a"`, or `"a" or "b" or "c"` / `"a" | "b"` (an enum written with several literals).
    mutating func stringAlternatives() -> ExampleValue? {
        guard let first = quotedString() else { return nil }
        var alternatives = [first]
        while true {
            let mark = i
            skipSpace()
            var separated = false
            if i + 1 < bytes.count && bytes[i] == UInt8(ascii: "o") && bytes[i + 1] == UInt8(ascii: "r") {
                i += 2
                separated = true
            } else if i < bytes.count && (bytes[i] == UInt8(ascii: "|") || bytes[i] == UInt8(ascii: "/")) {
                i += 1
                separated = true
            }
            skipSpace()
            if separated, let next = quotedString() {
                alternatives.append(next)
            } else {
                i = mark
                break
            }
        }
        if alternatives.count > 1 {
            return .example(OutputSchema(.enumeration(alternatives)), isNull: false)
        }
        return .example(placeholderSchema(first), isNull: false)
    }

    mutating func bare() -> ExampleValue? {
        skipSpace()
        guard let word = bareWord() else { return nil }
        switch word {
        case "true", "false": return .example(OutputSchema(.boolean), isNull: false)
        case "null", "None", "nil": return .example(OutputSchema(.any), isNull: true)
        default: break
        }
        if let number = Decimal(string: word),
            word.first.map({ $0.isNumber || $0 == "-" || $0 == "+" }) == true
        {
            let isInteger = !word.contains(".") && !word.contains("e") && !word.contains("E")
            _ = number
            return .example(OutputSchema(isInteger ? .integer : .number), isNull: false)
        }
        // A bare type name or `a|b|c` placeholder.
        let schema = placeholderSchema(word)
        if case .string = schema.kind, schema.description == nil, typeWords[word.lowercased()] == nil {
            return nil
        }
        return .example(schema, isNull: false)
    }
}

/// The schema a placeholder string stands for: a type name ("string", "number"), optionally
/// followed by a description ("string – the title", "string, the title"); alternatives ("a|b|c",
/// "<a/b/c>", "[one of: a, b, c]"); an angle-bracket description ("<the title>"); else a string.
private func placeholderSchema(_ raw: String) -> OutputSchema {
    var text = raw.trimmingCharacters(in: .whitespaces)
    if text.isEmpty || text == "..." || text == "…" { return OutputSchema(.string) }
    var isPlaceholder = false
    if (text.hasPrefix("<") && text.hasSuffix(">")) || (text.hasPrefix("[") && text.hasSuffix("]"))
        || (text.hasPrefix("{") && text.hasSuffix("}") && !text.hasPrefix("{{"))
    {
        text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        isPlaceholder = true
    }
    let lower = text.lowercased()
    if let kind = typeWords[lower] { return OutputSchema(kind) }
    // "string|null": a nullable string is a string here; optionality comes from null examples only.
    let alternatives = splitAlternatives(text)
    if alternatives.count > 1 {
        let nonNull = alternatives.filter { $0.lowercased() != "null" }
        if nonNull.count == 1, let kind = typeWords[nonNull[0].lowercased()] { return OutputSchema(kind) }
        if nonNull.count > 1 && nonNull.allSatisfy({ typeWords[$0.lowercased()] == nil }) {
            return OutputSchema(.enumeration(nonNull))
        }
    }
    for prefix in ["one of:", "one of"] where lower.hasPrefix(prefix) {
        let values = text.dropFirst(prefix.count).split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }.filter { !$0.isEmpty }
        if values.count > 1 { return OutputSchema(.enumeration(values)) }
    }
    // "string – a concise title", "number, from 1 to 5".
    for separator in [" – ", " — ", " - ", ", ", ": "] {
        if let range = text.range(of: separator), let kind = typeWords[text[..<range.lowerBound].lowercased()]
        {
            let description = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
            return OutputSchema(kind, description: description.isEmpty ? nil : description)
        }
    }
    return OutputSchema(.string, description: isPlaceholder && !text.isEmpty ? text : nil)
}

/// "a|b|c" or "a/b/c" with one-to-three-word alternatives, else the whole text.
private func splitAlternatives(_ text: String) -> [String] {
    for separator in ["|", "/"] where text.contains(separator) {
        let parts = text.split(separator: Character(separator), omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if parts.allSatisfy({ !$0.isEmpty && $0.split(separator: " ").count <= 3 }) { return parts }
    }
    return [text]
}

import Foundation

import Dotprompt
@testable import PromptAnalysis

/// A small YAML reader for test support only: block maps and sequences, flow sequences and maps,
/// plain, single- and double-quoted scalars — enough for Dotprompt frontmatter in the spec cases and
/// for reading back the schemas this module prints. The real YAML parser lives in PromptSyntax.
enum MiniYAML {
    struct Line {
        var indent: Int
        var text: String
    }

    static func parse(_ text: String) -> SchemaValue? {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .compactMap { raw -> Line? in
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed == "---" { return nil }
            return Line(indent: line.prefix { $0 == " " }.count, text: trimmed)
        }
        guard let first = lines.first else { return nil }
        if lines.count == 1 && splitKey(first.text) == nil && !first.text.hasPrefix("- ") {
            return inline(first.text)
        }
        var index = 0
        return block(lines, &index, indent: first.indent)
    }

    private static func block(_ lines: [Line], _ index: inout Int, indent: Int) -> SchemaValue {
        if lines[index].text.hasPrefix("- ") || lines[index].text == "-" {
            var items: [SchemaValue] = []
            while index < lines.count, lines[index].indent == indent, lines[index].text.hasPrefix("-") {
                let rest = String(lines[index].text.dropFirst()).trimmingCharacters(in: .whitespaces)
                if rest.isEmpty {
                    index += 1
                    items.append(
                        index < lines.count && lines[index].indent > indent
                            ? block(lines, &index, indent: lines[index].indent) : .null)
                } else if splitKey(rest) != nil {
                    // "- key: value" starts a map whose keys sit two columns right of the dash.
                    var nested = lines
                    nested[index] = Line(indent: indent + 2, text: rest)
                    items.append(block(nested, &index, indent: indent + 2))
                } else {
                    items.append(inline(rest))
                    index += 1
                }
            }
            return .array(items)
        }
        var members: [SchemaValue.Member] = []
        while index < lines.count, lines[index].indent == indent,
            let (key, value) = splitKey(lines[index].text)
        {
            index += 1
            if value.isEmpty {
                if index < lines.count, lines[index].indent > indent {
                    members.append(.init(key, block(lines, &index, indent: lines[index].indent)))
                } else if index < lines.count, lines[index].indent == indent,
                    lines[index].text.hasPrefix("- ")
                {
                    members.append(.init(key, block(lines, &index, indent: indent)))
                } else {
                    members.append(.init(key, .null))
                }
            } else {
                members.append(.init(key, inline(value)))
            }
        }
        return .object(members)
    }

    /// Splits `key: value` at the first `: ` (or a final `:`) outside quotes and brackets.
    static func splitKey(_ text: String) -> (String, String)? {
        let chars = Array(text)
        var quote: Character? = nil
        var depth = 0
        for (i, ch) in chars.enumerated() {
            if let q = quote {
                if ch == "\\" && q == "\"" { continue }
                if ch == q { quote = nil }
                continue
            }
            if ch == "\"" || ch == "'" {
                if i == 0 { quote = ch }
                continue
            }
            if ch == "[" || ch == "{" { depth += 1 }
            if ch == "]" || ch == "}" { depth -= 1 }
            if ch == ":" && depth == 0 && (i + 1 == chars.count || chars[i + 1] == " ") {
                let rawKey = String(chars[..<i]).trimmingCharacters(in: .whitespaces)
                let value = String(chars[(i + 1)...]).trimmingCharacters(in: .whitespaces)
                guard !rawKey.isEmpty else { return nil }
                if case .string(let key) = inline(rawKey) { return (key, value) }
                return (rawKey, value)
            }
        }
        return nil
    }

    static func inline(_ raw: String) -> SchemaValue {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("[") && text.hasSuffix("]") {
            return .array(splitFlow(String(text.dropFirst().dropLast())).map(inline))
        }
        if text.hasPrefix("{") && text.hasSuffix("}") {
            return .object(
                splitFlow(String(text.dropFirst().dropLast())).compactMap { part in
                    guard let (key, value) = splitKey(part) else { return nil }
                    return .init(key, inline(value))
                })
        }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2,
            let data = text.data(using: .utf8), let value = try? JSONDecoder().decode(String.self, from: data)
        {
            return .string(value)
        }
        if text.hasPrefix("'") && text.hasSuffix("'") && text.count >= 2 {
            return .string(String(text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'"))
        }
        switch text {
        case "null", "~", "": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: break
        }
        if let number = Decimal(string: text), text.allSatisfy({ "0123456789.-+eE".contains($0) }) {
            return .number(number)
        }
        return .string(text)
    }

    private static func splitFlow(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character? = nil
        for ch in text {
            if let q = quote {
                current.append(ch)
                if ch == q { quote = nil }
                continue
            }
            switch ch {
            case "\"", "'": quote = ch
            case "[", "{": depth += 1
            case "]", "}": depth -= 1
            case "," where depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(ch)
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(current) }
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// The repository root, from this file's path (Tests/PromptAnalysisTests/ProseSchema/…).
func repositoryRoot(_ file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
}

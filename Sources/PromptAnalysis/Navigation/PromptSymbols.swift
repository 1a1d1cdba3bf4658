import Foundation
import PromptSyntax
import PromptText

/// What a position in a prompt names, for go-to-definition, references, highlights and rename. The
/// range is the name itself (without quotes, brackets or `@root.`), which is what a rename replaces.
public enum NavigationTarget: Sendable, Hashable {
    /// `{{> name}}` (or `{{#> name}}`).
    case partial(name: String, range: UTF8Range)
    /// An input variable: a use in the template, or its key in `input.schema`, `input.default` or
    /// `metadata.tokenmin.sample`.
    case variable(name: String, range: UTF8Range)
    /// A named schema: `output.schema: Name` or `input.schema: Name` (also nested Picoschema values).
    case namedSchema(name: String, range: UTF8Range)
}

/// Where one input variable occurs in a prompt.
public struct VariableOccurrence: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Its key in `input.schema` (Picoschema key or JSON Schema property).
        case declaration
        /// A name in JSON Schema's `required` list.
        case requiredEntry
        /// Its key in `input.default` or `metadata.tokenmin.sample`.
        case value
        /// A read in the template (`{{name}}`, `{{name.first}}`, `{{@root.name}}`, `{{../name}}`).
        case use
    }

    public var kind: Kind
    /// The name's own bytes.
    public var range: UTF8Range
}

/// The target at `offset` (a cursor touching a name from either side counts).
public func navigationTarget(at offset: Int, in document: PromptDocument) -> NavigationTarget? {
    let bytes = Array(document.text.utf8)
    let references = document.template.references()
    for partial in references.partials where partial.range.touches(offset) {
        guard let name = partial.name, let range = unquoted(partial.range, name: name, bytes: bytes) else {
            continue
        }
        return .partial(name: name, range: range)
    }
    for reference in references.variables where reference.path.range.touches(offset) {
        guard let name = reference.inputVariable, let range = inputNameRange(reference, bytes: bytes) else {
            continue
        }
        return .variable(name: name, range: range)
    }
    guard let root = document.frontmatter?.root, document.frontmatter?.contentRange.touches(offset) == true
    else { return nil }
    for occurrence in frontmatterKeys(root, bytes: bytes) where occurrence.range.touches(offset) {
        return .variable(name: occurrence.name, range: occurrence.range)
    }
    for key in ["input", "output"] {
        guard let schema = root.value(at: [key, "schema"]) else { continue }
        for reference in namedSchemaReferences(in: schema, bytes: bytes) where reference.range.touches(offset)
        {
            return .namedSchema(name: reference.name, range: reference.range)
        }
    }
    return nil
}

/// Every occurrence of input variable `name` in the prompt, in document order.
public func variableOccurrences(named name: String, in document: PromptDocument) -> [VariableOccurrence] {
    let bytes = Array(document.text.utf8)
    var occurrences: [VariableOccurrence] = []
    if let root = document.frontmatter?.root {
        occurrences += frontmatterKeys(root, bytes: bytes).filter { $0.name == name }.map {
            VariableOccurrence(kind: $0.kind, range: $0.range)
        }
    }
    for reference in document.template.references().variables where reference.inputVariable == name {
        if let range = inputNameRange(reference, bytes: bytes) {
            occurrences.append(VariableOccurrence(kind: .use, range: range))
        }
    }
    return occurrences.sorted { $0.range.start < $1.range.start }
}

/// The uses of input variable `name` in a template (a partial's text), as name ranges.
public func variableUses(named name: String, inTemplate text: String) -> [UTF8Range] {
    let bytes = Array(text.utf8)
    return parseTemplate(text).references().variables.filter { $0.inputVariable == name }.compactMap {
        inputNameRange($0, bytes: bytes)
    }
}

/// The ranges of `{{> name}}` inclusions of partial `name` in a template, without quotes.
public func partialUses(named name: String, in template: Template, text: String) -> [UTF8Range] {
    let bytes = Array(text.utf8)
    return template.references().partials.filter { $0.name == name }.compactMap {
        unquoted($0.range, name: name, bytes: bytes)
    }
}

/// The declaration of input variable `name`: its `input.schema` key, else its `input.default` key.
public func variableDeclaration(named name: String, in document: PromptDocument) -> UTF8Range? {
    let occurrences = variableOccurrences(named: name, in: document)
    return (occurrences.first { $0.kind == .declaration } ?? occurrences.first { $0.kind == .value })?.range
}

// MARK: Helpers

/// The bytes of a name written as a path, a bracketed segment or a quoted string; nil when the
/// source spells it differently (escapes), so a rename never guesses.
private func unquoted(_ range: UTF8Range, name: String, bytes: [UInt8]) -> UTF8Range? {
    let length = name.utf8.count
    guard range.start >= 0, range.end <= bytes.count else { return nil }
    if range.length == length, bytes[range.range].elementsEqual(name.utf8) { return range }
    if range.length == length + 2 {
        let inner = UTF8Range(start: range.start + 1, end: range.end - 1)
        if bytes[inner.range].elementsEqual(name.utf8) { return inner }
    }
    return nil
}

/// The segment of a variable use that names the input variable (`name` in `{{@root.name.first}}`).
private func inputNameRange(_ reference: VariableReference, bytes: [UInt8]) -> UTF8Range? {
    guard let name = reference.inputVariable else { return nil }
    let path = reference.path
    let index = path.isData ? 1 : 0
    guard path.segments.indices.contains(index) else { return nil }
    return unquoted(path.segments[index].range, name: name, bytes: bytes)
}

private struct FrontmatterKey {
    var name: String
    var kind: VariableOccurrence.Kind
    var range: UTF8Range
}

/// Input names written as keys in the frontmatter: `input.schema` (Picoschema or JSON Schema with
/// its `required` list), `input.default` and `metadata.tokenmin.sample`.
private func frontmatterKeys(_ root: YAMLNode, bytes: [UInt8]) -> [FrontmatterKey] {
    var keys: [FrontmatterKey] = []
    func add(_ pair: YAMLPair, kind: VariableOccurrence.Kind, picoschema: Bool) {
        var name = pair.keyText
        if picoschema {
            if let paren = name.firstIndex(of: "(") { name = String(name[..<paren]) }
            name = name.trimmingCharacters(in: .whitespaces)
            if name.hasSuffix("?") { name.removeLast() }
        }
        guard !name.isEmpty, let range = keyNameRange(pair.key, name: name, bytes: bytes) else { return }
        keys.append(FrontmatterKey(name: name, kind: kind, range: range))
    }
    if let schema = root.value(at: ["input", "schema"]) {
        if schema["type"]?.string == "object" || schema["properties"]?.pairs != nil {
            for pair in schema["properties"]?.pairs ?? [] { add(pair, kind: .declaration, picoschema: false) }
            for item in schema["required"]?.items ?? [] {
                guard let name = item.string, let range = keyNameRange(item, name: name, bytes: bytes) else {
                    continue
                }
                keys.append(FrontmatterKey(name: name, kind: .requiredEntry, range: range))
            }
        } else {
            for pair in schema.pairs ?? [] where !pair.keyText.hasPrefix("(") {
                add(pair, kind: .declaration, picoschema: true)
            }
        }
    }
    for path in [["input", "default"], ["metadata", "tokenmin", "sample"]] {
        for pair in root.value(at: path)?.pairs ?? [] { add(pair, kind: .value, picoschema: false) }
    }
    return keys
}

/// The bytes of `name` at the start of a YAML scalar (after an opening quote).
private func keyNameRange(_ node: YAMLNode, name: String, bytes: [UInt8]) -> UTF8Range? {
    guard let scalar = node.scalar else { return nil }
    let start = node.range.start + (scalar.style == .plain ? 0 : 1)
    let range = UTF8Range(start: start, end: start + name.utf8.count)
    guard range.end <= bytes.count, bytes[range.range].elementsEqual(name.utf8) else { return nil }
    return range
}

private let picoschemaScalarTypes: Set<String> = [
    "any", "boolean", "integer", "null", "number", "string", "array", "object", "enum",
]

/// Named schemas a schema refers to: a scalar value whose type is not a Picoschema type (`Person`,
/// `Person, the author`), at the top or as a property's value.
private func namedSchemaReferences(in schema: YAMLNode, bytes: [UInt8]) -> [(name: String, range: UTF8Range)]
{
    var found: [(name: String, range: UTF8Range)] = []
    var stack = [schema]
    var visited = 0
    while let node = stack.popLast(), visited < 10_000 {
        visited += 1
        if let text = node.string {
            let type = String(text.split(separator: ",", maxSplits: 1).first ?? "").trimmingCharacters(
                in: .whitespaces)
            guard !type.isEmpty, !picoschemaScalarTypes.contains(type), type.first?.isLetter == true,
                type.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }),
                let range = keyNameRange(node, name: type, bytes: bytes)
            else { continue }
            found.append((type, range))
        } else if let pairs = node.pairs {
            // JSON Schema keywords hold values that are not schema names.
            for pair in pairs
            where !["description", "type", "title", "format", "pattern", "$ref", "default", "const"].contains(
                pair.keyText)
            {
                stack.append(pair.value)
            }
        }
    }
    return found
}

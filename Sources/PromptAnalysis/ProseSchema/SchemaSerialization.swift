import Dotprompt
import Foundation

// MARK: - JSON Schema

/// The JSON Schema for `schema`, following Dotprompt's Picoschema conventions so that the two
/// serialisations agree: objects get `additionalProperties: false` and a `required` list (omitted
/// when empty); an optional property leaves `required` and also admits `null` (`[string, "null"]`,
/// or `null` appended to an enum). Property enums carry no `type`, as in Picoschema; a top-level
/// enum gets `type: string` because Genkit's `enum` output format requires it.
public func jsonSchema(_ schema: OutputSchema) -> SchemaValue {
    var value = jsonSchema(schema, isOptional: false)
    if case .enumeration = schema.kind { value = prepending("type", .string("string"), to: value) }
    return value
}

private func prepending(_ key: String, _ member: SchemaValue, to value: SchemaValue) -> SchemaValue {
    guard case .object(let members) = value else { return value }
    return .object([SchemaValue.Member(key, member)] + members)
}

private func jsonSchema(_ schema: OutputSchema, isOptional: Bool) -> SchemaValue {
    var members: [SchemaValue.Member] = []
    func typeValue(_ name: String) -> SchemaValue {
        isOptional ? .array([.string(name), .string("null")]) : .string(name)
    }
    switch schema.kind {
    case .any: break
    case .string: members.append(.init("type", typeValue("string")))
    case .number: members.append(.init("type", typeValue("number")))
    case .integer: members.append(.init("type", typeValue("integer")))
    case .boolean: members.append(.init("type", typeValue("boolean")))
    case .enumeration, .array, .object: break
    }
    if case .array = schema.kind { members.append(.init("type", typeValue("array"))) }
    if case .object = schema.kind { members.append(.init("type", typeValue("object"))) }
    if let description = schema.description { members.append(.init("description", .string(description))) }
    switch schema.kind {
    case .enumeration(let values):
        var items = values.map { SchemaValue.string($0) }
        if isOptional { items.append(.null) }
        members.append(.init("enum", .array(items)))
    case .array(let items):
        members.append(.init("items", jsonSchema(items, isOptional: false)))
    case .object(let properties):
        members.append(
            .init(
                "properties",
                .object(properties.map { .init($0.name, jsonSchema($0.schema, isOptional: $0.isOptional)) })))
        let required = properties.filter { !$0.isOptional }.map { SchemaValue.string($0.name) }
        if !required.isEmpty { members.append(.init("required", .array(required))) }
        members.append(.init("additionalProperties", .bool(false)))
    default: break
    }
    if let value = schema.minLength { members.append(.init("minLength", .number(Decimal(value)))) }
    if let value = schema.maxLength { members.append(.init("maxLength", .number(Decimal(value)))) }
    if let value = schema.minimum { members.append(.init("minimum", .number(value))) }
    if let value = schema.maximum { members.append(.init("maximum", .number(value))) }
    if let value = schema.minItems { members.append(.init("minItems", .number(Decimal(value)))) }
    if let value = schema.maxItems { members.append(.init("maxItems", .number(Decimal(value)))) }
    return .object(members)
}

// MARK: - Picoschema

/// Dotprompt Picoschema for `schema`, or nil when Picoschema cannot say it exactly.
///
/// An object schema comes back as block lines (each indented by `indent` spaces, ending in a
/// newline) to place under `schema:`; a scalar schema comes back as one inline value (`string, the
/// summary`) to place after `schema: `. Picoschema has no syntax for length, range or item-count
/// limits, for a top-level enum, array or `any`, or for arrays of enums or of arrays, and its parser
/// splits keys at `(`: for those this returns nil and the caller uses `jsonSchema` (see
/// `outputSchemaYAML`). Nothing is ever silently dropped.
public func picoschemaYAML(_ schema: OutputSchema, indent: Int = 0) -> String? {
    if schema.hasConstraintsBeyondPicoschema { return nil }
    switch schema.kind {
    case .object(let properties):
        guard schema.description == nil else { return nil }
        var out = ""
        return writePicoObject(properties, indent: indent, into: &out) ? out : nil
    case .string, .number, .integer, .boolean:
        return picoScalar(schema).map { yamlScalar($0, inFlow: false) }
    case .any, .enumeration, .array:
        return nil
    }
}

/// `string` or `string, the description`, or nil for non-scalars.
private func picoScalar(_ schema: OutputSchema) -> String? {
    let type: String
    switch schema.kind {
    case .any: type = "any"
    case .string: type = "string"
    case .number: type = "number"
    case .integer: type = "integer"
    case .boolean: type = "boolean"
    default: return nil
    }
    guard let description = schema.description else { return type }
    guard isPicoDescription(description) else { return nil }
    return type + ", " + description
}

/// Descriptions survive Picoschema's parser only on one line, without leading spaces (the parser
/// trims them) and, inside a key, without parentheses (the parser splits keys at `(`).
private func isPicoDescription(_ text: String, inKey: Bool = false) -> Bool {
    guard !text.isEmpty, text.first != " ", !text.contains("\n"), !text.contains("\r") else { return false }
    return !inKey || !(text.contains("(") || text.contains(")"))
}

private func isPicoName(_ name: String) -> Bool {
    !name.isEmpty && !name.contains("(") && !name.contains(")") && !name.hasSuffix("?") && name != "(*)"
        && !name.contains("\n")
}

private func writePicoObject(_ properties: [OutputSchema.Property], indent: Int, into out: inout String)
    -> Bool
{
    let pad = String(repeating: " ", count: indent)
    for property in properties {
        guard isPicoName(property.name) else { return false }
        let name = property.name + (property.isOptional ? "?" : "")
        let schema = property.schema
        var keyInfo: String? = nil
        switch schema.kind {
        case .any, .string, .number, .integer, .boolean:
            guard let value = picoScalar(schema) else { return false }
            out += pad + yamlScalar(name, inFlow: false) + ": " + yamlScalar(value, inFlow: false) + "\n"
            continue
        case .enumeration(let values):
            keyInfo = "enum"
            guard let key = picoKey(name, keyInfo!, schema.description) else { return false }
            let list = values.map { yamlScalar($0, inFlow: true) }.joined(separator: ", ")
            out += pad + key + ": [" + list + "]\n"
        case .array(let items):
            guard let key = picoKey(name, "array", schema.description) else { return false }
            switch items.kind {
            case .object(let nested):
                guard items.description == nil else { return false }
                out += pad + key + ":\n"
                guard writePicoObject(nested, indent: indent + 2, into: &out) else { return false }
            case .any, .string, .number, .integer, .boolean:
                guard let value = picoScalar(items) else { return false }
                out += pad + key + ": " + yamlScalar(value, inFlow: false) + "\n"
            case .enumeration, .array:
                return false
            }
        case .object(let nested):
            let key: String
            if schema.description == nil {
                key = yamlScalar(name, inFlow: false)
            } else {
                guard let withInfo = picoKey(name, "object", schema.description) else { return false }
                key = withInfo
            }
            out += pad + key + ":\n"
            guard writePicoObject(nested, indent: indent + 2, into: &out) else { return false }
        }
    }
    return true
}

private func picoKey(_ name: String, _ type: String, _ description: String?) -> String? {
    guard let description else { return yamlScalar(name + "(" + type + ")", inFlow: false) }
    guard isPicoDescription(description, inKey: true) else { return nil }
    return yamlScalar(name + "(" + type + ", " + description + ")", inFlow: false)
}

// MARK: - Choosing a serialisation

/// Which schema language to write into `output.schema`.
public enum SchemaStyle: String, Hashable, Sendable, CaseIterable {
    /// Picoschema when it can say the schema exactly, JSON Schema otherwise.
    case picoschema
    case jsonSchema
}

/// The text of an `output.schema` value, in the style that was actually used.
public struct SchemaYAML: Hashable, Sendable {
    public var style: SchemaStyle
    /// One line to put after `schema: ` when `isInline`, else block lines indented for their level.
    public var text: String
    public var isInline: Bool

    /// The whole `schema:` entry, key included, at `indent` spaces.
    public func entry(key: String = "schema", indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        return isInline ? pad + key + ": " + text + "\n" : pad + key + ":\n" + text
    }
}

/// Serialises `schema` for `output.schema` in frontmatter: Picoschema when preferred and exact,
/// JSON Schema otherwise (length, range and count limits, top-level arrays and enums). Block text is
/// indented by `indent` spaces (the level below the `schema:` key). A top-level `.any` has no
/// faithful form (Dotprompt reads `{}` as an empty object): omit `schema` instead; extraction never
/// returns one.
public func outputSchemaYAML(_ schema: OutputSchema, style: SchemaStyle = .picoschema, indent: Int)
    -> SchemaYAML
{
    if style == .picoschema, let text = picoschemaYAML(schema, indent: indent) {
        let isInline: Bool
        if case .object = schema.kind { isInline = false } else { isInline = true }
        return SchemaYAML(style: .picoschema, text: text, isInline: isInline)
    }
    let value = jsonSchema(schema)
    if value.isYAMLInline { return SchemaYAML(style: .jsonSchema, text: value.yamlInline, isInline: true) }
    return SchemaYAML(style: .jsonSchema, text: value.yaml(indent: indent), isInline: false)
}

/// A complete `output:` block (format and schema) at `indent` spaces, for a file that has none.
public func outputBlockYAML(
    format: OutputFormat?, schema: OutputSchema?, style: SchemaStyle = .picoschema, indent: Int = 0
) -> String {
    let pad = String(repeating: " ", count: indent)
    var out = pad + "output:\n"
    if let format { out += pad + "  format: " + format.rawValue + "\n" }
    if let schema {
        out += outputSchemaYAML(schema, style: style, indent: indent + 4).entry(indent: indent + 2)
    }
    return out
}

import Foundation

/// Why a Picoschema value could not be turned into JSON Schema. The message names the offending
/// piece so that a diagnostic can show it.
public struct PicoschemaError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

private let picoScalarTypes: Set<String> = ["any", "boolean", "integer", "null", "number", "string"]

/// Dotprompt's Picoschema → JSON Schema rules (as in google/dotprompt `picoschema.ts`), applied to an
/// already-parsed YAML value.
///
/// A string is a scalar type or a named schema (`resolve`), optionally followed by `, description`.
/// An object whose `type` is a JSON Schema type is JSON Schema already and is returned unchanged; an
/// object with `properties` gets `type: object`; any other object is a Picoschema property map, where
/// `name?` is optional (and nullable), `name(array|object|enum, description)` declares a container,
/// and `(*)` describes additional properties. `null` stays `null` (no schema).
public func picoschemaToJSONSchema(
    _ schema: SchemaValue, resolve: (String) -> SchemaValue? = { _ in nil }
) -> Result<SchemaValue, PicoschemaError> {
    do {
        return .success(try convertTopLevel(schema, resolve: resolve))
    } catch {
        return .failure(error)
    }
}

private func convertTopLevel(_ schema: SchemaValue, resolve: (String) -> SchemaValue?) throws(PicoschemaError)
    -> SchemaValue
{
    switch schema {
    case .null, .bool(false): return .null
    case .string(let text):
        if text.isEmpty { return .null }
        let (type, description) = splitDescription(text)
        if picoScalarTypes.contains(type) {
            var out = SchemaValue.object([.init("type", .string(type))])
            if let description { out.set("description", .string(description)) }
            return out
        }
        return try resolveNamed(type, description: description, resolve: resolve)
    case .object:
        if let type = schema["type"]?.stringValue,
            picoScalarTypes.contains(type) || type == "object" || type == "array"
        {
            return schema
        }
        if case .object? = schema["properties"] {
            var out = schema
            out.set("type", .string("object"))
            return out
        }
        return try convertPico(schema, resolve: resolve)
    default:
        return try convertPico(schema, resolve: resolve)
    }
}

private func resolveNamed(
    _ name: String, description: String?, resolve: (String) -> SchemaValue?
) throws(PicoschemaError) -> SchemaValue {
    guard var resolved = resolve(name) else {
        throw PicoschemaError(message: "Picoschema: unsupported scalar type or unknown schema '\(name)'")
    }
    if let description { resolved.set("description", .string(description)) }
    return resolved
}

private func convertPico(_ value: SchemaValue, resolve: (String) -> SchemaValue?) throws(PicoschemaError)
    -> SchemaValue
{
    if case .string(let text) = value {
        let (type, description) = splitDescription(text)
        guard picoScalarTypes.contains(type) else {
            return try resolveNamed(type, description: description, resolve: resolve)
        }
        var out = SchemaValue.object(type == "any" ? [] : [.init("type", .string(type))])
        if let description { out.set("description", .string(description)) }
        return out
    }
    guard case .object(let members) = value else {
        throw PicoschemaError(
            message: "Picoschema: only consists of objects and strings, got \(value.jsonText())")
    }
    var properties: [SchemaValue.Member] = []
    var required: [SchemaValue] = []
    var additional: SchemaValue = .bool(false)
    for member in members {
        if member.key == "(*)" {
            additional = try convertPico(member.value, resolve: resolve)
            continue
        }
        // As in the reference parser: the name ends at the first "(", the type info at the next one.
        let pieces = member.key.split(separator: "(", maxSplits: 2, omittingEmptySubsequences: false)
        let rawName = String(pieces[0])
        let isOptional = rawName.hasSuffix("?")
        let name = isOptional ? String(rawName.dropLast()) : rawName
        if !isOptional { required.append(.string(name)) }
        guard pieces.count > 1, !pieces[1].isEmpty else {
            var property = try convertPico(member.value, resolve: resolve)
            if isOptional, let type = property["type"]?.stringValue {
                property.set("type", .array([.string(type), .string("null")]))
            }
            properties.append(.init(name, property))
            continue
        }
        let (type, description) = splitDescription(String(pieces[1].dropLast()))
        var property: SchemaValue
        switch type {
        case "array":
            property = .object([
                .init("type", isOptional ? .array([.string("array"), .string("null")]) : .string("array")),
                .init("items", try convertPico(member.value, resolve: resolve)),
            ])
        case "object":
            property = try convertPico(member.value, resolve: resolve)
            if isOptional, let type = property["type"] {
                property.set("type", .array([type, .string("null")]))
            }
        case "enum":
            guard case .array(var values) = member.value else {
                throw PicoschemaError(message: "Picoschema: enum '\(name)' needs a list of values")
            }
            if isOptional && !values.contains(.null) { values.append(.null) }
            property = .object([.init("enum", .array(values))])
        default:
            throw PicoschemaError(
                message: "Picoschema: parenthetical types must be 'object' or 'array', got: \(type)")
        }
        if let description { property.set("description", .string(description)) }
        properties.append(.init(name, property))
    }
    var out = SchemaValue.object([.init("type", .string("object")), .init("properties", .object(properties))])
    if !required.isEmpty { out.set("required", .array(required)) }
    out.set("additionalProperties", additional)
    return out
}

/// `"number, the description"` → ("number", "the description"): the type is everything before the
/// first comma (not trimmed, as in the reference parser), the description the rest without leading
/// spaces. An empty description counts as none.
private func splitDescription(_ text: String) -> (String, String?) {
    guard let comma = text.firstIndex(of: ",") else { return (text, nil) }
    let type = String(text[..<comma])
    let description = text[text.index(after: comma)...].drop { $0 == " " }
    return (type, description.isEmpty ? nil : String(description))
}

import Foundation

extension JSONValue {
    /// Decodes a `Decodable` value directly from this JSON value (no re-serialization). Unknown object
    /// members are ignored; integers decode as floating-point and integral floating-point values as
    /// integers; a decoding failure describes the path (`textDocument.uri: expected string, got number`).
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        if T.self == JSONValue.self { return self as! T }
        return try T(from: JSONValueDecoder(value: self, codingPath: []))
    }

    /// The JSON value of an `Encodable` value, built directly (see `JSONValueEncoder`): the value
    /// `JSONEncoder` would write, parsed back.
    public init(encoding value: some Encodable) throws {
        self = try JSONValueEncoder.encode(value)
    }

    /// Foundation's encoder configured as message payloads are written (compact, sorted keys, slashes
    /// unescaped): the reference the direct encoder is tested against.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// A one-line explanation of a decoding failure with its JSON path, for `InvalidParams` messages.
public func describeDecodingFailure(_ error: any Error, root: String = "params") -> String {
    func path(_ codingPath: [any CodingKey]) -> String {
        var text = root
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += ".\(key.stringValue)" }
        }
        return text
    }
    guard let error = error as? DecodingError else { return "\(error)" }
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
        return "\(path(context.codingPath)): \(context.debugDescription)"
    case .keyNotFound(let key, let context):
        return "\(path(context.codingPath)): missing required member '\(key.stringValue)'"
    @unknown default:
        return "\(error)"
    }
}

/// Marks decoders that already hold a `JSONValue`, so `JSONValue.init(from:)` can take it as is.
protocol JSONValueDecoding {
    var value: JSONValue { get }
}

private struct JSONValueDecoder: Decoder, JSONValueDecoding {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw mismatch(Key.self, "expected object, got \(value.typeName)", codingPath)
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw mismatch([JSONValue].self, "expected array, got \(value.typeName)", codingPath)
        }
        return UnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath)
    }
}

private func mismatch(_ type: Any.Type, _ message: String, _ path: [any CodingKey]) -> DecodingError {
    DecodingError.typeMismatch(type, DecodingError.Context(codingPath: path, debugDescription: message))
}

/// Decodes scalars and nested values from one `JSONValue`; shared by the three container kinds.
private func decodeValue<T: Decodable>(_ type: T.Type, from value: JSONValue, path: [any CodingKey]) throws
    -> T
{
    if T.self == JSONValue.self { return value as! T }
    if T.self == String.self {
        guard case .string(let text) = value else {
            throw mismatch(T.self, "expected string, got \(value.typeName)", path)
        }
        return text as! T
    }
    if T.self == Bool.self {
        guard case .bool(let flag) = value else {
            throw mismatch(T.self, "expected boolean, got \(value.typeName)", path)
        }
        return flag as! T
    }
    if T.self == Int.self { return try decodeInteger(Int.self, from: value, path: path) as! T }
    if T.self == Int64.self { return try decodeInteger(Int64.self, from: value, path: path) as! T }
    if T.self == Int32.self { return try decodeInteger(Int32.self, from: value, path: path) as! T }
    if T.self == UInt32.self { return try decodeInteger(UInt32.self, from: value, path: path) as! T }
    if T.self == UInt.self { return try decodeInteger(UInt.self, from: value, path: path) as! T }
    if T.self == Double.self { return try decodeDouble(from: value, path: path) as! T }
    return try T(from: JSONValueDecoder(value: value, codingPath: path))
}

private func decodeInteger<T: FixedWidthInteger>(_ type: T.Type, from value: JSONValue, path: [any CodingKey])
    throws -> T
{
    switch value {
    case .integer(let integer):
        guard let exact = T(exactly: integer) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: path, debugDescription: "integer \(integer) out of range"))
        }
        return exact
    case .double(let double):
        guard let exact = T(exactly: double) else {
            throw mismatch(T.self, "expected integer, got \(double)", path)
        }
        return exact
    default:
        throw mismatch(T.self, "expected integer, got \(value.typeName)", path)
    }
}

private func decodeDouble(from value: JSONValue, path: [any CodingKey]) throws -> Double {
    switch value {
    case .integer(let integer): return Double(integer)
    case .double(let double): return double
    default: throw mismatch(Double.self, "expected number, got \(value.typeName)", path)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = members[key.stringValue] else { return true }
        return value == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, DecodingError.Context(codingPath: codingPath, debugDescription: "missing member"))
        }
        return try decodeValue(T.self, from: value, path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try JSONValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
            .container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
            .unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        JSONValueDecoder(value: members["super"] ?? .null, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }
    var currentPath: [any CodingKey] { codingPath + [AnyCodingKey(intValue: currentIndex)] }

    mutating func next() throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                JSONValue.self,
                DecodingError.Context(codingPath: currentPath, debugDescription: "array has no more elements")
            )
        }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        if !isAtEnd && elements[currentIndex] == .null {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let path = currentPath
        return try decodeValue(T.self, from: try next(), path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let path = currentPath
        return try JSONValueDecoder(value: try next(), codingPath: path).container(keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let path = currentPath
        return try JSONValueDecoder(value: try next(), codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let path = currentPath
        return JSONValueDecoder(value: try next(), codingPath: path)
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeValue(T.self, from: value, path: codingPath)
    }
}

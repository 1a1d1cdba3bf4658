/// Encodes `Encodable` values straight into a `JSONValue`, with no JSON text in between: what every
/// response and notification payload goes through. Foundation's `JSONEncoder` built its own tree and
/// text for each of them, most of the work of a first inlay-hint response.
///
/// The result is the value `JSONEncoder` would write, read back: optional members left out when nil,
/// integers as `.integer`, integral floating-point values that fit in 64 bits as `.integer` (the text
/// `JSONEncoder` writes for `2.0` is `2`), a type that encodes nothing as `{}`; a non-finite number is
/// an error, as it is for `JSONEncoder`.
struct JSONValueEncoder {
    static func encode(_ value: some Encodable) throws -> JSONValue {
        if let value = value as? JSONValue { return value }
        let node = Node()
        try value.encode(to: NodeEncoder(node: node, codingPath: []))
        return node.value
    }
}

/// A value under construction: containers hand out child nodes and fill them in later.
private final class Node {
    enum Content {
        case unset
        case value(JSONValue)
        case object([String: Node])
        case array([Node])
    }

    var content: Content = .unset

    init() {}
    init(_ value: JSONValue) { content = .value(value) }

    var value: JSONValue {
        switch content {
        case .unset: .object([:])
        case .value(let value): value
        case .object(let members): .object(members.mapValues(\.value))
        case .array(let elements): .array(elements.map(\.value))
        }
    }

    /// Makes the node an object (keeping members already encoded into it, as a second keyed
    /// container for the same value does).
    func makeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    func set(_ key: String, _ child: Node) {
        makeObject()
        guard case .object(var members) = content else { return }
        content = .unset  // keep the dictionary uniquely referenced while it changes
        members[key] = child
        content = .object(members)
    }

    func append(_ child: Node) {
        makeArray()
        guard case .array(var elements) = content else { return }
        content = .unset
        elements.append(child)
        content = .array(elements)
    }

    var count: Int {
        if case .array(let elements) = content { return elements.count }
        return 0
    }
}

private func number(_ value: Double, _ codingPath: [any CodingKey]) throws -> JSONValue {
    guard value.isFinite else {
        throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is not a JSON number"))
    }
    if value == value.rounded(), value >= -9.223372036854775808e18, value < 9.223372036854775808e18 {
        return .integer(Int64(value))
    }
    return .double(value)
}

private func integer<T: BinaryInteger>(_ value: T) -> JSONValue {
    if let exact = Int64(exactly: value) { return .integer(exact) }
    return .double(Double(value))
}

/// The node a value encodes into, with the containers `Encodable` implementations ask for.
private struct NodeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

/// Encodes `value` into a new node at `codingPath`.
private func child(_ value: some Encodable, at codingPath: [any CodingKey]) throws -> Node {
    if let value = value as? JSONValue { return Node(value) }
    let node = Node()
    try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
    return node
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, Node(.null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { node.set(key.stringValue, Node(.bool(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws { node.set(key.stringValue, Node(.string(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { node.set(key.stringValue, Node(try number(value, codingPath + [key]))) }
    mutating func encode(_ value: Float, forKey key: Key) throws { node.set(key.stringValue, Node(try number(Double(value), codingPath + [key]))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { node.set(key.stringValue, Node(integer(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { node.set(key.stringValue, Node(integer(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { node.set(key.stringValue, Node(integer(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { node.set(key.stringValue, Node(integer(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { node.set(key.stringValue, Node(integer(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { node.set(key.stringValue, Node(integer(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { node.set(key.stringValue, Node(integer(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { node.set(key.stringValue, Node(integer(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { node.set(key.stringValue, Node(integer(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { node.set(key.stringValue, Node(integer(value))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.set(key.stringValue, try child(value, at: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = Node()
        nested.makeObject()
        node.set(key.stringValue, nested)
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = Node()
        nested.makeArray()
        node.set(key.stringValue, nested)
        return UnkeyedNodeContainer(node: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: AnyCodingKey("super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let nested = Node()
        node.set(key.stringValue, nested)
        return NodeEncoder(node: nested, codingPath: codingPath + [key])
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    private var nextKey: any CodingKey { AnyCodingKey(intValue: count) }

    mutating func encodeNil() throws { node.append(Node(.null)) }
    mutating func encode(_ value: Bool) throws { node.append(Node(.bool(value))) }
    mutating func encode(_ value: String) throws { node.append(Node(.string(value))) }
    mutating func encode(_ value: Double) throws { node.append(Node(try number(value, codingPath + [nextKey]))) }
    mutating func encode(_ value: Float) throws { node.append(Node(try number(Double(value), codingPath + [nextKey]))) }
    mutating func encode(_ value: Int) throws { node.append(Node(integer(value))) }
    mutating func encode(_ value: Int8) throws { node.append(Node(integer(value))) }
    mutating func encode(_ value: Int16) throws { node.append(Node(integer(value))) }
    mutating func encode(_ value: Int32) throws { node.append(Node(integer(value))) }
    mutating func encode(_ value: Int64) throws { node.append(Node(integer(value))) }
    mutating func encode(_ value: UInt) throws { node.append(Node(integer(value))) }
    mutating func encode(_ value: UInt8) throws { node.append(Node(integer(value))) }
    mutating func encode(_ value: UInt16) throws { node.append(Node(integer(value))) }
    mutating func encode(_ value: UInt32) throws { node.append(Node(integer(value))) }
    mutating func encode(_ value: UInt64) throws { node.append(Node(integer(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.append(try child(value, at: codingPath + [nextKey]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [nextKey]
        let nested = Node()
        nested.makeObject()
        node.append(nested)
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [nextKey]
        let nested = Node()
        nested.makeArray()
        node.append(nested)
        return UnkeyedNodeContainer(node: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = codingPath + [nextKey]
        let nested = Node()
        node.append(nested)
        return NodeEncoder(node: nested, codingPath: path)
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { node.content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { node.content = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { node.content = .value(try number(value, codingPath)) }
    mutating func encode(_ value: Float) throws { node.content = .value(try number(Double(value), codingPath)) }
    mutating func encode(_ value: Int) throws { node.content = .value(integer(value)) }
    mutating func encode(_ value: Int8) throws { node.content = .value(integer(value)) }
    mutating func encode(_ value: Int16) throws { node.content = .value(integer(value)) }
    mutating func encode(_ value: Int32) throws { node.content = .value(integer(value)) }
    mutating func encode(_ value: Int64) throws { node.content = .value(integer(value)) }
    mutating func encode(_ value: UInt) throws { node.content = .value(integer(value)) }
    mutating func encode(_ value: UInt8) throws { node.content = .value(integer(value)) }
    mutating func encode(_ value: UInt16) throws { node.content = .value(integer(value)) }
    mutating func encode(_ value: UInt32) throws { node.content = .value(integer(value)) }
    mutating func encode(_ value: UInt64) throws { node.content = .value(integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if let value = value as? JSONValue {
            node.content = .value(value)
            return
        }
        try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
    }
}

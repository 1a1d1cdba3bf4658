import PromptText

/// Encodes `Encodable` values straight to compact JSON bytes, as payloads are sent: the bytes
/// `JSONValueEncoder` + `JSONValue.serialized()` give (object keys sorted, the same number and string
/// forms), without building a tree. Members are written as they are encoded; when an object is closed
/// its members are put in key order in place (a copy of that object's bytes, only when the encoding
/// order was not already sorted).
///
/// It handles what synthesized and hand-written `Codable` conformances of the protocol types do: keyed,
/// unkeyed and single-value containers, each value encoded completely before the next. Anything else
/// (nested containers, super encoders, a second value into a single-value container, a repeated key)
/// makes it start over with `JSONValueEncoder`, so the result is always the same.
enum JSONBytesEncoder {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        if let value = value as? JSONValue { return value.serialized() }
        let writer = ByteWriter()
        try writer.encodeValue(value, codingPath: [])
        guard !writer.failed else { return try JSONValueEncoder.encode(value).serialized() }
        return writer.bytes
    }
}

private final class ByteWriter {
    var bytes: [UInt8] = []
    /// Set when the value uses what streaming cannot follow; the caller starts over with a tree.
    var failed = false

    struct Container {
        var isObject: Bool
        /// Where its first member starts (after `{` or `[`).
        var contentStart: Int
        var count = 0
        /// Each member's key and where it starts (its key for objects), for sorting on close.
        var members: [(key: String, start: Int)] = []
    }
    var containers: [Container] = []

    /// One per value being encoded: the container it opened, or whether it wrote a scalar.
    struct Slot {
        var container: Int?
        var wrote = false
    }
    var slots: [Slot] = []

    init() { bytes.reserveCapacity(4096) }

    func encodeValue<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        if T.self == JSONValue.self {
            (value as! JSONValue).serialize(into: &bytes)
            return
        }
        slots.append(Slot(container: nil))
        try value.encode(to: ByteEncoder(writer: self, codingPath: codingPath))
        let slot = slots.removeLast()
        if let index = slot.container {
            close(index)
        } else if !slot.wrote {
            bytes.append(contentsOf: "{}".utf8)
        }
    }

    /// The container of the value being encoded: opened on first request, the same one after.
    func container(isObject: Bool) -> Int {
        if let index = slots[slots.count - 1].container {
            if containers[index].isObject != isObject || index != containers.count - 1 { failed = true }
            return index
        }
        if slots[slots.count - 1].wrote { failed = true }
        bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        containers.append(Container(isObject: isObject, contentStart: bytes.count))
        slots[slots.count - 1].container = containers.count - 1
        return containers.count - 1
    }

    /// Starts the next member of container `index` (a comma, and for objects the key).
    func beginMember(of index: Int, key: String?) {
        guard index == containers.count - 1 else {
            failed = true
            return
        }
        if containers[index].count > 0 { bytes.append(UInt8(ascii: ",")) }
        containers[index].count += 1
        if let key {
            containers[index].members.append((key, bytes.count))
            appendJSONString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    /// Closes container `index`, sorting an object's members by key.
    func close(_ index: Int) {
        guard index == containers.count - 1 else {
            failed = true
            return
        }
        let container = containers.removeLast()
        if container.isObject {
            sortMembers(container)
            bytes.append(UInt8(ascii: "}"))
        } else {
            bytes.append(UInt8(ascii: "]"))
        }
    }

    private func sortMembers(_ container: Container) {
        let members = container.members
        guard members.count > 1 else { return }
        var sorted = true
        for index in 1..<members.count where !(members[index - 1].key < members[index].key) {
            if members[index - 1].key == members[index].key { failed = true }
            sorted = false
        }
        guard !sorted, !failed else { return }
        // Each member runs from its start to the comma before the next one (or the end).
        let end = bytes.count
        let order = members.indices.sorted { members[$0].key < members[$1].key }
        var reordered: [UInt8] = []
        reordered.reserveCapacity(end - container.contentStart)
        for (position, index) in order.enumerated() {
            if position > 0 { reordered.append(UInt8(ascii: ",")) }
            let memberEnd = index + 1 < members.count ? members[index + 1].start - 1 : end
            reordered.append(contentsOf: bytes[members[index].start..<memberEnd])
        }
        bytes.replaceSubrange(container.contentStart..<end, with: reordered)
    }

    /// Marks the value being encoded as a scalar (a second write into it cannot be streamed).
    func scalarSlot() -> Bool {
        guard slots[slots.count - 1].container == nil, !slots[slots.count - 1].wrote else {
            failed = true
            return false
        }
        slots[slots.count - 1].wrote = true
        return true
    }

    func write(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    func write(_ value: String) { appendJSONString(value, to: &bytes) }
    func writeNull() { bytes.append(contentsOf: "null".utf8) }

    func write<T: BinaryInteger>(_ value: T) {
        guard let exact = Int64(exactly: value) else {
            JSONValue.double(Double(value)).serialize(into: &bytes)
            return
        }
        if exact >= 0 && exact < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(exact))
            return
        }
        bytes.append(contentsOf: String(exact).utf8)
    }

    func write(_ value: Double, codingPath: [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is not a JSON number"))
        }
        if value == value.rounded(), value >= -9.223372036854775808e18, value < 9.223372036854775808e18 {
            write(Int64(value))
        } else {
            JSONValue.double(value).serialize(into: &bytes)
        }
    }
}

private struct ByteEncoder: Encoder {
    let writer: ByteWriter
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedByteContainer<Key>(writer: writer, index: writer.container(isObject: true), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedByteContainer(writer: writer, index: writer.container(isObject: false), codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleByteContainer(writer: writer, codingPath: codingPath)
    }
}

/// Where streaming gives up: a container that writes nowhere (the writer is marked failed).
private func abandoned(_ writer: ByteWriter) -> ByteEncoder {
    writer.failed = true
    let scratch = ByteWriter()
    scratch.slots.append(ByteWriter.Slot(container: nil))
    return ByteEncoder(writer: scratch, codingPath: [])
}

private struct KeyedByteContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: ByteWriter
    let index: Int
    let codingPath: [any CodingKey]

    private func begin(_ key: Key) { writer.beginMember(of: index, key: key.stringValue) }

    mutating func encodeNil(forKey key: Key) throws { begin(key); writer.writeNull() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { begin(key); writer.write(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { begin(key); writer.write(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { begin(key); try writer.write(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: Float, forKey key: Key) throws { begin(key); try writer.write(Double(value), codingPath: codingPath + [key]) }
    mutating func encode(_ value: Int, forKey key: Key) throws { begin(key); writer.write(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { begin(key); writer.write(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { begin(key); writer.write(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { begin(key); writer.write(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { begin(key); writer.write(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { begin(key); writer.write(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { begin(key); writer.write(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { begin(key); writer.write(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { begin(key); writer.write(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { begin(key); writer.write(value) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        begin(key)
        try writer.encodeValue(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        abandoned(writer).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { abandoned(writer).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { abandoned(writer) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { abandoned(writer) }
}

private struct UnkeyedByteContainer: UnkeyedEncodingContainer {
    let writer: ByteWriter
    let index: Int
    let codingPath: [any CodingKey]
    var count: Int { index < writer.containers.count ? writer.containers[index].count : 0 }

    private func begin() { writer.beginMember(of: index, key: nil) }
    private var nextPath: [any CodingKey] { codingPath + [AnyCodingKey(intValue: count)] }

    mutating func encodeNil() throws { begin(); writer.writeNull() }
    mutating func encode(_ value: Bool) throws { begin(); writer.write(value) }
    mutating func encode(_ value: String) throws { begin(); writer.write(value) }
    mutating func encode(_ value: Double) throws { begin(); try writer.write(value, codingPath: nextPath) }
    mutating func encode(_ value: Float) throws { begin(); try writer.write(Double(value), codingPath: nextPath) }
    mutating func encode(_ value: Int) throws { begin(); writer.write(value) }
    mutating func encode(_ value: Int8) throws { begin(); writer.write(value) }
    mutating func encode(_ value: Int16) throws { begin(); writer.write(value) }
    mutating func encode(_ value: Int32) throws { begin(); writer.write(value) }
    mutating func encode(_ value: Int64) throws { begin(); writer.write(value) }
    mutating func encode(_ value: UInt) throws { begin(); writer.write(value) }
    mutating func encode(_ value: UInt8) throws { begin(); writer.write(value) }
    mutating func encode(_ value: UInt16) throws { begin(); writer.write(value) }
    mutating func encode(_ value: UInt32) throws { begin(); writer.write(value) }
    mutating func encode(_ value: UInt64) throws { begin(); writer.write(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        begin()
        try writer.encodeValue(value, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        abandoned(writer).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { abandoned(writer).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { abandoned(writer) }
}

private struct SingleByteContainer: SingleValueEncodingContainer {
    let writer: ByteWriter
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { if writer.scalarSlot() { writer.writeNull() } }
    mutating func encode(_ value: Bool) throws { if writer.scalarSlot() { writer.write(value) } }
    mutating func encode(_ value: String) throws { if writer.scalarSlot() { writer.write(value) } }
    mutating func encode(_ value: Double) throws { if writer.scalarSlot() { try writer.write(value, codingPath: codingPath) } }
    mutating func encode(_ value: Float) throws { if writer.scalarSlot() { try writer.write(Double(value), codingPath: codingPath) } }
    mutating func encode(_ value: Int) throws { if writer.scalarSlot() { writer.write(value) } }
    mutating func encode(_ value: Int8) throws { if writer.scalarSlot() { writer.write(value) } }
    mutating func encode(_ value: Int16) throws { if writer.scalarSlot() { writer.write(value) } }
    mutating func encode(_ value: Int32) throws { if writer.scalarSlot() { writer.write(value) } }
    mutating func encode(_ value: Int64) throws { if writer.scalarSlot() { writer.write(value) } }
    mutating func encode(_ value: UInt) throws { if writer.scalarSlot() { writer.write(value) } }
    mutating func encode(_ value: UInt8) throws { if writer.scalarSlot() { writer.write(value) } }
    mutating func encode(_ value: UInt16) throws { if writer.scalarSlot() { writer.write(value) } }
    mutating func encode(_ value: UInt32) throws { if writer.scalarSlot() { writer.write(value) } }
    mutating func encode(_ value: UInt64) throws { if writer.scalarSlot() { writer.write(value) } }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if T.self == JSONValue.self {
            if writer.scalarSlot() { (value as! JSONValue).serialize(into: &writer.bytes) }
            return
        }
        // The wrapped value fills this same slot (a raw-value enum, a wrapper around a struct).
        try value.encode(to: ByteEncoder(writer: writer, codingPath: codingPath))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A string used as a cache key by its UTF-8 bytes: hashed eight bytes at a time and compared with
/// `memcmp`. Swift's own `String` hashing and `==` normalise Unicode, which costs more than the work
/// the caches save on large prompts (the token-count and rule caches look up every chunk of a
/// document on each keystroke).
struct TextKey: Hashable, Sendable {
    /// A substring for lookups (no copy of the chunk); `owned()` for storing in a cache.
    let text: Substring
    let hash: UInt64

    init(_ text: String) { self.init(text[...]) }

    init(_ text: Substring) {
        var text = text
        hash = text.withUTF8 { utf8Hash(UnsafeRawBufferPointer($0)) }
        self.text = text
    }

    /// A key whose hash is already known (`utf8Hash` of `text`).
    init(text: Substring, hash: UInt64) {
        self.text = text
        self.hash = hash
    }

    /// The key with its own copy of the text (a cached substring would keep its whole document alive).
    func owned() -> TextKey { TextKey(text: String(text)[...], hash: hash) }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    static func == (lhs: TextKey, rhs: TextKey) -> Bool {
        guard lhs.hash == rhs.hash else { return false }
        var left = lhs.text
        var right = rhs.text
        return left.withUTF8 { a in
            right.withUTF8 { b in
                a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
    }
}

/// A 64-bit hash of bytes, eight at a time (multiply-rotate; collisions only cost a comparison).
func utf8Hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
    var offset = 0
    while offset + 8 <= bytes.count {
        let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        value = ((value ^ word) &* 0x9E37_79B9_7F4A_7C15).rotatedLeft(by: 29)
        offset += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while offset < bytes.count {
        tail |= UInt64(bytes[offset]) << shift
        shift += 8
        offset += 1
    }
    value = ((value ^ tail) &* 0x9E37_79B9_7F4A_7C15)
    return value ^ (value >> 32)
}

private extension UInt64 {
    func rotatedLeft(by count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}

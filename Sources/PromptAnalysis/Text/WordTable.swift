/// A fixed table from words (folded spellings) to values, for the lookups the rules make for every
/// word of every sentence. `Dictionary<String, _>` hashes each key with SipHash (hundreds of
/// instructions for a short word); here a word costs FNV-1a over its bytes, a probe of an
/// open-addressing table, and one string comparison only when the hashes agree — the answer is
/// the dictionary's, exactly.
struct WordTable<Value> {
    private var hashes: [UInt64]
    private var keys: [String]
    private var values: [Value?]
    private let mask: Int

    init(_ entries: [String: Value]) {
        var size = 16
        while size < entries.count * 2 { size <<= 1 }
        hashes = [UInt64](repeating: 0, count: size)
        keys = [String](repeating: "", count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
        // In key order, so that the layout does not depend on the dictionary's (seeded) order.
        for key in entries.keys.sorted() {
            let hash = fnv1a(key)
            var slot = Self.slot(for: hash, mask: mask)
            while values[slot] != nil { slot = (slot + 1) & mask }
            hashes[slot] = hash
            keys[slot] = key
            values[slot] = entries[key]
        }
    }

    @inline(__always)
    private static func slot(for hash: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    subscript(word: String) -> Value? {
        let hash = fnv1a(word)
        var slot = Self.slot(for: hash, mask: mask)
        while let value = values[slot] {
            if hashes[slot] == hash && keys[slot] == word { return value }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Whether the table has `word`.
    func contains(_ word: String) -> Bool { self[word] != nil }
}

extension WordTable: Sendable where Value: Sendable {}

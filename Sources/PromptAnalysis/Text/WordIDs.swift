/// Dense ids for 64-bit word hashes, in first-seen order: an open-addressing table with linear probing.
/// The keys are already hashes, so a multiply spreads them; no `Hasher` (SipHash) per lookup — the
/// sentence-level rules intern every content word of a large prompt on each analysis.
struct WordIDs {
    private var keys: [UInt64]
    private var slots: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// The id of `key`, assigning the next one (`count`) when it is new.
    mutating func id(for key: UInt64) -> Int32 {
        if count * 2 >= slots.count { grow() }
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while slots[slot] >= 0 {
            if keys[slot] == key { return slots[slot] }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        slots[slot] = Int32(count)
        count += 1
        return slots[slot]
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldSlots = slots
        keys = [UInt64](repeating: 0, count: oldSlots.count * 2)
        slots = [Int32](repeating: -1, count: oldSlots.count * 2)
        mask = slots.count - 1
        for (key, id) in zip(oldKeys, oldSlots) where id >= 0 {
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            slots[slot] = id
        }
    }
}

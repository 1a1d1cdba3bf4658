import CEmbeddedData
import Foundation

/// One slot of the short-key table; `key == 0` marks an empty slot.
struct ShortSlot {
    var key: UInt64
    var rank: UInt32
    /// Explicit, so that the embedded table and a built one are the same bytes.
    var padding: UInt32 = 0
}

/// A BPE vocabulary read from an embedded `TMBP` blob (token bytes in rank order) and its lookup
/// tables, a `TMBT` blob laid out to be used in place: loading is a few pointer casts into the
/// binary's read-only data, nothing is built or copied, and only the pages a lookup touches become
/// resident.
///
/// `TMBP` format (written by Tests/python/tools/generate_tokenizer_data.py): magic `TMBP`, u32
/// version 1, u32 token count N, then N records `u8 length, bytes`; record i is the token with id
/// (rank) i. `TMBT` (same generator, `tables_blob`): a 64-byte header (magic, u32 version 1, token
/// count, longest token, short-table bits, long-table bits, long-filter bits, crossing-table bits),
/// ten u64 section offsets, then the sections below in declaration order, each 64-byte aligned.
/// `Vocabulary.buildTables(_:)` builds the same bytes in Swift; a test compares both.
///
/// Lookups are split by length because most lookups during merging are short: keys of at most 7
/// bytes are packed with their length into one `UInt64` and compared as integers; 2-byte keys have
/// a direct 65536-entry table; longer keys use a tagged open-addressing table and `memcmp` against
/// the embedded bytes.
struct Vocabulary: @unchecked Sendable {
    // @unchecked: every pointer addresses immutable data that lives for the whole process (the
    // embedded blobs), so sharing across threads is read-only.
    static let none = UInt32.max

    let tokenCount: Int
    let maxTokenLength: Int
    private let blob: UnsafePointer<UInt8>
    /// Offset in `blob` of each token's bytes; the length byte sits just before.
    private let offsets: UnsafePointer<UInt32>
    private let byteRanks: UnsafePointer<UInt32>
    private let pairRanks: UnsafePointer<UInt32>
    /// Ranks of 3-byte keys shaped like a 3-byte UTF-8 character (`1110xxxx 10xxxxxx 10xxxxxx`),
    /// indexed by their 16 payload bits: the last merge of every CJK, kana or Hangul character looks
    /// up exactly such a key, and a direct table keeps those hits out of the large slot table.
    private let characterRanks: UnsafePointer<UInt32>
    /// Key and rank side by side, so that a hit costs one cache line.
    private let shortSlots: UnsafePointer<ShortSlot>
    private let shortShift: UInt64
    private let shortMask: Int
    /// One bit per hash value of every 3...7-byte key (a one-hash Bloom filter, 256 KB, so it stays
    /// in L2): most merge candidates of 4 to 6 bytes are not tokens (CJK text: over 95%), and the
    /// filter answers those without touching the multi-megabyte slot table.
    private let shortFilter: UnsafePointer<UInt64>
    /// The same kind of filter over the keys of 8 bytes and more (12 to 24 bits per key): whole
    /// pieces of CJK text and their longer merge candidates are seldom tokens, and the filter
    /// answers those without a probe of the long-key table.
    private let longFilter: UnsafePointer<UInt64>
    private let longFilterShift: UInt64
    private let longSlots: UnsafePointer<UInt64>
    /// Signatures of the tokens that straddle a character boundary unaligned (see
    /// `crossingSignature`) in an open-addressing set (0 marks an empty slot), and one bit per
    /// (byte before, first byte after) pair among them, which answers most boundaries at once.
    private let crossingSlots: UnsafePointer<UInt64>
    private let crossingMask: Int
    private let crossingPairs: UnsafePointer<UInt64>
    private let longShift: UInt64
    private let longMask: Int

    /// The vocabulary over a `TMBP` blob and its `TMBT` tables, both process-lifetime data.
    init(blob source: tm_blob, tables: tm_blob) {
        let raw = UnsafeRawPointer(source.bytes!)
        precondition(source.count >= 12 && raw.loadUnaligned(as: UInt32.self) == 0x5042_4D54, "bad TMBP blob")
        let table = UnsafeRawPointer(tables.bytes!)
        precondition(tables.count >= Layout.headerBytes && table.loadUnaligned(as: UInt32.self) == 0x5442_4D54, "bad TMBT blob")
        precondition(Int(bitPattern: table) % 64 == 0, "TMBT blob not 64-byte aligned")
        func field(_ index: Int) -> Int {
            Int(UInt32(littleEndian: table.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
        }
        func section<T>(_ index: Int, _ type: T.Type) -> UnsafePointer<T> {
            let offset = Int(UInt64(littleEndian: table.loadUnaligned(fromByteOffset: 64 + 8 * index, as: UInt64.self)))
            precondition(offset % 64 == 0 && offset < tables.count, "bad TMBT section offset")
            return (table + offset).assumingMemoryBound(to: T.self)
        }
        let count = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        precondition(field(1) == 1 && field(2) == count, "TMBT tables do not match the TMBP blob")
        blob = source.bytes!
        tokenCount = count
        maxTokenLength = field(3)
        let shortBits = field(4)
        let longBits = field(5)
        let longFilterBits = field(6)
        let crossingBits = field(7)
        shortShift = UInt64(64 - shortBits)
        shortMask = (1 << shortBits) - 1
        longShift = UInt64(64 - longBits)
        longMask = (1 << longBits) - 1
        longFilterShift = UInt64(64 - (longFilterBits - 6))
        crossingMask = (1 << crossingBits) - 1
        offsets = section(0, UInt32.self)
        byteRanks = section(1, UInt32.self)
        pairRanks = section(2, UInt32.self)
        characterRanks = section(3, UInt32.self)
        shortSlots = section(4, ShortSlot.self)
        shortFilter = section(5, UInt64.self)
        longFilter = section(6, UInt64.self)
        longSlots = section(7, UInt64.self)
        crossingSlots = section(8, UInt64.self)
        crossingPairs = section(9, UInt64.self)
    }

    /// Sizes of the `TMBT` header and sections for a vocabulary.
    private struct Layout {
        static let headerBytes = 64 + 8 * 10
        var shortBits: Int
        var longBits: Int
        var longFilterBits: Int
        var crossingBits: Int
        var sectionBytes: [Int]

        init(tokenCount: Int, shortCount: Int, longCount: Int, signatureCount: Int) {
            shortBits = Vocabulary.tableBits(for: shortCount)
            longBits = Vocabulary.tableBits(for: longCount)
            longFilterBits = 12
            while (1 << longFilterBits) < 12 * longCount { longFilterBits += 1 }
            crossingBits = 4
            while (1 << crossingBits) < 4 * signatureCount { crossingBits += 1 }
            sectionBytes = [
                4 * tokenCount, 4 * 256, 4 * 65536, 4 * 65536, MemoryLayout<ShortSlot>.stride << shortBits,
                8 << (Vocabulary.filterBits - 6), 8 << (longFilterBits - 6), 8 << longBits, 8 << crossingBits, 8 * 1024,
            ]
        }

        var sectionOffsets: [Int] {
            var offsets: [Int] = []
            var position = Layout.headerBytes
            for bytes in sectionBytes {
                position = (position + 63) / 64 * 64
                offsets.append(position)
                position += bytes
            }
            return offsets
        }

        var totalBytes: Int { sectionOffsets.last! + sectionBytes.last! }
    }

    /// Builds the `TMBT` tables of a `TMBP` blob: the same bytes the generator embeds (a test holds
    /// both to that), in a new 64-byte-aligned allocation that the caller owns.
    static func buildTables(_ source: tm_blob) -> UnsafeMutableRawBufferPointer {
        let blob = source.bytes!
        let count = Int(UInt32(littleEndian: UnsafeRawPointer(blob).loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        var tokenOffsets: [UInt32] = []
        tokenOffsets.reserveCapacity(count)
        var shortCount = 0
        var longCount = 0
        var position = 12
        var longest = 0
        var signatures: [UInt64] = []
        for _ in 0..<count {
            let length = Int(blob[position])
            tokenOffsets.append(UInt32(position + 1))
            if length > 1 && mayStraddle(blob + position + 1, length),
                let signature = crossingSignature(blob + position + 1, length)
            {
                signatures.append(signature)
            }
            position += 1 + length
            longest = max(longest, length)
            if length <= 7 { shortCount += 1 } else { longCount += 1 }
        }
        precondition(position == source.count, "TMBP blob length mismatch")
        let layout = Layout(tokenCount: count, shortCount: shortCount, longCount: longCount, signatureCount: signatures.count)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: layout.totalBytes, alignment: 64)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        let base = buffer.baseAddress!
        for (index, value) in [0x5442_4D54, 1, count, longest, layout.shortBits, layout.longBits, layout.longFilterBits, layout.crossingBits].enumerated() {
            base.storeBytes(of: UInt32(value).littleEndian, toByteOffset: 4 * index, as: UInt32.self)
        }
        let sectionOffsets = layout.sectionOffsets
        for (index, offset) in sectionOffsets.enumerated() {
            base.storeBytes(of: UInt64(offset).littleEndian, toByteOffset: 64 + 8 * index, as: UInt64.self)
        }
        func section<T>(_ index: Int, _ type: T.Type) -> UnsafeMutablePointer<T> {
            (base + sectionOffsets[index]).bindMemory(to: T.self, capacity: layout.sectionBytes[index] / MemoryLayout<T>.stride)
        }
        let offsets = section(0, UInt32.self)
        for rank in 0..<count { offsets[rank] = tokenOffsets[rank] }
        let byteRanks = section(1, UInt32.self)
        byteRanks.update(repeating: none, count: 256)
        let pairRanks = section(2, UInt32.self)
        pairRanks.update(repeating: none, count: 65536)
        let characterRanks = section(3, UInt32.self)
        characterRanks.update(repeating: none, count: 65536)
        let shortSlots = section(4, ShortSlot.self)
        shortSlots.update(repeating: ShortSlot(key: 0, rank: none), count: 1 << layout.shortBits)
        let shortFilter = section(5, UInt64.self)
        let longFilter = section(6, UInt64.self)
        let longSlots = section(7, UInt64.self)
        let crossingSlots = section(8, UInt64.self)
        let crossingPairs = section(9, UInt64.self)
        let shortShift = UInt64(64 - layout.shortBits)
        let shortMask = (1 << layout.shortBits) - 1
        let longShift = UInt64(64 - layout.longBits)
        let longMask = (1 << layout.longBits) - 1
        let longFilterShift = UInt64(64 - (layout.longFilterBits - 6))
        for rank in 0..<count {
            let start = blob + Int(tokenOffsets[rank])
            let length = Int(start[-1])
            if length == 1 {
                byteRanks[Int(start[0])] = UInt32(rank)
            } else if length == 2 {
                pairRanks[Int(load16(start))] = UInt32(rank)
            } else if length == 3, let index = characterIndex(start) {
                characterRanks[index] = UInt32(rank)
            }
            if length <= 7 {
                let key = packShort(start, length)
                let hash = key &* multiplier
                shortFilter[filterWord(hash)] |= filterMask(hash)
                var index = Int(truncatingIfNeeded: hash >> shortShift)
                while shortSlots[index].key != 0 { index = (index + 1) & shortMask }
                shortSlots[index] = ShortSlot(key: key, rank: UInt32(rank))
            } else {
                let hash = hashLong(start, length)
                longFilter[Int(truncatingIfNeeded: hash >> longFilterShift)] |= filterMask(hash)
                var index = Int(truncatingIfNeeded: hash >> longShift)
                while longSlots[index] != 0 { index = (index + 1) & longMask }
                longSlots[index] = (hash << 32) | UInt64(rank + 1)
            }
        }
        for byte in 0..<256 { precondition(byteRanks[byte] != none, "vocabulary lacks byte \(byte)") }
        let crossingMask = (1 << layout.crossingBits) - 1
        for signature in signatures {
            var index = crossingIndex(signature, crossingMask)
            while crossingSlots[index] != 0 && crossingSlots[index] != signature { index = (index + 1) & crossingMask }
            crossingSlots[index] = signature
            let pair = Int(signature >> 16 & 0xFF00 | signature & 0xFF)
            crossingPairs[pair >> 6] |= 1 << UInt64(pair & 63)
        }
        return buffer
    }

    /// False, cheaply, for most tokens that cannot straddle a character boundary: those that start
    /// with ASCII or a lead byte and end with a complete character.
    @inline(__always) static func mayStraddle(_ token: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        if token[0] & 0xC0 == 0x80 { return true }
        var last = length - 1
        while last > 0 && last > length - 4 && token[last] & 0xC0 == 0x80 { last -= 1 }
        return UTF8Sequence.length(lead: token[last]) != length - last
    }

    /// A token straddles a character boundary unaligned when it is the tail of one character
    /// followed by more, or whole characters followed by the head of another (`"\u{97}京"`,
    /// `" \u{D0}"`: 794 tokens of o200k_base, 250 of cl100k_base). Only such a token can make
    /// byte-pair merging cross a character boundary other than between whole characters. Its
    /// signature is the byte before that boundary and up to three bytes after it; nil for every
    /// other token (aligned ones, and those that cannot occur in valid UTF-8).
    static func crossingSignature(_ token: UnsafePointer<UInt8>, _ length: Int) -> UInt64? {
        var i = 0
        while i < length && token[i] & 0xC0 == 0x80 { i += 1 }
        let tailLength = i
        var wholeCharacters = 0
        var headStart = -1
        while i < length {
            let sequence = UTF8Sequence.length(lead: token[i])
            if sequence == 0 { return nil }
            for k in 1..<min(sequence, length - i) where token[i + k] & 0xC0 != 0x80 { return nil }
            if i + sequence > length {
                headStart = i
                break
            }
            wholeCharacters += 1
            i += sequence
        }
        let boundary: Int
        if tailLength > 0 && (wholeCharacters > 0 || headStart >= 0) {
            boundary = tailLength
        } else if headStart >= 0 && wholeCharacters > 0 {
            boundary = headStart
        } else {
            return nil
        }
        return crossingKey(before: token[boundary - 1], after: token + boundary, count: min(3, length - boundary))
    }

    /// `count` (1...3) in bits 32..., the byte before in bits 24..<32, the bytes after from bit 0.
    @inline(__always) static func crossingKey(before: UInt8, after: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        var key = UInt64(count) << 32 | UInt64(before) << 24
        for k in 0..<count { key |= UInt64(after[k]) << UInt64(8 * k) }
        return key
    }

    @inline(__always) private static func crossingIndex(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* multiplier) >> 40) & mask
    }

    /// Whether a token that straddles a character boundary unaligned may occur across the
    /// character boundary at `p` (`p[-1]` is readable, and `available >= 1` bytes from `p`).
    @inline(__always) func mayCrossBoundary(at p: UnsafePointer<UInt8>, available: Int) -> Bool {
        let pair = Int(p[-1]) << 8 | Int(p[0])
        guard crossingPairs[pair >> 6] & (1 << UInt64(pair & 63)) != 0 else { return false }
        for count in 1...min(3, available) {
            let key = Vocabulary.crossingKey(before: p[-1], after: p, count: count)
            var index = Vocabulary.crossingIndex(key, crossingMask)
            while true {
                let slot = crossingSlots[index]
                if slot == key { return true }
                if slot == 0 { break }
                index = (index + 1) & crossingMask
            }
        }
        return false
    }

    /// Table size for a load factor of at most about 0.55: small enough to stay cache-friendly,
    /// sparse enough for short linear probes.
    private static func tableBits(for count: Int) -> Int {
        var bits = 4
        while (1 << bits) * 11 < count * 20 { bits += 1 }
        return bits
    }

    private static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let filterBits = 21
    private static let filterShift = UInt64(64 - filterBits)

    /// The filter word of a key's hash (its top bits) and the two bits it sets in that word (from
    /// two other 6-bit fields): a blocked two-hash Bloom filter costs one load, like one hash.
    @inline(__always) private static func filterWord(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash >> (filterShift + 6))
    }

    @inline(__always) private static func filterMask(_ hash: UInt64) -> UInt64 {
        // Remixed: the low bits of a multiplicative hash ignore the key's high bytes.
        let mixed = (hash ^ hash >> 29) &* multiplier
        return 1 << (mixed >> 58) | 1 << ((mixed >> 52) & 63)
    }

    @inline(__always) static func load16(_ p: UnsafePointer<UInt8>) -> UInt16 {
        UInt16(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt16.self))
    }

    @inline(__always) static func load32(_ p: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
    }

    @inline(__always) static func load64(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// Packs 1...7 bytes and their length into one integer (never 0). Overlapping loads read only
    /// bytes inside the key, so this never touches memory past `p + length`.
    @inline(__always) static func packShort(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        let bytes: UInt64
        if length >= 4 {
            bytes = UInt64(load32(p)) | UInt64(load32(p + length - 4)) << UInt64((length - 4) * 8)
        } else if length >= 2 {
            bytes = UInt64(load16(p)) | UInt64(load16(p + length - 2)) << UInt64((length - 2) * 8)
        } else {
            bytes = UInt64(p[0])
        }
        return bytes | UInt64(length) << 56
    }

    /// Hash of a key of at least 8 bytes; the high 32 bits are kept as a tag in the table slot.
    @inline(__always) static func hashLong(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var hash = UInt64(length) &* multiplier
        var offset = 0
        while offset + 8 < length {
            hash = (hash ^ load64(p + offset)) &* multiplier
            hash ^= hash >> 29
            offset += 8
        }
        hash = (hash ^ load64(p + length - 8)) &* multiplier
        return hash ^ (hash >> 32)
    }

    /// The payload bits of a 3-byte key shaped like a 3-byte UTF-8 sequence, or nil. The shape
    /// check and the payload together are a bijection, so the table is exact for every such key.
    @inline(__always) static func characterIndex(_ p: UnsafePointer<UInt8>) -> Int? {
        let bytes = UInt32(load16(p)) | UInt32(p[2]) << 16
        guard bytes & 0xC0_C0F0 == 0x80_80E0 else { return nil }
        return Int(bytes & 0x0F) << 12 | Int(bytes >> 8 & 0x3F) << 6 | Int(bytes >> 16 & 0x3F)
    }

    /// The rank of a single byte (every byte is a token in byte-level BPE).
    @inline(__always) func rank(ofByte byte: UInt8) -> UInt32 { byteRanks[Int(byte)] }

    /// The rank of the bytes `p[0..<length]` (`length >= 1`), or `Vocabulary.none`.
    @inline(__always) func rank(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt32 {
        if length == 2 { return pairRanks[Int(Vocabulary.load16(p))] }
        if length <= 7 {
            if length == 1 { return byteRanks[Int(p[0])] }
            if length == 3, let index = Vocabulary.characterIndex(p) { return characterRanks[index] }
            let key = Vocabulary.packShort(p, length)
            let hash = key &* Vocabulary.multiplier
            let mask = Vocabulary.filterMask(hash)
            if shortFilter[Vocabulary.filterWord(hash)] & mask != mask { return Vocabulary.none }
            var index = Int(truncatingIfNeeded: hash >> shortShift)
            while true {
                let slot = shortSlots[index]
                if slot.key == key { return slot.rank }
                if slot.key == 0 { return Vocabulary.none }
                index = (index + 1) & shortMask
            }
        }
        if length > maxTokenLength { return Vocabulary.none }
        let hash = Vocabulary.hashLong(p, length)
        let mask = Vocabulary.filterMask(hash)
        if longFilter[Int(truncatingIfNeeded: hash >> longFilterShift)] & mask != mask { return Vocabulary.none }
        let tag = hash << 32
        var index = Int(truncatingIfNeeded: hash >> longShift)
        while true {
            let slot = longSlots[index]
            if slot == 0 { return Vocabulary.none }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let rank = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                let start = blob + Int(offsets[rank])
                if Int(start[-1]) == length && memcmp(start, p, length) == 0 { return UInt32(rank) }
            }
            index = (index + 1) & longMask
        }
    }

    /// The length in bytes of token `rank` (a valid id).
    @inline(__always) func length(of rank: UInt32) -> Int { Int(blob[Int(offsets[Int(rank)]) - 1]) }

    /// The bytes of token `rank`, or nil for an id outside the vocabulary.
    func bytes(of rank: UInt32) -> UnsafeBufferPointer<UInt8>? {
        guard Int(rank) < tokenCount else { return nil }
        let start = blob + Int(offsets[Int(rank)])
        return UnsafeBufferPointer(start: start, count: Int(start[-1]))
    }
}

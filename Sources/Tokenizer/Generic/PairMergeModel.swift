import Foundation

/// Byte strings to ids in one open-addressing table over a shared byte pool (no allocation per
/// lookup: the hot path hashes the piece in place).
struct ByteStringTable: Sendable {
    private var pool: [UInt8] = []
    private var starts: [UInt32] = []
    private var ids: [UInt32] = []
    private var slots: [Int32] = []
    private var mask = 0
    private(set) var maximumLength = 0

    init(capacity: Int) {
        var bits = 4
        while (1 << bits) < 2 * max(capacity, 1) { bits += 1 }
        slots = [Int32](repeating: -1, count: 1 << bits)
        mask = (1 << bits) - 1
        starts.append(0)
    }

    var count: Int { ids.count }

    @inline(__always) private static func hash(_ p: UnsafePointer<UInt8>, _ length: Int) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(length)
        for k in 0..<length { h = (h ^ UInt64(p[k])) &* 0x100_0000_01B3 }
        return Int(truncatingIfNeeded: h ^ h >> 29)
    }

    /// Adds `bytes` with `id`; a later duplicate replaces the earlier id.
    mutating func insert(_ bytes: [UInt8], id: UInt32) {
        if count * 2 + 2 > slots.count { grow() }
        bytes.withUnsafeBufferPointer { key in
            let base = key.baseAddress ?? UnsafePointer(bitPattern: 1)!
            var index = ByteStringTable.hash(base, key.count) & mask
            while slots[index] >= 0 {
                let entry = Int(slots[index])
                if equals(entry, base, key.count) {
                    ids[entry] = id
                    return
                }
                index = (index + 1) & mask
            }
            slots[index] = Int32(ids.count)
            pool.append(contentsOf: key)
            starts.append(UInt32(pool.count))
            ids.append(id)
            maximumLength = max(maximumLength, key.count)
        }
    }

    private mutating func grow() {
        let newSize = slots.count * 2
        slots = [Int32](repeating: -1, count: newSize)
        mask = newSize - 1
        for entry in 0..<ids.count {
            let start = Int(starts[entry])
            let length = Int(starts[entry + 1]) - start
            let h = pool.withUnsafeBufferPointer { ByteStringTable.hash($0.baseAddress! + start, length) }
            var index = h & mask
            while slots[index] >= 0 { index = (index + 1) & mask }
            slots[index] = Int32(entry)
        }
    }

    private func equals(_ entry: Int, _ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        let start = Int(starts[entry])
        guard Int(starts[entry + 1]) - start == length else { return false }
        return pool.withUnsafeBufferPointer { pool in
            for k in 0..<length where pool[start + k] != p[k] { return false }
            return true
        }
    }

    /// The id of `p[0..<length]`, or nil.
    func id(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt32? {
        guard length <= maximumLength else { return nil }
        var index = ByteStringTable.hash(p, length) & mask
        while true {
            let entry = Int(slots[index])
            if entry < 0 { return nil }
            if equals(entry, p, length) { return ids[entry] }
            index = (index + 1) & mask
        }
    }

    func id(_ bytes: [UInt8]) -> UInt32? {
        bytes.withUnsafeBufferPointer { $0.baseAddress.flatMap { base in id(base, bytes.count) } }
    }
}

/// Pairs of ids to (merge rank, merged id), in an open-addressing table of 64-bit keys.
struct MergeTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private let mask: Int
    private static let empty = UInt64.max

    init(capacity: Int) {
        var bits = 4
        while (1 << bits) < 2 * max(capacity, 1) { bits += 1 }
        keys = [UInt64](repeating: MergeTable.empty, count: 1 << bits)
        values = [UInt64](repeating: 0, count: 1 << bits)
        mask = (1 << bits) - 1
    }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Adds a merge; a pair listed twice keeps its later rank (as `tokenizers` does).
    mutating func insert(left: UInt32, right: UInt32, rank: UInt32, merged: UInt32) {
        let key = UInt64(left) << 32 | UInt64(right)
        var index = MergeTable.slot(key, mask)
        while keys[index] != MergeTable.empty && keys[index] != key { index = (index + 1) & mask }
        keys[index] = key
        values[index] = UInt64(rank) << 32 | UInt64(merged)
    }

    /// Reads the table through raw pointers for the merge loop.
    func withLookup<Result>(_ body: (MergeLookup) -> Result) -> Result {
        keys.withUnsafeBufferPointer { keys in
            values.withUnsafeBufferPointer { values in
                body(MergeLookup(keys: keys.baseAddress!, values: values.baseAddress!, mask: mask))
            }
        }
    }
}

struct MergeLookup {
    let keys: UnsafePointer<UInt64>
    let values: UnsafePointer<UInt64>
    let mask: Int

    /// `rank << 32 | merged` of the pair, or `UInt64.max` when the pair does not merge.
    @inline(__always) func merge(_ left: UInt32, _ right: UInt32) -> UInt64 {
        let key = UInt64(left) << 32 | UInt64(right)
        var index = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while true {
            let k = keys[index]
            if k == key { return values[index] }
            if k == UInt64.max { return UInt64.max }
            index = (index + 1) & mask
        }
    }
}

/// Hugging Face's BPE model (`"type": "BPE"`): merges by pair rank, the leftmost lowest-ranked
/// listed pair first, exactly as `tokenizers`' `Word::merge_all` without dropout.
struct PairMergeModel: Sendable {
    /// Token bytes (after undoing the byte-level alphabet, for byte-level files) to id.
    var vocabulary: ByteStringTable
    var merges: MergeTable
    /// Whether pieces are sequences of bytes (ByteLevel pre-tokenizer) or of characters.
    var byteLevel: Bool
    /// The id of each single byte (byte-level) or of each `<0xXX>` token (byte fallback), or
    /// `UInt32.max`.
    var byteIds: [UInt32]
    var byteFallback: Bool
    var unknownId: UInt32?
    var fuseUnknown: Bool
    /// A piece that is itself a token is that token, without merging (Llama 3 style files).
    var ignoreMerges: Bool

    /// Encodes one non-empty piece, through the memo for short pieces.
    func encode(
        _ piece: UnsafeBufferPointer<UInt8>, lookup: MergeLookup, symbols: inout [UInt32], memo: inout PieceMemo,
        emit: (UInt32) -> Void
    ) {
        guard piece.count > 1 && piece.count <= PieceMemo.maximumPieceLength else {
            return encode(piece, lookup: lookup, symbols: &symbols, emit: emit)
        }
        let hash = PieceMemo.hash(piece.baseAddress!, piece.count)
        if memo.emit(piece, hash: hash, emit) { return }
        encode(piece, lookup: lookup, symbols: &symbols) { _ in }
        memo.insert(piece, hash: hash, tokens: symbols)
        for id in symbols { emit(id) }
    }

    /// Encodes one non-empty piece; leaves its tokens in `symbols` too (unless a whole-word hit).
    func encode(_ piece: UnsafeBufferPointer<UInt8>, lookup: MergeLookup, symbols: inout [UInt32], emit: (UInt32) -> Void) {
        let base = piece.baseAddress!
        if ignoreMerges, let whole = vocabulary.id(base, piece.count) {
            symbols.removeAll(keepingCapacity: true)
            symbols.append(whole)
            emit(whole)
            return
        }
        symbols.removeAll(keepingCapacity: true)
        if byteLevel {
            for k in 0..<piece.count {
                let id = byteIds[Int(base[k])]
                if id != UInt32.max {
                    symbols.append(id)
                } else if let unknownId {
                    if !(fuseUnknown && symbols.last == unknownId) { symbols.append(unknownId) }
                }
            }
        } else {
            var k = 0
            while k < piece.count {
                var length = 1
                if base[k] >= 0x80, let (_, l) = UTF8Sequence.decode(base + k, available: piece.count - k) { length = l }
                if let id = vocabulary.id(base + k, length) {
                    symbols.append(id)
                } else if byteFallback && (k..<k + length).allSatisfy({ byteIds[Int(base[$0])] != UInt32.max }) {
                    for j in k..<k + length { symbols.append(byteIds[Int(base[j])]) }
                } else if let unknownId {
                    if !(fuseUnknown && symbols.last == unknownId) { symbols.append(unknownId) }
                }
                k += length
            }
        }
        if symbols.count > 1 {
            // The scan is quadratic but allocation-free; the heap allocates per piece. Profiled on
            // the benchmark corpus (CJK runs of 50 to 300 bytes): 96 spends less than 32.
            if symbols.count <= 96 {
                mergeByScan(&symbols, lookup)
            } else {
                mergeByHeap(&symbols, lookup)
            }
        }
        for id in symbols { emit(id) }
    }

    /// Quadratic but allocation-free: the pieces of ordinary text have a handful of symbols.
    private func mergeByScan(_ symbols: inout [UInt32], _ lookup: MergeLookup) {
        let remaining = symbols.withUnsafeMutableBufferPointer { symbols -> Int in
            var count = symbols.count
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { ranks in
                for k in 0..<count - 1 { ranks[k] = lookup.merge(symbols[k], symbols[k + 1]) }
                while count > 1 {
                    var best = UInt64.max
                    var at = -1
                    for k in 0..<count - 1 where ranks[k] >> 32 < best >> 32 {
                        best = ranks[k]
                        at = k
                    }
                    if at < 0 { break }
                    symbols[at] = UInt32(truncatingIfNeeded: best)
                    var k = at + 1
                    while k < count - 1 {
                        symbols[k] = symbols[k + 1]
                        ranks[k] = ranks[k + 1]
                        k += 1
                    }
                    count -= 1
                    if at + 1 < count { ranks[at] = lookup.merge(symbols[at], symbols[at + 1]) }
                    if at > 0 { ranks[at - 1] = lookup.merge(symbols[at - 1], symbols[at]) }
                }
            }
            return count
        }
        symbols.removeLast(symbols.count - remaining)
    }

    /// A heap of `(rank, position)` with stale entries skipped, as `tokenizers` merges: same
    /// order as the scan (lowest rank, then leftmost), O(n log n) for long pieces.
    private func mergeByHeap(_ symbols: inout [UInt32], _ lookup: MergeLookup) {
        let n = symbols.count
        var next = Array(1...n)
        var previous = Array(-1..<n - 1)
        var alive = [Bool](repeating: true, count: n)
        var heap = MinHeap()
        heap.entries.reserveCapacity(2 * n)
        for k in 0..<n - 1 {
            let m = lookup.merge(symbols[k], symbols[k + 1])
            if m != UInt64.max { heap.push(rank: m >> 32, position: k, merged: UInt32(truncatingIfNeeded: m)) }
        }
        while let top = heap.pop() {
            let k = top.position
            guard alive[k], next[k] < n else { continue }
            let right = next[k]
            let m = lookup.merge(symbols[k], symbols[right])
            guard m != UInt64.max, m >> 32 == top.rank, UInt32(truncatingIfNeeded: m) == top.merged else { continue }
            symbols[k] = top.merged
            alive[right] = false
            next[k] = next[right]
            if next[k] < n { previous[next[k]] = k }
            if previous[k] >= 0 {
                let p = previous[k]
                let pm = lookup.merge(symbols[p], symbols[k])
                if pm != UInt64.max { heap.push(rank: pm >> 32, position: p, merged: UInt32(truncatingIfNeeded: pm)) }
            }
            if next[k] < n {
                let nm = lookup.merge(symbols[k], symbols[next[k]])
                if nm != UInt64.max { heap.push(rank: nm >> 32, position: k, merged: UInt32(truncatingIfNeeded: nm)) }
            }
        }
        var result: [UInt32] = []
        result.reserveCapacity(n)
        var k = 0
        while k < n {
            result.append(symbols[k])
            k = next[k]
        }
        symbols = result
    }
}

/// A binary min-heap of merges ordered by rank, then position.
private struct MinHeap {
    struct Entry {
        var rank: UInt64
        var position: Int
        var merged: UInt32
        func precedes(_ other: Entry) -> Bool {
            rank != other.rank ? rank < other.rank : position < other.position
        }
    }
    var entries: [Entry] = []

    mutating func push(rank: UInt64, position: Int, merged: UInt32) {
        entries.append(Entry(rank: rank, position: position, merged: merged))
        var k = entries.count - 1
        while k > 0 {
            let parent = (k - 1) / 2
            guard entries[k].precedes(entries[parent]) else { break }
            entries.swapAt(k, parent)
            k = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let first = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var k = 0
            while true {
                let l = 2 * k + 1
                let r = l + 1
                var best = k
                if l < entries.count && entries[l].precedes(entries[best]) { best = l }
                if r < entries.count && entries[r].precedes(entries[best]) { best = r }
                if best == k { break }
                entries.swapAt(k, best)
                k = best
            }
        }
        return first
    }
}

/// A per-call memo of merged pieces (`tokenizers` keeps a word cache too): ordinary text repeats
/// its words, and a hit costs one hash and one comparison instead of the merges. Pieces are copied
/// into the memo's own pool (they may live in temporary buffers); it stops growing once full.
struct PieceMemo {
    private var slots: [Int32]
    private var mask: Int
    private var hashes: [UInt64] = []
    private var keyStarts: [Int32] = [0]
    private var tokenStarts: [Int32] = [0]
    private var keys: [UInt8] = []
    private var tokens: [UInt32] = []
    static let maximumPieceLength = 48
    static let maximumEntries = 1 << 15

    init() {
        slots = [Int32](repeating: -1, count: 1 << 16)
        mask = (1 << 16) - 1
    }

    @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(length &+ 1)
        var k = 0
        while k + 8 <= length {
            h = (h ^ UInt64(littleEndian: UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self))) &* 0x100_0000_01B3
            h ^= h >> 29
            k += 8
        }
        while k < length {
            h = (h ^ UInt64(p[k])) &* 0x100_0000_01B3
            k += 1
        }
        return h ^ h >> 32
    }

    /// Emits the memoized tokens of the piece and returns true, or returns false.
    @inline(__always) func emit(_ piece: UnsafeBufferPointer<UInt8>, hash: UInt64, _ emit: (UInt32) -> Void) -> Bool {
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[index])
            if entry < 0 { return false }
            if hashes[entry] == hash {
                let start = Int(keyStarts[entry])
                let length = Int(keyStarts[entry + 1]) - start
                if length == piece.count && keys.withUnsafeBufferPointer({ memcmp($0.baseAddress! + start, piece.baseAddress!, length) == 0 }) {
                    for k in Int(tokenStarts[entry])..<Int(tokenStarts[entry + 1]) { emit(tokens[k]) }
                    return true
                }
            }
            index = (index + 1) & mask
        }
    }

    mutating func insert(_ piece: UnsafeBufferPointer<UInt8>, hash: UInt64, tokens pieceTokens: [UInt32]) {
        guard hashes.count < PieceMemo.maximumEntries else { return }
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index] >= 0 { index = (index + 1) & mask }
        slots[index] = Int32(hashes.count)
        hashes.append(hash)
        keys.append(contentsOf: piece)
        keyStarts.append(Int32(keys.count))
        tokens.append(contentsOf: pieceTokens)
        tokenStarts.append(Int32(tokens.count))
    }
}

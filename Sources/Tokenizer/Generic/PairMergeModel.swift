import Foundation

/// Memory that a table built at run time owns (bundled tables point into the binary instead).
final class TableMemory: @unchecked Sendable {
    // @unchecked: written once while a table is built, read-only afterwards.
    private var allocations: [UnsafeMutableRawBufferPointer] = []

    deinit { for allocation in allocations { allocation.deallocate() } }

    /// A copy of `array` that lives as long as this object.
    func keep<T>(_ array: [T]) -> UnsafePointer<T> {
        let buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: max(1, array.count) * MemoryLayout<T>.stride, alignment: max(MemoryLayout<T>.alignment, 16))
        allocations.append(buffer)
        let typed = buffer.bindMemory(to: T.self)
        _ = typed.initialize(from: array)
        return UnsafePointer(typed.baseAddress!)
    }
}

/// Byte strings to ids in one open-addressing table over a shared byte pool (no allocation per
/// lookup: the hot path hashes the piece in place). Built at run time by `Builder` for a user's
/// file, or read in place from a bundled `TMPM` blob (see `PairMergeModel.init(tables:)`), whose
/// generator (Tests/python/tools/generate_bundled_tokenizers.py) uses the same hash and probing.
struct ByteStringTable: @unchecked Sendable {
    // @unchecked: the pointers address immutable memory owned by `memory` or by the binary.
    private let memory: TableMemory?
    /// Entry k's bytes are `pool[starts[k]..<starts[k + 1]]`, its id `ids[k]`.
    private let pool: UnsafePointer<UInt8>
    private let starts: UnsafePointer<UInt32>
    private let ids: UnsafePointer<UInt32>
    /// Entry index per slot, -1 when empty.
    private let slots: UnsafePointer<Int32>
    private let mask: Int
    let maximumLength: Int
    let count: Int

    init(
        memory: TableMemory?, pool: UnsafePointer<UInt8>, starts: UnsafePointer<UInt32>, ids: UnsafePointer<UInt32>,
        slots: UnsafePointer<Int32>, slotBits: Int, maximumLength: Int, count: Int
    ) {
        self.memory = memory
        self.pool = pool
        self.starts = starts
        self.ids = ids
        self.slots = slots
        mask = (1 << slotBits) - 1
        self.maximumLength = maximumLength
        self.count = count
    }

    @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ length: Int) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(length)
        for k in 0..<length { h = (h ^ UInt64(p[k])) &* 0x100_0000_01B3 }
        return Int(truncatingIfNeeded: h ^ h >> 29)
    }

    @inline(__always) private func equals(_ entry: Int, _ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        let start = Int(starts[entry])
        guard Int(starts[entry + 1]) - start == length else { return false }
        return memcmp(pool + start, p, length) == 0
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

    /// Builds a table at run time.
    struct Builder {
        private var pool: [UInt8] = []
        private var starts: [UInt32] = [0]
        private var ids: [UInt32] = []
        private var slots: [Int32]
        private var bits: Int
        private var maximumLength = 0

        init(capacity: Int) {
            bits = 4
            while (1 << bits) < 2 * max(capacity, 1) { bits += 1 }
            slots = [Int32](repeating: -1, count: 1 << bits)
        }

        private func equals(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
            let start = Int(starts[entry])
            guard Int(starts[entry + 1]) - start == key.count else { return false }
            return pool[start..<start + key.count].elementsEqual(key)
        }

        /// Adds `bytes` with `id`; a later duplicate replaces the earlier id.
        mutating func insert(_ bytes: [UInt8], id: UInt32) {
            if ids.count * 2 + 2 > slots.count { grow() }
            bytes.withUnsafeBufferPointer { key in
                let base = key.baseAddress ?? UnsafePointer(bitPattern: 1)!
                let mask = slots.count - 1
                var index = ByteStringTable.hash(base, key.count) & mask
                while slots[index] >= 0 {
                    let entry = Int(slots[index])
                    if equals(entry, key) {
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
            bits += 1
            slots = [Int32](repeating: -1, count: 1 << bits)
            let mask = slots.count - 1
            for entry in 0..<ids.count {
                let start = Int(starts[entry])
                let length = Int(starts[entry + 1]) - start
                let h = pool.withUnsafeBufferPointer { ByteStringTable.hash($0.baseAddress! + start, length) }
                var index = h & mask
                while slots[index] >= 0 { index = (index + 1) & mask }
                slots[index] = Int32(entry)
            }
        }

        func build() -> ByteStringTable {
            let memory = TableMemory()
            return ByteStringTable(
                memory: memory, pool: memory.keep(pool), starts: memory.keep(starts), ids: memory.keep(ids),
                slots: memory.keep(slots), slotBits: bits, maximumLength: maximumLength, count: ids.count)
        }
    }
}

/// Pairs of ids to (merge rank, merged id), in an open-addressing table of 64-bit keys; built at
/// run time by `Builder` or read in place like `ByteStringTable`.
struct MergeTable: @unchecked Sendable {
    // @unchecked: as `ByteStringTable`.
    private let memory: TableMemory?
    private let lookup: MergeLookup

    init(memory: TableMemory?, keys: UnsafePointer<UInt64>, values: UnsafePointer<UInt64>, slotBits: Int) {
        self.memory = memory
        lookup = MergeLookup(keys: keys, values: values, mask: (1 << slotBits) - 1)
    }

    @inline(__always) static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Reads the table through raw pointers for the merge loop.
    func withLookup<Result>(_ body: (MergeLookup) -> Result) -> Result {
        withExtendedLifetime(memory) { body(lookup) }
    }

    struct Builder {
        private var keys: [UInt64]
        private var values: [UInt64]
        private let bits: Int

        init(capacity: Int) {
            var bits = 4
            while (1 << bits) < 2 * max(capacity, 1) { bits += 1 }
            self.bits = bits
            keys = [UInt64](repeating: MergeLookup.empty, count: 1 << bits)
            values = [UInt64](repeating: 0, count: 1 << bits)
        }

        /// Adds a merge; a pair listed twice keeps its later rank (as `tokenizers` does).
        mutating func insert(left: UInt32, right: UInt32, rank: UInt32, merged: UInt32) {
            let key = UInt64(left) << 32 | UInt64(right)
            let mask = keys.count - 1
            var index = MergeTable.slot(key, mask)
            while keys[index] != MergeLookup.empty && keys[index] != key { index = (index + 1) & mask }
            keys[index] = key
            values[index] = UInt64(rank) << 32 | UInt64(merged)
        }

        func build() -> MergeTable {
            let memory = TableMemory()
            return MergeTable(memory: memory, keys: memory.keep(keys), values: memory.keep(values), slotBits: bits)
        }
    }
}

struct MergeLookup {
    static let empty = UInt64.max
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
            // The scan is quadratic; the heap is O(n log n) in scratch memory. Counted with
            // callgrind on the benchmark corpus (CJK runs of 10 to 100 characters dominate): the
            // heap from 17 symbols executes 10% fewer instructions than from 97, 2% fewer than
            // from 33, and as many as from 9.
            if symbols.count <= 16 {
                mergeByScan(&symbols, lookup)
            } else {
                mergeByHeap(&symbols, lookup)
            }
        }
        for id in symbols { emit(id) }
    }

    /// Quadratic but allocation-free: the pieces of ordinary text have a handful of symbols.
    func mergeByScan(_ symbols: inout [UInt32], _ lookup: MergeLookup) {
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
    /// order as the scan (lowest rank, then leftmost), O(n log n) for long pieces. Symbols form a
    /// linked list over their first positions; an entry records where its pair ended when it was
    /// pushed, and a pair only ever grows (its left symbol absorbs its right one, or the right one
    /// absorbs the next), so an entry is current exactly when its left symbol is alive and its
    /// pair still ends there (`tokenizers` compares the merged id instead, which for such spans
    /// is the same test).
    func mergeByHeap(_ symbols: inout [UInt32], _ lookup: MergeLookup) {
        let n = symbols.count
        let remaining = symbols.withUnsafeMutableBufferPointer { symbols -> Int in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * n + 1) { links in
                // next[k] (n: the end; -1: merged into its left neighbour), previous[k] (-1: first).
                let next = links.baseAddress!
                let previous = next + n + 1
                for k in 0..<n {
                    next[k] = Int32(k + 1)
                    previous[k] = Int32(k - 1)
                }
                next[n] = Int32(n)
                // At most n - 1 initial pairs and two per merge.
                return withUnsafeTemporaryAllocation(of: MergeHeap.Entry.self, capacity: 3 * n) { storage in
                    var heap = MergeHeap(storage.baseAddress!)
                    func push(_ left: Int, _ right: Int) {
                        let m = lookup.merge(symbols[left], symbols[right])
                        guard m != UInt64.max else { return }
                        heap.push(
                            MergeHeap.Entry(
                                key: m & 0xFFFF_FFFF_0000_0000 | UInt64(left),
                                value: m << 32 | UInt64(UInt32(truncatingIfNeeded: next[right]))))
                    }
                    for k in 0..<n - 1 { push(k, k + 1) }
                    var count = n
                    while let top = heap.pop() {
                        let k = Int(UInt32(truncatingIfNeeded: top.key))
                        let right = Int(next[k])
                        guard right >= 0, right < n, next[right] == Int32(truncatingIfNeeded: top.value) else { continue }
                        symbols[k] = UInt32(truncatingIfNeeded: top.value >> 32)
                        let after = Int(next[right])
                        next[k] = Int32(after)
                        next[right] = -1
                        if after < n { previous[after] = Int32(k) }
                        count -= 1
                        if previous[k] >= 0 { push(Int(previous[k]), k) }
                        if after < n { push(k, after) }
                    }
                    // Compact the list in place (each write is at or before its read).
                    var write = 0
                    var k = 0
                    while k < n {
                        symbols[write] = symbols[k]
                        write += 1
                        k = Int(next[k])
                    }
                    precondition(write == count)
                    return count
                }
            }
        }
        symbols.removeLast(symbols.count - remaining)
    }
}

/// A binary min-heap of merges in caller-provided memory, ordered by `key` (rank, then position).
private struct MergeHeap {
    struct Entry {
        /// `rank << 32 | position of the left symbol`.
        var key: UInt64
        /// `merged id << 32 | where the pair ended when pushed`.
        var value: UInt64
    }
    let entries: UnsafeMutablePointer<Entry>
    var count = 0

    init(_ entries: UnsafeMutablePointer<Entry>) { self.entries = entries }

    @inline(__always) mutating func push(_ entry: Entry) {
        var k = count
        count += 1
        while k > 0 {
            let parent = (k - 1) >> 1
            guard entry.key < entries[parent].key else { break }
            entries[k] = entries[parent]
            k = parent
        }
        entries[k] = entry
    }

    @inline(__always) mutating func pop() -> Entry? {
        guard count > 0 else { return nil }
        let first = entries[0]
        count -= 1
        let last = entries[count]
        var k = 0
        while true {
            var child = 2 * k + 1
            guard child < count else { break }
            if child + 1 < count && entries[child + 1].key < entries[child].key { child += 1 }
            guard entries[child].key < last.key else { break }
            entries[k] = entries[child]
            k = child
        }
        entries[k] = last
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

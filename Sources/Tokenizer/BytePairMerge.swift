import Foundation

/// Receives the tokens of a text in order, with the UTF-8 byte range each one covers.
protocol TokenSink {
    mutating func emit(_ token: UInt32, start: Int, end: Int)
    /// True once the caller needs no more tokens (count with a limit).
    var isSatisfied: Bool { get }
}

/// Pieces up to this many bytes are merged with tiktoken's own algorithm (a linear scan for the
/// lowest-ranked pair per merge: quadratic, but fastest on the short pieces that dominate text).
/// Longer pieces use a heap, so a 100 KB piece with no split point stays O(n log n). With the
/// branch-free pop and O(n) heapify the heap executes fewer instructions from 17 bytes up (measured
/// with cachegrind on the CJK part of the benchmark corpus: 6 hanzi and more).
let shortPieceLimit = 16

/// Pieces up to this many bytes are memoized per call (see `PieceCache`) and merge into `MergeScratch`.
let scratchPieceLimit = 256

/// Scratch space for one piece's parts, and the heap merge's working memory for pieces of up to
/// `scratchPieceLimit` bytes, allocated once per encode call (a temporary allocation per piece
/// went to `malloc` for most CJK pieces).
struct MergeScratch {
    let starts: UnsafeMutablePointer<UInt32>
    let pairRanks: UnsafeMutablePointer<UInt32>
    let tokens: UnsafeMutablePointer<UInt32>
    let heapMemory: UnsafeMutablePointer<UInt32>

    init(_ memory: UnsafeMutableBufferPointer<UInt32>) {
        let size = scratchPieceLimit + 1
        starts = memory.baseAddress!
        pairRanks = starts + size
        tokens = pairRanks + size
        heapMemory = starts + MergeScratch.partWords
    }

    /// The parts' three arrays, rounded up to an even number of words so that the heap merge's
    /// 64-bit entries stay 8-byte aligned.
    private static let partWords = (3 * (scratchPieceLimit + 1) + 1) & ~1
    static let capacity = partWords + Vocabulary.mergeLongWords(scratchPieceLimit)
}

/// Records the heap merge's tokens into `MergeScratch` in `mergeShort`'s layout.
private struct ScratchRecorder: TokenSink {
    let scratch: MergeScratch
    var count = 0
    init(_ scratch: MergeScratch) {
        self.scratch = scratch
        scratch.starts[0] = 0
    }
    mutating func emit(_ token: UInt32, start: Int, end: Int) {
        scratch.tokens[count] = token
        count += 1
        scratch.starts[count] = UInt32(end)
    }
    var isSatisfied: Bool { false }
}

extension Vocabulary {
    /// Encodes one piece (`length >= 1`) into `sink`; `offset` is the piece's position in the text.
    @inline(__always)
    func encodePiece<Sink: TokenSink>(
        _ piece: UnsafePointer<UInt8>, length: Int, offset: Int, scratch: MergeScratch, cache: inout PieceCache?,
        into sink: inout Sink
    ) {
        let whole = length <= maxTokenLength ? rank(piece, length) : Vocabulary.none
        if whole != Vocabulary.none {
            sink.emit(whole, start: offset, end: offset + length)
        } else if length <= scratchPieceLimit && (length <= shortPieceLimit || cache?.takes(piece, length: length) != false) {
            if cache?.emitCached(piece, length: length, offset: offset, into: &sink) == true { return }
            let partCount: Int
            if length <= shortPieceLimit {
                partCount = mergeShort(piece, length: length, scratch: scratch)
            } else {
                var recorder = ScratchRecorder(scratch)
                mergeLong(piece, length: length, offset: 0, scratch: scratch, into: &recorder)
                partCount = recorder.count
            }
            for k in 0..<partCount {
                sink.emit(scratch.tokens[k], start: offset + Int(scratch.starts[k]), end: offset + Int(scratch.starts[k + 1]))
            }
            cache?.insert(piece, length: length, partCount: partCount, scratch: scratch)
        } else {
            mergeLong(piece, length: length, offset: offset, scratch: scratch, into: &sink)
        }
    }

    /// tiktoken's `_byte_pair_merge`: repeatedly merge the leftmost adjacent pair whose concatenation
    /// has the lowest rank, until no adjacent pair is a token.
    /// Leaves the parts in `scratch` (`tokens[k]` spans `starts[k]..<starts[k + 1]`) and returns
    /// their number.
    func mergeShort(_ piece: UnsafePointer<UInt8>, length: Int, scratch: MergeScratch) -> Int {
        let starts = scratch.starts
        let pairRanks = scratch.pairRanks
        let tokens = scratch.tokens
        for k in 0..<length {
            starts[k] = UInt32(k)
            tokens[k] = rank(ofByte: piece[k])
            pairRanks[k] = k + 1 < length ? rank(piece + k, 2) : Vocabulary.none
        }
        starts[length] = UInt32(length)
        var partCount = length
        while true {
            var best = Vocabulary.none
            var bestIndex = 0
            for k in 0..<(partCount - 1) where pairRanks[k] < best {
                best = pairRanks[k]
                bestIndex = k
            }
            if best == Vocabulary.none { break }
            let i = bestIndex
            tokens[i] = best
            // Remove part i + 1 (the sentinel start at partCount moves down too).
            let tail = partCount - (i + 1)
            (starts + i + 1).update(from: starts + i + 2, count: tail)
            (tokens + i + 1).update(from: tokens + i + 2, count: tail - 1)
            (pairRanks + i + 1).update(from: pairRanks + i + 2, count: tail - 1)
            partCount -= 1
            pairRanks[i] = i + 1 < partCount ? spanRank(piece, starts[i], starts[i + 2]) : Vocabulary.none
            if i > 0 { pairRanks[i - 1] = spanRank(piece, starts[i - 1], starts[i + 1]) }
        }
        return partCount
    }

    @inline(__always) private func spanRank(_ piece: UnsafePointer<UInt8>, _ start: UInt32, _ end: UInt32) -> UInt32 {
        let length = Int(end &- start)
        return length <= maxTokenLength ? rank(piece + Int(start), length) : Vocabulary.none
    }

    /// The same merges as `mergeShort`, in O(n log n): parts form a linked list indexed by their
    /// start byte, and a min-heap holds (rank, start) pairs, so the heap's minimum is exactly
    /// tiktoken's leftmost lowest-ranked pair. Entries made stale by a merge are skipped on pop: an
    /// entry is live when its part still exists and still has that pair rank.
    func mergeLong<Sink: TokenSink>(
        _ piece: UnsafePointer<UInt8>, length: Int, offset: Int, scratch: MergeScratch? = nil, into sink: inout Sink
    ) {
        let words = Vocabulary.mergeLongWords(length)
        if let scratch, length <= scratchPieceLimit {
            mergeLong(piece, length: length, offset: offset, memory: scratch.heapMemory, into: &sink)
        } else if words <= 8192 {
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: words) { memory in
                mergeLong(piece, length: length, offset: offset, memory: memory.baseAddress!, into: &sink)
            }
        } else {
            let memory = UnsafeMutablePointer<UInt32>.allocate(capacity: words)
            defer { memory.deallocate() }
            mergeLong(piece, length: length, offset: offset, memory: memory, into: &sink)
        }
    }

    /// The working memory of `mergeLong` in `UInt32` words: per part next, previous, pair rank and
    /// token, then the heap (3 entries per byte: the initial pairs plus at most two new pairs per
    /// merge).
    static func mergeLongWords(_ length: Int) -> Int { 4 * length + 2 * 3 * length }

    private func mergeLong<Sink: TokenSink>(
        _ piece: UnsafePointer<UInt8>, length: Int, offset: Int, memory: UnsafeMutablePointer<UInt32>,
        into sink: inout Sink
    ) {
        let next = memory
        let previous = next + length
        let pairRanks = previous + length
        let tokens = pairRanks + length
        // 8-byte aligned: 4 * length words is an even number of UInt32s.
        var heap = MinHeap(storage: UnsafeMutableRawPointer(tokens + length).assumingMemoryBound(to: UInt64.self))
        // A dead part (merged into its left neighbour) is marked by `previous == dead`.
        let dead = UInt32.max - 1
        let end = UInt32(length)
        for k in 0..<length {
            next[k] = UInt32(k + 1)
            previous[k] = UInt32(truncatingIfNeeded: k - 1)
            tokens[k] = rank(ofByte: piece[k])
            pairRanks[k] = k + 1 < length ? rank(piece + k, 2) : Vocabulary.none
            if pairRanks[k] != Vocabulary.none { heap.append(UInt64(pairRanks[k]) << 32 | UInt64(k)) }
        }
        heap.heapify()
        while let entry = heap.pop() {
            let pairRank = UInt32(truncatingIfNeeded: entry >> 32)
            let p = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
            guard previous[p] != dead, pairRanks[p] == pairRank else { continue }
            let q = Int(next[p])
            let afterQ = next[q]
            tokens[p] = pairRank
            previous[q] = dead
            next[p] = afterQ
            if afterQ != end { previous[Int(afterQ)] = UInt32(p) }
            pairRanks[p] = afterQ != end ? spanRank(piece, UInt32(p), next[Int(afterQ)]) : Vocabulary.none
            if pairRanks[p] != Vocabulary.none { heap.push(UInt64(pairRanks[p]) << 32 | UInt64(p)) }
            if p > 0 {
                let before = Int(previous[p])
                pairRanks[before] = spanRank(piece, UInt32(before), afterQ)
                if pairRanks[before] != Vocabulary.none {
                    heap.push(UInt64(pairRanks[before]) << 32 | UInt64(before))
                }
            }
        }
        var p: UInt32 = 0
        while p != end {
            let following = next[Int(p)]
            sink.emit(tokens[Int(p)], start: offset + Int(p), end: offset + Int(following))
            p = following
        }
    }
}

/// A binary min-heap of `UInt64` keys (rank in the high half, position in the low half).
private struct MinHeap {
    private let storage: UnsafeMutablePointer<UInt64>
    private var count = 0

    /// Uses caller-owned storage with room for every push.
    init(storage: UnsafeMutablePointer<UInt64>) { self.storage = storage }

    mutating func push(_ value: UInt64) {
        var child = count
        count += 1
        while child > 0 {
            let parent = (child - 1) / 2
            if storage[parent] <= value { break }
            storage[child] = storage[parent]
            child = parent
        }
        storage[child] = value
    }

    /// Adds an entry without restoring the heap order; call `heapify()` before the next push or pop.
    mutating func append(_ value: UInt64) {
        storage[count] = value
        count += 1
    }

    /// Restores the heap order bottom-up in O(n) (the initial pairs: cheaper than n pushes).
    mutating func heapify() {
        var start = count / 2
        while start > 0 {
            start -= 1
            let value = storage[start]
            var parent = start
            while true {
                var child = 2 * parent + 1
                if child >= count { break }
                if child + 1 < count && storage[child + 1] < storage[child] { child += 1 }
                if value <= storage[child] { break }
                storage[parent] = storage[child]
                parent = child
            }
            storage[parent] = value
        }
    }

    /// Floyd's pop: the hole left by the minimum sinks to a leaf along the smaller children (one
    /// data-dependent select per level, no early exit, so the branch predictor is not involved), then
    /// the last entry rises from there, usually by zero or one level. On runs of equal ranks
    /// (indentation, CJK) the textbook sift-down mispredicted at almost every level.
    mutating func pop() -> UInt64? {
        guard count > 0 else { return nil }
        let top = storage[0]
        count -= 1
        let last = storage[count]
        // A sentinel where a missing right child would be read; the next push overwrites it.
        storage[count] = UInt64.max
        var hole = 0
        while true {
            let child = 2 * hole + 1
            if child >= count { break }
            let left = storage[child]
            let right = storage[child + 1]
            let smaller = right < left ? child + 1 : child
            storage[hole] = right < left ? right : left
            hole = smaller
        }
        while hole > 0 {
            let parent = (hole - 1) / 2
            if storage[parent] <= last { break }
            storage[hole] = storage[parent]
            hole = parent
        }
        storage[hole] = last
        return top
    }
}

/// A memo of merged pieces for one encode call over a large text, where the same out-of-vocabulary
/// words recur (identifiers, names, inflected words). Keys are the piece bytes, compared against
/// the piece's first occurrence in the text, so nothing is copied. Once full it stops growing.
struct PieceCache {
    private struct Slot {
        var hash: UInt64 = 0  // 0 marks an empty slot
        var pieceStart: UnsafePointer<UInt8>? = nil
        var pieceLength: Int32 = 0
        var poolStart: Int32 = 0
        var partCount: Int32 = 0
    }

    private let bits: Int
    private let capacity: Int
    private let slots: UnsafeMutablePointer<Slot>
    /// Token ids and their end offsets within the piece, for every cached piece.
    private let tokens: UnsafeMutablePointer<UInt32>
    private let ends: UnsafeMutablePointer<UInt32>
    private let poolCapacity: Int
    private var poolCount = 0
    private var slotCount = 0
    /// Lookups and hits of long pieces that end in a multi-byte character (see `takes`).
    private var foreignLookups = 0
    private var foreignHits = 0

    /// Texts shorter than this are not worth a cache (its setup costs more than it saves).
    static let minimumTextLength = 16 * 1024

    /// Sized for the text: one slot per 32 bytes (a generous bound on distinct merged pieces),
    /// between 2^10 and 2^16 slots.
    init(textLength: Int) {
        var bits = 10
        while bits < 16 && (1 << bits) * 32 < textLength { bits += 1 }
        self.bits = bits
        capacity = 1 << bits
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        poolCapacity = capacity * 8
        tokens = .allocate(capacity: poolCapacity)
        ends = .allocate(capacity: poolCapacity)
    }

    func deallocate() {
        slots.deallocate()
        tokens.deallocate()
        ends.deallocate()
    }

    @inline(__always) private static func hash(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        let hash = length >= 8 ? Vocabulary.hashLong(p, length) : Vocabulary.packShort(p, length) &* 0x9E37_79B9_7F4A_7C15
        return hash | 1
    }

    /// Whether a piece longer than `shortPieceLimit` goes through the cache. Long CJK pieces (a
    /// run of characters between punctuation) rarely recur, and for them a cache lookup and insert
    /// cost two cache misses and a hash of the piece, 15% of their merging: once 512 lookups of long
    /// pieces that end in a multi-byte character have hit less than one time in eight, such pieces
    /// skip the cache for the rest of the call. Words of other scripts that do recur keep it.
    @inline(__always) mutating func takes(_ piece: UnsafePointer<UInt8>, length: Int) -> Bool {
        guard piece[length - 1] >= 0x80 else { return true }
        if foreignLookups >= 512 && foreignHits * 8 < foreignLookups { return false }
        foreignLookups += 1
        return true
    }

    /// Emits the cached tokens of the piece and returns true, or returns false when it is not cached.
    @inline(__always)
    mutating func emitCached<Sink: TokenSink>(
        _ piece: UnsafePointer<UInt8>, length: Int, offset: Int, into sink: inout Sink
    ) -> Bool {
        let hash = PieceCache.hash(piece, length)
        var index = Int(truncatingIfNeeded: hash >> UInt64(64 - bits))
        while true {
            let slot = slots[index]
            if slot.hash == 0 { return false }
            if slot.hash == hash && Int(slot.pieceLength) == length && memcmp(slot.pieceStart!, piece, length) == 0 {
                if length > shortPieceLimit && piece[length - 1] >= 0x80 { foreignHits += 1 }
                var start = offset
                for k in Int(slot.poolStart)..<Int(slot.poolStart + slot.partCount) {
                    let end = offset + Int(ends[k])
                    sink.emit(tokens[k], start: start, end: end)
                    start = end
                }
                return true
            }
            index = (index + 1) & (capacity - 1)
        }
    }

    mutating func insert(_ piece: UnsafePointer<UInt8>, length: Int, partCount: Int, scratch: MergeScratch) {
        guard slotCount < capacity / 2, poolCount + partCount <= poolCapacity else { return }
        let hash = PieceCache.hash(piece, length)
        var index = Int(truncatingIfNeeded: hash >> UInt64(64 - bits))
        while slots[index].hash != 0 { index = (index + 1) & (capacity - 1) }
        slots[index] = Slot(
            hash: hash, pieceStart: piece, pieceLength: Int32(length), poolStart: Int32(poolCount),
            partCount: Int32(partCount))
        for k in 0..<partCount {
            tokens[poolCount + k] = scratch.tokens[k]
            ends[poolCount + k] = scratch.starts[k + 1]
        }
        poolCount += partCount
        slotCount += 1
    }
}

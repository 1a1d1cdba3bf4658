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
    static let capacity = partWords
        + max(Vocabulary.mergeLongWords(scratchPieceLimit), Vocabulary.mergeCharactersWords(scratchPieceLimit))
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
                if !mergeCharacters(piece, length: length, offset: 0, scratch: scratch, into: &recorder) {
                    mergeLong(piece, length: length, offset: 0, scratch: scratch, into: &recorder)
                }
                partCount = recorder.count
            }
            for k in 0..<partCount {
                sink.emit(scratch.tokens[k], start: offset + Int(scratch.starts[k]), end: offset + Int(scratch.starts[k + 1]))
            }
            cache?.insert(piece, length: length, partCount: partCount, scratch: scratch)
        } else if !mergeCharacters(piece, length: length, offset: offset, scratch: scratch, into: &sink) {
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

    @inline(__always) fileprivate func spanRank(_ piece: UnsafePointer<UInt8>, _ start: UInt32, _ end: UInt32) -> UInt32 {
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

/// Merging one character at a time.
///
/// Byte-pair merging of a piece of multi-byte characters (CJK, Cyrillic, Hangul) spends most of its
/// merges inside characters, and those touch nothing outside their character unless some token
/// straddles a character boundary unaligned (`Vocabulary.crossingSignature`). Without such a
/// token, a merge across a boundary joins two parts that each start and end on character
/// boundaries, and a character that does not become one token never merges with a neighbour. So
/// when no such token can occur in the piece (checked at every boundary), the heap holds whole
/// characters: each character's own merges are worked out on the spot (three table lookups for a
/// 3-byte character) and it enters the heap as one event keyed by its slowest merge, the point of
/// tiktoken's merge order at which it becomes whole (its later merges rank lower than anything
/// left in the heap, so they follow at once). From then on it merges with whole neighbours exactly
/// as parts do in `mergeLong`, with the same (rank, position) keys, so ties break the same way.
/// The result is `mergeLong`'s (tested against it and against tiktoken) with far fewer heap
/// operations.
extension Vocabulary {
    fileprivate static let incomplete: UInt32 = 0
    fileprivate static let complete: UInt32 = 1
    fileprivate static let merged: UInt32 = 2

    /// The working memory of `mergeCharacters` in `UInt32` words: per byte position next, previous,
    /// pair rank, token and state (and a word of padding), then the heap: at most one event and
    /// one initial pair per character, and two pairs per completion or merge.
    static func mergeCharactersWords(_ length: Int) -> Int { 6 * length + 2 * 6 * length }

    /// tiktoken's merges inside one character of 2...4 bytes: its parts (token and end offset) and
    /// the key (rank, offset) of its slowest merge.
    func characterParts(_ p: UnsafePointer<UInt8>, _ size: Int) -> (
        tokens: SIMD4<UInt32>, ends: SIMD4<UInt32>, count: Int, slowest: UInt64
    ) {
        var starts = SIMD4<UInt32>(0, 1, 2, 3)
        var count = size
        var slowest: UInt64 = 0
        while count > 1 {
            var best = Vocabulary.none
            var bestIndex = 0
            for k in 0..<(count - 1) {
                let start = Int(starts[k])
                let end = k + 2 < count ? Int(starts[k + 2]) : size
                let candidate = rank(p + start, end - start)
                if candidate < best {
                    best = candidate
                    bestIndex = k
                }
            }
            if best == Vocabulary.none { break }
            slowest = max(slowest, UInt64(best) << 32 | UInt64(starts[bestIndex]))
            for k in (bestIndex + 1)..<(count - 1) { starts[k] = starts[k + 1] }
            count -= 1
        }
        var tokens = SIMD4<UInt32>(repeating: Vocabulary.none)
        var ends = SIMD4<UInt32>(repeating: 0)
        for k in 0..<count {
            let start = Int(starts[k])
            ends[k] = k + 1 < count ? starts[k + 1] : UInt32(size)
            tokens[k] = rank(p + start, Int(ends[k]) - start)
        }
        return (tokens, ends, count, slowest)
    }

    /// The token a character of 2...4 bytes becomes (or `Vocabulary.none` when it stays in several
    /// parts) and the key of its slowest merge; the 2- and 3-byte cases without a loop.
    @inline(__always) func characterMerges(_ p: UnsafePointer<UInt8>, _ size: Int) -> (token: UInt32, slowest: UInt64) {
        switch size {
        case 2:
            let token = rank(p, 2)
            return (token, UInt64(token) << 32)
        case 3:
            let whole = rank(p, 3)
            guard whole != Vocabulary.none else { return (Vocabulary.none, 0) }
            let left = rank(p, 2)
            let right = rank(p + 1, 2)
            let first: UInt64
            if left != Vocabulary.none && left <= right {
                first = UInt64(left) << 32
            } else if right != Vocabulary.none {
                first = UInt64(right) << 32 | 1
            } else {
                return (Vocabulary.none, 0)
            }
            return (whole, max(first, UInt64(whole) << 32))
        default:
            let parts = characterParts(p, size)
            return (parts.count == 1 ? parts.tokens[0] : Vocabulary.none, parts.slowest)
        }
    }

    /// Merges a piece one character at a time (see above). Returns false, having emitted nothing,
    /// when the piece is ASCII (nothing to gain), not valid UTF-8, or may hold a token that
    /// straddles a character boundary unaligned; the caller then merges bytes with `mergeLong`.
    func mergeCharacters<Sink: TokenSink>(
        _ piece: UnsafePointer<UInt8>, length: Int, offset: Int, scratch: MergeScratch, into sink: inout Sink
    ) -> Bool {
        guard piece[length - 1] >= 0x80 || piece[0] >= 0x80 || Vocabulary.containsNonASCII(piece, length) else {
            return false
        }
        if length <= scratchPieceLimit {
            return mergeCharacters(piece, length: length, offset: offset, memory: scratch.heapMemory, into: &sink)
        }
        let memory = UnsafeMutablePointer<UInt32>.allocate(capacity: Vocabulary.mergeCharactersWords(length))
        defer { memory.deallocate() }
        return mergeCharacters(piece, length: length, offset: offset, memory: memory, into: &sink)
    }

    /// True when some byte of `p[0..<length]` is 0x80 or more.
    @inline(__always) static func containsNonASCII(_ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        var k = 0
        var bits: UInt64 = 0
        while k + 8 <= length {
            bits |= load64(p + k)
            k += 8
        }
        while k < length {
            bits |= UInt64(p[k])
            k += 1
        }
        return bits & 0x8080_8080_8080_8080 != 0
    }

    private func mergeCharacters<Sink: TokenSink>(
        _ piece: UnsafePointer<UInt8>, length: Int, offset: Int, memory: UnsafeMutablePointer<UInt32>,
        into sink: inout Sink
    ) -> Bool {
        let units = CharacterUnits(memory: memory, length: length)
        var heap = MinHeap(storage: UnsafeMutableRawPointer(memory + 6 * length).assumingMemoryBound(to: UInt64.self))
        // Characters: their own merges, and whether a straddling token may occur at their start.
        var p = 0
        var last = -1
        while p < length {
            let lead = piece[p]
            var size = 1
            if lead >= 0x80 {
                guard let sequence = UTF8Sequence.decode(piece + p, available: length - p) else { return false }
                size = sequence.length
            }
            if p > 0 && (lead >= 0x80 || piece[p - 1] >= 0x80) && mayCrossBoundary(at: piece + p, available: length - p) {
                return false
            }
            units.next[p] = UInt32(p + size)
            units.previous[p] = UInt32(truncatingIfNeeded: last)
            units.pairRanks[p] = Vocabulary.none
            if size == 1 {
                units.tokens[p] = rank(ofByte: lead)
                units.state[p] = Vocabulary.complete
            } else {
                let merges = characterMerges(piece + p, size)
                units.tokens[p] = merges.token
                units.state[p] = Vocabulary.incomplete
                if merges.token != Vocabulary.none {
                    // An event: (rank, position of the slowest merge), tagged by the low bit.
                    let position = UInt64(p) + merges.slowest & 0xFFFF_FFFF
                    heap.append((merges.slowest >> 32) << 32 | position << 1 | 1)
                }
            }
            last = p
            p += size
        }
        // Pairs of neighbours that are whole from the start (single bytes).
        p = 0
        while p < length {
            let following = Int(units.next[p])
            if following < length && units.state[p] == Vocabulary.complete && units.state[following] == Vocabulary.complete {
                let pairRank = spanRank(piece, UInt32(p), units.next[following])
                units.pairRanks[p] = pairRank
                if pairRank != Vocabulary.none { heap.append(UInt64(pairRank) << 32 | UInt64(p) << 1) }
            }
            p = following
        }
        heap.heapify()
        while let entry = heap.pop() {
            let rank = UInt32(truncatingIfNeeded: entry >> 32)
            let position = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) >> 1
            if entry & 1 == 1 {
                // A character becomes whole: back up from its slowest merge to its lead byte.
                var character = position
                while piece[character] & 0xC0 == 0x80 { character -= 1 }
                units.state[character] = Vocabulary.complete
                pairUp(units, character, Int(units.next[character]), piece, &heap)
                if character > 0 {
                    let before = Int(units.previous[character])
                    if units.state[before] == Vocabulary.complete { pairUp(units, before, character, piece, &heap) }
                }
                continue
            }
            let p = position
            guard units.state[p] == Vocabulary.complete, units.pairRanks[p] == rank else { continue }
            let q = Int(units.next[p])
            let afterQ = Int(units.next[q])
            units.tokens[p] = rank
            units.state[q] = Vocabulary.merged
            units.next[p] = UInt32(afterQ)
            if afterQ < length { units.previous[afterQ] = UInt32(p) }
            pairUp(units, p, afterQ, piece, &heap)
            if p > 0 {
                let before = Int(units.previous[p])
                if units.state[before] == Vocabulary.complete { pairUp(units, before, p, piece, &heap) }
            }
        }
        p = 0
        while p < length {
            let following = Int(units.next[p])
            if units.state[p] == Vocabulary.complete {
                sink.emit(units.tokens[p], start: offset + p, end: offset + following)
            } else {
                let parts = characterParts(piece + p, following - p)
                var start = offset + p
                for k in 0..<parts.count {
                    let end = offset + p + Int(parts.ends[k])
                    sink.emit(parts.tokens[k], start: start, end: end)
                    start = end
                }
            }
            p = following
        }
        return true
    }

    /// Gives whole unit `left` its pair rank with `right` and a heap entry when that is a token;
    /// none when `right` is the end or not whole yet.
    @inline(__always) fileprivate func pairUp(
        _ units: CharacterUnits, _ left: Int, _ right: Int, _ piece: UnsafePointer<UInt8>, _ heap: inout MinHeap
    ) {
        if right < units.length && units.state[right] == Vocabulary.complete {
            let pairRank = spanRank(piece, UInt32(left), units.next[right])
            units.pairRanks[left] = pairRank
            if pairRank != Vocabulary.none { heap.push(UInt64(pairRank) << 32 | UInt64(left) << 1) }
        } else {
            units.pairRanks[left] = Vocabulary.none
        }
    }
}

/// The per-position arrays of `mergeCharacters`, indexed by the byte where a unit (a character,
/// or whole characters merged) starts.
fileprivate struct CharacterUnits {
    let next: UnsafeMutablePointer<UInt32>
    let previous: UnsafeMutablePointer<UInt32>
    let pairRanks: UnsafeMutablePointer<UInt32>
    let tokens: UnsafeMutablePointer<UInt32>
    let state: UnsafeMutablePointer<UInt32>
    let length: Int

    init(memory: UnsafeMutablePointer<UInt32>, length: Int) {
        next = memory
        previous = memory + length
        pairRanks = memory + 2 * length
        tokens = memory + 3 * length
        state = memory + 4 * length
        self.length = length
    }
}

/// A binary min-heap of `UInt64` keys (rank in the high half, position in the low half).
fileprivate struct MinHeap {
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

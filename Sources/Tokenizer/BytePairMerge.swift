/// Receives the tokens of a text in order, with the UTF-8 byte range each one covers.
protocol TokenSink {
    mutating func emit(_ token: UInt32, start: Int, end: Int)
    /// True once the caller needs no more tokens (count with a limit).
    var isSatisfied: Bool { get }
}

/// Pieces up to this many bytes are merged with tiktoken's own algorithm (a linear scan for the
/// lowest-ranked pair per merge: quadratic, but fastest on the short pieces that dominate text).
/// Longer pieces use a heap, so a 100 KB piece with no split point stays O(n log n).
let shortPieceLimit = 128

/// Scratch space for short pieces, allocated once per encode call.
struct MergeScratch {
    let starts: UnsafeMutablePointer<UInt32>
    let pairRanks: UnsafeMutablePointer<UInt32>
    let tokens: UnsafeMutablePointer<UInt32>

    init(_ memory: UnsafeMutableBufferPointer<UInt32>) {
        let size = shortPieceLimit + 1
        starts = memory.baseAddress!
        pairRanks = starts + size
        tokens = pairRanks + size
    }

    static let capacity = 3 * (shortPieceLimit + 1)
}

extension Vocabulary {
    /// Encodes one piece (`length >= 1`) into `sink`; `offset` is the piece's position in the text.
    @inline(__always)
    func encodePiece<Sink: TokenSink>(
        _ piece: UnsafePointer<UInt8>, length: Int, offset: Int, scratch: MergeScratch, into sink: inout Sink
    ) {
        let whole = length <= maxTokenLength ? rank(piece, length) : Vocabulary.none
        if whole != Vocabulary.none {
            sink.emit(whole, start: offset, end: offset + length)
        } else if length <= shortPieceLimit {
            mergeShort(piece, length: length, offset: offset, scratch: scratch, into: &sink)
        } else {
            mergeLong(piece, length: length, offset: offset, into: &sink)
        }
    }

    /// tiktoken's `_byte_pair_merge`: repeatedly merge the leftmost adjacent pair whose concatenation
    /// has the lowest rank, until no adjacent pair is a token.
    func mergeShort<Sink: TokenSink>(
        _ piece: UnsafePointer<UInt8>, length: Int, offset: Int, scratch: MergeScratch, into sink: inout Sink
    ) {
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
        for k in 0..<partCount {
            sink.emit(tokens[k], start: offset + Int(starts[k]), end: offset + Int(starts[k + 1]))
        }
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
        _ piece: UnsafePointer<UInt8>, length: Int, offset: Int, into sink: inout Sink
    ) {
        let next = UnsafeMutablePointer<UInt32>.allocate(capacity: length)
        let previous = UnsafeMutablePointer<UInt32>.allocate(capacity: length)
        let pairRanks = UnsafeMutablePointer<UInt32>.allocate(capacity: length)
        let tokens = UnsafeMutablePointer<UInt32>.allocate(capacity: length)
        let alive = UnsafeMutablePointer<Bool>.allocate(capacity: length)
        var heap = MinHeap(capacity: 3 * length)
        defer {
            next.deallocate()
            previous.deallocate()
            pairRanks.deallocate()
            tokens.deallocate()
            alive.deallocate()
            heap.deallocate()
        }
        let end = UInt32(length)
        for k in 0..<length {
            next[k] = UInt32(k + 1)
            previous[k] = UInt32(bitPattern: Int32(k - 1))
            tokens[k] = rank(ofByte: piece[k])
            alive[k] = true
            pairRanks[k] = k + 1 < length ? rank(piece + k, 2) : Vocabulary.none
            if pairRanks[k] != Vocabulary.none { heap.push(UInt64(pairRanks[k]) << 32 | UInt64(k)) }
        }
        while let entry = heap.pop() {
            let pairRank = UInt32(truncatingIfNeeded: entry >> 32)
            let p = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
            guard alive[p], pairRanks[p] == pairRank else { continue }
            let q = Int(next[p])
            let afterQ = next[q]
            tokens[p] = pairRank
            alive[q] = false
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

    init(capacity: Int) { storage = .allocate(capacity: max(capacity, 1)) }

    func deallocate() { storage.deallocate() }

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

    mutating func pop() -> UInt64? {
        guard count > 0 else { return nil }
        let top = storage[0]
        count -= 1
        let last = storage[count]
        var parent = 0
        while true {
            var child = 2 * parent + 1
            if child >= count { break }
            if child + 1 < count && storage[child + 1] < storage[child] { child += 1 }
            if last <= storage[child] { break }
            storage[parent] = storage[child]
            parent = child
        }
        storage[parent] = last
        return top
    }
}

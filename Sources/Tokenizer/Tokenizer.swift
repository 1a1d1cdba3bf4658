// Tokenizer: exact byte-pair encodings (`o200k_base`, `cl100k_base`) identical to tiktoken's
// `encode_ordinary`, with hand-written pre-tokenizers, embedded vocabularies and count-only fast paths.
import CEmbeddedData
import PromptText

/// The OpenAI encodings tokenmin implements, named as tiktoken names them.
public enum EncodingName: String, CaseIterable, Sendable {
    /// GPT-4o, GPT-4.1, GPT-5 and the o-series.
    case o200kBase = "o200k_base"
    /// GPT-4 and GPT-3.5.
    case cl100kBase = "cl100k_base"
}

/// A byte-pair encoding whose token ids are identical to tiktoken's `encode_ordinary`: text that
/// looks like a special token (`<|endoftext|>`) is ordinary text.
///
/// Instances are process-wide singletons from `named(_:)`, loaded on first use from vocabularies
/// embedded in the binary (pointer casts: the lookup tables are embedded ready to use) and immutable afterwards, so they are safe to share
/// across threads. Every method is a pure function of its arguments.
///
/// Offsets are UTF-8 byte offsets. Inputs given as bytes need not be valid UTF-8: an invalid byte
/// is treated as a punctuation character of its own, so decoding the tokens still returns the input.
public final class BPEEncoding: Sendable {
    /// Which encoding this is.
    public let name: EncodingName
    private let vocabulary: Vocabulary
    /// Tokens of runs of one repeated byte (indentation, blank-line runs, `----`, `====`) by byte and
    /// length: a run's merges depend on nothing else, and long runs are the slowest pieces to merge.
    private let uniformRuns = Locked<[Int: [UInt32]]>([:])
    private static let maximumUniformRuns = 4096
    private let classes: UnicodeClassTable

    private init(name: EncodingName, blob: tm_blob, tables: tm_blob) {
        self.name = name
        vocabulary = Vocabulary(blob: blob, tables: tables)
        classes = .embedded
    }

    // Static stored properties are initialized lazily and exactly once, thread-safely.
    private static let o200kBase = BPEEncoding(name: .o200kBase, blob: tm_vocab_o200k_base(), tables: tm_tables_o200k_base())
    private static let cl100kBase = BPEEncoding(name: .cl100kBase, blob: tm_vocab_cl100k_base(), tables: tm_tables_cl100k_base())

    /// The shared instance of an encoding, loading its vocabulary on first use.
    public static func named(_ name: EncodingName) -> BPEEncoding {
        switch name {
        case .o200kBase: o200kBase
        case .cl100kBase: cl100kBase
        }
    }

    /// Number of ordinary tokens (ids `0..<vocabularySize`); special tokens are not included.
    public var vocabularySize: Int { vocabulary.tokenCount }

    // MARK: Encoding

    /// The token ids of `text`.
    public func encode(_ text: String) -> [UInt32] {
        withUTF8(text) { encode(utf8: $0) }
    }

    /// The token ids of UTF-8 bytes.
    public func encode(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [UInt32] {
        var sink = TokenArray()
        sink.tokens.reserveCapacity(bytes.count / 3 + 16)
        run(bytes, into: &sink)
        return sink.tokens
    }

    /// The number of tokens in `text`, without building the token array.
    public func count(_ text: String) -> Int {
        withUTF8(text) { count(utf8: $0) }
    }

    /// The number of tokens in UTF-8 bytes.
    public func count(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var sink = TokenCounter(limit: Int.max)
        run(bytes, into: &sink)
        return sink.count
    }

    /// The number of tokens in `text` if it is at most `limit`; otherwise exactly `limit + 1`,
    /// computed by stopping early (for budgets: "is this over N tokens?" costs O(N), not O(text)).
    public func count(_ text: String, upTo limit: Int) -> Int {
        withUTF8(text) { count(utf8: $0, upTo: limit) }
    }

    /// `count(_:upTo:)` over UTF-8 bytes.
    public func count(utf8 bytes: UnsafeBufferPointer<UInt8>, upTo limit: Int) -> Int {
        let limit = max(limit, 0)
        var sink = TokenCounter(limit: limit)
        run(bytes, into: &sink)
        return min(sink.count, limit + 1)
    }

    /// The UTF-8 byte range each token of `text` covers, in order (for an editor's token view). The
    /// ranges are adjacent and cover the text; a token may end inside a multi-byte character.
    public func tokenRanges(_ text: String) -> [Range<Int>] {
        withUTF8(text) { tokenRanges(utf8: $0) }
    }

    /// `tokenRanges(_:)` over UTF-8 bytes.
    public func tokenRanges(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var sink = TokenRangeList()
        run(bytes, into: &sink)
        return sink.ranges
    }

    // MARK: Decoding

    /// The bytes of `tokens` concatenated. Ids outside the vocabulary (including special-token ids)
    /// contribute nothing; check `vocabularySize` first when that matters.
    public func decode(_ tokens: [UInt32]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tokens.count * 4)
        for token in tokens {
            if let tokenBytes = vocabulary.bytes(of: token) { bytes.append(contentsOf: tokenBytes) }
        }
        return bytes
    }

    /// The bytes of one token, or nil for an id outside the vocabulary.
    public func bytes(ofToken token: UInt32) -> [UInt8]? {
        vocabulary.bytes(of: token).map(Array.init)
    }

    /// The id of the token whose bytes are exactly `bytes`, if there is one (for tests and tools).
    package func rank(of bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
        let rank = vocabulary.rank(base, bytes.count)
        return rank == Vocabulary.none ? nil : rank
    }

    /// The vocabulary, for white-box tests of the merge algorithms.
    var vocabularyForTesting: Vocabulary { vocabulary }

    // MARK: Core

    private func withUTF8<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }

    private func run<Sink: TokenSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        switch name {
        case .o200kBase:
            run(bytes, splitter: O200kPreTokenizer(text: bytes, classes: classes), into: &sink)
        case .cl100kBase:
            run(bytes, splitter: Cl100kPreTokenizer(text: bytes, classes: classes), into: &sink)
        }
    }

    private func run<Splitter: PreTokenizer, Sink: TokenSink>(
        _ bytes: UnsafeBufferPointer<UInt8>, splitter: Splitter, into sink: inout Sink
    ) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: MergeScratch.capacity) { memory in
            let scratch = MergeScratch(memory)
            var cache = bytes.count >= PieceCache.minimumTextLength ? PieceCache(textLength: bytes.count) : nil
            defer { cache?.deallocate() }
            var start = 0
            while start < bytes.count && !sink.isSatisfied {
                let end = splitter.pieceEnd(from: start)
                if end - start > shortPieceLimit, isUniform(base + start, end - start) {
                    var offset = start
                    for token in uniformRunTokens(base + start, length: end - start, scratch: scratch) {
                        let next = offset + vocabulary.length(of: token)
                        sink.emit(token, start: offset, end: next)
                        offset = next
                        if sink.isSatisfied { break }
                    }
                } else {
                    vocabulary.encodePiece(
                        base + start, length: end - start, offset: start, scratch: scratch, cache: &cache, into: &sink)
                }
                start = end
            }
        }
    }
}

extension BPEEncoding {
    /// Empties the memo of repeated-byte runs (benchmarks measure cold, single-pass throughput).
    package func forgetRuns() {
        uniformRuns.withLock { $0.removeAll() }
    }

    private func isUniform(_ piece: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        let first = piece[0]
        guard piece[length - 1] == first else { return false }
        for k in 1..<length where piece[k] != first { return false }
        return true
    }

    /// The tokens of a run of `length` copies of `piece[0]`, merged once and then remembered.
    private func uniformRunTokens(_ piece: UnsafePointer<UInt8>, length: Int, scratch: MergeScratch) -> [UInt32] {
        let key = Int(piece[0]) << 40 | length
        if let tokens = uniformRuns.withLock({ $0[key] }) { return tokens }
        var sink = TokenArray()
        var noCache: PieceCache?
        vocabulary.encodePiece(piece, length: length, offset: 0, scratch: scratch, cache: &noCache, into: &sink)
        uniformRuns.withLock { runs in
            if runs.count >= Self.maximumUniformRuns { runs.removeAll(keepingCapacity: true) }
            runs[key] = sink.tokens
        }
        return sink.tokens
    }
}

private struct TokenArray: TokenSink {
    var tokens: [UInt32] = []
    @inline(__always) mutating func emit(_ token: UInt32, start: Int, end: Int) { tokens.append(token) }
    var isSatisfied: Bool { false }
}

private struct TokenCounter: TokenSink {
    var count = 0
    let limit: Int
    @inline(__always) mutating func emit(_ token: UInt32, start: Int, end: Int) { count += 1 }
    var isSatisfied: Bool { count > limit }
}

private struct TokenRangeList: TokenSink {
    var ranges: [Range<Int>] = []
    @inline(__always) mutating func emit(_ token: UInt32, start: Int, end: Int) { ranges.append(start..<end) }
    var isSatisfied: Bool { false }
}

extension BPEEncoding {
    /// An encoding's embedded `TMBT` lookup tables, and the same tables built from its `TMBP`
    /// vocabulary by `Vocabulary.buildTables` (owned by the caller): a test holds the generator's
    /// tables to the Swift hash functions byte for byte.
    static func embeddedAndBuiltTables(_ name: EncodingName) -> (embedded: UnsafeRawBufferPointer, built: UnsafeMutableRawBufferPointer) {
        let (vocabulary, tables) = switch name {
        case .o200kBase: (tm_vocab_o200k_base(), tm_tables_o200k_base())
        case .cl100kBase: (tm_vocab_cl100k_base(), tm_tables_cl100k_base())
        }
        return (UnsafeRawBufferPointer(start: tables.bytes, count: tables.count), Vocabulary.buildTables(vocabulary))
    }
}

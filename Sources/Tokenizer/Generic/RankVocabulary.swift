import CEmbeddedData

/// A tiktoken-style vocabulary (tokens by rank, merged by the rank of the merged bytes) on the same
/// `Vocabulary` and merge code as the OpenAI encodings, for Tekken and user `.tiktoken` files.
struct RankVocabulary: @unchecked Sendable {
    // @unchecked: `Vocabulary` is read-only after init (see its comment).
    let vocabulary: Vocabulary

    init(blob: tm_blob) {
        // Files read at run time have no generated lookup tables: they are built here, once per
        // loaded tokenizer (which is cached), and live as long as the process like the blob.
        let tables = Vocabulary.buildTables(blob)
        vocabulary = Vocabulary(
            blob: blob,
            tables: tm_blob(bytes: UnsafePointer(tables.baseAddress!.assumingMemoryBound(to: UInt8.self)), count: tables.count))
    }

    /// Builds the vocabulary from tokens in rank order (rank = index). The memory lives as long as
    /// the process, like the embedded vocabularies (loaded tokenizers are cached).
    static func make(tokens: [[UInt8]], file: String) throws(TokenizerFileError) -> RankVocabulary {
        var present = [Bool](repeating: false, count: 256)
        var size = 12
        for token in tokens {
            guard !token.isEmpty, token.count <= 255 else {
                throw TokenizerFileError(path: file, message: "a token of \(token.count) bytes (1 to 255 are supported)")
            }
            if token.count == 1 { present[Int(token[0])] = true }
            size += 1 + token.count
        }
        if let missing = present.firstIndex(of: false) {
            throw TokenizerFileError(
                path: file, message: "the vocabulary has no token for the byte 0x\(String(missing, radix: 16)) (not a byte-level BPE)")
        }
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        var header: [UInt8] = Array("TMBP".utf8) + [1, 0, 0, 0]
        withUnsafeBytes(of: UInt32(tokens.count).littleEndian) { header += $0 }
        memory.update(from: header, count: 12)
        var offset = 12
        for token in tokens {
            memory[offset] = UInt8(token.count)
            (memory + offset + 1).update(from: token, count: token.count)
            offset += 1 + token.count
        }
        return RankVocabulary(blob: tm_blob(bytes: UnsafePointer(memory), count: size))
    }

    /// Encodes `bytes` split by `TekkenPreTokenizer`, the way `BPEEncoding` runs its encodings
    /// (per-call piece memo for long texts included).
    func encodeTekken(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (UInt32) -> Void) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let splitter = TekkenPreTokenizer(text: bytes, classes: .embedded)
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: MergeScratch.capacity) { memory in
            let scratch = MergeScratch(memory)
            var cache = bytes.count >= PieceCache.minimumTextLength ? PieceCache(textLength: bytes.count) : nil
            defer { cache?.deallocate() }
            withoutActuallyEscaping(emit) { emit in
                var sink = EmittingSink(emit: emit)
                var start = 0
                while start < bytes.count {
                    let end = splitter.pieceEnd(from: start)
                    vocabulary.encodePiece(base + start, length: end - start, offset: start, scratch: scratch, cache: &cache, into: &sink)
                    start = end
                }
            }
        }
    }

    /// Runs `body` with a function that encodes one piece, reusing one scratch area.
    func withEncoder(_ body: ((UnsafeBufferPointer<UInt8>, (UInt32) -> Void) -> Void) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: MergeScratch.capacity) { memory in
            let scratch = MergeScratch(memory)
            var sink = CollectingSink()
            body { piece, emit in
                var noCache: PieceCache? = nil
                sink.tokens.removeAll(keepingCapacity: true)
                vocabulary.encodePiece(
                    piece.baseAddress!, length: piece.count, offset: 0, scratch: scratch, cache: &noCache, into: &sink)
                for token in sink.tokens { emit(token) }
            }
        }
    }
}

private struct CollectingSink: TokenSink {
    var tokens: [UInt32] = []
    @inline(__always) mutating func emit(_ token: UInt32, start: Int, end: Int) { tokens.append(token) }
    var isSatisfied: Bool { false }
}

private struct EmittingSink: TokenSink {
    let emit: (UInt32) -> Void
    @inline(__always) mutating func emit(_ token: UInt32, start: Int, end: Int) { emit(token) }
    var isSatisfied: Bool { false }
}

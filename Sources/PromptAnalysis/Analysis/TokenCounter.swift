import PromptText
import Tokenizer

/// Counts tokens of prompt text with an encoding, re-tokenizing only what changed.
///
/// Text is cut into chunks at line starts that are pre-tokenizer boundaries in both encodings (a line
/// break followed by a character that is neither white space nor `/`: no tiktoken pattern continues a
/// piece across such a point), so the count of the text is the sum of the counts of its chunks. Chunk
/// counts are cached by content: after a one-line edit in a 2,000-line prompt only the chunk holding
/// that line is tokenized again. A test checks chunked and whole counts agree on random and real text.
public final class TokenCounter: Sendable {
    public let encoding: BPEEncoding
    /// A non-OpenAI tokenizer that counts instead of `encoding`.
    public let tokenizer: GenericTokenizer?
    private let cache = Locked<[TextKey: Int]>([:])
    /// Chunks are at least this long (bytes) before a boundary is taken.
    static let chunkBytes = 1024
    /// The cache is dropped when it holds this many chunks (a bounded memory, not an LRU).
    static let maximumCachedChunks = 50_000

    public init(encoding: BPEEncoding) {
        self.encoding = encoding
        tokenizer = nil
    }

    /// Counts with `tokenizer`; text is cut into chunks only when the tokenizer's pre-tokenizer is
    /// known to split at the same line starts (the bundled ones), otherwise whole texts are cached.
    public init(tokenizer: GenericTokenizer) {
        encoding = .named(.o200kBase)
        self.tokenizer = tokenizer
    }

    private func countChunk(_ text: String) -> Int {
        if let tokenizer { return tokenizer.count(text) }
        return encoding.count(text)
    }

    public convenience init(_ name: EncodingName) { self.init(encoding: .named(name)) }

    public func count(_ text: String) -> Int {
        var total = 0
        for chunk in chunks(of: text) {
            let key = TextKey(chunk)
            if let cached = cache.withLock({ $0[key] }) {
                total += cached
                continue
            }
            let counted = countChunk(String(chunk))
            cache.withLock { cache in
                if cache.count >= Self.maximumCachedChunks { cache.removeAll(keepingCapacity: true) }
                cache[key.owned()] = counted
            }
            total += counted
        }
        return total
    }

    /// Splits `text` at safe boundaries into chunks of at least `chunkBytes` bytes.
    func chunks(of text: String) -> [Substring] {
        var text = text
        guard text.utf8.count > Self.chunkBytes, tokenizer?.splitsAtLineStarts ?? true else { return [text[...]] }
        // Boundaries are after a line feed (ASCII), so each chunk is valid UTF-8 on its own.
        var boundaries: [Int] = [0]
        text.withUTF8 { bytes in
            var index = Self.chunkBytes
            while index < bytes.count {
                if bytes[index - 1] == 0x0A, !isWhitespaceOrSlash(bytes[index]) {
                    boundaries.append(index)
                    index += Self.chunkBytes
                    continue
                }
                index += 1
            }
            boundaries.append(bytes.count)
        }
        let utf8 = text.utf8
        return zip(boundaries, boundaries.dropFirst()).map { start, end in
            Substring(utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)])
        }
    }

    /// Bytes after which a line start is not a safe boundary: white space (a whitespace run may join
    /// the line break), `/` (o200k's punctuation pattern eats `[\r\n/]*`), and UTF-8 lead bytes of
    /// non-ASCII white space (U+0085, U+00A0, U+1680, U+2000…, U+3000) are treated as unsafe too.
    private func isWhitespaceOrSlash(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x2F, 0xC2, 0xE1, 0xE2, 0xE3: return true
        default: return false
        }
    }
}

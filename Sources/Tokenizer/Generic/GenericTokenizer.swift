import CEmbeddedData
import Foundation
import JSONRPC
import PromptText

/// Why a tokenizer file cannot be used; the message names the file.
public struct TokenizerFileError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file as the user named it.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A tokenizer read from a file (or bundled), exact against the file format's own reference:
/// Hugging Face `tokenizer.json` byte-level (or byte-fallback) BPE like `tokenizers`'
/// `encode(text, add_special_tokens=False).ids`; tiktoken rank files (`.tiktoken`, Llama 3's
/// `tokenizer.model`) and Mistral's `tekken_*.json` like tiktoken's `encode_ordinary` (Tekken ids
/// offset by its special-token count, like mistral-common's `encode(text, bos=False, eos=False)`).
///
/// Instances are immutable after loading and safe to share across threads.
public final class GenericTokenizer: Sendable, Hashable {
    /// A display name (the bundled encoding's name, or the file name).
    public let name: String
    /// Whether every line start after a line feed that is followed by a character other than white
    /// space or `/` is a pre-token boundary (true for the bundled tokenizers, whose patterns were
    /// checked for it, like the OpenAI ones): counts of such chunks then add up. Unknown files: false.
    public internal(set) var splitsAtLineStarts: Bool {
        get { lineStartSplits.withLock { $0 } }
        set { lineStartSplits.withLock { $0 = newValue } }
    }
    private let lineStartSplits = Locked(false)

    public static func == (left: GenericTokenizer, right: GenericTokenizer) -> Bool { left === right }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
    /// What the file is, for messages ("tokenizer.json BPE", "tiktoken ranks", "Tekken").
    public let formatDescription: String
    private let rawAddedTokens: AddedTokenMatcher
    private let normalizedAddedTokens: AddedTokenMatcher
    private let normalizer: TextNormalizer?
    private let preTokenizers: PreTokenizerChain
    let model: Model
    /// Whether `TekkenPreTokenizer` replaces the regex (see `init`).
    private let fastTekken: Bool

    enum Model: Sendable {
        case pairMerges(PairMergeModel)
        case ranks(RankVocabulary, idOffset: UInt32)
    }

    init(
        name: String, formatDescription: String, rawAddedTokens: [AddedToken], normalizedAddedTokens: [AddedToken],
        normalizer: TextNormalizer?, preTokenizers: [PreTokenizerStep], model: Model
    ) {
        self.name = name
        self.formatDescription = formatDescription
        self.rawAddedTokens = AddedTokenMatcher(rawAddedTokens)
        self.normalizedAddedTokens = AddedTokenMatcher(normalizedAddedTokens)
        self.normalizer = normalizer
        self.preTokenizers = PreTokenizerChain(steps: preTokenizers)
        self.model = model
        // Tekken's exact pattern alone, no added tokens or normalizer: the hand-written scanner.
        if case .ranks = model, rawAddedTokens.isEmpty, normalizedAddedTokens.isEmpty, normalizer == nil,
            preTokenizers.count == 1, case .split(let regex, .isolated, false) = preTokenizers[0],
            regex.source == TekkenPreTokenizer.pattern
        {
            fastTekken = true
        } else {
            fastTekken = false
        }
    }

    /// Whether a hand-written scanner replaces the split regex (Tekken's or DeepSeek's patterns).
    var hasHandWrittenPreTokenizer: Bool { fastTekken || preTokenizers.startsWithDeepSeekSplits }

    // MARK: Encoding

    /// The token ids of `text`.
    public func encode(_ text: String) -> [UInt32] {
        var tokens: [UInt32] = []
        tokens.reserveCapacity(text.utf8.count / 3 + 8)
        withUTF8(text) { run($0) { tokens.append($0) } }
        return tokens
    }

    /// The token ids of UTF-8 bytes (invalid sequences are read one byte at a time).
    public func encode(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [UInt32] {
        var tokens: [UInt32] = []
        run(bytes) { tokens.append($0) }
        return tokens
    }

    /// The number of tokens of `text`.
    public func count(_ text: String) -> Int {
        var count = 0
        withUTF8(text) { run($0) { _ in count += 1 } }
        return count
    }

    /// The number of tokens of UTF-8 bytes.
    public func count(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        run(bytes) { _ in count += 1 }
        return count
    }

    private func withUTF8<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }

    private func run(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (UInt32) -> Void) {
        guard bytes.count > 0 else { return }
        switch model {
        case .pairMerges(let bpe):
            bpe.merges.withLookup { lookup in
                var symbols: [UInt32] = []
                symbols.reserveCapacity(64)
                if bytes.count < 4096 {
                    pipeline(bytes, token: emit) { piece in bpe.encode(piece, lookup: lookup, symbols: &symbols, emit: emit) }
                } else {
                    var memo = PieceMemo()
                    pipeline(bytes, token: emit) { piece in
                        bpe.encode(piece, lookup: lookup, symbols: &symbols, memo: &memo, emit: emit)
                    }
                }
            }
        case .ranks(let ranks, let idOffset) where fastTekken:
            ranks.encodeTekken(bytes) { emit($0 &+ idOffset) }
        case .ranks(let ranks, let idOffset):
            withoutActuallyEscaping(emit) { emit in
                ranks.withEncoder { encode in
                    pipeline(bytes, token: emit) { piece in encode(piece) { emit($0 &+ idOffset) } }
                }
            }
        }
    }

    /// Added tokens, normalization and pre-tokenization: `piece` receives each pre-token, `token`
    /// each added token, in text order.
    private func pipeline(
        _ bytes: UnsafeBufferPointer<UInt8>, token: (UInt32) -> Void, _ piece: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        // Non-normalized added tokens are found in the raw text; normalized ones in normalized text.
        rawAddedTokens.split(bytes) { range in
            let segment = UnsafeBufferPointer(rebasing: bytes[range])
            if let normalizer, !(normalizer.keepsASCII && segment.allSatisfy { $0 < 0x80 }) {
                var normalized = normalizer.apply(String(decoding: segment, as: UTF8.self))
                normalized.withUTF8 { afterNormalizer($0, token: token, piece) }
            } else {
                afterNormalizer(segment, token: token, piece)
            }
        } token: { id in
            token(id)
        }
    }

    private func afterNormalizer(
        _ segment: UnsafeBufferPointer<UInt8>, token: (UInt32) -> Void, _ piece: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        normalizedAddedTokens.split(segment) { range in
            preTokenizers.run(UnsafeBufferPointer(rebasing: segment[range]), piece)
        } token: { id in
            token(id)
        }
    }
}

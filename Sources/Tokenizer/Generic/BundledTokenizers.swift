import CEmbeddedData
import JSONRPC

/// The non-OpenAI tokenizers compiled into tokenmin (sources, licences and checksums in the README
/// and in Tests/python/tools/generate_bundled_tokenizers.py).
public enum BundledTokenizer: String, CaseIterable, Sendable {
    /// DeepSeek V3 / R1 (Hugging Face tokenizer.json, byte-level BPE, 128K tokens).
    case deepSeekV3 = "deepseek_v3"
    /// DeepSeek V4: V3's vocabulary and merges with more added (special) tokens.
    case deepSeekV4 = "deepseek_v4"
    /// Mistral Tekken (`tekken_240911.json`, tiktoken-style, 131K ids with 1000 special ones).
    case tekken = "tekken"

    /// One line for `tokenmin tokenize --list`.
    public var summary: String {
        switch self {
        case .deepSeekV3: "DeepSeek V3, V3.1, V3.2, R1 (tokenizer.json, exact vs tokenizers)"
        case .deepSeekV4: "DeepSeek V4 (V3's vocabulary, more special tokens; exact vs tokenizers)"
        case .tekken: "Mistral Tekken: NeMo, Large 2, Small 3, Pixtral, Codestral (exact vs mistral-common)"
        }
    }

    private static let loadedDeepSeekV3 = GenericTokenizer.bundled(tm_tokenizer_deepseek_v3(), name: "deepseek_v3")
    private static let loadedDeepSeekV4 = GenericTokenizer.bundled(tm_tokenizer_deepseek_v4(), name: "deepseek_v4")
    private static let loadedTekken = GenericTokenizer.bundled(tm_tokenizer_tekken(), name: "tekken")

    /// The shared instance, loaded on first use.
    public var tokenizer: GenericTokenizer {
        switch self {
        case .deepSeekV3: BundledTokenizer.loadedDeepSeekV3
        case .deepSeekV4: BundledTokenizer.loadedDeepSeekV4
        case .tekken: BundledTokenizer.loadedTekken
        }
    }
}

extension GenericTokenizer {
    /// Loads a `TMTK` blob; the blobs are generated and checked by the test suite, so a failure
    /// here is a build defect.
    static func bundled(_ blob: tm_blob, name: String) -> GenericTokenizer {
        do {
            let tokenizer = try readContainer(UnsafeRawBufferPointer(start: blob.bytes, count: blob.count), name: name)
            tokenizer.splitsAtLineStarts = true
            return tokenizer
        } catch {
            preconditionFailure("bundled tokenizer \(name): \(error)")
        }
    }

    static func readContainer(_ raw: UnsafeRawBufferPointer, name: String) throws(TokenizerFileError) -> GenericTokenizer {
        let path = "<bundled \(name)>"
        func fail(_ message: String) -> TokenizerFileError { TokenizerFileError(path: path, message: message) }
        var offset = 0
        func u32() throws(TokenizerFileError) -> Int {
            guard offset + 4 <= raw.count else { throw fail("truncated") }
            defer { offset += 4 }
            return Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        guard raw.count >= 12, raw.loadUnaligned(as: UInt32.self) == 0x4B54_4D54 else { throw fail("not a TMTK blob") }
        offset = 4
        guard try u32() == 1 else { throw fail("unknown TMTK version") }
        let configLength = try u32()
        guard offset + configLength <= raw.count else { throw fail("truncated") }
        let config: JSONValue
        do {
            config = try JSONValue.parse(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + configLength]))
        } catch {
            throw fail("config: \(error)")
        }
        offset += configLength
        let payload = UnsafeRawBufferPointer(rebasing: raw[offset...])
        switch config["format"]?.stringValue {
        case "tekken":
            guard let pattern = config["pattern"]?.stringValue,
                let vocabularySize = config["default_vocab_size"]?.integerValue,
                let specialCount = config["default_num_special_tokens"]?.integerValue
            else { throw fail("incomplete Tekken config") }
            let vocabulary = RankVocabulary(
                blob: tm_blob(bytes: payload.baseAddress!.assumingMemoryBound(to: UInt8.self), count: payload.count))
            guard vocabulary.vocabulary.tokenCount == Int(vocabularySize - specialCount) else { throw fail("size mismatch") }
            let regex: SplitRegex
            do {
                regex = try SplitRegex(pattern, dialect: .fancyRegex)
            } catch {
                throw fail("pattern: \(error)")
            }
            return GenericTokenizer(
                name: name, formatDescription: "Tekken", rawAddedTokens: [], normalizedAddedTokens: [], normalizer: nil,
                preTokenizers: [.split(regex, .isolated, invert: false)],
                model: .ranks(vocabulary, idOffset: UInt32(specialCount)))
        case "tokenizer.json" where config["base"] != nil:
            // Shares another blob's vocabulary and merges (see the generator).
            guard config["base"]?.stringValue == "deepseek_v3" else { throw fail("unknown base") }
            let base = UnsafeRawBufferPointer(start: tm_tokenizer_deepseek_v3().bytes, count: tm_tokenizer_deepseek_v3().count)
            let (vocabulary, merges) = try readVocabularyAndMerges(base, path: path)
            return try HuggingFaceFile(json: config, path: path, vocabulary: vocabulary, merges: merges).tokenizer(name: name)
        case "tokenizer.json":
            let (vocabulary, merges) = try readVocabularyAndMerges(raw, path: path)
            return try HuggingFaceFile(json: config, path: path, vocabulary: vocabulary, merges: merges).tokenizer(name: name)
        default:
            throw fail("unknown format")
        }
    }

    /// The vocabulary and merges of a `tokenizer.json` TMTK blob (after its config).
    static func readVocabularyAndMerges(_ raw: UnsafeRawBufferPointer, path: String) throws(TokenizerFileError)
        -> ([String: UInt32], [(UInt32, UInt32)])
    {
        func fail(_ message: String) -> TokenizerFileError { TokenizerFileError(path: path, message: message) }
        guard raw.count >= 12 else { throw fail("truncated") }
        var offset = 12 + Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        func u32() throws(TokenizerFileError) -> Int {
            guard offset + 4 <= raw.count else { throw fail("truncated") }
            defer { offset += 4 }
            return Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        var vocabulary: [String: UInt32] = [:]
        let count = try u32()
        vocabulary.reserveCapacity(count)
        for id in 0..<count {
            guard offset + 2 <= raw.count else { throw fail("truncated") }
            let length = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            offset += 2
            guard offset + length <= raw.count else { throw fail("truncated") }
            let token = String(decoding: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + length]), as: UTF8.self)
            vocabulary[token] = UInt32(id)
            offset += length
        }
        let mergeCount = try u32()
        guard offset + 6 * mergeCount <= raw.count else { throw fail("truncated") }
        var merges: [(UInt32, UInt32)] = []
        merges.reserveCapacity(mergeCount)
        for _ in 0..<mergeCount {
            let left = UInt32(raw[offset]) | UInt32(raw[offset + 1]) << 8 | UInt32(raw[offset + 2]) << 16
            let right = UInt32(raw[offset + 3]) | UInt32(raw[offset + 4]) << 8 | UInt32(raw[offset + 5]) << 16
            merges.append((left, right))
            offset += 6
        }
        return (vocabulary, merges)
    }
}

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
        let version = try u32()
        guard version == 1 || version == 2 else { throw fail("unknown TMTK version") }
        let configLength = try u32()
        guard offset + configLength <= raw.count else { throw fail("truncated") }
        let config: JSONValue
        do {
            config = try JSONValue.parse(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + configLength]))
        } catch {
            throw fail("config: \(error)")
        }
        offset += configLength
        // Version 2 starts the payload at the next multiple of 64 bytes (tables used in place).
        if version == 2 { offset = min(raw.count, (offset + 63) / 64 * 64) }
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
            let tables = try BundledPairMergeTables.deepSeekV3()
            return try HuggingFaceFile(json: config, path: path, tables: tables).tokenizer(name: name)
        case "tokenizer.json":
            let tables = try BundledPairMergeTables(payload: payload, config: config, path: path)
            return try HuggingFaceFile(json: config, path: path, tables: tables).tokenizer(name: name)
        default:
            throw fail("unknown format")
        }
    }
}

/// A bundled `tokenizer.json` model's lookup tables, used in place from a `TMPM` payload that
/// Tests/python/tools/generate_bundled_tokenizers.py lays out (hash tables with the hashes and
/// linear probing of `ByteStringTable` and `MergeTable`): loading is a few pointer casts into the
/// binary, and only the pages a lookup touches become resident.
///
/// `TMPM` (little-endian, 64-byte aligned in the binary): magic `TMPM`, u32 version 1, u32 flags
/// (bit 0: byte-level), u32 vocabulary size (every id, including tokens spelled outside the
/// byte-level alphabet), u32 table entries E, u32 vocabulary slot bits, u32 longest token, u32 pool
/// bytes, u32 merge slot bits; at byte 64, seven u64 section offsets (from the payload start, each
/// a multiple of 64): 256 u32 byte ids, i32 vocabulary slots, E + 1 u32 entry starts in the pool, E
/// u32 entry ids, the pool of token bytes, u64 merge keys (`left << 32 | right`, all ones: empty),
/// u64 merge values (`rank << 32 | merged id`).
struct BundledPairMergeTables: Sendable {
    let vocabulary: ByteStringTable
    let merges: MergeTable
    let byteIds: [UInt32]
    let byteLevel: Bool
    let vocabularySize: Int
    /// Tokens the byte-level alphabet cannot spell (special tokens in the model's vocabulary), by
    /// their spelling; from the config's `vocab_outside_alphabet`.
    let outsideAlphabet: [String: UInt32]

    /// The tables of the bundled `deepseek_v3` blob (shared with `deepseek_v4`).
    static func deepSeekV3() throws(TokenizerFileError) -> BundledPairMergeTables {
        let path = "<bundled deepseek_v3>"
        let blob = tm_tokenizer_deepseek_v3()
        let raw = UnsafeRawBufferPointer(start: blob.bytes, count: blob.count)
        guard raw.count >= 12 else { throw TokenizerFileError(path: path, message: "truncated") }
        let configLength = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        guard 12 + configLength <= raw.count else { throw TokenizerFileError(path: path, message: "truncated") }
        let config: JSONValue
        do {
            config = try JSONValue.parse(UnsafeRawBufferPointer(rebasing: raw[12..<12 + configLength]))
        } catch {
            throw TokenizerFileError(path: path, message: "config: \(error)")
        }
        let start = min(raw.count, (12 + configLength + 63) / 64 * 64)
        return try BundledPairMergeTables(payload: UnsafeRawBufferPointer(rebasing: raw[start...]), config: config, path: path)
    }

    init(payload: UnsafeRawBufferPointer, config: JSONValue, path: String) throws(TokenizerFileError) {
        func fail(_ message: String) -> TokenizerFileError { TokenizerFileError(path: path, message: "tables: " + message) }
        guard payload.count >= 128, let base = payload.baseAddress, payload.loadUnaligned(as: UInt32.self) == 0x4D50_4D54
        else { throw fail("not a TMPM payload") }
        guard Int(bitPattern: base) % 64 == 0 else { throw fail("not 64-byte aligned") }
        func field(_ index: Int) -> Int {
            Int(UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
        }
        guard field(1) == 1 else { throw fail("unknown version") }
        let entries = field(4)
        let vocabularyBits = field(5)
        let poolBytes = field(7)
        let mergeBits = field(8)
        guard vocabularyBits < 31, mergeBits < 31 else { throw fail("bad sizes") }
        let sectionBytes = [
            4 * 256, 4 << vocabularyBits, 4 * (entries + 1), 4 * entries, poolBytes, 8 << mergeBits, 8 << mergeBits,
        ]
        var sections: [UnsafeRawPointer] = []
        for (index, bytes) in sectionBytes.enumerated() {
            let offset = Int(UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: 64 + 8 * index, as: UInt64.self)))
            guard offset % 64 == 0, offset >= 128, offset + bytes <= payload.count else { throw fail("bad section offset") }
            sections.append(base + offset)
        }
        byteLevel = field(2) & 1 != 0
        vocabularySize = field(3)
        byteIds = Array(UnsafeBufferPointer(start: sections[0].assumingMemoryBound(to: UInt32.self), count: 256))
        vocabulary = ByteStringTable(
            memory: nil, pool: sections[4].assumingMemoryBound(to: UInt8.self),
            starts: sections[2].assumingMemoryBound(to: UInt32.self), ids: sections[3].assumingMemoryBound(to: UInt32.self),
            slots: sections[1].assumingMemoryBound(to: Int32.self), slotBits: vocabularyBits, maximumLength: field(6),
            count: entries)
        merges = MergeTable(
            memory: nil, keys: sections[5].assumingMemoryBound(to: UInt64.self),
            values: sections[6].assumingMemoryBound(to: UInt64.self), slotBits: mergeBits)
        var outside: [String: UInt32] = [:]
        for (token, id) in config["vocab_outside_alphabet"]?.objectValue ?? [:] {
            guard let id = id.integerValue, id >= 0, id < Int64(UInt32.max) else { throw fail("bad vocab_outside_alphabet") }
            outside[token] = UInt32(id)
        }
        outsideAlphabet = outside
    }

    /// The id of a token as a `tokenizer.json` vocabulary spells it (what the file's `vocab` maps).
    func id(spelled token: String) -> UInt32? {
        if let id = outsideAlphabet[token] { return id }
        // The byte-level alphabet spells each byte string one way, so the token with these bytes
        // is spelled exactly `token`.
        guard let bytes = byteLevel ? ByteLevelAlphabet.decode(token) : Array(token.utf8) else { return nil }
        return vocabulary.id(bytes)
    }
}

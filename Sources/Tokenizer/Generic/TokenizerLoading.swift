import Foundation
import JSONRPC
import PromptText

/// Split patterns of tiktoken-format vocabularies that do not carry one.
public enum TiktokenPattern {
    /// Llama 3's pattern (Meta's `tokenizer.py`): cl100k_base's with `\p{N}{1,3}` and without
    /// possessive quantifiers. The default for `.tiktoken` and Llama 3 `tokenizer.model` files.
    public static let llama3 =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
}

extension GenericTokenizer {
    private static let loaded = Locked<[String: GenericTokenizer]>([:])

    /// Loads (once per path and pattern per process) the tokenizer file at `path`: a Hugging
    /// Face `tokenizer.json`, a Mistral `tekken*.json`, or tiktoken ranks (`.tiktoken`, Llama 3's
    /// `tokenizer.model`, split with `pattern`, Llama 3's by default).
    public static func load(path: String, pattern: String? = nil) throws(TokenizerFileError) -> GenericTokenizer {
        let key = path + "\u{0}" + (pattern ?? "")
        if let cached = loaded.withLock({ $0[key] }) { return cached }
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw TokenizerFileError(path: path, message: exists ? "cannot be read" : "no such file")
        }
        let name = (path as NSString).lastPathComponent
        let tokenizer = try parse(Array(data), name: name, path: path, pattern: pattern)
        loaded.withLock { $0[key] = tokenizer }
        return tokenizer
    }

    /// Parses tokenizer file contents (see `load(path:pattern:)`); `path` names it in errors.
    static func parse(_ bytes: [UInt8], name: String, path: String, pattern: String?) throws(TokenizerFileError)
        -> GenericTokenizer
    {
        let firstByte = bytes.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        if firstByte == UInt8(ascii: "{") {
            let json: JSONValue
            do {
                json = try JSONValue.parse(bytes)
            } catch {
                throw TokenizerFileError(path: path, message: "not valid JSON (\(error))")
            }
            if json["model"] != nil { return try HuggingFaceFile(json: json, path: path).tokenizer(name: name) }
            if json["config"] != nil, json["vocab"]?.arrayValue != nil { return try tekken(json, name: name, path: path) }
            throw TokenizerFileError(
                path: path, message: "a JSON file that is neither a Hugging Face tokenizer.json (no \"model\") nor a Tekken file")
        }
        if bytes.isEmpty { throw TokenizerFileError(path: path, message: "the file is empty") }
        if let tokens = tiktokenRanks(bytes) {
            let vocabulary = try RankVocabulary.make(tokens: tokens, file: path)
            let regex: SplitRegex
            do {
                regex = try SplitRegex(pattern ?? TiktokenPattern.llama3, dialect: .fancyRegex)
            } catch {
                throw TokenizerFileError(path: path, message: "the split pattern: \(error)")
            }
            return GenericTokenizer(
                name: name, formatDescription: "tiktoken ranks", rawAddedTokens: [], normalizedAddedTokens: [],
                normalizer: nil, preTokenizers: [.split(regex, .isolated, invert: false)],
                model: .ranks(vocabulary, idOffset: 0))
        }
        if bytes.first == 0x0A {
            throw TokenizerFileError(
                path: path,
                message: "looks like a SentencePiece model (protobuf), which tokenmin does not read; "
                    + "use the model's tokenizer.json if it has one")
        }
        throw TokenizerFileError(
            path: path,
            message: "not a tokenizer file tokenmin reads (expected tokenizer.json, tekken*.json or tiktoken ranks)")
    }

    /// tiktoken's format: one `base64 rank` line per token, ranks 0, 1, 2, … in order. Nil when the
    /// bytes are not in that format.
    private static func tiktokenRanks(_ bytes: [UInt8]) -> [[UInt8]]? {
        var tokens: [[UInt8]] = []
        var lineStart = 0
        var k = 0
        while k <= bytes.count {
            if k == bytes.count || bytes[k] == 0x0A {
                var line = bytes[lineStart..<k]
                if line.last == 0x0D { line = line.dropLast() }
                if !line.isEmpty {
                    guard let space = line.firstIndex(of: 0x20),
                        let rank = Int(String(decoding: line[(space + 1)...], as: UTF8.self)), rank == tokens.count,
                        let token = Data(base64Encoded: Data(line[..<space]))
                    else { return nil }
                    tokens.append(Array(token))
                }
                lineStart = k + 1
            }
            k += 1
        }
        return tokens.isEmpty ? nil : tokens
    }

    /// Mistral's Tekken JSON: tiktoken ranks, its own pattern, and ids offset by the number of
    /// special tokens (the vocabulary is cut to `default_vocab_size - default_num_special_tokens`).
    static func tekken(_ json: JSONValue, name: String, path: String) throws(TokenizerFileError) -> GenericTokenizer {
        func fail(_ message: String) -> TokenizerFileError { TokenizerFileError(path: path, message: message) }
        guard let config = json["config"], let pattern = config["pattern"]?.stringValue,
            let vocabularySize = config["default_vocab_size"]?.integerValue,
            let specialCount = config["default_num_special_tokens"]?.integerValue,
            let entries = json["vocab"]?.arrayValue
        else { throw fail("a Tekken file needs config.pattern, config.default_vocab_size, config.default_num_special_tokens and vocab") }
        let inner = Int(vocabularySize - specialCount)
        guard inner > 0, inner <= entries.count else { throw fail("default_vocab_size does not fit the vocabulary") }
        var tokens: [[UInt8]] = []
        tokens.reserveCapacity(inner)
        for (rank, entry) in entries.prefix(inner).enumerated() {
            guard entry["rank"]?.integerValue == Int64(rank), let encoded = entry["token_bytes"]?.stringValue,
                let token = Data(base64Encoded: encoded)
            else { throw fail("vocab entry \(rank) is not {rank: \(rank), token_bytes: base64}") }
            tokens.append(Array(token))
        }
        let vocabulary = try RankVocabulary.make(tokens: tokens, file: path)
        let regex: SplitRegex
        do {
            regex = try SplitRegex(pattern, dialect: .fancyRegex)
        } catch {
            throw fail("config.pattern: \(error)")
        }
        return GenericTokenizer(
            name: name, formatDescription: "Tekken", rawAddedTokens: [], normalizedAddedTokens: [], normalizer: nil,
            preTokenizers: [.split(regex, .isolated, invert: false)],
            model: .ranks(vocabulary, idOffset: UInt32(specialCount)))
    }
}

/// The GPT-2 byte-level alphabet: each byte is shown as one printable character.
enum ByteLevelAlphabet {
    /// The character (scalar value) of each byte.
    static let characters: [UInt32] = {
        var printable = Set<Int>()
        for range in [0x21...0x7E, 0xA1...0xAC, 0xAE...0xFF] { printable.formUnion(range) }
        var result = [UInt32](repeating: 0, count: 256)
        var extra: UInt32 = 0
        for byte in 0..<256 {
            if printable.contains(byte) {
                result[byte] = UInt32(byte)
            } else {
                result[byte] = 256 + extra
                extra += 1
            }
        }
        return result
    }()

    /// The byte of each alphabet character, indexed by scalar value (< 0x144), or -1.
    static let bytes: [Int16] = {
        var result = [Int16](repeating: -1, count: 0x144)
        for (byte, character) in characters.enumerated() { result[Int(character)] = Int16(byte) }
        return result
    }()

    /// The bytes a byte-level token string stands for, or nil when it has a character outside
    /// the alphabet (such a token can never be produced from text).
    static func decode(_ token: String) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard scalar.value < 0x144, bytes[Int(scalar.value)] >= 0 else { return nil }
            result.append(UInt8(bytes[Int(scalar.value)]))
        }
        return result
    }
}

/// A parsed Hugging Face `tokenizer.json`.
struct HuggingFaceFile {
    let json: JSONValue
    let path: String
    /// The model's tables when they come from a bundled blob rather than `json`.
    var bundledTables: BundledPairMergeTables?

    init(json: JSONValue, path: String, tables: BundledPairMergeTables? = nil) {
        self.json = json
        self.path = path
        bundledTables = tables
    }

    /// Token string to id.
    var vocabulary: [String: UInt32]? {
        guard let object = json["model"]?["vocab"]?.objectValue else { return nil }
        var result: [String: UInt32] = [:]
        result.reserveCapacity(object.count)
        for (token, value) in object {
            guard let id = value.integerValue, id >= 0, id < Int64(UInt32.max) else { return nil }
            result[token] = UInt32(id)
        }
        return result
    }

    /// The merges as id pairs in rank order.
    func mergePairs(_ vocabulary: [String: UInt32]) throws(TokenizerFileError) -> [(UInt32, UInt32)] {
        guard let list = json["model"]?["merges"]?.arrayValue else { throw fail("model.merges is not an array") }
        var pairs: [(UInt32, UInt32)] = []
        pairs.reserveCapacity(list.count)
        for (rank, merge) in list.enumerated() {
            let parts: [String]
            if let line = merge.stringValue {
                parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else if let pair = merge.arrayValue {
                parts = pair.compactMap(\.stringValue)
            } else {
                parts = []
            }
            guard parts.count == 2 else { throw fail("model.merges[\(rank)] is not a pair of tokens") }
            guard let left = vocabulary[parts[0]], let right = vocabulary[parts[1]] else {
                throw fail("model.merges[\(rank)] names a token that is not in the vocabulary")
            }
            pairs.append((left, right))
        }
        return pairs
    }

    func fail(_ message: String) -> TokenizerFileError { TokenizerFileError(path: path, message: message) }

    func tokenizer(name: String) throws(TokenizerFileError) -> GenericTokenizer {
        guard let model = json["model"], model.objectValue != nil else { throw fail("\"model\" is not an object") }
        let type = model["type"]?.stringValue ?? "BPE"
        guard type == "BPE" else {
            throw fail("model type \(type) is not supported (tokenmin reads BPE tokenizer.json files)")
        }
        let normalizer = try self.normalizer(json["normalizer"] ?? .null, at: "normalizer")
        let steps = try preTokenizers(json["pre_tokenizer"] ?? .null, at: "pre_tokenizer")
        let byteLevel = steps.contains { if case .byteLevel = $0 { true } else { false } }
        if let dropout = model["dropout"], !dropout.isNull, dropout != .integer(0), dropout != .double(0) {
            throw fail("model.dropout is set: such a tokenizer is random, not exact")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[key]?.stringValue, !value.isEmpty { throw fail("model.\(key) is not supported") }
        }
        let bpe: PairMergeModel
        /// The id of a token as the file's vocabulary spells it.
        let vocabularyId: (String) -> UInt32?
        let vocabularySize: Int
        if let bundledTables {
            guard bundledTables.byteLevel == byteLevel else { throw fail("bundled tables do not match the pre-tokenizer") }
            vocabularySize = bundledTables.vocabularySize
            vocabularyId = bundledTables.id(spelled:)
            var unknownId: UInt32?
            if let unknown = model["unk_token"]?.stringValue {
                guard let id = vocabularyId(unknown) else { throw fail("model.unk_token is not in the vocabulary") }
                unknownId = id
            }
            bpe = PairMergeModel(
                vocabulary: bundledTables.vocabulary, merges: bundledTables.merges, byteLevel: byteLevel,
                byteIds: bundledTables.byteIds, byteFallback: model["byte_fallback"]?.boolValue ?? false,
                unknownId: unknownId, fuseUnknown: model["fuse_unk"]?.boolValue ?? false,
                ignoreMerges: model["ignore_merges"]?.boolValue ?? false)
        } else {
            guard let vocabulary = self.vocabulary else { throw fail("model.vocab is not an object") }
            bpe = try pairMergeModel(model, vocabulary: vocabulary, byteLevel: byteLevel)
            vocabularySize = vocabulary.count
            vocabularyId = { vocabulary[$0] }
        }

        // `tokenizers` re-numbers added tokens on load (`AddedVocabulary::add_tokens`): a token
        // already in the model's vocabulary (or added before) keeps that id; others take the next id
        // after the largest added one, or the vocabulary size. The file's ids are only a hint.
        var addedIds: [String: UInt32] = [:]
        var byId: [UInt32: (AddedToken, Bool)] = [:]
        var order: [UInt32] = []
        var largestAdded: UInt32?
        for (k, entry) in (json["added_tokens"]?.arrayValue ?? []).enumerated() {
            guard let content = entry["content"]?.stringValue else { throw fail("added_tokens[\(k)] has no content") }
            if content.isEmpty { continue }
            let isNormalized = entry["normalized"]?.boolValue ?? !(entry["special"]?.boolValue ?? false)
            let id: UInt32
            if let known = addedIds[content] ?? vocabularyId(content) {
                id = known
            } else if let largest = largestAdded, largest >= UInt32(vocabularySize) || vocabularySize == 0 {
                id = largest + 1
            } else {
                id = UInt32(vocabularySize)
            }
            addedIds[content] = id
            largestAdded = max(largestAdded ?? id, id)
            let normalizedContent = isNormalized ? (normalizer?.apply(content) ?? content) : content
            let token = AddedToken(
                content: Array(normalizedContent.utf8), id: id, singleWord: entry["single_word"]?.boolValue ?? false,
                leftStrip: entry["lstrip"]?.boolValue ?? false, rightStrip: entry["rstrip"]?.boolValue ?? false)
            if byId[id] == nil { order.append(id) }
            byId[id] = (token, isNormalized)
        }
        var raw: [AddedToken] = []
        var normalized: [AddedToken] = []
        for id in order {
            let (token, isNormalized) = byId[id]!
            if isNormalized { normalized.append(token) } else { raw.append(token) }
        }
        return GenericTokenizer(
            name: name, formatDescription: "tokenizer.json BPE", rawAddedTokens: raw, normalizedAddedTokens: normalized,
            normalizer: normalizer, preTokenizers: steps, model: .pairMerges(bpe))
    }

    /// The BPE model of a file's own `vocab` and `merges`.
    func pairMergeModel(_ model: JSONValue, vocabulary: [String: UInt32], byteLevel: Bool) throws(TokenizerFileError)
        -> PairMergeModel
    {
        var table = ByteStringTable.Builder(capacity: vocabulary.count)
        var byteIds = [UInt32](repeating: UInt32.max, count: 256)
        let byteFallback = model["byte_fallback"]?.boolValue ?? false
        var tokensById: [UInt32: String] = [:]
        tokensById.reserveCapacity(vocabulary.count)
        for (token, id) in vocabulary {
            tokensById[id] = token
            let bytes: [UInt8]
            if byteLevel {
                guard let decoded = ByteLevelAlphabet.decode(token) else { continue }
                bytes = decoded
            } else {
                bytes = Array(token.utf8)
            }
            table.insert(bytes, id: id)
            if byteLevel && bytes.count == 1 { byteIds[Int(bytes[0])] = id }
            if !byteLevel && byteFallback, token.utf8.count == 6, token.hasPrefix("<0x"), token.hasSuffix(">"),
                let byte = UInt8(token.dropFirst(3).dropLast(), radix: 16)
            {
                byteIds[Int(byte)] = id
            }
        }

        let pairs = try mergePairs(vocabulary)
        var merges = MergeTable.Builder(capacity: pairs.count)
        for (rank, (left, right)) in pairs.enumerated() {
            guard let leftToken = tokensById[left], let rightToken = tokensById[right] else {
                throw fail("model.merges[\(rank)] names a token id that is not in the vocabulary")
            }
            guard let merged = vocabulary[leftToken + rightToken] else {
                throw fail("model.merges[\(rank)] makes a token that is not in the vocabulary")
            }
            merges.insert(left: left, right: right, rank: UInt32(rank), merged: merged)
        }
        var unknownId: UInt32?
        if let unknown = model["unk_token"]?.stringValue {
            guard let id = vocabulary[unknown] else { throw fail("model.unk_token is not in the vocabulary") }
            unknownId = id
        }
        return PairMergeModel(
            vocabulary: table.build(), merges: merges.build(), byteLevel: byteLevel, byteIds: byteIds, byteFallback: byteFallback,
            unknownId: unknownId, fuseUnknown: model["fuse_unk"]?.boolValue ?? false,
            ignoreMerges: model["ignore_merges"]?.boolValue ?? false)
    }

    func normalizer(_ value: JSONValue, at location: String) throws(TokenizerFileError) -> TextNormalizer? {
        if value.isNull { return nil }
        guard let type = value["type"]?.stringValue else { throw fail("\(location) has no type") }
        switch type {
        case "Sequence":
            var parts: [TextNormalizer] = []
            for (k, item) in (value["normalizers"]?.arrayValue ?? []).enumerated() {
                if let part = try normalizer(item, at: "\(location).normalizers[\(k)]") { parts.append(part) }
            }
            return parts.isEmpty ? nil : .sequence(parts)
        case "NFC": return .nfc
        case "NFD": return .nfd
        case "NFKC": return .nfkc
        case "NFKD": return .nfkd
        case "Lowercase": return .lowercase
        case "Prepend":
            guard let prefix = value["prepend"]?.stringValue else { throw fail("\(location).prepend is missing") }
            return .prepend(prefix)
        case "Replace":
            guard let pattern = value["pattern"]?["String"]?.stringValue, let content = value["content"]?.stringValue else {
                throw fail("\(location): only Replace with a String pattern is supported")
            }
            return .replace(pattern, content)
        default:
            throw fail("\(location): normalizer \(type) is not supported")
        }
    }

    func preTokenizers(_ value: JSONValue, at location: String) throws(TokenizerFileError) -> [PreTokenizerStep] {
        if value.isNull { return [] }
        guard let type = value["type"]?.stringValue else { throw fail("\(location) has no type") }
        switch type {
        case "Sequence":
            var steps: [PreTokenizerStep] = []
            for (k, item) in (value["pretokenizers"]?.arrayValue ?? []).enumerated() {
                steps += try preTokenizers(item, at: "\(location).pretokenizers[\(k)]")
            }
            return steps
        case "Split":
            let source: String
            if let regex = value["pattern"]?["Regex"]?.stringValue {
                source = regex
            } else if let literal = value["pattern"]?["String"]?.stringValue {
                source = literal.unicodeScalars.map { "\\x{\(String($0.value, radix: 16))}" }.joined()
            } else {
                throw fail("\(location).pattern needs a Regex or a String")
            }
            guard let behaviorName = value["behavior"]?.stringValue, let behavior = SplitBehavior(rawValue: behaviorName) else {
                throw fail("\(location).behavior is not one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous")
            }
            return [.split(try regex(source, at: "\(location).pattern"), behavior, invert: value["invert"]?.boolValue ?? false)]
        case "ByteLevel":
            let useRegex = value["use_regex"]?.boolValue ?? true
            return [
                .byteLevel(
                    addPrefixSpace: value["add_prefix_space"]?.boolValue ?? true,
                    regex: useRegex ? try regex(PreTokenizerStep.gpt2Pattern, at: location) : nil)
            ]
        case "Digits":
            return [.digits(individual: value["individual_digits"]?.boolValue ?? false)]
        case "WhitespaceSplit":
            return [.whitespaceSplit]
        case "Whitespace":
            return [.split(try regex(#"\w+|[^\w\s]+"#, at: location), .removed, invert: true)]
        case "Metaspace":
            let replacement = value["replacement"]?.stringValue ?? "\u{2581}"
            let scheme = value["prepend_scheme"]?.stringValue ?? ((value["add_prefix_space"]?.boolValue ?? true) ? "always" : "never")
            guard scheme == "always" || scheme == "never" else {
                throw fail("\(location): Metaspace prepend_scheme \(scheme) is not supported")
            }
            return [.metaspace(replacement: Array(replacement.utf8), prepend: scheme == "always", split: value["split"]?.boolValue ?? true)]
        default:
            throw fail("\(location): pre-tokenizer \(type) is not supported")
        }
    }

    func regex(_ source: String, at location: String) throws(TokenizerFileError) -> SplitRegex {
        do {
            return try SplitRegex(source, dialect: .oniguruma)
        } catch {
            throw fail("\(location): \(error)")
        }
    }
}

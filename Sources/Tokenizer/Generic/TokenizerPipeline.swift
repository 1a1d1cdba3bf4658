import Foundation

/// A text normalizer from a `tokenizer.json` (`normalizer`), applied to the text between added
/// tokens before pre-tokenization.
enum TextNormalizer: Sendable {
    case nfc, nfd, nfkc, nfkd, lowercase
    case prepend(String)
    case replace(String, String)
    case sequence([TextNormalizer])

    func apply(_ text: String) -> String {
        switch self {
        case .nfc: text.precomposedStringWithCanonicalMapping
        case .nfd: text.decomposedStringWithCanonicalMapping
        case .nfkc: text.precomposedStringWithCompatibilityMapping
        case .nfkd: text.decomposedStringWithCompatibilityMapping
        case .lowercase: text.lowercased()
        case .prepend(let prefix): text.isEmpty ? text : prefix + text
        case .replace(let pattern, let content): text.replacingOccurrences(of: pattern, with: content)
        case .sequence(let normalizers): normalizers.reduce(text) { $1.apply($0) }
        }
    }

    /// Whether the normalizer leaves pure-ASCII text alone (lets ASCII input skip normalization).
    var keepsASCII: Bool {
        switch self {
        case .nfc, .nfd, .nfkc, .nfkd: true
        case .lowercase, .prepend, .replace: false
        case .sequence(let normalizers): normalizers.allSatisfy(\.keepsASCII)
        }
    }
}

/// How a `Split` pre-tokenizer treats the matches of its pattern (`tokenizers`'
/// `SplitDelimiterBehavior`).
enum SplitBehavior: String, Sendable {
    case removed = "Removed"
    case isolated = "Isolated"
    case mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext"
    case contiguous = "Contiguous"
}

/// One pre-tokenizer of a `tokenizer.json` (a `Sequence` is flattened into a list of these).
enum PreTokenizerStep: Sendable {
    case split(SplitRegex, SplitBehavior, invert: Bool)
    /// Numeric characters (Rust's `char::is_numeric`): each on its own, or runs of them.
    case digits(individual: Bool)
    /// Runs of non-white-space characters (white space removed).
    case whitespaceSplit
    /// `ByteLevel`: an optional leading space, then (with `use_regex`) GPT-2's split pattern.
    case byteLevel(addPrefixSpace: Bool, regex: SplitRegex?)
    /// `Metaspace`: spaces become `replacement`, an optional leading one, split before each.
    case metaspace(replacement: [UInt8], prepend: Bool, split: Bool)

    /// GPT-2's pattern, which `ByteLevel` applies when `use_regex` is true.
    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
}

/// One added token (`added_tokens` in a `tokenizer.json`): matched in the text before anything
/// else, and emitted as its id.
struct AddedToken: Sendable {
    var content: [UInt8]
    var id: UInt32
    var singleWord: Bool
    var leftStrip: Bool
    var rightStrip: Bool
}

/// Added tokens matched leftmost-longest, as `tokenizers`' Aho-Corasick split does.
struct AddedTokenMatcher: Sendable {
    private var byFirstByte: [[AddedToken]] = Array(repeating: [], count: 256)
    private(set) var isEmpty = true

    init(_ tokens: [AddedToken]) {
        for token in tokens where !token.content.isEmpty {
            byFirstByte[Int(token.content[0])].append(token)
            isEmpty = false
        }
        for k in 0..<256 { byFirstByte[k].sort { $0.content.count > $1.content.count } }
    }

    /// Splits `text` into runs of ordinary text and added tokens, in order.
    func split(_ text: UnsafeBufferPointer<UInt8>, text emitText: (Range<Int>) -> Void, token emitToken: (UInt32) -> Void) {
        guard !isEmpty, let base = text.baseAddress else {
            if text.count > 0 { emitText(0..<text.count) }
            return
        }
        var segmentStart = 0
        var i = 0
        while i < text.count {
            let candidates = byFirstByte[Int(base[i])]
            guard !candidates.isEmpty, let token = longestMatch(candidates, base, i, text.count) else {
                i += 1
                continue
            }
            var start = i
            var stop = i + token.content.count
            if token.singleWord {
                let startsWord = start == 0 || !endsWithWordCharacter(base, start)
                let stopsWord = stop == text.count || !startsWithWordCharacter(base + stop, text.count - stop)
                if !startsWord || !stopsWord {
                    i += 1
                    continue
                }
            }
            if token.leftStrip {
                var s = start
                while s > segmentStart, let (value, length) = previousScalar(base, s), ScalarCategories.isWhiteSpace(value) {
                    s -= length
                }
                start = max(s, segmentStart)
            }
            if token.rightStrip {
                while stop < text.count, let (value, length) = scalar(base + stop, text.count - stop),
                    ScalarCategories.isWhiteSpace(value)
                {
                    stop += length
                }
            }
            if segmentStart < start { emitText(segmentStart..<start) }
            emitToken(token.id)
            segmentStart = stop
            i = stop
        }
        if segmentStart < text.count { emitText(segmentStart..<text.count) }
    }

    private func longestMatch(_ candidates: [AddedToken], _ base: UnsafePointer<UInt8>, _ i: Int, _ count: Int) -> AddedToken? {
        for token in candidates where token.content.count <= count - i {
            if token.content.withUnsafeBufferPointer({ memcmp($0.baseAddress!, base + i, $0.count) == 0 }) { return token }
        }
        return nil
    }

    private func scalar(_ p: UnsafePointer<UInt8>, _ available: Int) -> (UInt32, Int)? {
        if p[0] < 0x80 { return (UInt32(p[0]), 1) }
        return UTF8Sequence.decode(p, available: available)
    }

    private func previousScalar(_ base: UnsafePointer<UInt8>, _ end: Int) -> (UInt32, Int)? {
        var start = end - 1
        while start > 0 && end - start < 4 && base[start] & 0xC0 == 0x80 { start -= 1 }
        guard let (value, length) = scalar(base + start, end - start), start + length == end else { return nil }
        return (value, length)
    }

    private func isWordScalar(_ value: UInt32) -> Bool {
        // Rust's `char::is_alphanumeric` plus `_`, as `tokenizers`' `ends_with_word` uses.
        if value == 0x5F { return true }
        let category = ScalarCategories.category(of: value)
        return category <= ScalarCategories.otherLetter || category == ScalarCategories.decimalNumber
            || category == ScalarCategories.letterNumber || category == ScalarCategories.otherNumber
    }

    private func endsWithWordCharacter(_ base: UnsafePointer<UInt8>, _ end: Int) -> Bool {
        guard let (value, _) = previousScalar(base, end) else { return false }
        return isWordScalar(value)
    }

    private func startsWithWordCharacter(_ p: UnsafePointer<UInt8>, _ available: Int) -> Bool {
        guard let (value, _) = scalar(p, available) else { return false }
        return isWordScalar(value)
    }
}

/// Applies a list of pre-tokenizers, each to every piece the previous one produced.
struct PreTokenizerChain: Sendable {
    let steps: [PreTokenizerStep]
    /// Whether the first three steps are DeepSeek V3's splits, run by `DeepSeekPreTokenizer`.
    let startsWithDeepSeekSplits: Bool

    init(steps: [PreTokenizerStep]) {
        // A ByteLevel step without a regex or prefix space splits nothing (the model maps the bytes).
        self.steps = steps.filter {
            if case .byteLevel(false, .none) = $0 { false } else { true }
        }
        startsWithDeepSeekSplits = DeepSeekPreTokenizer.matchesPrefix(of: self.steps)
    }

    func run(_ piece: UnsafeBufferPointer<UInt8>, from stage: Int = 0, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard piece.count > 0 else { return }
        guard stage < steps.count else {
            emit(piece)
            return
        }
        if stage == 0 && startsWithDeepSeekSplits {
            if steps.count == 3 {
                DeepSeekPreTokenizer.split(piece, emit)
            } else {
                DeepSeekPreTokenizer.split(piece) { run($0, from: 3, emit) }
            }
            return
        }
        func next(_ range: Range<Int>) {
            if !range.isEmpty { run(UnsafeBufferPointer(rebasing: piece[range]), from: stage + 1, emit) }
        }
        switch steps[stage] {
        case .split(let regex, let behavior, let invert):
            if behavior == .isolated && !invert {
                var previous = 0
                regex.matches(in: piece) { match in
                    if previous < match.lowerBound { next(previous..<match.lowerBound) }
                    next(match)
                    previous = match.upperBound
                }
                if previous < piece.count { next(previous..<piece.count) }
                return
            }
            var segments: [(Range<Int>, Bool)] = []
            var previous = 0
            regex.matches(in: piece) { match in
                if previous < match.lowerBound { segments.append((previous..<match.lowerBound, false)) }
                segments.append((match, true))
                previous = match.upperBound
            }
            if previous < piece.count { segments.append((previous..<piece.count, false)) }
            if invert { segments = segments.map { ($0.0, !$0.1) } }
            for range in PreTokenizerChain.apply(behavior, to: segments) { next(range) }
        case .digits(let individual):
            var segments: [(Range<Int>, Bool)] = []
            var previous = 0
            var k = 0
            while k < piece.count {
                // Rust's `char::is_numeric`: general category Nd, Nl or No.
                var value = UInt32(piece[k])
                var length = 1
                if piece[k] >= 0x80, let decoded = UTF8Sequence.decode(piece.baseAddress! + k, available: piece.count - k) {
                    (value, length) = decoded
                } else if piece[k] >= 0x80 {
                    value = 0x110000
                }
                let category = ScalarCategories.category(of: value)
                if category >= ScalarCategories.decimalNumber && category <= ScalarCategories.otherNumber {
                    if previous < k { segments.append((previous..<k, false)) }
                    segments.append((k..<k + length, true))
                    previous = k + length
                }
                k += length
            }
            if previous < piece.count { segments.append((previous..<piece.count, false)) }
            for range in PreTokenizerChain.apply(individual ? .isolated : .contiguous, to: segments) { next(range) }
        case .whitespaceSplit:
            var start: Int?
            var k = 0
            while k < piece.count {
                var value = UInt32(piece[k])
                var length = 1
                if piece[k] >= 0x80, let decoded = UTF8Sequence.decode(piece.baseAddress! + k, available: piece.count - k) {
                    (value, length) = decoded
                }
                if ScalarCategories.isWhiteSpace(value) {
                    if let s = start { next(s..<k) }
                    start = nil
                } else if start == nil {
                    start = k
                }
                k += length
            }
            if let s = start { next(s..<piece.count) }
        case .byteLevel(let addPrefixSpace, let regex):
            func continueWith(_ buffer: UnsafeBufferPointer<UInt8>) {
                guard let regex else {
                    run(buffer, from: stage + 1, emit)
                    return
                }
                var previous = 0
                func forward(_ range: Range<Int>) {
                    if !range.isEmpty { run(UnsafeBufferPointer(rebasing: buffer[range]), from: stage + 1, emit) }
                }
                regex.matches(in: buffer) { match in
                    if previous < match.lowerBound { forward(previous..<match.lowerBound) }
                    forward(match)
                    previous = match.upperBound
                }
                if previous < buffer.count { forward(previous..<buffer.count) }
            }
            if addPrefixSpace && piece[0] != 0x20 {
                let prefixed = [0x20] + Array(piece)
                prefixed.withUnsafeBufferPointer { continueWith($0) }
            } else {
                continueWith(piece)
            }
        case .metaspace(let replacement, let prepend, let split):
            var replaced: [UInt8] = []
            replaced.reserveCapacity(piece.count + replacement.count)
            if prepend && !(piece[0] == 0x20 || piece.starts(with: replacement)) { replaced += replacement }
            for byte in piece {
                if byte == 0x20 { replaced += replacement } else { replaced.append(byte) }
            }
            replaced.withUnsafeBufferPointer { buffer in
                guard split else {
                    run(buffer, from: stage + 1, emit)
                    return
                }
                var start = 0
                var k = 0
                while k < buffer.count {
                    if k > start && k + replacement.count <= buffer.count && buffer[k..<k + replacement.count].elementsEqual(replacement) {
                        run(UnsafeBufferPointer(rebasing: buffer[start..<k]), from: stage + 1, emit)
                        start = k
                    }
                    k += 1
                }
                run(UnsafeBufferPointer(rebasing: buffer[start..<buffer.count]), from: stage + 1, emit)
            }
        }
    }

    /// `tokenizers`' `split` for the behaviors other than a plain isolate.
    static func apply(_ behavior: SplitBehavior, to segments: [(Range<Int>, Bool)]) -> [Range<Int>] {
        switch behavior {
        case .removed:
            return segments.filter { !$0.1 }.map(\.0)
        case .isolated:
            return segments.map(\.0)
        case .mergedWithPrevious:
            var result: [Range<Int>] = []
            var previousMatch = false
            for (range, isMatch) in segments {
                if isMatch && !previousMatch, let last = result.last {
                    result[result.count - 1] = last.lowerBound..<range.upperBound
                } else {
                    result.append(range)
                }
                previousMatch = isMatch
            }
            return result
        case .mergedWithNext:
            var result: [Range<Int>] = []
            var previousMatch = false
            for (range, isMatch) in segments.reversed() {
                if isMatch && !previousMatch, let last = result.last {
                    result[result.count - 1] = range.lowerBound..<last.upperBound
                } else {
                    result.append(range)
                }
                previousMatch = isMatch
            }
            return result.reversed()
        case .contiguous:
            var result: [Range<Int>] = []
            var previousMatch = false
            for (range, isMatch) in segments {
                if isMatch == previousMatch, let last = result.last {
                    result[result.count - 1] = last.lowerBound..<range.upperBound
                } else {
                    result.append(range)
                }
                previousMatch = isMatch
            }
            return result
        }
    }
}

import PromptText

/// Everything `tokenmin explain ID`, the README rule table, SARIF rule metadata and LSP
/// `codeDescription` links say about a rule. The id is stable: configuration, suppressions and
/// baselines depend on it.
public struct RuleDescriptor: Sendable, Hashable {
    public var id: String
    public var category: RuleCategory
    public var defaultSeverity: Severity
    /// One sentence: what the rule finds.
    public var summary: String
    /// Why it matters and what to do, in Markdown paragraphs.
    public var explanation: String
    /// A prompt the rule flags and the same prompt fixed, as `tokenmin explain` shows them; a test
    /// runs every rule's example through `check` (the flagged one must be reported, the fixed one not).
    public var example: RuleExample

    public init(
        id: String, category: RuleCategory, defaultSeverity: Severity, summary: String, explanation: String,
        example: RuleExample
    ) {
        self.id = id
        self.category = category
        self.defaultSeverity = defaultSeverity
        self.summary = summary
        self.explanation = explanation
        self.example = example
    }

    public static func == (lhs: RuleDescriptor, rhs: RuleDescriptor) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// Where the rule's documentation lives (the README's rule table has an anchor per rule).
    public var documentationURL: String { "https://github.com/tokenmin/tokenmin#rule-\(id)" }
}

/// A rule's documented example: complete files, run by the tests exactly as written.
public struct RuleExample: Sendable {
    /// A prompt file the rule reports.
    public var flagged: String
    /// The same prompt fixed: the rule does not report it.
    public var fixed: String
    /// The example file's name (a partial's name starts with `_`).
    public var fileName: String
    /// Other files of the example's workspace (partials, `.tokenmin.yml`), by relative path.
    public var workspace: [(path: String, text: String)]
    /// Whether the flagged file is written in ISO Latin-1 (a file that is not UTF-8).
    public var flaggedIsLatin1: Bool

    public init(flagged: String, fixed: String, fileName: String = "example.prompt", workspace: [(path: String, text: String)] = [],
                flaggedIsLatin1: Bool = false) {
        self.flagged = flagged
        self.fixed = fixed
        self.fileName = fileName
        self.workspace = workspace
        self.flaggedIsLatin1 = flaggedIsLatin1
    }
}

/// Rule options from configuration (`.tokenmin.yml` `rules:` options), with documented defaults.
public struct RuleOptions: Sendable, Hashable {
    /// Few-shot examples allowed on chat models before `few-shot-oversized` fires.
    public var fewShotLimit: Int = 5
    /// Few-shot examples allowed on reasoning models (OpenAI advises zero-shot for them).
    public var fewShotLimitReasoning: Int = 0
    /// Examples may take at most this share of the prompt's static tokens.
    public var maxExampleShare: Double = 0.6
    /// E-mail domains `pii-in-prompt` accepts besides the documentation domains (example.com…).
    public var allowedEmailDomains: [String] = []
    /// Variables `untrusted-input-in-system` accepts in system messages (a locale, a product name).
    public var trustedVariables: [String] = []

    public init() {}
}

/// Inputs rules read. Built once per analysis; rules must not mutate it.
public final class RuleContext {
    /// The whole document (secrets are found anywhere in a committed file, comments included).
    public let text: String
    public let prose: [ProseSegment]
    /// The template as pieces (text, variables, other) with message roles, for injection rules.
    package let pieces: [TemplatePiece]
    /// Input variables that hold free text (declared `string`, or every variable when there is no schema).
    public let freeTextVariables: Set<String>
    public let options: RuleOptions
    /// Session memo for local rules, and what besides the segment their findings depend on.
    public internal(set) var memo: RuleMemo?
    public internal(set) var memoSalt = ""

    /// A context for one segment, sharing this context's flags (for local rules).
    func restricted(to segment: ProseSegment) -> RuleContext {
        let context = RuleContext(
            text: text, prose: [segment], countTokens: countTokens, boundedTaskReason: boundedTaskReason,
            isReasoningModel: isReasoningModel, options: options, pieces: [], freeTextVariables: freeTextVariables)
        context.wordsBySegment[segment.utf8Start] = wordsBySegment[segment.utf8Start]
        context.memo = memo
        return context
    }

    /// The parsed prompt, its model, counts and costs; nil when rules run on bare prose (tests).
    public internal(set) var prompt: PromptFacts?
    /// Counts tokens the way the prompt's model is billed (exact or estimated).
    public let countTokens: (String) -> Int
    /// Why the task is bounded (classification, extraction, yes/no…), when it is.
    public internal(set) var boundedTaskReason: String?
    /// The prompt's model reasons internally (o-series, GPT-5, extended-thinking models).
    public let isReasoningModel: Bool

    package init(
        text: String = "", prose: [ProseSegment], countTokens: @escaping (String) -> Int, boundedTaskReason: String? = nil,
        isReasoningModel: Bool = false, options: RuleOptions = RuleOptions(), pieces: [TemplatePiece] = [],
        freeTextVariables: Set<String> = []
    ) {
        self.text = text
        self.prose = prose
        self.pieces = pieces
        self.freeTextVariables = freeTextVariables
        self.options = options
        self.countTokens = countTokens
        self.boundedTaskReason = boundedTaskReason
        self.isReasoningModel = isReasoningModel
    }

    /// Instruction words of each prose segment, scanned once per analysis (every wording rule reads them).
    private var wordsBySegment: [Int: [Word]] = [:]
    private var cachedSentences: [InstructionSentence]?

    package func words(of segment: ProseSegment) -> [Word] {
        if let cached = wordsBySegment[segment.utf8Start] { return cached }
        let words: [Word]
        if memo != nil {
            let relative = relativeWords(of: segment)
            words = segment.utf8Start == 0 ? relative : relative.map {
                Word(range: $0.range.shifted(by: segment.utf8Start), folded: $0.folded)
            }
        } else {
            words = instructionWords(of: segment)
        }
        wordsBySegment[segment.utf8Start] = words
        return words
    }

    /// The instruction words of a segment with ranges relative to its text, memoized by text, so only
    /// edited chunks are scanned again (and the sentence facts reuse what the wording rules scanned).
    private func relativeWords(of segment: ProseSegment) -> [Word] {
        let compute = {
            instructionWords(of: ProseSegment(text: segment.text, utf8Start: 0, role: segment.role, isExample: segment.isExample),
                             regions: self.quotedRegions(of: segment))
        }
        guard let memo else { return compute() }
        return memo.value(ChunkKey(kind: "words", salt: "\(segment.isExample)", segment: segment), compute: compute)
    }

    /// A segment's text split into sentences (`instructionSentences(in:)`, ranges relative to the
    /// text), memoized by its text: `prose-format` and the sentence-level rules both read it.
    package func relativeSentences(of segment: ProseSegment) -> [Sentence] {
        let compute = { instructionSentences(in: segment.text) }
        return memo.map { $0.value(ChunkKey(kind: "split", salt: "", segment: segment), compute: compute) } ?? compute()
    }

    /// Quoted and example regions of a segment (relative to its text), memoized by its text: the
    /// wording rules, `dev-note` and `prose-format` all read them.
    package func quotedRegions(of segment: ProseSegment) -> [Range<Int>] {
        let compute = { PromptAnalysis.quotedRegions(in: segment.text) }
        return memo.map { $0.value(ChunkKey(kind: "quoted", salt: "", segment: segment), compute: compute) } ?? compute()
    }

    /// The instruction sentences of all prose, computed once per analysis.
    package var sentences: [InstructionSentence] {
        if let cachedSentences { return cachedSentences }
        let sentences = instructionSentences(of: prose, words: words(of:))
        cachedSentences = sentences
        return sentences
    }

    private var cachedFacts: [SentenceFacts]?

    /// Per-sentence facts for the sentence-level rules (duplicates, contradictions), memoized per
    /// chunk: word hashes and directives are computed once per chunk text, not on every keystroke.
    package var sentenceFacts: [SentenceFacts] {
        if let cachedFacts { return cachedFacts }
        var all: [SentenceFacts] = []
        for segment in prose where !segment.isExample {
            let compute = { () -> [SentenceFacts] in
                let local = ProseSegment(text: segment.text, utf8Start: 0, role: segment.role, messageIndex: 0, isExample: false)
                let words = self.relativeWords(of: segment)
                let split = self.relativeSentences(of: segment)
                return instructionSentences(of: [local], words: { _ in words }, sentences: { _ in split })
                    .map { SentenceFacts($0, in: local) }
            }
            let relative = memo.map { $0.value(ChunkKey(kind: "sentences", salt: segment.role, segment: segment), compute: compute) } ?? compute()
            all += relative.map { $0.shifted(by: segment.utf8Start, messageIndex: segment.messageIndex) }
        }
        cachedFacts = all
        return all
    }

    /// Tokens a set of edits saves in `segment`: its count before minus its count after.
    ///
    /// Only a window around the edits is counted, between two points where tiktoken's pre-tokenizer
    /// always splits whatever comes before or after (an ASCII letter followed by ASCII that is neither a
    /// letter nor an apostrophe: no piece pattern of o200k_base or cl100k_base crosses that), so the
    /// difference is the whole segment's. Counting the whole segment for every finding was quadratic
    /// on a long line full of findings. Without such a point within 4 KB, segments up to 64 KB are
    /// counted whole and longer ones get no saving (nil) rather than a slow or wrong one.
    public func tokenSavings(of edits: [TextEdit], in segment: ProseSegment) -> Int? {
        let relative = edits.map {
            TextEdit(range: $0.range.shifted(by: -segment.utf8Start), newText: $0.newText)
        }
        guard let first = relative.map(\.range.start).min(), let last = relative.map(\.range.end).max() else { return 0 }
        var text = segment.text
        let window: UTF8Range? = text.withUTF8 { bytes in
            guard first >= 0, last <= bytes.count else { return nil }
            if let window = tokenizerSafeWindow(around: first..<last, in: bytes) { return window }
            return bytes.count <= 64 * 1024 ? UTF8Range(start: 0, end: bytes.count) : nil
        }
        guard let window else { return nil }
        let local = relative.map { TextEdit(range: $0.range.shifted(by: -window.start), newText: $0.newText) }
        let before = segment.text.utf8Slice(window)
        guard let after = try? TextEdit.apply(local, to: before) else { return nil }
        return countTokens(before) - countTokens(after)
    }

    /// The first segment of `prose` that contains `range`, by binary search when the segments are in
    /// document order (they are; rules call this once per finding, and a linear search each time was
    /// quadratic in prompts with many segments).
    package func segment(containing range: UTF8Range) -> ProseSegment? {
        if sortedProse == nil { sortedProse = isSortedByStart(prose) }
        guard sortedProse == true else { return prose.first { $0.range.contains(range) } }
        var low = 0
        var high = prose.count
        while low < high {
            let middle = (low + high) / 2
            if prose[middle].utf8Start <= range.start { low = middle + 1 } else { high = middle }
        }
        // Only segments ending at or after the range's start can contain it; in document order they are
        // the last one found and those just before it (empty or adjacent): the first of them wins.
        var found: Int?
        var index = low - 1
        while index >= 0 && prose[index].range.end >= range.start {
            if prose[index].range.contains(range) { found = index }
            index -= 1
        }
        return found.map { prose[$0] }
    }

    private var sortedProse: Bool?

    private func isSortedByStart(_ segments: [ProseSegment]) -> Bool {
        zip(segments, segments.dropFirst()).allSatisfy { $0.range.end <= $1.utf8Start }
    }
}

/// A window of `bytes` around `edited` whose ends are split points of the o200k_base and cl100k_base
/// pre-tokenizers in the text before and after the edit (see `RuleContext.tokenSavings`), searched at
/// most 4 KB away; the text's own ends count. Nil when there is none that near.
private func tokenizerSafeWindow(around edited: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> UTF8Range? {
    func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    // A split at `p`: bytes p-1 and p are both outside the edit (so the same before and after it).
    func isSplit(_ p: Int) -> Bool {
        isASCIILetter(bytes[p - 1]) && bytes[p] < 0x80 && !isASCIILetter(bytes[p]) && bytes[p] != 0x27
    }
    let reach = 4096
    var start = edited.lowerBound - 1
    while start > 0 && !isSplit(start) {
        if edited.lowerBound - start > reach { return nil }
        start -= 1
    }
    start = max(start, 0)
    var end = edited.upperBound + 1
    while end < bytes.count && !isSplit(end) {
        if end - edited.upperBound > reach { return nil }
        end += 1
    }
    return UTF8Range(start: start, end: min(end, bytes.count))
}

/// A rule: its descriptor and the check that produces findings (at the rule's default severity; the
/// engine applies configured severities and suppressions afterwards).
public struct Rule: Sendable {
    public var descriptor: RuleDescriptor
    public var check: @Sendable (RuleContext) -> [Finding]
    /// A local rule's findings depend only on one prose segment (and the context's flags), so they are
    /// computed per segment and memoized by its text: after an edit only the edited chunk is re-run.
    public var isLocal: Bool

    public init(_ descriptor: RuleDescriptor, isLocal: Bool = false, check: @escaping @Sendable (RuleContext) -> [Finding]) {
        self.descriptor = descriptor
        self.isLocal = isLocal
        self.check = check
    }
}

/// A memo key: a kind, the flags the value depends on, and a chunk's text (a `TextKey`: hashed and
/// compared as bytes).
struct ChunkKey: Hashable, Sendable {
    let kind: String
    let salt: String
    let text: TextKey

    init(kind: String, salt: String, text: String) {
        self.kind = kind
        self.salt = salt
        self.text = TextKey(text)
    }

    /// A key for a prose segment's text (its hash is already computed).
    init(kind: String, salt: String, segment: ProseSegment) {
        self.kind = kind
        self.salt = salt
        self.text = TextKey(text: segment.text[...], hash: segment.textHash)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(text.hash) }

    static func == (lhs: ChunkKey, rhs: ChunkKey) -> Bool {
        lhs.text.hash == rhs.text.hash && lhs.kind == rhs.kind && lhs.salt == rhs.salt && lhs.text == rhs.text
    }
}

/// Per-chunk results memoized across a session's analyses (local rules' findings, words, sentences,
/// examples…), with ranges relative to the chunk. A key's kind names what is stored (one type per
/// kind). Dropped whole when it grows past its bound.
public final class RuleMemo: Sendable {
    private let entries = Locked<[ChunkKey: any Sendable]>([:])
    static let maximumEntries = 40_000

    public init() {}

    /// The value memoized under `key`, computing and storing it on a miss.
    func value<Value: Sendable>(_ key: ChunkKey, compute: () -> Value) -> Value {
        if let cached = entries.withLock({ $0[key] }) as? Value { return cached }
        let computed = compute()
        entries.withLock { entries in
            if entries.count >= Self.maximumEntries { entries.removeAll(keepingCapacity: true) }
            entries[key] = computed
        }
        return computed
    }
}

extension Finding {
    /// The finding with every range (its own, related, fix edits) moved by `delta` bytes.
    func shifted(by delta: Int) -> Finding {
        var copy = self
        copy.range = range.shifted(by: delta)
        copy.related = related.map { RelatedLocation(path: $0.path, range: $0.path == nil ? $0.range.shifted(by: delta) : $0.range, message: $0.message) }
        copy.fixes = fixes.map { fix in
            var fix = fix
            fix.edits = fix.edits.map { TextEdit(range: $0.range.shifted(by: delta), newText: $0.newText) }
            return fix
        }
        return copy
    }
}

/// What the sentence-level rules need of one instruction sentence.
package struct SentenceFacts: Sendable {
    /// The sentence with its terminating punctuation.
    package var range: UTF8Range
    package var role: String
    package var messageIndex: Int
    package var wordCount: Int
    /// A hash of all its folded words (exact repeats share it).
    package var key: UInt64
    /// Sorted, distinct hashes of its content words (stop words removed), for near-duplicates.
    package var content: [UInt64]
    package var directives: [DirectiveKind]
    /// Whether the sentence is negated (an odd number of negations: "not", "never", "without"…), and the
    /// antonym classes its words take a side in (`+c`/`-c`): "with PII" and "without PII", "is a funny
    /// joke" and "is not a funny joke" are opposites, not repeats.
    package var isNegated = false
    /// Antonym classes (bit `c - 1` for class `c`) the sentence takes the first / the second side of;
    /// bit masks, not arrays, so that copying the facts costs no reference counting.
    package var positiveSides: UInt64 = 0
    package var negativeSides: UInt64 = 0

    init(_ sentence: InstructionSentence, in segment: ProseSegment) {
        range = sentenceRangeWithTerminator(sentence.range, in: segment)
        role = sentence.role
        messageIndex = sentence.messageIndex
        wordCount = sentence.words.count
        // The key is FNV-1a of the words joined by spaces, computed word by word.
        var key: UInt64 = 0xcbf2_9ce4_8422_2325
        var content: [UInt64] = []
        content.reserveCapacity(sentence.words.count)
        var negations = 0
        var positiveSides: UInt64 = 0
        var negativeSides: UInt64 = 0
        for (index, word) in sentence.words.enumerated() {
            if index > 0 { key = (key ^ 0x20) &* 0x100_0000_01b3 }
            for byte in word.folded.utf8 { key = (key ^ UInt64(byte)) &* 0x100_0000_01b3 }
            if let entry = DuplicateInstruction.lexicon[word.folded] {
                if entry.isNegation { negations += 1 }
                let side = entry.side
                if side > 0, side <= 64 { positiveSides |= 1 << UInt64(side - 1) }
                if side < 0, side >= -64 { negativeSides |= 1 << UInt64(-side - 1) }
                if let canonical = entry.canonical { content.append(fnv1a(canonical)) }
            } else {
                content.append(fnv1a(DuplicateInstruction.singular(word.folded)))
            }
        }
        isNegated = negations % 2 == 1
        self.positiveSides = positiveSides
        self.negativeSides = negativeSides
        content.sort()
        // Distinct hashes (sorted, so repeats are adjacent).
        var distinct = 0
        for index in content.indices where distinct == 0 || content[distinct - 1] != content[index] {
            content[distinct] = content[index]
            distinct += 1
        }
        content.removeLast(content.count - distinct)
        self.key = key
        self.content = content
        directives = PromptAnalysis.directives(in: sentence).map(\.kind)
    }

    func shifted(by delta: Int, messageIndex: Int) -> SentenceFacts {
        var copy = self
        copy.range = range.shifted(by: delta)
        copy.messageIndex = messageIndex
        return copy
    }
}

/// FNV-1a over UTF-8 bytes: a fast, stable 64-bit hash for memo keys and word identities.
func fnv1a(_ text: String) -> UInt64 {
    // Over the contiguous bytes when the string has them (native strings, small ones included): the
    // rules hash every word, and iterating `utf8` decoded each byte through the view.
    if let value = text.utf8.withContiguousStorageIfAvailable(fnv1a) { return value }
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return value
}

/// FNV-1a over bytes.
@inline(__always)
func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return value
}

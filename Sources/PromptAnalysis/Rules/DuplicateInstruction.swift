import PromptText

/// `duplicate-instruction`: the same instruction twice, word for word or nearly so. Repetition does not
/// make a model more obedient; it makes every call longer.
enum DuplicateInstruction {
    static let descriptor = RuleDescriptor(
        id: "duplicate-instruction", category: .waste, defaultSeverity: .warning,
        summary: "The same instruction given twice (exact or near-duplicate).",
        explanation: """
            Prompts grow by accretion: a rule added in one place is added again elsewhere, often in a \
            slightly different wording. The second copy is paid for on every call. Sentences of at least \
            four words are compared after case-folding; near-duplicates share at least 80% of their \
            content words. The fix removes an exact repeat; a near-duplicate is only reported, because \
            the two wordings may differ in a detail that matters.
            """,
        example: RuleExample(flagged: "Reply to the customer in formal English.\nKeep the answer under 100 words.\nAlways reply to the customer in formal English.\n", fixed: "Reply to the customer in formal English.\nKeep the answer under 100 words.\n"))

    static let minimumWords = 4
    static let nearDuplicateSimilarity = 0.8
    /// Words too common to indicate that two sentences say the same thing.
    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "is", "are", "be", "it", "this",
        "that", "you", "your", "always", "must", "should", "do", "please", "any", "all", "every", "ever", "under",
        "circumstances", "at", "time", "times", "can", "may", "will", "shall", "make", "sure", "also",
    ]

    /// Words that negate a sentence. A near-duplicate must agree in negation ("is a funny joke" / "is not
    /// a funny joke" differ in one word and mean the opposite).
    static let negations: Set<String> = [
        "not", "no", "never", "don't", "doesn't", "didn't", "won't", "can't", "cannot", "mustn't", "shouldn't",
        "isn't", "aren't", "wasn't", "without", "neither", "nor", "none", "nothing", "avoid", "refrain",
    ]

    /// Antonym pairs as signed classes: two sentences on opposite sides of a class are not repeats.
    static let antonymSides: [String: Int] = {
        let pairs: [(String, String)] = [
            ("include", "exclude"), ("includes", "excludes"), ("allow", "forbid"), ("allowed", "forbidden"),
            ("true", "false"), ("positive", "negative"), ("benign", "malicious"), ("safe", "unsafe"),
            ("before", "after"), ("more", "less"), ("increase", "decrease"), ("accept", "reject"),
            ("enable", "disable"), ("same", "different"), ("above", "below"), ("first", "last"),
            ("maximum", "minimum"), ("add", "remove"), ("yes", "no"), ("with", "without"), ("always", "never"),
            ("relevant", "irrelevant"), ("correct", "incorrect"), ("valid", "invalid"), ("formal", "informal"),
            ("short", "long"), ("funny", "unfunny"), ("agree", "disagree"), ("like", "dislike"), ("pass", "fail"),
            ("higher", "lower"), ("upper", "lower"), ("start", "end"), ("open", "closed"), ("public", "private"),
            ("good", "bad"), ("offensive", "inoffensive"), ("harmful", "harmless"), ("required", "optional"),
        ]
        var sides: [String: Int] = [:]
        for (index, pair) in pairs.enumerated() {
            sides[pair.0] = index + 1
            sides[pair.1] = -(index + 1)
        }
        return sides
    }()

    /// Spellings folded together for near-duplicate comparison: negations are one word, and so are
    /// common synonyms; a plural "s" is dropped. Nil for stop words.
    static func canonicalContentWord(_ word: String) -> String? {
        if let entry = lexicon[word] { return entry.canonical }
        return singular(word)
    }

    /// A word without its plural "s" (not "class", "status", "analysis").
    static func singular(_ word: String) -> String {
        guard word.utf8.count > 4, word.utf8.last == UInt8(ascii: "s") else { return word }
        if word.hasSuffix("ss") || word.hasSuffix("us") || word.hasSuffix("is") { return word }
        return String(word.dropLast())
    }

    /// What the sentence-level rules know about a word, in one table (one lookup per word of every
    /// sentence): its canonical spelling for near-duplicates (nil for a stop word), whether it negates,
    /// and the antonym side it takes.
    struct Lexeme: Sendable {
        var canonical: String?
        var isNegation = false
        var side = 0
    }

    static let lexicon = WordTable<Lexeme>({
        var table: [String: Lexeme] = [:]
        for (word, synonym) in synonyms { table[word, default: Lexeme(canonical: word)].canonical = synonym }
        for word in negations {
            var entry = table[word, default: Lexeme(canonical: word)]
            entry.isNegation = true
            if word != "without" && word != "avoid" { entry.canonical = "not" }
            table[word] = entry
        }
        for (word, side) in antonymSides { table[word, default: Lexeme(canonical: word)].side = side }
        for word in stopWords { table[word, default: Lexeme(canonical: nil)].canonical = nil }
        return table
    }())

    private static let synonyms: [String: String] = [
        "respond": "answer", "reply": "answer", "response": "answer", "replies": "answer", "responses": "answer",
        "answers": "answer", "brief": "short", "concise": "short", "succinct": "short", "utilize": "use",
        "employ": "use", "provide": "give", "supply": "give", "offer": "give", "mention": "say", "state": "say",
        "disclose": "reveal", "share": "reveal", "user": "customer", "customers": "customer", "users": "customer",
        "quote": "say", "ensure": "sure",
    ]

    /// Words in more sentences than this do not nominate near-duplicate candidates (every pair of
    /// sentences sharing "the" is not worth comparing); similarity itself counts every content word.
    static let candidateWordLimit = 48

    static let rule = Rule(descriptor) { context in
        let sentences = context.sentenceFacts.filter { $0.wordCount >= minimumWords }
        return repeats(keys: sentences.map(\.key), contents: sentences.map(\.content)).compactMap { pair in
            let (sentence, original) = (sentences[pair.index], sentences[pair.original])
            guard pair.exact || !areOpposites(sentence, original) else { return nil }
            return finding(sentence, original: original, exact: pair.exact, context: context)
        }
    }

    /// Whether two similar sentences say opposite things: one is negated and the other not, or they take
    /// opposite sides of an antonym pair ("with PII" / "without PII").
    static func areOpposites(_ a: SentenceFacts, _ b: SentenceFacts) -> Bool {
        if a.isNegated != b.isNegated { return true }
        // A class where one sentence takes only one side and the other only the opposite side.
        let onlyPositiveA = a.positiveSides & ~a.negativeSides
        let onlyNegativeA = a.negativeSides & ~a.positiveSides
        let onlyPositiveB = b.positiveSides & ~b.negativeSides
        let onlyNegativeB = b.negativeSides & ~b.positiveSides
        return (onlyPositiveA & onlyNegativeB) != 0 || (onlyNegativeA & onlyPositiveB) != 0
    }

    /// A sentence that repeats an earlier one: word for word (same key), or nearly (the earlier sentence
    /// with the highest content-word Jaccard similarity ≥ `nearDuplicateSimilarity`, the first on ties).
    struct Repeat: Equatable {
        var index: Int
        var original: Int
        var exact: Bool
    }

    /// Finds every repeat in one pass. Near-duplicate candidates come from prefix filtering (the
    /// all-pairs similarity join): with each sentence's words ordered rarest first, two sentences with
    /// Jaccard ≥ t share a word among the first `n − ⌈t·n⌉ + 1` words of each, so only those prefixes
    /// are indexed and probed. Exact, and linear-ish on a 2,000-line prompt instead of pairwise.
    static func repeats(keys: [UInt64], contents: [[UInt64]]) -> [Repeat] {
        // Dense word ids and their frequencies (a flat open-addressing table: word hashes are hashes).
        let total = contents.reduce(0) { $0 + $1.count }
        var table = WordIDs(capacity: total)
        var frequency: [Int32] = []
        var flatIDs: [Int32] = []
        flatIDs.reserveCapacity(total)
        for words in contents {
            for word in words {
                let id = table.id(for: word)
                if Int(id) == frequency.count { frequency.append(0) }
                frequency[Int(id)] += 1
                flatIDs.append(id)
            }
        }

        var result: [Repeat] = []
        var firstByKey = WordIDs(capacity: keys.count)
        var firstIndex: [Int] = []
        var postings = [[Int32]](repeating: [], count: frequency.count)
        var seen = [Int](repeating: -1, count: keys.count)
        var prefix: [Int32] = []
        var candidates: [Int] = []
        var offset = 0
        for index in keys.indices {
            let keyID = Int(firstByKey.id(for: keys[index]))
            let count = contents[index].count
            // The prefix's rare words. Only rare words nominate candidates (every pair sharing "answer"
            // is not worth comparing); rare words come first in the rarest-first order, so they are
            // the first rare words of the prefix, and the pair's rarest shared word is among them
            // whenever the pair shares a rare word and is similar enough.
            prefix.removeAll(keepingCapacity: true)
            for id in flatIDs[offset..<offset + count] where frequency[Int(id)] <= candidateWordLimit { prefix.append(id) }
            offset += count
            if prefix.count > 1 { prefix.sort { (frequency[Int($0)], $0) < (frequency[Int($1)], $1) } }
            prefix.removeLast(max(0, prefix.count - prefixLength(count)))
            defer {
                if keyID == firstIndex.count { firstIndex.append(index) }
                for id in prefix { postings[Int(id)].append(Int32(index)) }
            }
            if keyID < firstIndex.count {
                result.append(Repeat(index: index, original: firstIndex[keyID], exact: true))
                continue
            }
            guard count >= minimumWords else { continue }
            candidates.removeAll(keepingCapacity: true)
            for id in prefix {
                for other in postings[Int(id)] where seen[Int(other)] != index {
                    seen[Int(other)] = index
                    candidates.append(Int(other))
                }
            }
            candidates.sort()
            var best: (index: Int, similarity: Double)?
            for other in candidates {
                let similarity = jaccard(contents[index], contents[other], atLeast: nearDuplicateSimilarity)
                if similarity >= nearDuplicateSimilarity, similarity > (best?.similarity ?? 0) { best = (other, similarity) }
            }
            if let best { result.append(Repeat(index: index, original: best.index, exact: false)) }
        }
        return result
    }

    /// Words of an `n`-word sentence that must hold one shared with any sentence at least
    /// `nearDuplicateSimilarity` similar to it (rounded towards more words: never misses a pair).
    private static func prefixLength(_ count: Int) -> Int {
        let overlap = max(1, Int((nearDuplicateSimilarity * Double(count) - 1e-9).rounded(.up)))
        return max(0, count - overlap + 1)
    }

    /// Jaccard similarity of two sorted, duplicate-free word lists. With `threshold`, a pair that
    /// cannot reach it returns 0 as soon as too many words are unmatched.
    static func jaccard(_ a: [UInt64], _ b: [UInt64], atLeast threshold: Double = 0) -> Double {
        // shared / (|a| + |b| − shared) ≥ t  ⇔  unmatched words ≤ |a| + |b| − 2·shared with shared ≥ t(|a|+|b|)/(1+t).
        let needed = (threshold * Double(a.count + b.count) / (1 + threshold) - 1e-9).rounded(.up)
        let allowedUnmatched = a.count + b.count - 2 * max(0, Int(needed))
        var i = 0
        var j = 0
        var shared = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                shared += 1; i += 1; j += 1
            } else {
                if a[i] < b[j] { i += 1 } else { j += 1 }
                if i + j - 2 * shared > allowedUnmatched { return 0 }
            }
        }
        let union = a.count + b.count - shared
        return union == 0 ? 0 : Double(shared) / Double(union)
    }

    private static func finding(
        _ sentence: SentenceFacts, original: SentenceFacts, exact: Bool, context: RuleContext
    ) -> Finding {
        guard let segment = context.segment(containing: sentence.range) else {
            return Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity, message: "", range: sentence.range)
        }
        let range = sentence.range
        let text = segment.text.utf8Slice(range.shifted(by: -segment.utf8Start))
        var finding = Finding(
            ruleID: descriptor.id, severity: descriptor.defaultSeverity,
            message: exact ? "This instruction repeats an earlier one word for word" : "This instruction nearly repeats an earlier one",
            range: range,
            related: [RelatedLocation(range: original.range, message: exact ? "first given here" : "similar instruction here")],
            tokenSavings: context.countTokens(text), isUnnecessary: exact)
        if let edits = phraseRemovalEdits(removing: range, in: segment) {
            finding.fixes = [Fix(title: "Remove the repeated instruction", edits: edits, isSafe: exact)]
        }
        return finding
    }
}

/// Extends a sentence's word range over the punctuation that ends it.
/// (Once per sentence: it reads the segment's own bytes from the sentence's end, never a copy of the
/// segment, which was quadratic on a long line of many sentences.)
package func sentenceRangeWithTerminator(_ range: UTF8Range, in segment: ProseSegment) -> UTF8Range {
    let view = segment.text.utf8
    var end = range.end - segment.utf8Start
    var index = view.index(view.startIndex, offsetBy: min(max(end, 0), view.count))
    while index < view.endIndex, [0x2E, 0x21, 0x3F].contains(view[index]) {
        end += 1
        index = view.index(after: index)
    }
    return UTF8Range(start: range.start, end: segment.utf8Start + end)
}

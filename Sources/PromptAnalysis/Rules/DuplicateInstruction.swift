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
        example: ("Answer in English. Keep answers short.\nAlways answer in English.", "Answer in English. Keep answers short."))

    static let minimumWords = 4
    static let nearDuplicateSimilarity = 0.8
    /// Words too common to indicate that two sentences say the same thing.
    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "is", "are", "be", "it", "this",
        "that", "you", "your", "always", "must", "should", "do", "please",
    ]

    /// Words in more sentences than this do not nominate near-duplicate candidates (every pair of
    /// sentences sharing "the" is not worth comparing); similarity itself counts every content word.
    static let candidateWordLimit = 48

    static let rule = Rule(descriptor) { context in
        let sentences = context.sentenceFacts.filter { $0.wordCount >= minimumWords }
        var frequency: [UInt64: Int] = [:]
        for sentence in sentences { for word in sentence.content { frequency[word, default: 0] += 1 } }
        var findings: [Finding] = []
        var firstByKey: [UInt64: Int] = [:]
        var postings: [UInt64: [Int]] = [:]
        for index in sentences.indices {
            let sentence = sentences[index]
            defer {
                if firstByKey[sentence.key] == nil { firstByKey[sentence.key] = index }
                for word in sentence.content where frequency[word, default: 0] <= candidateWordLimit {
                    postings[word, default: []].append(index)
                }
            }
            if let first = firstByKey[sentence.key] {
                findings.append(finding(sentence, original: sentences[first], exact: true, context: context))
                continue
            }
            guard sentence.content.count >= minimumWords else { continue }
            var candidates = Set<Int>()
            for word in sentence.content { candidates.formUnion(postings[word] ?? []) }
            var best: (index: Int, similarity: Double)?
            for other in candidates.sorted() {
                let similarity = jaccard(sentence.content, sentences[other].content)
                if similarity >= nearDuplicateSimilarity, similarity > (best?.similarity ?? 0) { best = (other, similarity) }
            }
            if let best {
                findings.append(finding(sentence, original: sentences[best.index], exact: false, context: context))
            }
        }
        return findings
    }

    /// Jaccard similarity of two sorted, duplicate-free word lists.
    private static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        var i = 0
        var j = 0
        var shared = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] { shared += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        let union = a.count + b.count - shared
        return union == 0 ? 0 : Double(shared) / Double(union)
    }

    private static func finding(
        _ sentence: SentenceFacts, original: SentenceFacts, exact: Bool, context: RuleContext
    ) -> Finding {
        guard let segment = context.prose.first(where: { $0.range.contains(sentence.range) }) else {
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
package func sentenceRangeWithTerminator(_ range: UTF8Range, in segment: ProseSegment) -> UTF8Range {
    let bytes = Array(segment.text.utf8)
    var end = range.end - segment.utf8Start
    while end < bytes.count, [0x2E, 0x21, 0x3F].contains(bytes[end]) { end += 1 }
    return UTF8Range(start: range.start, end: segment.utf8Start + end)
}

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

    static let rule = Rule(descriptor) { context in
        let sentences = instructionSentences(of: context.prose).filter { $0.words.count >= minimumWords }.map {
            sentence in
            var sentence = sentence
            if let segment = context.prose.first(where: { $0.range.contains(sentence.range) }) {
                sentence.range = sentenceRangeWithTerminator(sentence.range, in: segment)
            }
            return sentence
        }
        var findings: [Finding] = []
        var firstByKey: [String: Int] = [:]
        var contentSets: [Set<String>] = []
        var postings: [String: [Int]] = [:]
        for (index, sentence) in sentences.enumerated() {
            let key = sentence.words.map(\.folded).joined(separator: " ")
            let content = Set(sentence.words.map(\.folded).filter { !stopWords.contains($0) })
            contentSets.append(content)
            defer {
                if firstByKey[key] == nil { firstByKey[key] = index }
                for word in content { postings[word, default: []].append(index) }
            }
            if let first = firstByKey[key] {
                findings.append(finding(sentences[index], original: sentences[first], exact: true, context: context))
                continue
            }
            guard content.count >= minimumWords else { continue }
            var overlaps: [Int: Int] = [:]
            for word in content { for other in postings[word] ?? [] { overlaps[other, default: 0] += 1 } }
            let best = overlaps.compactMap { other, shared -> (Int, Double)? in
                let union = content.count + contentSets[other].count - shared
                let similarity = Double(shared) / Double(union)
                return similarity >= nearDuplicateSimilarity ? (other, similarity) : nil
            }.max { ($0.1, -$0.0) < ($1.1, -$1.0) }
            if let (other, _) = best {
                findings.append(finding(sentences[index], original: sentences[other], exact: false, context: context))
            }
        }
        return findings
    }

    private static func finding(
        _ sentence: InstructionSentence, original: InstructionSentence, exact: Bool, context: RuleContext
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

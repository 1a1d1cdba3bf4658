import PromptText

/// The shared shape of wording rules (scaffolding, politeness, reasoning scaffolds): a phrase list
/// matched over instruction words, each match reported with a removal fix when one is grammatical.
struct PhraseRuleSpec: Sendable {
    var descriptor: RuleDescriptor
    var matcher: PhraseMatcher
    /// The finding message for a matched phrase (quoted as written in the prompt).
    var message: @Sendable (_ phrase: String) -> String
    /// The text a match extends to before removal, e.g. a whole "Thank you …" sentence.
    var removalRange: @Sendable (_ match: PhraseMatch, _ words: [Word], _ segment: ProseSegment) -> UTF8Range = {
        match, _, _ in match.range
    }
    /// Whether removing a match leaves a sentence ("You are a helpful assistant that triages bugs" without
    /// its subject and verb does not): when not, the finding has no fix and says what to do instead.
    var removalKeepsSentence: @Sendable (_ match: PhraseMatch, _ segment: ProseSegment) -> Bool = { _, _ in true }
    /// What to do when the match cannot simply be removed.
    var rewriteAdvice = ""
    /// Whether a match is an instruction at all (a scaffold mentioned in a condition is not one).
    var accepts: @Sendable (_ match: PhraseMatch, _ segment: ProseSegment) -> Bool = { _, _ in true }

    func findings(in context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for segment in context.prose {
            let words = context.words(of: segment)
            guard !words.isEmpty else { continue }
            for match in matcher.matches(in: words, text: segment.text, baseOffset: segment.utf8Start) where accepts(match, segment) {
                let phrase = segment.text.utf8Slice(match.range.shifted(by: -segment.utf8Start))
                let removal = removalRange(match, words, segment)
                var finding = Finding(
                    ruleID: descriptor.id, severity: descriptor.defaultSeverity, message: message(phrase),
                    range: match.range, isUnnecessary: true)
                guard removalKeepsSentence(match, segment) else {
                    finding.message += rewriteAdvice
                    findings.append(finding)
                    continue
                }
                if let edits = phraseRemovalEdits(removing: removal, in: segment) {
                    finding.fixes = [Fix(title: "Remove “\(phrase)”", edits: edits, isSafe: true)]
                    finding.tokenSavings = context.tokenSavings(of: edits, in: segment)
                }
                findings.append(finding)
            }
        }
        return findings
    }
}

extension String {
    /// The text of a UTF-8 range of this string (ranges that split a scalar are repaired, never crash).
    /// Costs the length of the range, not of the string (rules call it once per finding: copying the
    /// whole text each time was quadratic on a long line full of findings).
    package func utf8Slice(_ range: UTF8Range) -> String {
        let view = utf8
        let lower = max(0, min(range.start, view.count))
        let upper = max(lower, min(range.end, view.count))
        let start = view.index(view.startIndex, offsetBy: lower)
        return String(decoding: view[start..<view.index(start, offsetBy: upper - lower)], as: UTF8.self)
    }
}

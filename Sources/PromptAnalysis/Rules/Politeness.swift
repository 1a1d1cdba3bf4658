import PromptText

/// `politeness`: "please", "kindly", "thank you", "could you", "I'd like you to". Harmless, but each is
/// a few tokens on every call; reported as info by default.
enum Politeness {
    static let descriptor = RuleDescriptor(
        id: "politeness", category: .waste, defaultSeverity: .info,
        summary: "Politeness tokens (“please”, “kindly”, “thank you”) paid for on every call.",
        explanation: """
            Models follow instructions without courtesy words; each one is a token or two on every call. \
            Courtesy inside quoted text, code, dialogue lines (`User: …`) and few-shot examples is data, \
            not instruction, and is not flagged. The fix removes the word and repairs capitalisation \
            (“Please summarize” → “Summarize”); a sentence that is only thanks is removed whole.
            """,
        example: RuleExample(flagged: "Please summarize the ticket. Thank you!\n", fixed: "Summarize the ticket.\n"))

    static let phrases = [
        "please",
        "kindly",
        "(many)? thanks (in advance)?",
        "thank you (in advance)?",
        "i'd like you to",
        "i would like you to",
        "i'd appreciate it if you (could)?",
        "i would appreciate it if you (could)?",
        "if you don't mind",
        "if you do not mind",
        "would you be so kind as to",
    ]

    static let rule = Rule(descriptor, isLocal: true) { context in spec.findings(in: context) }

    private static let spec = PhraseRuleSpec(
        descriptor: descriptor, matcher: PhraseMatcher(phrases),
        message: { phrase in "“\(phrase)” is politeness the model does not need" },
        removalRange: { match, words, segment in
            // A sentence that starts with thanks is only thanks: remove it to its end.
            let first = words[match.firstWord].folded
            guard first == "thank" || first == "thanks" else { return match.range }
            // Scanned in the segment's own bytes from the match on (a copy per match was quadratic).
            let view = segment.text.utf8
            var end = match.range.end - segment.utf8Start
            var index = view.index(view.startIndex, offsetBy: min(end, view.count))
            while index < view.endIndex, ![0x2E, 0x21, 0x0A].contains(view[index]) {
                end += 1
                index = view.index(after: index)
            }
            return UTF8Range(start: match.range.start, end: segment.utf8Start + end)
        })
}

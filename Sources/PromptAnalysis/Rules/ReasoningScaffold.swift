import PromptText

/// `reasoning-scaffold`: "think step by step" and similar on bounded tasks (classification, extraction,
/// labelling) and on reasoning models, where it buys nothing but output tokens.
enum ReasoningScaffold {
    static let descriptor = RuleDescriptor(
        id: "reasoning-scaffold", category: .waste, defaultSeverity: .warning,
        summary: "“Think step by step” on a bounded task or a reasoning model.",
        explanation: """
            Chain-of-thought prompting helps open-ended multi-step problems on non-reasoning models. On a \
            bounded task — a label, an enum, a yes/no, an extraction into a schema — it makes the model \
            write (and bill) reasoning text it then throws away, and on reasoning models (o-series, \
            GPT-5, extended thinking) the model already reasons internally; OpenAI's reasoning guide \
            advises against asking it to. The rule fires only when the task is bounded or the model \
            reasons.
            """,
        example: RuleExample(flagged: "Classify the ticket as bug or feature. Think step by step.\n\n{{ticket}}\n", fixed: "Classify the ticket as bug or feature.\n\n{{ticket}}\n"))

    /// Ways of saying "proceed one step at a time" (the pace words of a reasoning scaffold).
    private static let pace = "(step by step|one step at a time|one point at a time|point by point|piece by piece|stage by stage|bit by bit|in small steps|methodically|systematically)"
    /// What the reasoning is about, between the verb and the pace ("work through this", "reason it out").
    private static let object = "(this|it|things|everything|the problem|through|out|carefully|it all)"

    /// A class of phrasings, not a list of sentences: a thinking verb, up to two words of object, and a
    /// pace ("let's work through this step-by-step", "reason it through one point at a time"); asking for
    /// the reasoning to be shown; thinking hard or first.
    static let phrases = [
        "(let's|lets|let us) (think|work|reason|go|walk) \(object)? \(object)? \(pace)",
        "(think|work|reason|go|walk|proceed|reflect|move) \(object)? \(object)? \(pace)",
        "(take|solve|tackle|approach|analyze|analyse) (it|this|things|the problem|this problem|each part)? \(pace)",
        "break (it|this|the problem|this problem)? down into (steps|small steps|smaller steps)",
        "break (it|this|the problem|this problem)? down \(pace)",
        "(show|explain|give|write out|lay out|share) (me)? (your|all your|all of your) (reasoning|work|thinking|thought process|chain of thought|steps)",
        "(walk|take) me through your (reasoning|thinking|thought process)",
        "think (carefully|hard|deeply|thoroughly|it over|this over|it through|this through) (about this|about it|before answering|before you answer|before responding|first)?",
        "(first)? think before (you answer|answering|responding|you respond)",
        "reason (carefully|it through|through it|this through|it out|this out)",
        "explain your reasoning (before answering)?",
    ]

    static let rule = Rule(descriptor, isLocal: true) { context in
        let reason: String
        if context.isReasoningModel {
            reason = "the model already reasons internally"
        } else if let bounded = context.boundedTaskReason {
            reason = "the task is bounded (\(bounded))"
        } else {
            return []
        }
        var spec = PhraseRuleSpec(
            descriptor: descriptor, matcher: matcher,
            message: { phrase in "“\(phrase)” buys nothing here: \(reason)" })
        spec.accepts = { match, segment in !isConditional(match.range.start - segment.utf8Start, in: Array(segment.text.utf8)) }
        return spec.findings(in: context)
    }

    private static let matcher = PhraseMatcher(phrases)

    /// Words that make what follows them in a sentence a condition or a prohibition, not a scaffold
    /// ("When asked to show your thinking, …", "Do not think step by step; answer directly.").
    private static let conditionWords: Set<String> = [
        "when", "if", "unless", "whenever", "asked", "asks", "says", "not", "don't", "never", "without", "no",
    ]

    /// Whether the sentence holding `offset` puts a condition word before it.
    private static func isConditional(_ offset: Int, in bytes: [UInt8]) -> Bool {
        var start = offset
        while start > 0, ![0x2E, 0x21, 0x3F, 0x0A].contains(bytes[start - 1]) { start -= 1 }
        let before = String(decoding: bytes[start..<max(start, offset)], as: UTF8.self)
        return scanWords(before).contains { conditionWords.contains($0.folded) }
    }
}

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
        example: ("Classify the ticket as bug or feature. Think step by step.", "Classify the ticket as bug or feature."))

    static let phrases = [
        "(let's|lets)? think (this|it)? (through)? step by step",
        "think (this|it)? through step by step",
        "reason step by step",
        "work (this|it)? out (in a)? step by step (way)?",
        "take it step by step",
        "think carefully (before answering)?",
        "think hard (about this)?",
        "explain your reasoning (before answering)?",
        "show your (reasoning|work)",
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
        let spec = PhraseRuleSpec(
            descriptor: descriptor, matcher: matcher,
            message: { phrase in "“\(phrase)” buys nothing here: \(reason)" })
        return spec.findings(in: context)
    }

    private static let matcher = PhraseMatcher(phrases)
}

import PromptText

/// `scaffolding`: ceremonial phrases that carry no task information ("You are a helpful assistant",
/// "take a deep breath", "As an AI language model"). Modern chat models are already tuned to be
/// helpful assistants; these phrases are paid for on every call and change nothing measurable.
enum Scaffolding {
    static let descriptor = RuleDescriptor(
        id: "scaffolding", category: .waste, defaultSeverity: .warning,
        summary: "Ceremonial phrases that carry no task information.",
        explanation: """
            Phrases such as “You are a helpful assistant”, “Take a deep breath” or “As an AI language \
            model” were folklore for early models. Current chat models are trained to be helpful \
            assistants already, so the phrase changes nothing but the bill: it is sent, and paid for, on \
            every call. A role that carries information (“You are a tax lawyer reviewing leases”) is not \
            flagged. In “You are a helpful assistant that triages bug reports” the phrase is flagged \
            without a fix: deleting it would leave “that triages bug reports”; rewrite it as an \
            instruction. The fix removes the sentence when the phrase is all there is to it.
            """,
        example: RuleExample(flagged: "You are a helpful assistant. Summarize the ticket.\n", fixed: "Summarize the ticket.\n"))

    static let phrases = [
        "you are (a|an) (helpful|friendly|useful|smart|intelligent|capable|knowledgeable|honest|harmless)? (and)? (helpful|friendly|useful|honest|harmless)? (ai)? (assistant|chatbot|bot)",
        "you are (a|an) (helpful|friendly|useful|honest|harmless)? (ai|ai-powered) (language)? model",
        "you are chatgpt",
        "take a deep breath",
        "take a deep breath and",
        "as an ai (language)? model",
        "as a large language model",
        "i want you to",
        "i need you to",
        "your task is as follows",
        "here is your task",
        "do your best",
        "try your best",
        "this is very important to my career",
        "i will tip you",
        "let's get started",
        "without further ado",
    ]

    static let rule = Rule(descriptor, isLocal: true) { context in spec.findings(in: context) }

    private static let spec = PhraseRuleSpec(
        descriptor: descriptor, matcher: PhraseMatcher(phrases),
        message: { phrase in "“\(phrase)” is ceremony the model does not need" },
        removalKeepsSentence: { match, segment in
            // "You are a helpful assistant that triages bug reports" / "…with access to these tools": the
            // role phrase is the sentence's subject and verb, so it cannot just be deleted.
            guard isRolePhrase(match.patternIndex) else { return true }
            return endsSentence(after: match.range.end - segment.utf8Start, in: Array(segment.text.utf8))
        },
        rewriteAdvice: "; the rest of the sentence needs it as subject, so rewrite the sentence as an instruction (no automatic fix)")

    /// The "you are …" patterns (a role, complete only at the sentence end).
    private static func isRolePhrase(_ patternIndex: Int) -> Bool { phrases[patternIndex].hasPrefix("you are") }

    /// Whether only a terminator (and spaces) follows `offset`: `.`, `!`, `?`, a line end, the text end.
    private static func endsSentence(after offset: Int, in bytes: [UInt8]) -> Bool {
        var index = offset
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        return index >= bytes.count || [0x2E, 0x21, 0x3F, 0x0A, 0x0D].contains(bytes[index])
    }
}

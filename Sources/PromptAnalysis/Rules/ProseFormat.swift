import PromptText

/// `prose-format`: output-format rules written in prose that belong in the frontmatter's output schema.
enum ProseFormat {
    static let descriptor = RuleDescriptor(
        id: "prose-format", category: .waste, defaultSeverity: .warning,
        summary: "Output-format rules written in prose that belong in an output schema.",
        explanation: """
            “Respond in JSON with the keys …”, “Answer with one of: positive, negative, neutral”, “The \
            summary must be under 500 characters”: prose format rules are paid for on every call and \
            only request a shape, while Dotprompt's `output: {format: json, schema: …}` declares it — \
            providers with structured output enforce it, and the prose can go. The code action \
            “Move format rules to an output schema” writes the schema (Picoschema by default, JSON \
            Schema when `schemaStyle: jsonSchema` or when a limit needs it) and deletes the sentences it \
            fully represents; sentences it cannot fully convert are left untouched.
            """,
        example: RuleExample(flagged: "---\nmodel: openai/gpt-4o\n---\nClassify {{ticket}}.\nRespond in JSON with the keys \"category\" and \"confidence\".\n", fixed: "---\nmodel: openai/gpt-4o\noutput:\n  format: json\n  schema:\n    category: string\n    confidence: number\n---\nClassify {{ticket}}.\n"))

    static let rule = Rule(descriptor, isLocal: true) { context in
        context.prose.filter { !$0.isExample }.flatMap { segment in
            // Sentences in quoted text, code and examples are data, not format rules.
            let quoted = context.quotedRegions(of: segment)
            let sentences = context.relativeSentences(of: segment).map { $0.shifted(by: segment.utf8Start) }.filter { sentence in
                let start = sentence.utf8Range.start - segment.utf8Start
                return !quoted.contains { $0.contains(start) }
            }
            // One extraction gives both the format-rule sentences and which of them convert (the rule
            // ran it twice, a sixth of a whole `check`).
            let extraction = extractOutputSchema(from: sentences)
            let converted = Set(extraction.converted.map(\.utf8Range))
            return extraction.formatRuleSentences.map { sentence in
                let convertible = converted.contains(sentence.utf8Range)
                return Finding(
                    ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                    message: convertible
                        ? "Output format rule in prose: move it to an output schema"
                        : "Output format rule in prose: state it in the output schema instead",
                    range: sentence.utf8Range,
                    tokenSavings: convertible ? context.countTokens(sentence.text) : nil)
            }
        }
    }
}

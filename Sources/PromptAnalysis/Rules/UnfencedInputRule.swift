import PromptText

/// `unfenced-input`: free-text input inserted with no delimiter while instructions follow it.
enum UnfencedInputRule {
    static let descriptor = RuleDescriptor(
        id: "unfenced-input", category: .security, defaultSeverity: .info,
        summary: "Free-text input inserted without delimiters while instructions follow it.",
        explanation: """
            When user text is pasted into a prompt with nothing marking where it ends, text inside it \
            that looks like an instruction is read as one. Wrapping the input in tags named after the \
            variable (`<question>…</question>`) tells the model where data stops and instructions \
            resume. The fix adds the tags.
            """,
        example: RuleExample(flagged: "Question: {{question}}\nAnswer briefly and cite the manual.\n", fixed: "Question:\n<question>\n{{question}}\n</question>\nAnswer briefly and cite the manual.\n"))

    static let rule = Rule(descriptor) { context in
        findUnfencedInputs(pieces: context.pieces, freeTextVariables: context.freeTextVariables).map { input in
            Finding(
                ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                message: "Input {{\(input.variableName)}} has no delimiters and instructions follow it; wrap it in <\(input.tagName)> tags",
                range: input.range,
                fixes: [Fix(title: "Wrap {{\(input.variableName)}} in <\(input.tagName)> tags",
                            edits: input.edits.map { TextEdit(range: $0.range, newText: $0.replacement) }, isSafe: false)])
        }
    }
}

import PromptSyntax
import PromptText

/// What rules about templates, models and costs read: the syntax tree, frontmatter facts, the model
/// profile, counts and costs.
public struct PromptFacts {
    let document: PromptDocument
    let view: TemplateView
    let frontmatter: FrontmatterFacts
    let model: ModelProfile
    let cost: PromptCost
    let configuration: Configuration
    let partials: [PartialUse]
    let staticPrefixTokens: Int

    /// The edit adding `config.<key>: <value>`, checked to keep the frontmatter valid with the same
    /// meaning plus the entry (nil when there is no frontmatter or no safe place; see FrontmatterEdits).
    func configInsertion(_ key: String, value: String, text: String) -> TextEdit? {
        configEntryEdit(key: key, value: value, document: document, text: text)
    }
}

/// `unreadable-file`: reported by `check` for files it cannot analyse (not UTF-8, unreadable, too large).
public enum UnreadableFileRule {
    public static let descriptor = RuleDescriptor(
        id: "unreadable-file", category: .template, defaultSeverity: .error,
        summary: "A prompt file that cannot be analysed (not UTF-8, unreadable, or over the size limit).",
        explanation: "The rest of the run continues; fix the file's encoding or permissions.",
        example: RuleExample(flagged: "Résumé du ticket : {{ticket}}\n", fixed: "Résumé du ticket : {{ticket}}\n", flaggedIsLatin1: true))
}

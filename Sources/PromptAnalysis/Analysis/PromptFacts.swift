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

    /// Where to insert a `config:` entry: inside an existing `config:` block, or a new block at the end
    /// of the frontmatter content (nil when there is no frontmatter).
    func configInsertion(_ key: String, value: String, text: String) -> TextEdit? {
        if let config = frontmatter.configRange {
            // After the `config:` line, indented like the block's first entry (two spaces by default).
            let bytes = Array(text.utf8)
            var lineEnd = config.start
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var indent = "  "
            if lineEnd + 1 < bytes.count {
                var cursor = lineEnd + 1
                var spaces = ""
                while cursor < bytes.count, bytes[cursor] == 0x20 { spaces += " "; cursor += 1 }
                if !spaces.isEmpty { indent = spaces }
            }
            return .insert("\n\(indent)\(key): \(value)", at: lineEnd)
        }
        guard let end = frontmatter.frontmatterContentEnd else { return nil }
        return .insert("config:\n  \(key): \(value)\n", at: end)
    }
}

/// `unreadable-file`: reported by `check` for files it cannot analyse (not UTF-8, unreadable, too large).
enum UnreadableFileRule {
    static let descriptor = RuleDescriptor(
        id: "unreadable-file", category: .template, defaultSeverity: .error,
        summary: "A prompt file that cannot be analysed (not UTF-8, unreadable, or over the size limit).",
        explanation: "The rest of the run continues; fix the file's encoding or permissions.")
}

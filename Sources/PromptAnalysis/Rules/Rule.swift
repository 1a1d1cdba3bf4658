import PromptText

/// Everything `tokenmin explain ID`, the README rule table, SARIF rule metadata and LSP
/// `codeDescription` links say about a rule. The id is stable: configuration, suppressions and
/// baselines depend on it.
public struct RuleDescriptor: Sendable, Hashable {
    public var id: String
    public var category: RuleCategory
    public var defaultSeverity: Severity
    /// One sentence: what the rule finds.
    public var summary: String
    /// Why it matters and what to do, in Markdown paragraphs.
    public var explanation: String
    /// A prompt fragment the rule flags, and the same fragment fixed (empty when not applicable).
    public var example: (flagged: String, fixed: String)

    public init(
        id: String, category: RuleCategory, defaultSeverity: Severity, summary: String, explanation: String,
        example: (flagged: String, fixed: String) = ("", "")
    ) {
        self.id = id
        self.category = category
        self.defaultSeverity = defaultSeverity
        self.summary = summary
        self.explanation = explanation
        self.example = example
    }

    public static func == (lhs: RuleDescriptor, rhs: RuleDescriptor) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// Where the rule's documentation lives (the README's rule table has an anchor per rule).
    public var documentationURL: String { "https://github.com/tokenmin/tokenmin#rule-\(id)" }
}

/// Rule options from configuration (`.tokenmin.yml` `rules:` options), with documented defaults.
public struct RuleOptions: Sendable, Hashable {
    /// Few-shot examples allowed on chat models before `few-shot-oversized` fires.
    public var fewShotLimit: Int = 5
    /// Few-shot examples allowed on reasoning models (OpenAI advises zero-shot for them).
    public var fewShotLimitReasoning: Int = 0
    /// Examples may take at most this share of the prompt's static tokens.
    public var maxExampleShare: Double = 0.6
    /// E-mail domains `pii-in-prompt` accepts besides the documentation domains (example.com…).
    public var allowedEmailDomains: [String] = []
    /// Variables `untrusted-input-in-system` accepts in system messages (a locale, a product name).
    public var trustedVariables: [String] = []

    public init() {}
}

/// Inputs rules read. Built once per analysis; rules must not mutate it.
public final class RuleContext {
    /// The whole document (secrets are found anywhere in a committed file, comments included).
    public let text: String
    public let prose: [ProseSegment]
    /// The template as pieces (text, variables, other) with message roles, for injection rules.
    package let pieces: [TemplatePiece]
    /// Input variables that hold free text (declared `string`, or every variable when there is no schema).
    public let freeTextVariables: Set<String>
    public let options: RuleOptions
    /// The parsed prompt, its model, counts and costs; nil when rules run on bare prose (tests).
    public internal(set) var prompt: PromptFacts?
    /// Counts tokens the way the prompt's model is billed (exact or estimated).
    public let countTokens: (String) -> Int
    /// Why the task is bounded (classification, extraction, yes/no…), when it is.
    public let boundedTaskReason: String?
    /// The prompt's model reasons internally (o-series, GPT-5, extended-thinking models).
    public let isReasoningModel: Bool

    package init(
        text: String = "", prose: [ProseSegment], countTokens: @escaping (String) -> Int, boundedTaskReason: String? = nil,
        isReasoningModel: Bool = false, options: RuleOptions = RuleOptions(), pieces: [TemplatePiece] = [],
        freeTextVariables: Set<String> = []
    ) {
        self.text = text
        self.prose = prose
        self.pieces = pieces
        self.freeTextVariables = freeTextVariables
        self.options = options
        self.countTokens = countTokens
        self.boundedTaskReason = boundedTaskReason
        self.isReasoningModel = isReasoningModel
    }

    /// Tokens a set of edits saves in `segment`: its count before minus its count after.
    public func tokenSavings(of edits: [TextEdit], in segment: ProseSegment) -> Int? {
        let relative = edits.map {
            TextEdit(range: $0.range.shifted(by: -segment.utf8Start), newText: $0.newText)
        }
        guard let after = try? TextEdit.apply(relative, to: segment.text) else { return nil }
        return countTokens(segment.text) - countTokens(after)
    }
}

/// A rule: its descriptor and the check that produces findings (at the rule's default severity; the
/// engine applies configured severities and suppressions afterwards).
public struct Rule: Sendable {
    public var descriptor: RuleDescriptor
    public var check: @Sendable (RuleContext) -> [Finding]

    public init(_ descriptor: RuleDescriptor, check: @escaping @Sendable (RuleContext) -> [Finding]) {
        self.descriptor = descriptor
        self.check = check
    }
}

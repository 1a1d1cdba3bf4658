import PromptText

/// How loudly a finding is reported. `off` exists only in configuration (a rule that does not run).
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info
    case warning
    case error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// What a rule is about; used to group the rule table and for SARIF tags.
public enum RuleCategory: String, Sendable, Codable, CaseIterable {
    /// Tokens that cost money without changing the model's answer.
    case waste
    /// Template and frontmatter errors: the prompt will not render as written.
    case template
    /// Cost and context-window limits.
    case cost
    /// Secrets, personal data and injection-prone templates.
    case security
}

/// A location related to a finding (the other half of a contradiction, the first copy of a duplicate).
public struct RelatedLocation: Sendable, Hashable, Codable {
    /// The file the location is in, when it is not the analysed document (a partial).
    public var path: String?
    public var range: UTF8Range
    public var message: String

    public init(path: String? = nil, range: UTF8Range, message: String) {
        self.path = path
        self.range = range
        self.message = message
    }
}

/// A change that resolves a finding, as edits to the analysed document.
public struct Fix: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case quickFix = "quickfix"
        case refactor = "refactor.rewrite"
        case suppression = "quickfix.suppress"
    }

    public var title: String
    public var kind: Kind
    public var edits: [TextEdit]
    /// Safe fixes are applied by `source.fixAll.tokenmin` and `check --fix`: they never change what the
    /// prompt asks for, only how many tokens it spends asking.
    public var isSafe: Bool

    public init(title: String, kind: Kind = .quickFix, edits: [TextEdit], isSafe: Bool) {
        self.title = title
        self.kind = kind
        self.edits = edits
        self.isSafe = isSafe
    }
}

/// One diagnostic produced by a rule, in UTF-8 ranges of the analysed document.
public struct Finding: Sendable, Hashable {
    public var ruleID: String
    public var severity: Severity
    public var message: String
    public var range: UTF8Range
    public var related: [RelatedLocation]
    public var fixes: [Fix]
    /// Input tokens per call that acting on the finding saves (the preferred fix's before/after count).
    public var tokenSavings: Int?
    /// The flagged text does nothing (editors may fade it: LSP's `Unnecessary` tag).
    public var isUnnecessary: Bool

    public init(
        ruleID: String, severity: Severity, message: String, range: UTF8Range,
        related: [RelatedLocation] = [], fixes: [Fix] = [], tokenSavings: Int? = nil, isUnnecessary: Bool = false
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message
        self.range = range
        self.related = related
        self.fixes = fixes
        self.tokenSavings = tokenSavings
        self.isUnnecessary = isUnnecessary
    }
}

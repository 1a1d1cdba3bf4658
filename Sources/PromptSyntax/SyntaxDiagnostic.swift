// PromptSyntax: the lossless Dotprompt syntax tree. File split (header, frontmatter, body) with
// Dotprompt's fallback rules, a YAML-subset parser with source ranges, the Handlebars template parser and
// message segmentation. Parsing never throws: it returns a tree and a list of syntax diagnostics.
import PromptText

/// How serious a syntax diagnostic is. Errors mean a reference implementation would reject or misread the
/// input; warnings flag text that renders but is probably not what the author meant.
public enum SyntaxSeverity: String, Sendable, Hashable, Codable {
    case error
    case warning
    case information
}

/// A second location that explains a diagnostic (for example the block that a stray closing tag does
/// not match).
public struct RelatedLocation: Sendable, Hashable, Codable {
    public var range: UTF8Range
    public var message: String

    public init(range: UTF8Range, message: String) {
        self.range = range
        self.message = message
    }
}

/// One problem found while parsing, with a stable kebab-case `code` that the rule engine reuses as a
/// rule id (`invalid-yaml`, `unclosed-block`, `unmatched-closing-block`, `unbalanced-brace`, ...).
public struct SyntaxDiagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var severity: SyntaxSeverity
    public var range: UTF8Range
    public var related: [RelatedLocation]

    public init(
        code: String, message: String, severity: SyntaxSeverity = .error, range: UTF8Range,
        related: [RelatedLocation] = []
    ) {
        self.code = code
        self.message = message
        self.severity = severity
        self.range = range
        self.related = related
    }

    public var description: String { "\(severity.rawValue)[\(code)] \(range): \(message)" }
}

/// The diagnostic codes PromptSyntax emits. Kept in one place so that rules and tests can refer to them.
public enum SyntaxCode {
    /// The frontmatter is not valid YAML (Dotprompt then reads the whole file as template text).
    public static let invalidYAML = "invalid-yaml"
    /// Valid YAML that this parser does not support (anchors, aliases, tags, several documents).
    public static let unsupportedYAML = "unsupported-yaml"
    /// Dotprompt ignores what looks like frontmatter and renders it as text.
    public static let frontmatterIgnored = "frontmatter-ignored"
    /// A block (`{{#name}}`, `{{^name}}`, `{{#> name}}`, `{{{{raw}}}}`) that is never closed.
    public static let unclosedBlock = "unclosed-block"
    /// A closing tag with no open block of that name.
    public static let unmatchedClosingBlock = "unmatched-closing-block"
    /// A mustache that is not closed (`{{ x }`), closed with the wrong braces, or a stray `}}` in text.
    public static let unbalancedBrace = "unbalanced-brace"
    /// Anything inside `{{ }}` that Handlebars cannot parse.
    public static let invalidExpression = "invalid-expression"
    /// A `{{!` or `{{!--` comment that is never closed.
    public static let unclosedComment = "unclosed-comment"
    /// A character Handlebars refuses (NUL).
    public static let invalidCharacter = "invalid-character"
    /// Handlebars syntax Dotprompt cannot use (decorators).
    public static let unsupportedSyntax = "unsupported-syntax"
}

import PromptText

/// The frontmatter block of a `.prompt` file as Dotprompt uses it.
public struct Frontmatter: Sendable, Hashable {
    /// From the opening `---` to the start of the body (both delimiters included).
    public var blockRange: UTF8Range
    public var openingDelimiter: UTF8Range
    /// The YAML text (the reference regex's first capture group).
    public var contentRange: UTF8Range
    public var closingDelimiter: UTF8Range
    public var yaml: YAMLDocument

    public init(
        blockRange: UTF8Range, openingDelimiter: UTF8Range, contentRange: UTF8Range, closingDelimiter: UTF8Range,
        yaml: YAMLDocument
    ) {
        self.blockRange = blockRange
        self.openingDelimiter = openingDelimiter
        self.contentRange = contentRange
        self.closingDelimiter = closingDelimiter
        self.yaml = yaml
    }

    /// The root mapping (nil for a comment-only frontmatter).
    public var root: YAMLNode? { yaml.root }

    /// Top-level keys that Dotprompt gives a meaning to, and those Genkit reads from the frontmatter's
    /// `raw` at run time (`maxTurns`, `toolChoice`, `returnToolRequests`, `use`: genkit `js/ai/src/prompt.ts`
    /// `loadPrompt`); `metadata` is the conventional home for tool-specific settings (`metadata.tokenmin`);
    /// a key with a dot (`ext.foo`) is an extension key and always allowed.
    public static let knownTopLevelKeys: [String] = [
        "config", "description", "ext", "input", "maxTurns", "metadata", "model", "name", "output", "raw",
        "returnToolRequests", "toolChoice", "toolDefs", "tools", "use", "variant", "version",
    ]
    /// Keys Dotprompt reads under `input`.
    public static let knownInputKeys: [String] = ["default", "schema"]
    /// Keys Dotprompt reads under `output`.
    public static let knownOutputKeys: [String] = ["format", "schema"]

    /// Whether Dotprompt collects `key` into `ext` (a namespaced key such as `myTool.option`).
    public static func isExtensionKey(_ key: String) -> Bool { key.contains(".") }
}

/// How Dotprompt splits a file: header lines, frontmatter, body, and the template text it renders.
public struct PromptSplit: Sendable, Hashable {
    /// `#` and blank lines before the opening `---` (empty when the file has no frontmatter: Dotprompt
    /// then renders those lines as template text).
    public var header: UTF8Range
    /// The frontmatter Dotprompt uses; nil when there is none or when it is ignored.
    public var frontmatter: Frontmatter?
    /// Why frontmatter-looking text is treated as template text, if it is.
    public var fallback: FrontmatterFallback?
    /// After the closing delimiter (the regex's second group), or the whole file without frontmatter.
    public var body: UTF8Range
    /// What Dotprompt compiles: the trimmed body with frontmatter; the whole file, untrimmed, when the
    /// regex does not match; the whole file trimmed when the YAML is rejected.
    public var templateRange: UTF8Range
    /// `frontmatter-ignored` warnings and YAML diagnostics.
    public var diagnostics: [SyntaxDiagnostic]
}

/// Splits a `.prompt` file the way the reference implementations do, reporting every case where they
/// silently read frontmatter as template text.
public func splitPromptSource(_ text: String) -> PromptSplit { splitPromptSource(bytes: Array(text.utf8)) }

func splitPromptSource(bytes: [UInt8]) -> PromptSplit {
    let whole = UTF8Range(start: 0, end: bytes.count)
    guard let match = matchReferenceFrontmatter(bytes) else {
        var diagnostics: [SyntaxDiagnostic] = []
        let fallback = diagnoseUnmatchedFrontmatter(bytes)
        if let fallback {
            diagnostics.append(
                SyntaxDiagnostic(
                    code: SyntaxCode.frontmatterIgnored, message: fallback.message, severity: .warning,
                    range: fallback.range))
        }
        return PromptSplit(
            header: .empty(at: 0), frontmatter: nil, fallback: fallback, body: whole, templateRange: whole,
            diagnostics: diagnostics)
    }
    let yaml = parseYAML(bytes: bytes, range: match.content)
    let frontmatter = Frontmatter(
        blockRange: UTF8Range(start: match.openingDelimiter.start, end: match.body.start),
        openingDelimiter: match.openingDelimiter, contentRange: match.content,
        closingDelimiter: match.closingDelimiter, yaml: yaml)
    var diagnostics = yaml.diagnostics
    var fallback: FrontmatterFallback?
    if match.content.isEmpty {
        fallback = FrontmatterFallback(
            reason: .emptyFrontmatter, range: frontmatter.blockRange,
            message: "the frontmatter is empty, so Dotprompt reads the '---' lines as template text; remove them",
            ignoredFrontmatter: frontmatter)
    } else if yaml.hasErrors {
        fallback = FrontmatterFallback(
            reason: .invalidYAML, range: frontmatter.blockRange,
            message: "the frontmatter is not valid YAML, so Dotprompt ignores it and sends the whole file to the model as text",
            ignoredFrontmatter: frontmatter)
    } else if let root = yaml.root, root.pairs == nil {
        fallback = FrontmatterFallback(
            reason: .frontmatterNotMapping, range: root.range,
            message: "the frontmatter is not a 'key: value' mapping; the Python and Go implementations then read the whole file as template text",
            ignoredFrontmatter: frontmatter)
    }
    if let fallback {
        diagnostics.append(
            SyntaxDiagnostic(
                code: SyntaxCode.frontmatterIgnored, message: fallback.message, severity: .warning,
                range: fallback.range))
        // Empty frontmatter takes JavaScript's `template: source` path (untrimmed); rejected YAML takes
        // `source.trim()`.
        let template = fallback.reason == .emptyFrontmatter ? whole : bytes.javaScriptTrimmed(whole)
        return PromptSplit(
            header: .empty(at: 0), frontmatter: nil, fallback: fallback, body: whole, templateRange: template,
            diagnostics: diagnostics)
    }
    return PromptSplit(
        header: match.header, frontmatter: frontmatter, fallback: nil, body: match.body,
        templateRange: bytes.javaScriptTrimmed(match.body), diagnostics: diagnostics)
}

import PromptText

/// A parsed `.prompt` file: Dotprompt's split, the frontmatter YAML, the Handlebars template Dotprompt
/// compiles, the message segments and every syntax diagnostic, all with UTF-8 ranges into `text`.
///
/// Files that are not valid UTF-8 should be decoded with `String(decoding:as: UTF8.self)`, which
/// replaces each invalid sequence with U+FFFD; ranges then refer to the decoded text.
public struct PromptDocument: Sendable {
    public var text: String
    public var split: PromptSplit
    public var template: Template
    public var messages: [MessageSegment]
    /// Every `role`, `history`, `section` and `media` use, including nested and block forms.
    public var markers: [PromptMarker]
    /// Split, YAML and template diagnostics, in that order.
    public var diagnostics: [SyntaxDiagnostic]

    public var header: UTF8Range { split.header }
    public var frontmatter: Frontmatter? { split.frontmatter }
    public var frontmatterFallback: FrontmatterFallback? { split.fallback }
    public var body: UTF8Range { split.body }
    public var templateRange: UTF8Range { split.templateRange }

    public func makeLineIndex() -> LineIndex { LineIndex(text) }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Parses a `.prompt` file. Never fails; linear in the size of the text.
public func parsePromptDocument(_ text: String) -> PromptDocument {
    let bytes = Array(text.utf8)
    let split = splitPromptSource(bytes: bytes)
    let template = parseTemplate(bytes: bytes, range: split.templateRange)
    let markers = findMarkers(in: template)
    let messages = segmentMessages(template, markers: markers, bytes: bytes)
    return PromptDocument(
        text: text, split: split, template: template, messages: messages, markers: markers,
        diagnostics: split.diagnostics + template.diagnostics)
}

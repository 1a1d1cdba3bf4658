import PromptSyntax
import PromptText

/// How serious a rendering problem is. Errors are cases where the reference implementations throw
/// (unknown helper, missing partial, bad schema): the result is then a best-effort rendering.
public enum RenderSeverity: String, Sendable, Hashable, Codable {
    case error
    case warning
    case information
}

/// A rendering problem with a stable kebab-case code and the range of the tag (in the rendered
/// document; inside a partial, the range of the outermost partial tag that led there).
public struct RenderDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var severity: RenderSeverity
    public var range: UTF8Range

    public init(code: String, message: String, severity: RenderSeverity = .error, range: UTF8Range) {
        self.code = code
        self.message = message
        self.severity = severity
        self.range = range
    }

    public var description: String { "\(severity.rawValue)[\(code)] \(range): \(message)" }
}

/// The data a prompt is rendered with (Dotprompt's `DataArgument`).
public struct RenderInput: Sendable {
    /// The template variables (`input`); an object.
    public var data: PlainValue
    /// Extra `@` variables (`@state`, `@auth`...): Dotprompt's `context`.
    public var context: PlainValue?
    /// The conversation so far (`messages`), inserted at `{{history}}`.
    public var history: [RenderedMessage]?
    /// Retrieved documents, visible as `@metadata.docs`.
    public var docs: PlainValue?

    public init(
        data: PlainValue = .object([]), context: PlainValue? = nil, history: [RenderedMessage]? = nil,
        docs: PlainValue? = nil
    ) {
        self.data = data
        self.context = context
        self.history = history
        self.docs = docs
    }
}

/// Where partials and named schemas come from, and which extra helpers the application defines.
/// Rendering never touches the network or the file system itself: the resolvers are the caller's.
public struct RenderOptions: Sendable {
    /// Partials registered by name (take precedence over the resolver, as in Dotprompt).
    public var partials: [String: String]
    /// Resolves `{{> name}}` to template text (for example `_name.prompt` in the prompt directory);
    /// the analysis layer decides what may be read.
    public var resolvePartial: @Sendable (String) -> String?
    /// Named schemas for Picoschema (`schema: Person`), looked up before `resolveSchema`.
    public var schemas: [String: SchemaValue]
    public var resolveSchema: @Sendable (String) -> SchemaValue?
    /// Helpers the application registers (Genkit `defineHelper`): they are allowed, render as nothing
    /// and are listed in `RenderResult.unresolvedHelpers`.
    public var externalHelpers: Set<String>
    /// Metadata merged over the frontmatter like the options of Dotprompt's `renderMetadata`
    /// (`model`, `config` (merged one level), `input`, `output`...).
    public var metadataOverrides: PlainValue?
    /// Whether the frontmatter's `input.default` fills missing variables. The reference `render` only
    /// applies `options.input.default`; applications (Genkit) pass the prompt's own defaults there, so
    /// this is on by default.
    public var appliesFrontmatterDefaults: Bool

    public init(
        partials: [String: String] = [:],
        resolvePartial: @escaping @Sendable (String) -> String? = { _ in nil },
        schemas: [String: SchemaValue] = [:],
        resolveSchema: @escaping @Sendable (String) -> SchemaValue? = { _ in nil },
        externalHelpers: Set<String> = [], metadataOverrides: PlainValue? = nil,
        appliesFrontmatterDefaults: Bool = true
    ) {
        self.partials = partials
        self.resolvePartial = resolvePartial
        self.schemas = schemas
        self.resolveSchema = resolveSchema
        self.externalHelpers = externalHelpers
        self.metadataOverrides = metadataOverrides
        self.appliesFrontmatterDefaults = appliesFrontmatterDefaults
    }
}

/// A rendered prompt: Dotprompt's `RenderedPrompt` (the prompt metadata plus messages) and what this
/// renderer knows beyond it (unresolved names, diagnostics, the text before message splitting).
public struct RenderResult: Sendable {
    /// The prompt metadata as Dotprompt resolves it: `ext`, `metadata`, `config`, every reserved
    /// frontmatter key, `raw`, with Picoschema expanded to JSON Schema.
    public var metadata: PlainValue
    public var messages: [RenderedMessage]
    /// The template output before it is split into messages (markers included).
    public var renderedText: String
    /// Top-level input variables the template read but the input lacks, in first-use order. Empty
    /// means the rendering is exact for this input; otherwise their values are unknown ("+ ?").
    public var unresolvedVariables: [String]
    /// Application helpers used (see `RenderOptions.externalHelpers`); their output is unknown.
    public var unresolvedHelpers: [String]
    public var diagnostics: [RenderDiagnostic]

    public var model: String? {
        if case .string(let model)? = metadata["model"] { return model }
        return nil
    }
    public var config: PlainValue { metadata["config"] ?? .object([]) }
    public var output: PlainValue? { metadata["output"] }
    public var input: PlainValue? { metadata["input"] }
    public var ext: PlainValue { metadata["ext"] ?? .object([]) }
    public var raw: PlainValue? { metadata["raw"] }
    public var outputSchema: SchemaValue? { output?["schema"].map(SchemaValue.init) }
    public var inputSchema: SchemaValue? { input?["schema"].map(SchemaValue.init) }
    /// Whether the reference implementations would fail to render (they throw where this reports errors).
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The result in the reference `render()` shape, for output: `model`, `config`, `messages`,
    /// `output`, `ext`, then the other prompt metadata keys (without `input`, `raw` and `metadata`).
    public var renderedPromptJSON: PlainValue {
        var members: [PlainValue.Member] = []
        if let model = metadata["model"] { members.append(.init(key: "model", value: model)) }
        members.append(.init(key: "config", value: config))
        members.append(.init(key: "messages", value: .array(messages.map(\.plainValue))))
        if let output { members.append(.init(key: "output", value: output)) }
        members.append(.init(key: "ext", value: ext))
        if case .object(let all) = metadata {
            let shown: Set<String> = ["model", "config", "output", "ext", "input", "raw", "metadata"]
            members += all.filter { !shown.contains($0.key) }
        }
        return .object(members)
    }
}

/// Frontmatter keys Dotprompt copies into the prompt metadata (`RESERVED_METADATA_KEYWORDS`).
private let reservedMetadataKeys: Set<String> = [
    "config", "description", "ext", "input", "model", "name", "output", "raw", "toolDefs", "tools", "variant",
    "version",
]

extension Array where Element == PlainValue.Member {
    fileprivate mutating func set(_ key: String, _ value: PlainValue) {
        if let index = firstIndex(where: { $0.key == key }) {
            self[index].value = value
        } else {
            append(PlainValue.Member(key: key, value: value))
        }
    }
}

/// The members a JavaScript object spread (`{...value}`) copies.
private func spreadMembers(_ value: PlainValue?) -> [PlainValue.Member] {
    switch value {
    case .object(let members)?: return members
    case .array(let items)?:
        return items.enumerated().map { .init(key: String($0.offset), value: $0.element) }
    case .string(let text)?:
        return Array(text.utf16).enumerated().map {
            .init(key: String($0.offset), value: .string(String(decoding: [$0.element], as: UTF16.self)))
        }
    default: return []
    }
}

private func merged(_ layers: [PlainValue?]) -> PlainValue {
    var members: [PlainValue.Member] = []
    for layer in layers { for member in spreadMembers(layer) { members.set(member.key, member.value) } }
    return .object(membersInJavaScriptOrder(members))
}

/// Resolves the prompt metadata as Dotprompt's `parseDocument` + `renderMetadata` do.
private func promptMetadata(
    _ document: PromptDocument, _ options: RenderOptions, diagnostics: inout [RenderDiagnostic]
)
    -> PlainValue
{
    var out: [PlainValue.Member] = [
        .init(key: "ext", value: .object([])), .init(key: "metadata", value: .object([])),
        .init(key: "config", value: .object([])),
    ]
    if let frontmatter = document.frontmatter {
        let root = frontmatter.root?.plainValue
        var ext: [PlainValue.Member] = []
        for member in spreadMembers(root) {
            if reservedMetadataKeys.contains(member.key) {
                out.set(member.key, member.value)
            } else if let dot = member.key.lastIndex(of: ".") {
                // `convertNamespacedEntryToNestedObject`: one level, split at the last dot.
                let namespace = String(member.key[..<dot])
                let field = String(member.key[member.key.index(after: dot)...])
                var fields: [PlainValue.Member] = []
                if case .object(let existing)? = ext.first(where: { $0.key == namespace })?.value {
                    fields = existing
                }
                fields.set(field, member.value)
                ext.set(namespace, .object(fields))
            }
        }
        out.set("raw", .object(spreadMembers(root)))
        out.set("ext", .object(ext))
    }
    // `resolveMetadata`: shallow merges, `config` merged one level.
    if let overrides = options.metadataOverrides {
        let originalConfig = out.first { $0.key == "config" }?.value
        for member in spreadMembers(overrides) { out.set(member.key, member.value) }
        out.set("config", merged([originalConfig, overrides["config"]]))
    }
    // `resolveTools`: with no registered tools every name stays in `tools`, and `toolDefs` appears.
    if let tools = out.first(where: { $0.key == "tools" })?.value, isTruthy(tools) {
        if out.first(where: { $0.key == "toolDefs" }) == nil
            || !isTruthy(out.first { $0.key == "toolDefs" }?.value)
        {
            out.set("toolDefs", .array([]))
        }
        if case .array = tools {
        } else {
            diagnostics.append(
                RenderDiagnostic(
                    code: "invalid-metadata", message: "'tools' must be a list of tool names",
                    range: keyRange(document, ["tools"])))
        }
    }
    // `renderPicoschema`.
    for section in ["input", "output"] {
        guard let index = out.firstIndex(where: { $0.key == section }),
            case .object(var members) = out[index].value,
            let schema = members.last(where: { $0.key == "schema" })?.value, isTruthy(schema)
        else { continue }
        let result = picoschemaToJSONSchema(SchemaValue(schema)) { name in
            options.schemas[name] ?? options.resolveSchema(name)
        }
        switch result {
        case .success(let converted):
            if converted != .null {
                members.set("schema", PlainValue(converted))
                out[index].value = .object(members)
            }
        case .failure(let error):
            diagnostics.append(
                RenderDiagnostic(
                    code: "invalid-schema", message: error.message,
                    range: keyRange(document, [section, "schema"])))
        }
    }
    return .object(out)
}

/// The range of a frontmatter value, or of the frontmatter, or the start of the file.
private func keyRange(_ document: PromptDocument, _ path: [String]) -> UTF8Range {
    document.frontmatter?.root?.value(at: path)?.range ?? document.frontmatter?.contentRange ?? .empty(at: 0)
}

/// Renders a parsed `.prompt` file as Dotprompt does: resolves the metadata (frontmatter, `ext`,
/// Picoschema), evaluates the template with the input (defaults merged in), and splits the output into
/// messages. Never throws: unknown helpers, missing partials and bad schemas become diagnostics and the
/// result is the best-effort rendering. Input values the template reads but `input` lacks are listed in
/// `unresolvedVariables`, so rendering with empty data gives the static text plus the unknowns.
public func renderPrompt(
    _ document: PromptDocument, input: RenderInput = RenderInput(), options: RenderOptions = RenderOptions()
)
    -> RenderResult
{
    var diagnostics: [RenderDiagnostic] = []
    let metadata = promptMetadata(document, options, diagnostics: &diagnostics)

    var defaults: [PlainValue?] = []
    if options.appliesFrontmatterDefaults {
        defaults.append(document.frontmatter?.root?.value(at: ["input", "default"])?.plainValue)
    }
    defaults.append(options.metadataOverrides?["input"]?["default"])
    let context = merged(defaults + [input.data])

    // `{ data: { metadata: { prompt, docs, messages }, ...context } }`, then Handlebars adds `root`.
    var promptWithoutInput = metadata
    if case .object(let members) = metadata {
        promptWithoutInput = .object(members.filter { $0.key != "input" })
    }
    var metadataMembers: [PlainValue.Member] = [.init(key: "prompt", value: promptWithoutInput)]
    if let docs = input.docs { metadataMembers.append(.init(key: "docs", value: docs)) }
    if let history = input.history {
        metadataMembers.append(.init(key: "messages", value: .array(history.map(\.plainValue))))
    }
    let rootFrame = DataFrame(parent: nil)
    rootFrame.values["metadata"] = .object(metadataMembers)
    for member in spreadMembers(input.context) { rootFrame.values[member.key] = member.value }
    if rootFrame.values["root"] == nil { rootFrame.values["root"] = context }

    let bytes = Array(document.text.utf8)
    let compiled = compileTemplate(document.template, bytes: bytes)
    if let deep = compiled.tooDeep {
        diagnostics.append(
            RenderDiagnostic(
                code: "template-too-deep",
                message:
                    "blocks nest more than \(maximumBlockNesting) levels deep; the template is not rendered",
                range: deep))
    }
    let evaluator = Evaluator(
        partials: options.partials, resolvePartial: options.resolvePartial,
        externalHelpers: options.externalHelpers)
    let scope = Scope(
        depths: [context], data: rootFrame, blockParameters: [], template: compiled, partialBlock: nil,
        anchor: nil, partialStack: [])
    var rendered = ""
    evaluator.run(compiled.root, scope, into: &rendered)
    diagnostics += evaluator.diagnostics

    return RenderResult(
        metadata: metadata, messages: assembleMessages(rendered, history: input.history),
        renderedText: rendered,
        unresolvedVariables: evaluator.unresolvedVariables, unresolvedHelpers: evaluator.unresolvedHelpers,
        diagnostics: diagnostics)
}

/// Renders `.prompt` source text (see `renderPrompt(_:input:options:)`).
public func renderPrompt(
    source: String, input: RenderInput = RenderInput(), options: RenderOptions = RenderOptions()
) -> RenderResult {
    renderPrompt(parsePromptDocument(source), input: input, options: options)
}

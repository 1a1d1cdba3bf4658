import Dotprompt
import Foundation
import PromptSyntax
import PromptText

/// One rendered message of a preview.
public struct PreviewMessage: Sendable, Hashable {
    public var role: String
    /// The rendered text; inputs without a value show as `⟨name⟩`.
    public var text: String
    /// Tokens of the text as rendered (unresolved inputs count as empty), billed (estimates scaled).
    public var tokens: Int
    public var usd: Decimal?
    /// Inputs without a value that this message reads.
    public var unresolvedVariables: [String]
}

/// The prompt rendered with its sample values, message by message, with exact tokens and USD.
public struct PromptPreview: Sendable, Hashable {
    public var model: String?
    public var encoding: String
    /// Whether the counts are exact: the model's own tokenizer and every input has a value.
    public var isExact: Bool
    /// Where the values came from: `input.default`, `metadata.tokenmin.sample`, `NAME.sample.json`.
    public var valueSources: [String]
    public var messages: [PreviewMessage]
    public var unresolvedVariables: [String]
    /// Chat framing (per message and reply priming) and tool definitions.
    public var framingTokens: Int
    public var inputTokens: Int
    public var outputTokens: Int
    public var outputIsDefault: Bool
    public var usdPerCall: Decimal?
    /// Rendering problems Dotprompt would fail on or warn about.
    public var problems: [String]
    /// The preview as a plain-text document (what the editors show).
    public var text: String
}

/// How inputs without a value are shown in a preview.
public func unresolvedMarker(_ name: String) -> String { "⟨\(name)⟩" }

/// Renders the prompt of `analysis` the way the analysis counts it: `input.default` (applied by the
/// renderer), then `metadata.tokenmin.sample`, then the sibling sample file (later wins). Tokens per
/// message come from the rendering in which inputs without a value are empty (as sent); the text
/// shown marks them with `⟨name⟩` (a second rendering with the markers as values, used when it has
/// the same messages).
public func renderPreview(
    _ analysis: DocumentAnalysis, sample: PlainValue?, sampleFileName: String?,
    resolvePartial: @escaping PartialResolver
) -> PromptPreview {
    let document = analysis.document
    let metadataSample = document.frontmatter?.root?.value(at: ["metadata", "tokenmin", "sample"])?.plainValue
    var sources: [String] = []
    if case .object(let defaults)? = document.frontmatter?.root?.value(at: ["input", "default"])?.plainValue,
        !defaults.isEmpty
    {
        sources.append("input.default")
    }
    var members: [PlainValue.Member] = []
    for (value, source) in [
        (metadataSample, "metadata.tokenmin.sample"), (sample, sampleFileName ?? "sample file"),
    ] {
        guard case .object(let entries)? = value else { continue }
        sources.append(source)
        for entry in entries {
            members.removeAll { $0.key == entry.key }
            members.append(entry)
        }
    }
    let path = analysis.path
    let options = RenderOptions(resolvePartial: { name in
        if case .found(_, let text) = resolvePartial(name, path) { return text }
        return nil
    })
    let rendered = renderPrompt(document, input: RenderInput(data: .object(members)), options: options)
    var shown = rendered
    if !rendered.unresolvedVariables.isEmpty {
        let marked =
            members
            + rendered.unresolvedVariables.map {
                PlainValue.Member(key: $0, value: .string(unresolvedMarker($0)))
            }
        let markedRendering = renderPrompt(
            document, input: RenderInput(data: .object(marked)), options: options)
        if markedRendering.messages.map(\.role) == rendered.messages.map(\.role) { shown = markedRendering }
    }
    let model = analysis.model
    var messages: [PreviewMessage] = []
    for (index, message) in rendered.messages.enumerated() {
        let tokens = message.content.reduce(0) { total, part in
            if case .text(let text) = part { return total + analysis.countTokens(text) }
            return total
        }
        let text = partsText(shown.messages[index].content)
        let unresolved = rendered.unresolvedVariables.filter { text.contains(unresolvedMarker($0)) }
        messages.append(
            PreviewMessage(
                role: message.role, text: text, tokens: tokens,
                usd: model.inputPerToken.map { Decimal(tokens) * $0 },
                unresolvedVariables: unresolved))
    }
    let framing = analysis.cost.overheadTokens
    let input = messages.reduce(0) { $0 + $1.tokens } + framing
    var usdPerCall: Decimal?
    if let inputPrice = model.inputPerToken, let outputPrice = model.outputPerToken {
        usdPerCall = Decimal(input) * inputPrice + Decimal(analysis.cost.outputTokens) * outputPrice
    }
    var preview = PromptPreview(
        model: model.id ?? model.name, encoding: model.encoding.rawValue,
        isExact: model.isExactTokenizer && rendered.unresolvedVariables.isEmpty
            && analysis.cost.toolDefinitionTokens == 0,
        valueSources: sources, messages: messages, unresolvedVariables: rendered.unresolvedVariables,
        framingTokens: framing,
        inputTokens: input, outputTokens: analysis.cost.outputTokens,
        outputIsDefault: analysis.cost.outputIsDefault,
        usdPerCall: usdPerCall,
        problems: rendered.diagnostics.filter { $0.severity != .information }.map {
            "\($0.severity.rawValue): \($0.message)"
        },
        text: "")
    preview.text = previewText(preview, fileName: path.map { ($0 as NSString).lastPathComponent })
    return preview
}

private func partsText(_ parts: [RenderedPart]) -> String {
    parts.map { part -> String in
        switch part {
        case .text(let text): return text
        case .media(let url, let type): return "[media \(url)\(type.map { " " + $0 } ?? "")]"
        case .metadata(let value), .other(let value): return "[\(value.jsonText())]"
        }
    }.joined()
}

/// The preview document: a header with the model, totals and where values came from, then each
/// message under a rule line with its role, tokens and USD.
private func previewText(_ preview: PromptPreview, fileName: String?) -> String {
    let approx = preview.isExact ? "" : "≈"
    func usd(_ value: Decimal?) -> String { value.map(formatUSD) ?? "$?" }
    var lines: [String] = []
    lines.append(
        "\(fileName ?? "untitled") — \(preview.model ?? "no model") (\(preview.encoding)\(preview.isExact ? ", exact" : ""))"
    )
    let output = "\(preview.outputTokens) out\(preview.outputIsDefault ? " (default)" : "")"
    lines.append(
        "\(approx)\(preview.inputTokens) tok in (\(preview.framingTokens) framing) + \(output) · \(approx)\(usd(preview.usdPerCall))/call"
    )
    lines.append(
        "values: " + (preview.valueSources.isEmpty ? "none" : preview.valueSources.joined(separator: ", ")))
    if !preview.unresolvedVariables.isEmpty {
        lines.append(
            "no value (shown as ⟨name⟩, counted as empty): "
                + preview.unresolvedVariables.joined(separator: ", "))
    }
    for problem in preview.problems { lines.append(problem) }
    for message in preview.messages {
        lines.append("")
        var title = "── \(message.role) · \(approx)\(message.tokens) tok · \(approx)\(usd(message.usd))"
        if !message.unresolvedVariables.isEmpty {
            title += " · + ? " + message.unresolvedVariables.joined(separator: ", ")
        }
        lines.append(title + " ──")
        lines.append(message.text.hasSuffix("\n") ? String(message.text.dropLast()) : message.text)
    }
    return lines.joined(separator: "\n") + "\n"
}

/// A `NAME.sample.json` for the prompt's `input.schema`: every input with its `input.default`, or a
/// placeholder of its type (a string holds the description or the name, numbers 0, booleans false,
/// enums their first value, arrays one item, objects their properties). Nil without an input schema.
public func sampleInputJSON(for document: PromptDocument) -> String? {
    guard let schemaNode = document.frontmatter?.root?.value(at: ["input", "schema"]),
        case .success(let schema) = picoschemaToJSONSchema(SchemaValue(schemaNode.plainValue))
    else { return nil }
    let defaults = document.frontmatter?.root?.value(at: ["input", "default"])?.plainValue
    guard case .object = placeholder(schema, name: "input", depth: 0) else { return nil }
    var value = placeholder(schema, name: "input", depth: 0)
    if case .object(var members) = value, case .object(let given)? = defaults {
        for entry in given {
            if let index = members.firstIndex(where: { $0.key == entry.key }) {
                members[index].value = entry.value
            } else {
                members.append(entry)
            }
        }
        value = .object(members)
    }
    return value.jsonText(pretty: true) + "\n"
}

private func placeholder(_ schema: SchemaValue, name: String, depth: Int) -> PlainValue {
    guard depth < 16 else { return .null }
    if case .array(let options)? = schema["enum"], let first = options.first { return PlainValue(first) }
    var type = schema["type"]?.stringValue
    if type == nil, case .array(let types)? = schema["type"] {
        type = types.compactMap(\.stringValue).first { $0 != "null" }
    }
    switch type {
    case "string": return .string(schema["description"]?.stringValue ?? name)
    case "number", "integer": return .int(0)
    case "boolean": return .bool(false)
    case "array": return .array(schema["items"].map { [placeholder($0, name: name, depth: depth + 1)] } ?? [])
    case "object":
        guard case .object(let properties)? = schema["properties"] else { return .object([]) }
        return .object(
            properties.map {
                PlainValue.Member(key: $0.key, value: placeholder($0.value, name: $0.key, depth: depth + 1))
            })
    default: return .null
    }
}

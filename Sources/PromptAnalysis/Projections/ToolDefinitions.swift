import Dotprompt
import Foundation
import PromptSyntax
import PromptText

/// A tool a prompt makes available to the model: named in `tools:` and/or defined in `toolDefs:`.
public struct ToolDeclaration: Sendable, Hashable {
    public var name: String
    /// Where the tool is named or defined (the `tools:` item, or the `toolDefs:` entry when only there).
    public var range: UTF8Range
    /// The definition from `toolDefs:`, nil when the tool is only named (registered in code).
    public var definition: ToolDefinition?

    public init(name: String, range: UTF8Range, definition: ToolDefinition? = nil) {
        self.name = name
        self.range = range
        self.definition = definition
    }
}

/// A `toolDefs:` entry as Dotprompt's `ToolDefinition` reads it: `name`, `description`, `inputSchema`,
/// `outputSchema`. Schemas are JSON Schema; Picoschema is converted first (as for `input.schema`).
public struct ToolDefinition: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// The parameters' JSON Schema (nil when absent).
    public var inputSchema: SchemaValue?
    /// Kept for completeness; no provider's function-calling format sends it, so it is not counted.
    public var outputSchema: SchemaValue?
    /// Why a Picoschema schema could not be converted (it is then counted as written).
    public var schemaProblem: String?

    public init(
        name: String, description: String? = nil, inputSchema: SchemaValue? = nil,
        outputSchema: SchemaValue? = nil,
        schemaProblem: String? = nil
    ) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.schemaProblem = schemaProblem
    }
}

/// The tools of a prompt, in order of first mention: every `tools:` name, then every `toolDefs:` entry
/// not already named (both are sent with each call). A name in both gets the definition.
public func declaredTools(in document: PromptDocument) -> [ToolDeclaration] {
    guard let root = document.frontmatter?.root else { return [] }
    var definitions: [String: (ToolDefinition, UTF8Range)] = [:]
    var definitionOrder: [String] = []
    for item in root["toolDefs"]?.items ?? [] {
        guard let name = item["name"]?.string else { continue }
        if definitions[name] == nil { definitionOrder.append(name) }
        definitions[name] = (toolDefinition(item, name: name), item.range)
    }
    var result: [ToolDeclaration] = []
    var seen: Set<String> = []
    for item in root["tools"]?.items ?? [] {
        guard let name = item.string ?? item["name"]?.string, !seen.contains(name) else { continue }
        seen.insert(name)
        result.append(ToolDeclaration(name: name, range: item.range, definition: definitions[name]?.0))
    }
    for name in definitionOrder where !seen.contains(name) {
        seen.insert(name)
        result.append(
            ToolDeclaration(name: name, range: definitions[name]!.1, definition: definitions[name]!.0))
    }
    return result
}

private func toolDefinition(_ node: YAMLNode, name: String) -> ToolDefinition {
    var definition = ToolDefinition(name: name, description: node["description"]?.string)
    func schema(_ key: String) -> SchemaValue? {
        guard let value = node[key], !value.isNull else { return nil }
        let written = SchemaValue(value.plainValue)
        switch picoschemaToJSONSchema(written) {
        case .success(let converted): return converted
        case .failure(let error):
            definition.schemaProblem = "\(key): \(error.message)"
            return written
        }
    }
    definition.inputSchema = schema("inputSchema")
    definition.outputSchema = schema("outputSchema")
    return definition
}

/// How tool definitions were turned into text to count.
public enum ToolSerialization: String, Sendable, Hashable {
    /// OpenAI's function-calling prompt format: the functions as a TypeScript `namespace functions`.
    case openAITypeScript = "openai-typescript"
    /// The provider's JSON request format (`name`, `description`, `input_schema` or `parameters`).
    case json
}

/// Options of the tool-definition count.
public struct ToolCountOptions: Sendable, Hashable {
    /// Tokens assumed for a tool that is only named (its definition lives in code): a typical function
    /// with a one-line description and two or three parameters.
    public var tokensPerUndefinedTool: Int = 100
    /// Whether the prompt has a system message. OpenAI's function text reuses the first system
    /// message instead of adding one, which saves 4 tokens of framing.
    public var promptHasSystemMessage: Bool = false

    public init(tokensPerUndefinedTool: Int = 100, promptHasSystemMessage: Bool = false) {
        self.tokensPerUndefinedTool = tokensPerUndefinedTool
        self.promptHasSystemMessage = promptHasSystemMessage
    }
}

/// One tool's share of the per-call input.
public struct ToolTokens: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable {
        /// Counted from the `toolDefs:` definition.
        case definition
        /// Only named: `ToolCountOptions.tokensPerUndefinedTool`.
        case defaultEstimate = "default"
    }

    public var name: String
    public var range: UTF8Range
    public var tokens: Int
    public var source: Source
}

/// What a prompt's tool definitions add to every call. Always an estimate: no provider publishes the
/// exact text it builds from tool definitions (see `countToolDefinitions`).
public struct ToolDefinitionsCount: Sendable, Hashable {
    public var tools: [ToolTokens]
    /// Tokens around the definitions (namespace lines, the tools section header), once per call.
    public var framingTokens: Int
    /// `framingTokens` + every tool's tokens; 0 when the prompt has no tools.
    public var totalTokens: Int
    public var serialization: ToolSerialization
    /// False: the serialisation is a published approximation, not the provider's own.
    public var isExact: Bool

    public static let none = ToolDefinitionsCount(
        tools: [], framingTokens: 0, totalTokens: 0, serialization: .json, isExact: false)
}

/// Tokens of the tool definitions sent with each call.
///
/// - OpenAI-family models (the model's tokenizer is exact, i.e. `o200k_base`/`cl100k_base`): the
///   definitions are written the way OpenAI renders functions into the prompt, a TypeScript namespace
///   (`namespace functions { // description\ntype name = (_: { // param description\nparam?: type,
///   }) => any; } // namespace functions`). This format was reverse-engineered by the community and is
///   the basis of the widely used estimator `openai-chat-tokens` (github.com/hmarr/openai-chat-tokens,
///   `src/functions.ts`: 9 framing tokens per request, 4 fewer when a system message exists); the
///   OpenAI Cookbook's "How to count tokens with tiktoken" (section "Counting tokens for chat
///   completion requests with tool calls") approximates the same text with per-function and
///   per-property constants. Neither is published by OpenAI as exact, so the result is an estimate.
/// - Other providers: the JSON the request carries (`{"name","description","input_schema"}` for
///   Anthropic, `parameters` otherwise), compact, counted with the model's encoding (and its estimate
///   ratio). Providers also add a tool-use system prompt (Anthropic documents 159–530 tokens for the
///   Claude 3 models); it is model-specific and not included.
/// - Tools that are only named get `options.tokensPerUndefinedTool` each.
///
/// `countTokens` counts text as billed (`DocumentAnalysis.countTokens`). Each tool's text is counted on
/// its own, so tools add up: `totalTokens == framingTokens + Σ tools[i].tokens`.
public func countToolDefinitions(
    _ tools: [ToolDeclaration], model: ModelProfile, options: ToolCountOptions = ToolCountOptions(),
    countTokens: (String) -> Int
) -> ToolDefinitionsCount {
    guard !tools.isEmpty else { return .none }
    let openAI = usesOpenAIFunctionFormat(model)
    var counted: [ToolTokens] = []
    for tool in tools {
        guard let definition = tool.definition else {
            counted.append(
                ToolTokens(
                    name: tool.name, range: tool.range, tokens: options.tokensPerUndefinedTool,
                    source: .defaultEstimate))
            continue
        }
        let text =
            openAI
            ? typeScriptFunction(definition)
            : jsonFunction(definition, inputSchemaKey: isAnthropic(model) ? "input_schema" : "parameters")
        counted.append(
            ToolTokens(name: tool.name, range: tool.range, tokens: countTokens(text), source: .definition))
    }
    var framing = 0
    if openAI {
        framing =
            countTokens(openAINamespaceOpening) + countTokens(openAINamespaceClosing)
            + (options.promptHasSystemMessage ? openAIFramingTokensWithSystemMessage : openAIFramingTokens)
    }
    return ToolDefinitionsCount(
        tools: counted, framingTokens: framing, totalTokens: framing + counted.reduce(0) { $0 + $1.tokens },
        serialization: openAI ? .openAITypeScript : .json, isExact: false)
}

/// The tool definitions of an analysed prompt (a convenience over `declaredTools` and
/// `countToolDefinitions` with the analysis's model and counter).
public func toolDefinitionsCount(for analysis: DocumentAnalysis, tokensPerUndefinedTool: Int = 100)
    -> ToolDefinitionsCount
{
    let options = ToolCountOptions(
        tokensPerUndefinedTool: tokensPerUndefinedTool,
        promptHasSystemMessage: analysis.messages.contains { $0.message.role == "system" })
    return countToolDefinitions(
        declaredTools(in: analysis.document), model: analysis.model, options: options,
        countTokens: analysis.countTokens)
}

/// Framing of OpenAI's function text per request (openai-chat-tokens: "Add nine per completion"), and
/// with a system message present (it is reused: 4 fewer).
let openAIFramingTokens = 9
let openAIFramingTokensWithSystemMessage = 5
let openAINamespaceOpening = "namespace functions {\n\n"
let openAINamespaceClosing = "} // namespace functions"

/// Exact tokenizers are OpenAI's; a catalog provider named like OpenAI or Azure OpenAI counts too.
private func usesOpenAIFunctionFormat(_ model: ModelProfile) -> Bool {
    if model.isExactTokenizer { return true }
    guard let provider = model.provider?.lowercased() else { return false }
    return provider == "openai" || provider == "azure" || provider == "text-completion-openai"
}

private func isAnthropic(_ model: ModelProfile) -> Bool {
    (model.provider?.lowercased().contains("anthropic") ?? false)
        || (model.id?.lowercased().hasPrefix("claude") ?? false)
        || (model.name?.lowercased().contains("claude") ?? false)
}

/// One function in OpenAI's TypeScript rendering, ending with the blank line that separates functions.
func typeScriptFunction(_ definition: ToolDefinition) -> String {
    var lines: [String] = []
    lines += commentLines(definition.description, indent: "")
    let properties = definition.inputSchema?["properties"].flatMap(objectMembers) ?? []
    if properties.isEmpty {
        lines.append("type \(definition.name) = () => any;")
    } else {
        lines.append("type \(definition.name) = (_: {")
        lines += typeScriptProperties(of: definition.inputSchema!, indent: "", depth: 0)
        lines.append("}) => any;")
    }
    lines.append("")
    return lines.joined(separator: "\n") + "\n"
}

/// Schemas nest at most this deep in the rendering (frontmatter depth is bounded anyway).
private let maximumSchemaDepth = 32

private func typeScriptProperties(of schema: SchemaValue, indent: String, depth: Int) -> [String] {
    let required = Set((schema["required"].flatMap(arrayItems) ?? []).compactMap(\.stringValue))
    var lines: [String] = []
    for member in schema["properties"].flatMap(objectMembers) ?? [] {
        lines += commentLines(member.value["description"]?.stringValue, indent: indent)
        let optional = required.contains(member.key) ? "" : "?"
        lines.append(
            indent
                + "\(member.key)\(optional): \(typeScriptType(member.value, indent: indent, depth: depth)),")
    }
    return lines
}

private func typeScriptType(_ schema: SchemaValue, indent: String, depth: Int) -> String {
    guard depth < maximumSchemaDepth else { return "any" }
    if let values = schema["enum"].flatMap(arrayItems) {
        return values.map(typeScriptLiteral).joined(separator: " | ")
    }
    if let constant = schema["const"] { return typeScriptLiteral(constant) }
    for key in ["anyOf", "oneOf"] {
        if let options = schema[key].flatMap(arrayItems) {
            return options.map { typeScriptType($0, indent: indent, depth: depth + 1) }.joined(
                separator: " | ")
        }
    }
    if let types = schema["type"].flatMap(arrayItems) {
        return types.compactMap(\.stringValue).map {
            scalarType($0, schema: schema, indent: indent, depth: depth)
        }.joined(separator: " | ")
    }
    return scalarType(schema["type"]?.stringValue, schema: schema, indent: indent, depth: depth)
}

private func scalarType(_ type: String?, schema: SchemaValue, indent: String, depth: Int) -> String {
    switch type {
    case "string": return "string"
    case "number", "integer": return "number"
    case "boolean": return "boolean"
    case "null": return "null"
    case "array":
        guard let items = schema["items"] else { return "any[]" }
        return typeScriptType(items, indent: indent, depth: depth + 1) + "[]"
    case "object":
        guard schema["properties"].flatMap(objectMembers)?.isEmpty == false else { return "object" }
        return
            (["{"] + typeScriptProperties(of: schema, indent: indent + "  ", depth: depth + 1) + [
                indent + "}"
            ]).joined(separator: "\n")
    default: return "any"
    }
}

private func typeScriptLiteral(_ value: SchemaValue) -> String {
    switch value {
    case .string(let text): return "\"\(text)\""
    case .number(let number): return number.description
    case .bool(let flag): return flag ? "true" : "false"
    case .null: return "null"
    default: return value.jsonText()
    }
}

private func commentLines(_ text: String?, indent: String) -> [String] {
    guard let text, !text.isEmpty else { return [] }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { indent + "// " + $0 }
}

private func objectMembers(_ value: SchemaValue) -> [SchemaValue.Member]? {
    if case .object(let members) = value { return members }
    return nil
}

private func arrayItems(_ value: SchemaValue) -> [SchemaValue]? {
    if case .array(let items) = value { return items }
    return nil
}

/// One function as the provider's JSON request carries it (compact, keys in the documented order).
func jsonFunction(_ definition: ToolDefinition, inputSchemaKey: String) -> String {
    var members = [SchemaValue.Member("name", .string(definition.name))]
    if let description = definition.description { members.append(.init("description", .string(description))) }
    members.append(
        .init(inputSchemaKey, definition.inputSchema ?? .object([.init("type", .string("object"))])))
    return SchemaValue.object(members).jsonText()
}

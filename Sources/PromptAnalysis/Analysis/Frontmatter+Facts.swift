import Dotprompt
import Foundation
import PromptSyntax
import PromptText

/// What the analysis reads from a prompt's frontmatter.
struct FrontmatterFacts {
    var model: (name: String, range: UTF8Range)?
    /// `config.maxOutputTokens` (or `max_tokens`, `maxTokens`, `max_output_tokens`, `max_completion_tokens`).
    var outputCap: (tokens: Int, range: UTF8Range)?
    /// Where `config:` is, or where a new `config:` block can be inserted (end of the frontmatter content).
    var configRange: UTF8Range?
    var frontmatterContentEnd: Int?
    /// Input variables declared in `input.schema` (Picoschema keys, `?` stripped, `(type)` removed),
    /// with their declared types when simple.
    var inputSchema: [(name: String, type: String?, description: String?, range: UTF8Range)] = []
    var hasInputSchema = false
    /// `input.schema: Name`: a schema the application registers by name. Unknown (not empty) unless
    /// configuration's `schemas:` declares it.
    var inputSchemaName: String?
    var inputSchemaNameRange = UTF8Range.empty(at: 0)
    var outputSchemaName: String?
    var inputDefaults: [String: PlainValue] = [:]
    var hasOutputSchema = false
    var outputSchemaIsBounded = false
    var tools: [(name: String, range: UTF8Range)] = []
    var maxTurns: Int?
    /// The thinking budget the config sets: Gemini `thinkingConfig.thinkingBudget`, Anthropic
    /// `thinking.budgetTokens`/`budget_tokens`; 0 when thinking is switched off (`thinkingBudget: 0`,
    /// `reasoning_effort: none`). Nil when the config does not say.
    var thinkingBudget: Int?
    /// The value of `maxTurns` (top level, as Genkit reads it, or under `config`).
    var maxTurnsRange: UTF8Range?
    /// `metadata.tokenmin` settings (volume, budget, sample).
    var tokenminMetadata: SettingsValue?
    var unknownKeys: [(key: String, range: UTF8Range)] = []
}

func frontmatterFacts(_ document: PromptDocument) -> FrontmatterFacts {
    var facts = FrontmatterFacts()
    guard let frontmatter = document.frontmatter, let root = frontmatter.root else { return facts }
    facts.frontmatterContentEnd = frontmatter.contentRange.end
    if let model = root.pair("model"), let name = model.value.string { facts.model = (name, model.value.range) }
    if let config = root.pair("config") {
        facts.configRange = config.range
        for key in ["maxOutputTokens", "max_tokens", "maxTokens", "max_output_tokens", "max_completion_tokens"] {
            if let cap = config.value.pair(key), case .int(let tokens)? = cap.value.scalar?.value {
                facts.outputCap = (tokens, cap.range)
            }
        }
        facts.thinkingBudget = thinkingBudget(in: config.value)
        if let node = config.value["maxTurns"], case .int(let value)? = node.scalar?.value {
            facts.maxTurns = value
            facts.maxTurnsRange = node.range
        }
    }
    if let node = root["maxTurns"], case .int(let value)? = node.scalar?.value {
        facts.maxTurns = value
        facts.maxTurnsRange = node.range
    }
    if let schema = root.value(at: ["input", "schema"]), let name = schemaName(schema) {
        facts.inputSchemaName = name
        facts.inputSchemaNameRange = schema.range
    } else if let schema = root.value(at: ["input", "schema"]) {
        facts.hasInputSchema = true
        // JSON Schema (`type: object` with `properties`) names its inputs under `properties`;
        // Picoschema names them at the top.
        if schema["type"]?.string == "object" || schema["properties"]?.pairs != nil {
            for pair in schema["properties"]?.pairs ?? [] {
                facts.inputSchema.append((pair.keyText, pair.value["type"]?.string, pair.value["description"]?.string, pair.key.range))
            }
        }
        for pair in (schema["type"]?.string == "object" || schema["properties"]?.pairs != nil) ? [] : schema.pairs ?? [] {
            var name = pair.keyText
            if let paren = name.firstIndex(of: "(") { name = String(name[..<paren]) }
            name = name.trimmingCharacters(in: .whitespaces)
            if name.hasSuffix("?") { name.removeLast() }
            let parts = pair.value.string?.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let declared = parts?.first
            let type = pair.keyText.contains("(") ? String(pair.keyText.split(separator: "(").last?.dropLast() ?? "") : declared
            facts.inputSchema.append((name, type, parts.flatMap { $0.count > 1 ? $0[1] : nil }, pair.key.range))
        }
    }
    if let defaults = root.value(at: ["input", "default"]), case .object(let members) = defaults.plainValue {
        for member in members { facts.inputDefaults[member.key] = member.value }
    }
    if let output = root["output"] {
        facts.hasOutputSchema = output["schema"] != nil
        let format = output["format"]?.string
        // Enums and booleans-only outputs are bounded tasks.
        facts.outputSchemaName = output["schema"].flatMap(schemaName)
        facts.outputSchemaIsBounded = format == "enum" || (facts.outputSchemaName == nil && (output["schema"].map(isBoundedSchema) ?? false))
    }
    for key in ["tools", "toolDefs"] {
        for item in root[key]?.items ?? [] {
            if let name = item.string ?? item["name"]?.string { facts.tools.append((name, item.range)) }
        }
    }
    facts.tokenminMetadata = root.value(at: ["metadata", "tokenmin"]).map(settingsValue)
    for pair in root.pairs ?? [] where !Frontmatter.knownTopLevelKeys.contains(pair.keyText) && !Frontmatter.isExtensionKey(pair.keyText) {
        facts.unknownKeys.append((pair.keyText, pair.key.range))
    }
    return facts
}

/// The thinking budget a model config sets (see `FrontmatterFacts.thinkingBudget`).
private func thinkingBudget(in config: YAMLNode) -> Int? {
    for path in [["thinkingConfig", "thinkingBudget"], ["thinking", "budgetTokens"], ["thinking", "budget_tokens"],
                 ["thinking_config", "thinking_budget"]] {
        if case .int(let value)? = config.value(at: path)?.scalar?.value { return max(0, value) }
    }
    if config.value(at: ["thinking", "type"])?.string == "disabled" || config.value(at: ["thinking", "enabled"])?.string == "false" {
        return 0
    }
    for key in ["reasoning_effort", "reasoningEffort"] where config[key]?.string == "none" { return 0 }
    return nil
}

/// The name in `schema: RecipeRequest`: a scalar that is not a Picoschema type (`string`, `number, a
/// count`…).
private func schemaName(_ node: YAMLNode) -> String? {
    guard let text = node.string else { return nil }
    let type = text.split(separator: ",", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    guard !type.isEmpty, !["any", "boolean", "integer", "null", "number", "string", "object", "array"].contains(type),
          type.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" })
    else { return nil }
    return type
}

extension FrontmatterFacts {
    /// Resolves `input.schema: Name` and `output.schema: Name` with configuration's `schemas:` (as
    /// Dotprompt's schema resolver would): a declared input schema lists its variables; an undeclared
    /// one stays unknown, so variables are not checked against it.
    mutating func resolveNamedSchemas(_ schemas: [String: SchemaValue]) {
        if let name = inputSchemaName, let schema = schemas[name],
           case .success(let json) = picoschemaToJSONSchema(schema, resolve: { schemas[$0] })
        {
            hasInputSchema = true
            inputSchema = []
            if case .object(let properties)? = json["properties"] {
                for property in properties {
                    let type: String? = property.value["type"]?.stringValue
                        ?? (property.value["type"].flatMap { if case .array(let types) = $0 { return types.first?.stringValue } else { return nil } })
                    inputSchema.append((property.key, type, property.value["description"]?.stringValue, inputSchemaNameRange))
                }
            }
        }
        if let name = outputSchemaName {
            hasOutputSchema = true
            if let schema = schemas[name], case .success(let json) = picoschemaToJSONSchema(schema, resolve: { schemas[$0] }) {
                outputSchemaIsBounded = outputSchemaIsBounded || isBoundedJSONSchema(json)
            }
        }
    }
}

/// A JSON Schema whose properties are all enums, booleans or numbers.
private func isBoundedJSONSchema(_ schema: SchemaValue) -> Bool {
    if schema["enum"] != nil { return true }
    if let type = schema["type"]?.stringValue, ["boolean", "number", "integer"].contains(type) { return true }
    guard case .object(let properties)? = schema["properties"], !properties.isEmpty else { return false }
    return properties.allSatisfy { isBoundedJSONSchema($0.value) }
}

/// A schema whose leaves are all enums, booleans or numbers (a label, not prose).
private func isBoundedSchema(_ node: YAMLNode) -> Bool {
    if let text = node.string {
        let type = text.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? text
        return ["boolean", "number", "integer"].contains(type) || type.contains("|")
    }
    if let pairs = node.pairs {
        return !pairs.isEmpty && pairs.allSatisfy { pair in
            pair.keyText.contains("(enum") || isBoundedSchema(pair.value)
        }
    }
    if let items = node.items { return !items.isEmpty }
    return false
}

/// Converts YAML (with ranges) to the neutral settings tree the configuration parser reads.
func settingsValue(_ node: YAMLNode) -> SettingsValue {
    switch node.content {
    case .scalar(let scalar):
        return scalar.value == .null ? .null(range: node.range) : .scalar(scalar.text, range: node.range)
    case .sequence(let items):
        return .sequence(items.map(settingsValue), range: node.range)
    case .mapping(let pairs):
        return .mapping(pairs.map { SettingsValue.Entry(key: $0.keyText, keyRange: $0.key.range, value: settingsValue($0.value)) },
                        range: node.range)
    }
}

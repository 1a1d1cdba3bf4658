import Foundation

/// Dotprompt's `output.format` for an extracted schema.
public enum OutputFormat: String, Hashable, Sendable {
    case json
    /// Genkit's `enum` format: the model answers with one of the values as plain text, so prompts
    /// that ask for a bare label ("Answer with one of: positive, negative") keep their output.
    case enumeration = "enum"
    case text
}

/// The output schema found in instruction prose, and which sentences it replaces.
public struct SchemaExtraction: Hashable, Sendable {
    /// The schema, or nil when the prose only fixes the format ("Respond in JSON.").
    public var schema: OutputSchema?
    public var format: OutputFormat?
    /// Sentences fully represented by `schema` and `format`: deleting them loses nothing.
    public var converted: [Sentence]
    /// Sentences recognised as output-format rules that the schema cannot fully hold (a limit in
    /// words, an extra instruction in the same sentence, a conflict): to be reported, never edited.
    public var partial: [Sentence]

    public init(schema: OutputSchema?, format: OutputFormat?, converted: [Sentence], partial: [Sentence]) {
        self.schema = schema
        self.format = format
        self.converted = converted
        self.partial = partial
    }

    public static let empty = SchemaExtraction(schema: nil, format: nil, converted: [], partial: [])
}

/// One sentence, or an intro ending in `:` together with the example block or list items it
/// introduces: converted or left alone as a whole.
private struct FormatUnit {
    var members: [Sentence]
    var analysis: SentenceAnalysis
    var isHeading: Bool
}

/// Builds an output schema from instruction sentences (see `instructionSentences`).
///
/// Recognises keys lists, inline or following JSON examples (types inferred from the example
/// values and placeholders), arrays, enums, booleans, numbers with ranges, nested objects, string
/// lengths, item counts, optional fields and per-field descriptions in list items. A sentence is
/// `converted` only when everything it says is in the schema; a sentence that is a format rule but
/// says more (or contradicts another) is `partial` and contributes nothing, so the result is never a
/// half conversion. Sentences about the input ("You will receive a list of…", "The user sends JSON
/// with…") and examples ("Example: {…}") are neither.
public func extractOutputSchema(from sentences: [Sentence]) -> SchemaExtraction {
    let units = formatUnits(sentences)
    if units.isEmpty { return .empty }
    var applied = Array(repeating: false, count: units.count)
    var ignored = Array(repeating: false, count: units.count)
    var root: OutputSchema? = nil
    var rootIsClosed = false

    // Pass 1: the shape of the whole output and format-only rules.
    for (k, unit) in units.enumerated() where unit.analysis.isComplete && unit.analysis.fields.isEmpty {
        guard let shape = unit.analysis.root else {
            applied[k] = true
            continue
        }
        guard let current = root else {
            root = shape
            rootIsClosed = unit.analysis.rootIsClosed
            applied[k] = true
            continue
        }
        if let merged = mergeRoots(current, rootIsClosed, shape, unit.analysis.rootIsClosed) {
            root = merged
            rootIsClosed = rootIsClosed || unit.analysis.rootIsClosed
            applied[k] = true
        }
    }
    let demandsJSON = units.indices.contains { applied[$0] && units[$0].analysis.demandsJSON }

    // Pass 2: facts about fields, applied sentence by sentence (all of a sentence or none of it).
    for (k, unit) in units.enumerated() where unit.analysis.isComplete && !unit.analysis.fields.isEmpty {
        var candidate = root ?? OutputSchema(.object(properties: []))
        let isKnown = unit.analysis.fields.allSatisfy { field in
            objectProperties(of: candidate)?.contains { $0.name == field.name } ?? false
        }
        if root == nil && !(demandsJSON && !unit.analysis.needsKnownField)
            || !isKnown && unit.analysis.needsKnownField
        {
            // "confidence is a number" with no such field anywhere describes something else.
            if unit.analysis.needsKnownField { ignored[k] = true }
            continue
        }
        guard var properties = objectProperties(of: candidate) else { continue }
        var ok = true
        for field in unit.analysis.fields {
            if let index = properties.firstIndex(where: { $0.name == field.name }) {
                guard let merged = properties[index].schema.merged(with: field.schema) else {
                    ok = false
                    break
                }
                properties[index].schema = merged
                properties[index].isOptional = properties[index].isOptional || field.isOptional
            } else if rootIsClosed {
                ok = false
                break
            } else {
                properties.append(field)
            }
        }
        guard ok else { continue }
        candidate = withObjectProperties(candidate, properties)
        root = candidate
        applied[k] = true
    }

    // The format: JSON wins over plain text (which then conflicts); a bare enum keeps raw text.
    var format: OutputFormat? = nil
    let rootIsStructured: Bool
    switch root?.kind {
    case .object?, .array?: rootIsStructured = true
    default: rootIsStructured = false
    }
    let json = units.indices.contains { applied[$0] && units[$0].analysis.demandsJSON } || rootIsStructured
    if json {
        format = .json
        for k in units.indices where applied[k] && units[k].analysis.demandsPlainText { applied[k] = false }
    } else if case .enumeration? = root?.kind {
        format = .enumeration
    } else if units.indices.contains(where: { applied[$0] && units[$0].analysis.demandsPlainText }) {
        format = .text
    }

    // An object with no known field says no more than `format: json`.
    if let properties = root?.properties, properties.isEmpty { root = nil }

    // A sentence about a field the output does not have ("The review is a string of text.") is not
    // about the output at all.
    let finalNames = Set(root.flatMap { objectProperties(of: $0) }?.map(\.name) ?? [])
    for (k, unit) in units.enumerated() where !applied[k] && unit.analysis.needsKnownField {
        if !unit.analysis.fields.allSatisfy({ finalNames.contains($0.name) }) { ignored[k] = true }
    }

    var converted: [Sentence] = []
    var partial: [Sentence] = []
    for (k, unit) in units.enumerated() where !ignored[k] {
        if applied[k] { converted += unit.members } else { partial += unit.members }
    }
    return SchemaExtraction(schema: root, format: format, converted: converted, partial: partial)
}

/// Convenience: segments `text` (at `baseOffset` in its document) and extracts.
public func extractOutputSchema(fromProse text: String, baseOffset: Int = 0) -> SchemaExtraction {
    extractOutputSchema(from: instructionSentences(in: text, baseOffset: baseOffset))
}

/// The sentences that state output-format rules in prose (converted or not), in document order:
/// what the `prose-format` rule reports. Never input descriptions or examples.
public func formatRuleSentences(in sentences: [Sentence]) -> [Sentence] {
    extractOutputSchema(from: sentences).formatRuleSentences
}

extension SchemaExtraction {
    /// The sentences it found stating format rules (converted or not), in document order.
    public var formatRuleSentences: [Sentence] {
        (converted + partial).sorted { $0.utf8Range.start < $1.utf8Range.start }
    }
}

private func objectProperties(of schema: OutputSchema) -> [OutputSchema.Property]? {
    switch schema.kind {
    case .object(let properties): return properties
    case .array(let items): return items.properties
    default: return nil
    }
}

private func withObjectProperties(_ schema: OutputSchema, _ properties: [OutputSchema.Property])
    -> OutputSchema
{
    var schema = schema
    switch schema.kind {
    case .object: schema.kind = .object(properties: properties)
    case .array(var items):
        items.kind = .object(properties: properties)
        schema.kind = .array(items: items)
    default: break
    }
    return schema
}

/// Merges two statements of the output's shape. A closed key list may not gain keys from the other.
private func mergeRoots(_ a: OutputSchema, _ aClosed: Bool, _ b: OutputSchema, _ bClosed: Bool)
    -> OutputSchema?
{
    if let aKeys = objectProperties(of: a)?.map(\.name), let bKeys = objectProperties(of: b)?.map(\.name) {
        if aClosed && bClosed && Set(aKeys) != Set(bKeys) { return nil }
        if aClosed && !Set(bKeys).isSubset(of: Set(aKeys)) { return nil }
        if bClosed && !Set(aKeys).isSubset(of: Set(bKeys)) { return nil }
    }
    return a.merged(with: b)
}

private func formatUnits(_ sentences: [Sentence]) -> [FormatUnit] {
    var units: [FormatUnit] = []
    var i = 0
    while i < sentences.count {
        let sentence = sentences[i]
        guard var analysis = analyseSentence(sentence) else {
            i += 1
            continue
        }
        let isHeading = sentence.kind == .heading
        var members = [sentence]
        var next = i + 1
        if let follow = analysis.follows {
            analysis.follows = nil
            var consumed = false
            switch follow {
            case .exampleOrFields(let defaultKind):
                if next < sentences.count, isBlockSentence(sentences[next]) {
                    if let example = exampleSchema(sentences[next].text) {
                        consumed = mergeRoot(&analysis, example)
                        if case .object = example.kind { analysis.demandsJSON = true }
                        if case .array = example.kind { analysis.demandsJSON = true }
                        if consumed {
                            members.append(sentences[next])
                            next += 1
                        }
                    }
                } else {
                    var properties: [OutputSchema.Property] = []
                    var j = next
                    var failed = false
                    while j < sentences.count, sentences[j].kind == .listItem {
                        guard let property = fieldItem(sentences[j].text, defaultKind: defaultKind),
                            !properties.contains(where: { $0.name == property.name })
                        else {
                            failed = true
                            break
                        }
                        properties.append(property)
                        j += 1
                    }
                    if !failed && !properties.isEmpty
                        && mergeRoot(&analysis, OutputSchema(.object(properties: properties)))
                    {
                        members += sentences[next..<j]
                        next = j
                        consumed = true
                    }
                }
            case .values:
                var values: [String] = []
                var j = next
                while j < sentences.count, sentences[j].kind == .listItem,
                    let value = valueItem(sentences[j].text)
                {
                    values.append(value)
                    j += 1
                }
                let stopsCleanly = j >= sentences.count || sentences[j].kind != .listItem
                if values.count >= 2 && stopsCleanly {
                    analysis.root = OutputSchema(.enumeration(values))
                    members += sentences[next..<j]
                    next = j
                    consumed = true
                }
            }
            if !consumed {
                // A heading is only a rule through what follows it; an intro that promised more
                // than it got is a rule the schema cannot hold.
                if isHeading {
                    i += 1
                    continue
                }
                analysis.isComplete = false
            }
        }
        units.append(FormatUnit(members: members, analysis: analysis, isHeading: isHeading))
        i = next
    }
    return units
}

private func isBlockSentence(_ sentence: Sentence) -> Bool {
    if sentence.kind == .codeBlock { return true }
    guard let first = sentence.text.first else { return false }
    return sentence.kind == .prose && (first == "{" || first == "[")
}

/// Adds a closed shape (an example, a list of fields) to an intro's root; false on conflict.
private func mergeRoot(_ analysis: inout SentenceAnalysis, _ shape: OutputSchema) -> Bool {
    guard let root = analysis.root else {
        analysis.root = shape
        analysis.rootIsClosed = true
        return true
    }
    if case .array(let items) = root.kind, case .object = shape.kind, let merged = items.merged(with: shape) {
        analysis.root = OutputSchema(.array(items: merged))
    } else if let merged = root.merged(with: shape) {
        analysis.root = merged
    } else {
        return false
    }
    analysis.rootIsClosed = true
    return true
}

import Foundation
import PromptText

/// What one sentence says about the output, as recognised by the phrase grammar.
struct SentenceAnalysis {
    /// What the sentences after an intro ending in `:` hold.
    enum Follow: Equatable {
        /// A JSON example block or a list of fields (decided by what follows).
        case exampleOrFields(defaultKind: OutputSchema.Kind?)
        /// A list of allowed values, one per item.
        case values
    }

    var demandsJSON = false
    var demandsPlainText = false
    /// The shape of the whole output, when the sentence gives one.
    var root: OutputSchema? = nil
    /// Whether `root`'s keys are an explicit, closed list (prose fields may not add keys).
    var rootIsClosed = false
    /// Facts about named fields of the root object (or of the items of a root array).
    var fields: [OutputSchema.Property] = []
    var follows: Follow? = nil
    /// False when the sentence is a format rule but says more than the schema can hold.
    var isComplete = true
    /// A field fact stated with "is" only counts when the field is already known.
    var needsKnownField = false
}

// MARK: - Vocabulary

private let outputVerbs: Set<String> = [
    "respond", "reply", "answer", "output", "return", "produce", "give", "provide", "generate", "emit",
    "print",
    "write", "format", "structure", "send", "deliver",
]

private let leadFillers: Set<String> = [
    "please", "always", "you", "must", "should", "shall", "will", "need", "needs", "to", "have", "has",
    "make",
    "sure", "only", "strictly", "just", "now", "then", "finally", "important", "ensure", "simply", "kindly",
    "also", "always", "exclusively",
]

private let outputNouns: Set<String> = [
    "response", "output", "answer", "reply", "result", "responses", "outputs", "answers", "replies",
    "results",
    "completion",
]

private let outputNounsOrJSON = outputNouns.union(["json"])
private let outputNounsOrOutput = outputNouns.union(["output"])
private let jsonAdjectives: Set<String> = [
    "valid", "strict", "raw", "pure", "well-formed", "parseable", "parsable", "proper", "correct", "minified",
    "compact", "required", "expected", "specified", "single", "structured", "machine-readable", "properly",
    "formatted", "syntactically", "one", "exactly", "only", "a", "an", "the", "1",
]

/// Words that cannot be field names in prose ("the input must…" is about the input, not a field).
private let nonFieldSubjects: Set<String> = [
    "input", "inputs", "user", "users", "you", "we", "i", "it", "its", "this", "that", "these", "those",
    "there",
    "text", "document", "documents", "message", "messages", "query", "question", "questions", "context",
    "request", "conversation", "transcript", "data", "content", "prompt", "task", "goal", "instructions",
    "response", "output", "answer", "reply", "result", "format", "json", "example", "examples", "model",
    "assistant", "system", "each", "all", "any", "every", "both", "one", "tone", "language", "style",
    "length",
    "they", "he", "she", "your", "my", "our", "their", "do", "don't", "never", "if", "when", "use", "keep",
    "note", "remember", "here", "below", "above", "following", "given", "always", "only", "please", "make",
    "be", "avoid", "include", "return", "respond", "reply", "give", "provide", "output", "write", "list",
    "a", "an", "the", "and", "or", "not", "no", "yes", "for", "in", "on", "with", "from", "as", "so", "but",
]

private let keyStopwords: Set<String> = [
    "a", "an", "the", "and", "or", "with", "of", "in", "to", "for", "is", "be", "are", "must", "should",
    "only",
    "json", "object", "objects", "array", "list", "keys", "key", "fields", "field", "properties", "property",
    "values", "value", "following", "these", "this", "that", "each", "every", "your", "you", "it", "no",
    "not",
    "any", "all", "nothing", "other", "extra", "additional", "text", "plus", "as", "per", "also", "then",
    "format", "strings", "numbers", "exactly", "no", "without", "where", "which", "who", "if", "but", "so",
    "two", "three", "four", "five", "six",
]

private let typeNames: [String: OutputSchema.Kind] = [
    "string": .string, "text": .string, "str": .string, "number": .number, "float": .number,
    "decimal": .number,
    "double": .number, "numeric": .number, "real": .number, "integer": .integer, "int": .integer,
    "boolean": .boolean, "bool": .boolean,
]

private let pluralTypeNames: [String: OutputSchema.Kind] = [
    "strings": .string, "numbers": .number, "integers": .integer, "booleans": .boolean, "floats": .number,
    "ints": .integer,
]

private let enumMarkers: Set<String> = [
    "label", "labels", "word", "words", "value", "values", "option", "options", "category", "categories",
    "class", "classes", "choice", "choices", "token", "tokens", "letter", "letters",
]

private let enumValueStopwords: Set<String> = [
    "a", "an", "the", "to", "of", "in", "with", "your", "it", "this", "that", "and", "or", "not", "if", "as",
    "only", "one", "either", "then", "you", "be", "is", "are", "json", "explain", "say", "based",
]

// MARK: - Sentences

/// Analyses one sentence, or returns nil when it is not about the output's format.
func analyseSentence(_ sentence: Sentence) -> SentenceAnalysis? {
    switch sentence.kind {
    case .codeBlock: return nil
    case .heading: return analyseHeading(sentence.text)
    case .prose, .listItem: break
    }
    var c = TokenCursor(sentence.text)
    guard let first = c.current else { return nil }
    if first.kind == .word, ["example", "examples", "e.g", "eg", "sample", "samples"].contains(first.lower) {
        return nil
    }
    if c.words(["for", "example"]) || c.words(["for", "instance"]) { return nil }
    // "Output:" / "Answer:" followed by a block is a few-shot example, not a rule.
    if first.kind == .word, outputNouns.contains(first.lower) || first.lower == "output",
        c.peek(1)?.text == ":", c.peek(2)?.kind == .block
    {
        return nil
    }
    c.index = 0
    if let analysis = negatedFormatSentence(&c) { return analysis }
    c.index = 0
    if let analysis = useFormatSentence(&c) { return analysis }
    c.index = 0
    if let analysis = leadSentence(&c) { return analysis }
    c.index = 0
    if let analysis = bareJSONSentence(&c) { return analysis }
    c.index = 0
    if let analysis = setBooleanSentence(&c) { return analysis }
    c.index = 0
    if let analysis = verbFieldSentence(&c) { return analysis }
    c.index = 0
    if let analysis = fieldSentence(&c) { return analysis }
    return nil
}

/// "# Output format", "## Response format (strictly JSON)", "Output schema": an intro for what
/// follows, and only a rule when a block or a list follows.
private func analyseHeading(_ text: String) -> SentenceAnalysis? {
    var c = TokenCursor(text)
    c.skip(["the", "your", "required", "expected"])
    guard c.anyWord(outputNounsOrJSON) != nil || c.word("format") else { return nil }
    c.skip(["format", "schema", "structure", "output"])
    var analysis = SentenceAnalysis(follows: .exampleOrFields(defaultKind: nil))
    if c.punct("(") {
        c.skip(["strictly", "only", "valid", "in", "as"])
        guard c.word("json") else { return nil }
        c.skip(["only", "object"])
        guard c.punct(")") else { return nil }
        analysis.demandsJSON = true
    }
    _ = c.punct(":")
    return c.atEnd ? analysis : nil
}

/// "Do not include any text outside the JSON.", "Don't wrap the JSON in markdown code fences.",
/// "Do not return anything besides the JSON object!"
private func negatedFormatSentence(_ c: inout TokenCursor) -> SentenceAnalysis? {
    c.skip(["please", "and"])
    guard c.words(["do", "not"]) || c.word("don't") || c.word("never") || c.word("dont") else { return nil }
    guard
        c.anyWord([
            "include", "add", "return", "output", "write", "wrap", "put", "surround", "print", "produce",
            "respond", "provide", "enclose", "use", "prepend", "append", "send",
        ]) != nil
    else { return nil }
    var sawJSON = false
    var other = false
    while let token = c.take() {
        if token.kind == .word && token.lower == "json" { sawJSON = true }
        if token.kind == .word
            && ![
                "any", "anything", "other", "extra", "additional", "text", "prose", "commentary",
                "explanation",
                "explanations", "characters", "content", "words", "besides", "outside", "except", "other",
                "than",
                "before", "after", "or", "around", "the", "json", "object", "array", "response", "in", "with",
                "markdown", "code", "fences", "fence", "block", "blocks", "backticks", "a", "your", "output",
                "answer", "it", "itself", "of", "apart", "from", "but", "else", "beyond", "comments", "notes",
            ].contains(token.lower)
        {
            other = true
        }
    }
    guard sawJSON else { return nil }
    return SentenceAnalysis(demandsJSON: true, isComplete: !other)
}

/// "JSON only.", "Valid JSON only, no extra text.", "Output format: JSON", "Format: JSON".
private func bareJSONSentence(_ c: inout TokenCursor) -> SentenceAnalysis? {
    if c.anyWord(outputNounsOrOutput) != nil || c.word("format") {
        c.skip(["format"])
        guard c.punct(":") else { return nil }
    }
    c.skip(jsonAdjectives)
    guard c.word("json") else { return nil }
    var analysis = SentenceAnalysis(demandsJSON: true)
    if c.word("object") { analysis.root = OutputSchema(.object(properties: [])) }
    c.skip(["only", "format", "output"])
    formatTail(&c, &analysis)
    return analysis
}

/// Sentences led by an output verb or an output noun with a modal: "Respond in JSON …", "Return a
/// JSON array of …", "Answer with one of: …", "Your response must be valid JSON …".
private func leadSentence(_ c: inout TokenCursor) -> SentenceAnalysis? {
    guard lead(&c) else { return nil }
    let bodyStart = c.index
    c.skip(["in", "as", "with", "using", "via", "into", "only", "exactly", "just", "strictly"])
    if let values = enumBody(&c) {
        var analysis = SentenceAnalysis()
        switch values {
        case .list(let list, let complete):
            analysis.root = OutputSchema(.enumeration(list))
            analysis.isComplete = complete
        case .follows:
            analysis.follows = .values
        }
        return analysis
    }
    c.index = bodyStart
    c.skip(["in", "as", "with", "using", "via", "into"])
    if c.words(["plain", "text"]) {
        var analysis = SentenceAnalysis(demandsPlainText: true)
        c.skip(["only"])
        analysis.isComplete = c.atEnd
        return analysis
    }
    c.skip(jsonAdjectives)
    var analysis = SentenceAnalysis()
    if c.word("json") {
        analysis.demandsJSON = true
        let noun = c.anyWord([
            "object", "array", "list", "format", "response", "output", "only", "dictionary", "dict", "string",
            "document", "structure", "data", "code", "blob", "reply", "answer", "schema",
        ])
        switch noun {
        case "array", "list":
            let beforeOf = c.index
            guard let items = arrayElements(&c) else {
                // "the JSON array" says nothing about its items; "a JSON array of tags" does, in
                // words the schema cannot hold.
                analysis.root = OutputSchema(.array(items: OutputSchema(.any)))
                if c.index == beforeOf && c.current?.lower == "of" {
                    analysis.isComplete = false
                    return analysis
                }
                formatTail(&c, &analysis)
                return analysis
            }
            analysis.root = OutputSchema(.array(items: items.schema))
            analysis.rootIsClosed = items.isClosed
        case "object", "dictionary", "dict":
            analysis.root = OutputSchema(.object(properties: []))
        default: break
        }
    } else if c.anyWord(["list", "array"]) != nil {
        guard let items = arrayElements(&c) else { return nil }
        analysis.root = OutputSchema(.array(items: items.schema))
        analysis.rootIsClosed = items.isClosed
    } else if c.words(["this", "format"]) || c.words(["the", "following", "format"])
        || c.words(["the", "format", "below"]) || c.words(["this", "structure"])
        || c.words(["the", "following", "structure"]) || c.words(["this", "schema"])
        || c.words(["the", "following", "schema"])
    {
        // "Respond in this format:" + a block.
        analysis.follows = .exampleOrFields(defaultKind: nil)
        _ = c.punct(":")
        if let block = c.current, block.kind == .block { return exampleAfterColon(&c, analysis) }
        if !c.atEnd { analysis.isComplete = false }
        return analysis
    } else if c.words(["like", "this"]) || c.words(["as", "follows"]) {
        analysis.follows = .exampleOrFields(defaultKind: nil)
        _ = c.punct(":")
        if !c.atEnd { return nil }
        return analysis
    } else {
        return nil
    }
    formatTail(&c, &analysis)
    return analysis
}

/// "Use the below schema for your answer:", "Use this JSON format:", "Follow this structure:" (an
/// intro for a block or field list).
private func useFormatSentence(_ c: inout TokenCursor) -> SentenceAnalysis? {
    c.skip(["please", "always", "you", "must", "should"])
    guard c.anyWord(["use", "follow", "match"]) != nil else { return nil }
    c.skip(["exactly", "strictly"])
    guard c.anyWord(["this", "the", "these"]) != nil else { return nil }
    c.skip(["below", "following", "exact", "same"])
    let json = c.word("json")
    guard c.anyWord(["schema", "format", "structure", "template", "shape"]) != nil else { return nil }
    _ = c.anyOf([
        ["for", "your", "answer"], ["for", "your", "response"], ["for", "your", "output"],
        ["for", "the", "output"],
        ["for", "your", "reply"], ["for", "the", "response"],
    ])
    var analysis = SentenceAnalysis(demandsJSON: json, follows: .exampleOrFields(defaultKind: nil))
    guard c.punct(":") || c.atEnd else { return nil }
    if let block = c.current, block.kind == .block { analysis = exampleAfterColon(&c, analysis) }
    if !c.atEnd { analysis.isComplete = false }
    return analysis
}

/// Output verb ("return", "respond only") or output noun with a modal ("your response must be").
private func lead(_ c: inout TokenCursor) -> Bool {
    let mark = c.index
    c.skip(leadFillers)
    _ = c.punct(":")
    c.skip(leadFillers)
    if let verb = c.anyWord(outputVerbs) {
        // "Use" and "give" need an object that is about the output.
        _ = verb
        c.skip(["back", "only", "strictly", "just", "always", "exclusively"])
        _ = c.anyOf([
            ["your", "final", "answer"], ["your", "response"], ["your", "answer"], ["your", "output"],
            ["your", "reply"], ["your", "result"], ["your", "results"], ["the", "response"],
            ["the", "output"],
            ["the", "answer"], ["the", "result"], ["the", "results"], ["the", "final", "answer"], ["results"],
            ["the", "extracted", "information"], ["the", "extracted", "data"], ["the", "classification"],
            ["your", "classification"],
        ])
        c.skip(["only", "strictly", "just", "always", "exclusively"])
        return true
    }
    c.index = mark
    c.skip(["your", "the", "final", "entire", "whole", "my"])
    if c.anyWord(outputNouns) != nil {
        c.skip(["format"])
        if c.punct(":") { return true }
        guard
            c.anyOf([
                ["must", "always", "be"], ["must", "be"], ["should", "always", "be"], ["should", "be"],
                ["shall", "be"], ["will", "be"], ["has", "to", "be"], ["needs", "to", "be"],
                ["need", "to", "be"],
                ["must", "only", "be"], ["should", "only", "be"], ["is", "always"], ["is"], ["must"],
                ["should"],
            ]) != nil
        else {
            c.index = mark
            return false
        }
        c.skip([
            "always", "only", "strictly", "exclusively", "be", "formatted", "returned", "given", "provided",
            "written", "structured", "be",
        ])
        return true
    }
    c.index = mark
    return false
}

private enum EnumBody {
    case list([String], complete: Bool)
    /// "Answer with one of the following:" and a list of items.
    case follows
}

/// "one of: a, b, c", "one of the following labels only: A, B, or C", "yes or no", "only one word:
/// "spam" or "not spam"", "the labels "positive" or "negative"".
private func enumBody(_ c: inout TokenCursor) -> EnumBody? {
    let mark = c.index
    c.skip(["only", "exactly", "just", "strictly"])
    var marked = false
    if c.anyOf([
        ["one", "of", "the", "following"], ["one", "of"], ["exactly", "one", "of"], ["only", "one", "of"],
        ["a", "single"], ["one", "single"],
    ]) != nil {
        marked = true
    }
    c.skip([
        "the", "a", "an", "one", "single", "exactly", "only", "these", "following", "allowed", "possible",
    ])
    if c.anyWord(enumMarkers) != nil { marked = true }
    c.skip(["only"])
    let colon = c.punct(":")
    if marked && colon && c.atEnd { return .follows }
    c.skip(["either"])
    guard let values = enumList(&c, marked: marked) else {
        c.index = mark
        return nil
    }
    c.skip(["only"])
    // "…, as one word", "…, nothing else", "…, in lowercase" is more than the schema says.
    _ = c.punct(",")
    _ = c.anyOf([
        ["and", "nothing", "else"], ["nothing", "else"], ["as", "a", "single", "word"],
        ["as", "one", "word"],
    ])
    c.skip(["only"])
    return .list(values, complete: c.atEnd)
}

/// Two or more values joined by commas and a final "or" (or "and" after "one of"), or slashes.
/// Unquoted values must be single words; without a marker ("one of", "labels") they must be either
/// well-known answers (yes/no, true/false) or end the sentence, so that "answer briefly or skip"
/// is not read as an enum.
private func enumList(_ c: inout TokenCursor, marked: Bool) -> [String]? {
    let mark = c.index
    var values: [String] = []
    var sawOr = false
    var allQuoted = true
    while let token = c.current {
        if token.kind == .quoted {
            values.append(token.text)
        } else if token.kind == .word || token.kind == .number, !enumValueStopwords.contains(token.lower) {
            values.append(token.text)
            allQuoted = false
        } else {
            break
        }
        c.index += 1
        if c.punct(",") || c.punct("/") || c.punct("|") {
            if c.word("or") { sawOr = true } else if marked && c.word("and") {}
            continue
        }
        if c.word("or") {
            sawOr = true
            continue
        }
        if marked && c.word("and") { continue }
        break
    }
    guard values.count >= 2, sawOr || marked || c.tokens.contains(where: { $0.text == "/" }) else {
        c.index = mark
        return nil
    }
    if !allQuoted && !marked {
        let known: Set<String> = ["yes", "no", "true", "false", "y", "n"]
        let end = c.index
        c.skip(["only"])
        let endsSentence = c.atEnd
        c.index = end
        guard values.allSatisfy({ known.contains($0.lowercased()) }) || endsSentence else {
            c.index = mark
            return nil
        }
    }
    return values
}

/// "of strings", "of objects with name and email", "of tags" (unknown → incomplete).
private func arrayElements(_ c: inout TokenCursor) -> (schema: OutputSchema, isClosed: Bool)? {
    guard c.word("of") else { return nil }
    c.skip(["json", "string"])
    if let kind = c.anyWord(Set(pluralTypeNames.keys)).flatMap({ pluralTypeNames[$0] }) {
        return (OutputSchema(kind), true)
    }
    if c.word("objects") {
        let mark = c.index
        if c.anyWord(["with", "containing", "having", "that", "each"]) != nil {
            c.skip([
                "have", "has", "contain", "contains", "with", "the", "following", "these", "keys", "fields",
                "properties", "attributes",
            ])
            _ = c.punct(":")
            if let properties = keyList(&c) { return (OutputSchema(.object(properties: properties)), true) }
            c.index = mark
        }
        return (OutputSchema(.object(properties: [])), false)
    }
    return nil
}

/// What may follow the JSON core: keys, an example, "only", "nothing else", "with no extra text".
private func formatTail(_ c: inout TokenCursor, _ analysis: inout SentenceAnalysis) {
    while !c.atEnd {
        _ = c.punct(",")
        if c.atEnd { break }
        let mark = c.index
        // Fillers that JSON mode makes true anyway.
        if c.anyOf([
            ["and", "nothing", "else"], ["nothing", "else"], ["only"], ["itself"], ["and", "only", "json"],
            ["no", "markdown"], ["no", "prose"], ["no", "explanations"], ["no", "explanation"],
        ]) != nil {
            continue
        }
        if c.punct("(") {
            c.skip(["nothing", "extra", "else", "only", "no", "other", "text"])
            if c.punct(")") { continue }
            c.index = mark
        }
        if c.anyOf([["with", "no"], ["without"], ["no"], ["and", "no"]]) != nil {
            c.skip(["any", "other", "extra", "additional", "surrounding", "leading", "trailing"])
            if c.anyWord([
                "text", "prose", "commentary", "explanation", "explanations", "characters", "markdown",
                "content",
                "words", "preamble",
            ]) != nil {
                c.skip(["or", "markdown", "explanation", "commentary", "code", "fences", "formatting"])
                c.skip(["outside", "before", "after", "around", "the", "json", "it", "object", "array", "or"])
                continue
            }
            c.index = mark
        }
        if c.anyOf([
            ["in", "this", "format"], ["in", "the", "following", "format"],
            ["in", "this", "exact", "format"],
            ["in", "the", "format", "below"], ["in", "this", "form"], ["using", "this", "schema"],
            ["using", "the", "following", "schema"], ["using", "this", "format"],
            ["using", "this", "structure"],
            ["matching", "this", "schema"], ["matching", "the", "following", "schema"], ["like", "this"],
            ["as", "follows"], ["with", "this", "structure"], ["with", "the", "following", "structure"],
            ["that", "follows", "this", "schema"], ["that", "matches", "this", "schema"],
            ["in", "the", "following", "structure"], ["with", "this", "shape"],
            ["following", "this", "schema"],
            ["according", "to", "this", "schema"], ["in", "this", "shape"], ["like"],
        ]) != nil {
            analysis.follows = .exampleOrFields(defaultKind: nil)
            c.skip(["only"])
            _ = c.punct(":")
            if let block = c.current, block.kind == .block {
                analysis = exampleAfterColon(&c, analysis)
                continue
            }
            if c.atEnd { return }
            analysis.isComplete = false
            return
        }
        if c.punct(":") {
            if let block = c.current, block.kind == .block {
                analysis = exampleAfterColon(&c, analysis)
                continue
            }
            if c.atEnd {
                analysis.follows = .exampleOrFields(defaultKind: nil)
                return
            }
            if let properties = keyList(&c) {
                setRoot(&analysis, OutputSchema(.object(properties: properties)), closed: true)
                continue
            }
            analysis.isComplete = false
            return
        }
        if let block = c.current, block.kind == .block {
            analysis = exampleAfterColon(&c, analysis)
            continue
        }
        if c.anyOf([
            ["with"], ["containing"], ["that", "has"], ["that", "have"], ["that", "contains"], ["having"],
            ["including"], ["which", "has"], ["which", "contains"], ["with", "keys"],
        ]) != nil {
            let beforeNoun = c.index
            c.skip(["your", "the"])
            if c.anyWord([
                "classification", "answer", "result", "results", "response", "analysis", "output", "findings",
                "extraction", "evaluation", "assessment", "prediction",
            ]) != nil, c.punct(":"), c.atEnd {
                analysis.follows = .exampleOrFields(defaultKind: nil)
                return
            }
            c.index = beforeNoun
            c.skip([
                "exactly", "only", "just", "the", "these", "following", "this", "those", "two", "three",
                "four",
                "five", "six", "2", "3", "4", "5", "6",
            ])
            var defaultKind: OutputSchema.Kind? = nil
            if let typeWord = c.anyWord(Set(typeNames.keys)) { defaultKind = typeNames[typeWord] }
            let hadNoun =
                c.anyWord([
                    "keys", "key", "fields", "field", "properties", "property", "attributes", "entries",
                    "members",
                ])
                != nil
            c.skip(["only"])
            if c.punct(":") {
                if c.atEnd {
                    analysis.follows = .exampleOrFields(defaultKind: defaultKind)
                    if analysis.root == nil { analysis.root = OutputSchema(.object(properties: [])) }
                    return
                }
            }
            if var properties = keyList(&c) {
                if let defaultKind {
                    for i in properties.indices where properties[i].schema.kind == .any {
                        properties[i].schema.kind = defaultKind
                    }
                }
                setRoot(&analysis, OutputSchema(.object(properties: properties)), closed: true)
                continue
            }
            _ = hadNoun
            c.index = mark
        }
        analysis.isComplete = false
        return
    }
}

private func setRoot(_ analysis: inout SentenceAnalysis, _ schema: OutputSchema, closed: Bool) {
    if let root = analysis.root {
        // "a JSON array of objects" + keys → the keys belong to the items.
        if case .array(let items) = root.kind, case .object = schema.kind {
            guard let merged = items.merged(with: schema) else {
                analysis.isComplete = false
                return
            }
            analysis.root = OutputSchema(.array(items: merged))
        } else if let merged = root.merged(with: schema) {
            analysis.root = merged
        } else {
            analysis.isComplete = false
            return
        }
    } else {
        analysis.root = schema
    }
    analysis.rootIsClosed = analysis.rootIsClosed || closed
}

private func exampleAfterColon(_ c: inout TokenCursor, _ analysis: SentenceAnalysis) -> SentenceAnalysis {
    var analysis = analysis
    analysis.follows = nil
    guard let block = c.take(), let example = exampleSchema(block.text) else {
        analysis.isComplete = false
        return analysis
    }
    setRoot(&analysis, example, closed: true)
    if case .object = example.kind { analysis.demandsJSON = true }
    if case .array = example.kind { analysis.demandsJSON = true }
    return analysis
}

// MARK: - Keys

/// `"category" and "confidence"`, `name, email and age`, `name (string), tags (array of strings)`,
/// `address (with street and city)`, `an address object with street and city`.
func keyList(_ c: inout TokenCursor) -> [OutputSchema.Property]? {
    let mark = c.index
    var properties: [OutputSchema.Property] = []
    while true {
        c.skip(["a", "an", "the"])
        guard let property = keyItem(&c) else { break }
        guard !properties.contains(where: { $0.name == property.name }) else {
            c.index = mark
            return nil
        }
        properties.append(property)
        let beforeSeparator = c.index
        if c.punct(",") {
            _ = c.word("and") || c.punct("&")
            continue
        }
        if c.word("and") || c.punct("&") { continue }
        c.index = beforeSeparator
        break
    }
    guard !properties.isEmpty else {
        c.index = mark
        return nil
    }
    return properties
}

private func keyName(_ c: inout TokenCursor) -> String? {
    guard let token = c.current else { return nil }
    switch token.kind {
    case .quoted:
        guard !token.text.isEmpty, !token.text.contains("\n") else { return nil }
        c.index += 1
        return token.text
    case .word:
        guard !keyStopwords.contains(token.lower), typeNames[token.lower] == nil,
            token.text.unicodeScalars.allSatisfy({
                CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-"
            })
        else { return nil }
        c.index += 1
        return token.text
    default:
        return nil
    }
}

private func keyItem(_ c: inout TokenCursor) -> OutputSchema.Property? {
    let mark = c.index
    guard let name = keyName(&c) else { return nil }
    c.skip(["field", "key", "property"])
    var property = OutputSchema.Property(name: name, schema: OutputSchema(.any))
    if c.punct("(") {
        var ok = false
        if c.word("optional") {
            property.isOptional = true
            ok = true
        } else if c.word("with") || c.words(["an", "object", "with"]) || c.words(["object", "with"]) {
            if let nested = keyList(&c) {
                property.schema = OutputSchema(.object(properties: nested))
                ok = true
            }
        } else if let schema = typePhrase(&c) {
            property.schema = schema
            ok = true
            if c.punct(","), c.word("optional") { property.isOptional = true }
        }
        guard ok, c.punct(")") else {
            c.index = mark
            return nil
        }
    } else if c.words(["object", "with"]) {
        guard let nested = keyList(&c) else {
            c.index = mark
            return nil
        }
        property.schema = OutputSchema(.object(properties: nested))
    } else {
        let beforeWith = c.index
        if c.word("with"), let nested = keyList(&c) {
            property.schema = OutputSchema(.object(properties: nested))
        } else {
            c.index = beforeWith
        }
    }
    return property
}

// MARK: - Types and constraints

/// "a string", "an integer between 1 and 10", "a number in [-1, 1]", "an array of strings", "an
/// object with street and city", "a boolean", "true or false".
func typePhrase(_ c: inout TokenCursor) -> OutputSchema? {
    let mark = c.index
    c.skip(["a", "an", "single", "whole"])
    if c.words(["true", "or", "false"]) || c.words(["either", "true", "or", "false"]) {
        return OutputSchema(.boolean)
    }
    if c.words(["whole", "number"]) { return withRange(&c, OutputSchema(.integer)) }
    if let word = c.anyWord(Set(typeNames.keys)), let kind = typeNames[word] {
        c.skip(["value", "flag"])
        var schema = OutputSchema(kind)
        switch kind {
        case .number, .integer: schema = withRange(&c, schema)
        case .string: schema = withLength(&c, schema) ?? schema
        default: break
        }
        return schema
    }
    if c.anyWord(["array", "list"]) != nil {
        guard c.word("of") else { return OutputSchema(.array(items: OutputSchema(.any))) }
        if let kind = c.anyWord(Set(pluralTypeNames.keys)).flatMap({ pluralTypeNames[$0] }) {
            return OutputSchema(.array(items: OutputSchema(kind)))
        }
        if c.word("objects") {
            let beforeWith = c.index
            if c.anyWord(["with", "containing", "having"]) != nil, let keys = keyList(&c) {
                return OutputSchema(.array(items: OutputSchema(.object(properties: keys))))
            }
            c.index = beforeWith
            return OutputSchema(.array(items: OutputSchema(.object(properties: []))))
        }
        c.index = mark
        return nil
    }
    if c.word("object") {
        if c.anyWord(["with", "containing", "having"]) != nil, let keys = keyList(&c) {
            return OutputSchema(.object(properties: keys))
        }
        return OutputSchema(.object(properties: []))
    }
    c.index = mark
    return nil
}

/// A range after a number type ("between 0 and 1", "from 1 to 10", "in [-1, 1]", "in the range
/// 1-5"), or the schema unchanged.
private func withRange(_ c: inout TokenCursor, _ schema: OutputSchema) -> OutputSchema {
    guard let (low, high) = range(&c) else { return schema }
    var schema = schema
    schema.minimum = low
    schema.maximum = high
    return schema
}

/// "between A and B", "from A to B", "ranging from A to B", "in [A, B]", "in the range (of) A-B",
/// "A-B", "(A-B)" with an optional trailing "inclusive".
func range(_ c: inout TokenCursor) -> (Decimal, Decimal)? {
    let mark = c.index
    c.skip(["ranging", "that", "ranges", "in", "the", "range", "of", "on", "a", "scale", "within"])
    var result: (Decimal, Decimal)? = nil
    if c.word("between") || c.word("from") {
        if let low = c.number(), c.word("and") || c.word("to") || c.punct("-"), let high = c.number() {
            result = (low, high)
        }
    } else if c.punct("[") || c.punct("(") {
        if let low = c.number(), c.punct(",") || c.punct("-") || c.word("to"), let high = c.number(),
            c.punct("]") || c.punct(")")
        {
            result = (low, high)
        }
    } else if let low = c.number(), c.punct("-") || c.word("to"), let high = c.number() {
        result = (low, high)
    }
    guard let (low, high) = result, low <= high else {
        c.index = mark
        return nil
    }
    _ = c.punct(",")
    let beforeInclusive = c.index
    if !(c.word("inclusive") || c.words(["inclusive"])) { c.index = beforeInclusive }
    _ = c.punct(")")
    return (low, high)
}

private enum LengthUnit { case characters, items, unsupported }

/// "under 500 characters", "at most 3 items", "between 10 and 30 characters long", "no more than 15
/// tags". `countNoun` is the field's name, which also counts as an item unit ("at most 3 tags").
private func limit(_ c: inout TokenCursor, countNoun: String? = nil) -> (
    min: Int?, max: Int?, unit: LengthUnit
)? {
    let mark = c.index
    var low: Int? = nil
    var high: Int? = nil
    c.skip(["be", "a", "contain", "have", "include", "list", "hold"])
    if c.anyOf([
        ["under"], ["below"], ["less", "than"], ["fewer", "than"], ["at", "most"], ["no", "more", "than"],
        ["not", "more", "than"], ["no", "longer", "than"], ["not", "longer", "than"], ["shorter", "than"],
        ["up", "to"], ["within"], ["a", "maximum", "of"], ["maximum", "of"], ["maximum"], ["max"],
        ["not", "exceed"], ["not", "be", "longer", "than"], ["not", "be", "more", "than"],
        ["never", "exceed"],
        ["exceed", "no", "more", "than"], ["no", "more", "than"], ["limited", "to"], ["a", "max", "of"],
    ]) != nil {
        guard let value = c.number() else {
            c.index = mark
            return nil
        }
        high = NSDecimalNumber(decimal: value).intValue
    } else if c.anyOf([
        ["at", "least"], ["no", "fewer", "than"], ["no", "shorter", "than"], ["a", "minimum", "of"],
        ["minimum"], ["min"],
    ]) != nil {
        guard let value = c.number() else {
            c.index = mark
            return nil
        }
        low = NSDecimalNumber(decimal: value).intValue
    } else if c.word("between") {
        guard let a = c.number(), c.word("and"), let b = c.number() else {
            c.index = mark
            return nil
        }
        low = NSDecimalNumber(decimal: a).intValue
        high = NSDecimalNumber(decimal: b).intValue
    } else if c.word("exactly") {
        guard let value = c.number() else {
            c.index = mark
            return nil
        }
        low = NSDecimalNumber(decimal: value).intValue
        high = low
    } else {
        c.index = mark
        return nil
    }
    let unit: LengthUnit
    c.skip(["unicode"])
    if c.anyWord(["characters", "character", "chars", "char", "letters"]) != nil {
        unit = .characters
    } else if c.anyWord(["items", "item", "elements", "element", "entries", "entry", "values", "strings"])
        != nil
    {
        unit = .items
    } else if let countNoun, let token = c.current, token.kind == .word,
        token.lower == countNoun.lowercased() || token.lower + "s" == countNoun.lowercased()
            || token.lower == countNoun.lowercased() + "s"
    {
        c.index += 1
        unit = .items
    } else if c.anyWord([
        "words", "word", "sentences", "sentence", "lines", "paragraphs", "tokens", "bullets", "bullet",
    ]) != nil {
        unit = .unsupported
    } else {
        c.index = mark
        return nil
    }
    c.skip(["long", "in", "length", "or", "less", "fewer", "max", "maximum", "total", "at", "most"])
    return (low, high, unit)
}

private func withLength(_ c: inout TokenCursor, _ schema: OutputSchema) -> OutputSchema? {
    let mark = c.index
    c.skip(["of", "with"])
    guard let (low, high, unit) = limit(&c), unit == .characters else {
        c.index = mark
        return nil
    }
    var schema = schema
    schema.minLength = low
    schema.maxLength = high
    return schema
}

// MARK: - Field sentences

/// One predicate about a field; nil when not recognised. `complete` is false when the predicate is
/// about the output format but cannot be expressed (a limit in words).
private func fieldPredicate(_ c: inout TokenCursor, name: String) -> (
    OutputSchema, optional: Bool, complete: Bool
)? {
    let mark = c.index
    c.skip(["always", "only", "strictly"])
    if c.word("optional") { return (OutputSchema(.any), true, true) }
    if c.words(["true", "or", "false"]) || c.words(["either", "true", "or", "false"]) {
        return (OutputSchema(.boolean), false, true)
    }
    if let schema = typePhrase(&c) {
        // "a string of at most 100 characters", "a list of strings with at most 3 items".
        var schema = schema
        let beforeLimit = c.index
        c.skip(["of", "with"])
        if let (low, high, unit) = limit(&c, countNoun: name) {
            switch (schema.kind, unit) {
            case (.string, .characters):
                schema.minLength = low
                schema.maxLength = high
            case (.array, .items):
                schema.minItems = low
                schema.maxItems = high
            default:
                return (schema, false, false)
            }
        } else {
            c.index = beforeLimit
        }
        return (schema, false, true)
    }
    if let (low, high, unit) = limit(&c, countNoun: name) {
        switch unit {
        case .characters: return (OutputSchema(.string, minLength: low, maxLength: high), false, true)
        case .items:
            return (
                OutputSchema(.array(items: OutputSchema(.any)), minItems: low, maxItems: high), false, true
            )
        case .unsupported: return (OutputSchema(.any), false, false)
        }
    }
    if let (low, high) = range(&c) {
        // A range without a type word: integers unless a bound has a fraction or the range is 0–1,
        // which in prompts means a probability or confidence.
        let fractional = [low, high].contains { $0 != Decimal(NSDecimalNumber(decimal: $0).intValue) }
        let isUnit = low == 0 && high == 1
        return (
            OutputSchema(fractional || isUnit ? .number : .integer, minimum: low, maximum: high), false, true
        )
    }
    c.skip(["either"])
    _ = c.anyOf([["one", "of", "the", "following"], ["one", "of"]])
    _ = c.punct(":")
    if let values = enumList(&c, marked: true) {
        if Set(values.map { $0.lowercased() }) == ["true", "false"] {
            return (OutputSchema(.boolean), false, true)
        }
        return (OutputSchema(.enumeration(values)), false, true)
    }
    c.index = mark
    return nil
}

/// "The sentiment must be positive, negative or neutral.", "is_spam should be true or false.",
/// "confidence is a number between 0 and 1.", "The summary must be under 500 characters.",
/// "tags should be an array of strings with at most 3 items.", "address is an object with street
/// and city.", "email is optional."
private func fieldSentence(_ c: inout TokenCursor) -> SentenceAnalysis? {
    c.skip(["the"])
    guard let token = c.current else { return nil }
    let name: String
    // "The answer must be…" is about a field only when the output has a field of that name.
    let mustBeKnown = token.kind == .word && outputNouns.contains(token.lower)
    if token.kind == .quoted, !token.text.isEmpty, !token.text.contains(" ") {
        name = token.text
    } else if token.kind == .word, !nonFieldSubjects.contains(token.lower) || mustBeKnown,
        typeNames[token.lower] == nil,
        token.text.unicodeScalars.allSatisfy({
            CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-"
        })
    {
        name = token.text
    } else {
        return nil
    }
    c.index += 1
    c.skip(["field", "key", "property", "value", "attribute"])
    guard
        let modal = c.anyOf([
            ["must", "always", "be"], ["must", "be"], ["should", "always", "be"], ["should", "be"],
            ["shall", "be"],
            ["will", "be"], ["has", "to", "be"], ["needs", "to", "be"], ["must", "only", "be"],
            ["should", "only", "be"], ["must"], ["should"], ["is"], ["are"], ["can", "be"], ["may", "be"],
            ["contains"], ["has"],
        ])
    else { return nil }
    // "is"/"are"/"contains"/"has" describe; only modals ("must", "should") instruct.
    let isWeak = modal == 12 || modal == 13 || modal >= 16
    var schema = OutputSchema(.any)
    var optional = false
    var complete = true
    var recognised = false
    while true {
        guard let (fact, isOptional, isComplete) = fieldPredicate(&c, name: name) else { break }
        recognised = true
        if isOptional { optional = true }
        if !isComplete { complete = false }
        guard let merged = schema.merged(with: fact) else {
            complete = false
            break
        }
        schema = merged
        let beforeJoin = c.index
        _ = c.punct(",")
        if c.word("and") || c.punct(";") {
            _ = c.anyOf([["must", "be"], ["should", "be"], ["is"], ["must"], ["should"]])
            continue
        }
        c.index = beforeJoin
        break
    }
    // "can be" and "may be" only state optionality.
    if (modal == 14 || modal == 15) && !(optional && schema.kind == .any) { return nil }
    // "X contains street and city" / "X has street and city" → a nested object.
    if !recognised && (modal == 16 || modal == 17), let keys = keyList(&c) {
        recognised = true
        schema = OutputSchema(.object(properties: keys))
    }
    guard recognised else { return nil }
    if !c.atEnd { complete = false }
    var analysis = SentenceAnalysis()
    analysis.fields = [OutputSchema.Property(name: name, schema: schema, isOptional: optional)]
    analysis.isComplete = complete
    analysis.needsKnownField = isWeak || mustBeKnown
    return analysis
}

/// "Set is_urgent to true if the email needs a reply today, otherwise false." → a boolean whose
/// description keeps the condition.
private func setBooleanSentence(_ c: inout TokenCursor) -> SentenceAnalysis? {
    c.skip(["always", "please"])
    guard c.word("set") else { return nil }
    guard let nameToken = c.current else { return nil }
    let name: String
    if nameToken.kind == .quoted {
        name = nameToken.text
    } else if nameToken.kind == .word,
        !nonFieldSubjects.contains(nameToken.lower)
    {
        name = nameToken.text
    } else {
        return nil
    }
    c.index += 1
    c.skip(["field", "key", "property"])
    guard c.word("to"), c.word("true"), let ifToken = c.current,
        ifToken.lower == "if" || ifToken.lower == "when"
    else {
        return nil
    }
    let descriptionStart = c.tokens[c.index - 1].start
    var descriptionEnd = c.text.utf8.count
    var complete = true
    // The condition runs to ", otherwise false" / "and false otherwise" / the end.
    while let token = c.take() {
        if token.kind == .word && (token.lower == "otherwise" || token.lower == "else") {
            descriptionEnd = token.start
            c.skip(["set", "it", "to"])
            guard c.word("false") else {
                complete = false
                break
            }
            break
        }
        if token.kind == .word && token.lower == "false" && c.atEnd {
            descriptionEnd = token.start
            break
        }
    }
    if !c.atEnd { complete = false }
    let bytes = Array(c.text.utf8)
    var end = descriptionEnd
    while end > descriptionStart,
        [UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: ";")].contains(bytes[end - 1])
    {
        end -= 1
    }
    var description = String(decoding: bytes[descriptionStart..<end], as: UTF8.self)
    if description.hasSuffix(" and") { description = String(description.dropLast(4)) }
    var analysis = SentenceAnalysis()
    analysis.fields = [
        OutputSchema.Property(name: name, schema: OutputSchema(.boolean, description: description))
    ]
    analysis.isComplete = complete
    return analysis
}

/// "Include at most 3 tags.", "Return no more than 5 keywords.", "Give a score from 1 to 10.",
/// "Provide a confidence between 0 and 1."
private func verbFieldSentence(_ c: inout TokenCursor) -> SentenceAnalysis? {
    c.skip(["always", "please", "only"])
    guard
        c.anyWord([
            "include", "return", "list", "provide", "give", "generate", "output", "add", "suggest", "extract",
            "produce", "select", "pick", "choose", "assign", "use",
        ]) != nil
    else { return nil }
    let mark = c.index
    // A count: "at most 3 tags" (the noun names an array field).
    if let next = c.current, next.kind == .word || next.kind == .number {
        var probe = c
        probe.skip([
            "at", "most", "no", "more", "than", "up", "to", "a", "maximum", "of", "between", "and",
            "exactly", "least", "not", "max", "fewer", "under",
        ])
        if probe.number() != nil, let nounToken = probe.current, nounToken.kind == .word,
            !keyStopwords.contains(nounToken.lower), !nonFieldSubjects.contains(nounToken.lower)
        {
            if let (low, high, unit) = limit(&c, countNoun: nounToken.text), unit == .items {
                var analysis = SentenceAnalysis()
                analysis.fields = [
                    OutputSchema.Property(
                        name: nounToken.text,
                        schema: OutputSchema(.array(items: OutputSchema(.any)), minItems: low, maxItems: high)
                    )
                ]
                analysis.isComplete = c.atEnd
                return analysis
            }
        }
    }
    c.index = mark
    // A number range: "a score from 1 to 10".
    c.skip(["a", "an", "the"])
    guard let nameToken = c.current, nameToken.kind == .word, !keyStopwords.contains(nameToken.lower),
        !nonFieldSubjects.contains(nameToken.lower), typeNames[nameToken.lower] == nil
    else { return nil }
    c.index += 1
    c.skip(["score", "rating", "value"])
    guard let (low, high) = range(&c) else { return nil }
    let fractional = [low, high].contains { $0 != Decimal(NSDecimalNumber(decimal: $0).intValue) }
    let isUnit = low == 0 && high == 1
    var analysis = SentenceAnalysis()
    analysis.fields = [
        OutputSchema.Property(
            name: nameToken.text,
            schema: OutputSchema(fractional || isUnit ? .number : .integer, minimum: low, maximum: high))
    ]
    analysis.isComplete = c.atEnd
    return analysis
}

// MARK: - List items after an intro

/// A field described by a list item: `- name: the person's full name`, `- "score" (integer 1-10):
/// relevance`, `- sentiment: one of positive, negative, neutral`, `- recommendation: true if …`,
/// `- sentiment_score: a number in [-1, 1] where -1 is very negative`. Whatever the grammar does not
/// turn into a type becomes the description, so nothing the item says is lost.
func fieldItem(_ text: String, defaultKind: OutputSchema.Kind?) -> OutputSchema.Property? {
    var c = TokenCursor(text)
    guard let token = c.current else { return nil }
    let name: String
    if token.kind == .quoted, !token.text.isEmpty {
        name = token.text
    } else if token.kind == .word, !keyStopwords.contains(token.lower) {
        name = token.text
    } else {
        return nil
    }
    c.index += 1
    var property = OutputSchema.Property(name: name, schema: OutputSchema(defaultKind ?? .any))
    if c.punct("?") { property.isOptional = true }
    if c.punct("(") {
        let mark = c.index
        if c.word("optional") {
            property.isOptional = true
        } else if let schema = typePhrase(&c) {
            property.schema = schema
            if c.punct(","), c.word("optional") { property.isOptional = true }
        }
        if !c.punct(")") {
            // "(individual or department)": a description, not a type.
            c.index = mark
            var depth = 1
            while let t = c.take() {
                if t.text == "(" { depth += 1 }
                if t.text == ")" {
                    depth -= 1
                    if depth == 0 { break }
                }
            }
            guard depth == 0 else { return nil }
            let inner = text.utf8Slice(UTF8Range(start: c.tokens[mark].start, end: c.tokens[c.index - 1].start))
            property.schema.description = inner.trimmingCharacters(in: .whitespaces)
        }
    }
    guard
        c.punct(":") || c.punct("-") || c.punct("=") || c.atEnd
            || property.schema.kind != (defaultKind ?? .any)
            || property.schema.description != nil
    else { return nil }
    if c.atEnd { return property }
    let specStart = c.index
    let fullSpec = c.restText
    if c.words(["true", "if"]) || c.words(["true", "when"]) {
        property.schema.kind = .boolean
        property.schema.description = appendDescription(property.schema.description, fullSpec)
        return property
    }
    c.index = specStart
    if c.word("optional") {
        property.isOptional = true
        _ = c.punct(",") || c.punct(";") || c.punct("-")
    }
    let beforePredicate = c.index
    if let (schema, optional, complete) = fieldPredicate(&c, name: name), complete,
        let merged = property.schema.kind == .any ? schema : property.schema.merged(with: schema)
    {
        property.schema = OutputSchema(
            merged.kind, description: property.schema.description, minLength: merged.minLength,
            maxLength: merged.maxLength, minimum: merged.minimum, maximum: merged.maximum,
            minItems: merged.minItems,
            maxItems: merged.maxItems)
        if optional { property.isOptional = true }
        _ = c.punct(",") || c.punct(";") || c.punct("-")
        if !c.atEnd {
            property.schema.description = appendDescription(property.schema.description, c.restText)
        }
        return property
    }
    c.index = beforePredicate
    if !c.atEnd { property.schema.description = appendDescription(property.schema.description, c.restText) }
    return property
}

private func appendDescription(_ existing: String?, _ text: String) -> String {
    guard let existing, !existing.isEmpty else { return text }
    return existing + "; " + text
}

/// A list item holding one allowed value: `- positive`, `- "not spam"`, `- Weather Data`.
func valueItem(_ text: String) -> String? {
    let c = TokenCursor(text)
    if c.tokens.count == 1, c.tokens[0].kind == .quoted { return c.tokens[0].text }
    guard !c.tokens.isEmpty, c.tokens.count <= 3,
        c.tokens.allSatisfy({ $0.kind == .word || $0.kind == .number })
    else { return nil }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
}

import Foundation
import LanguageServerProtocol
import Pricing
import PromptAnalysis
import PromptSyntax
import PromptText

/// `textDocument/completion`: frontmatter keys, model ids from the catalog after `model:`, config keys
/// under `config:`, and in the template helpers, input variables (from `input.schema`) after `{{`,
/// block helpers after `{{#`, and partial names (`_name.prompt` beside the file) after `{{>`.
struct CompletionHandler: RequestHandler {
    typealias Request = CompletionRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.completionProvider = CompletionOptions(triggerCharacters: ["{", ">", "#", ":", " "])
    }

    func handle(_ params: CompletionParams, context: RequestContext) async throws -> CompletionList? {
        let document = try context.document(params.textDocument.uri)
        let offset = document.utf8Offset(of: params.position, encoding: context.snapshot.positionEncoding)
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        let partials = filePath(of: document.uri).map { partialNames(beside: $0, state: context.snapshot) } ?? []
        return CompletionList(isIncomplete: false, items: completions(analysis, at: offset, partialNames: partials))
    }
}

private let configKeys = ["temperature", "maxOutputTokens", "topK", "topP", "stopSequences", "maxTurns"]

func completions(_ analysis: DocumentAnalysis, at offset: Int, partialNames: [String]) -> [CompletionItem] {
    let bytes = analysis.lineIndex.utf8
    let line = analysis.lineIndex.line(containingUTF8Offset: offset)
    let lineStart = analysis.lineIndex.utf8Range(ofLine: line).start
    let before = String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self)

    if let frontmatter = analysis.document.frontmatter ?? analysis.document.frontmatterFallback?.ignoredFrontmatter,
       frontmatter.contentRange.touches(offset)
    {
        let trimmed = before.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("model:") {
            let typed = trimmed.dropFirst("model:".count).trimmingCharacters(in: .whitespaces).lowercased()
            return ModelCatalog.bundled.models.lazy.filter { typed.isEmpty || $0.id.lowercased().contains(typed) }.prefix(200).map { model in
                CompletionItem(label: model.id, kind: .value,
                               detail: "\(USDFormat.perMillionTokens(perToken: model.inputPerToken)) in · \(USDFormat.perMillionTokens(perToken: model.outputPerToken)) out · \(model.tokenizer.label)")
            }
        }
        if before.hasPrefix("  "), !trimmed.contains(":"), isInsideConfig(analysis, line: line) {
            return configKeys.map { CompletionItem(label: $0, kind: .property, insertText: "\($0): ") }
        }
        if !before.hasPrefix(" "), !trimmed.contains(":") {
            return Frontmatter.knownTopLevelKeys.map { CompletionItem(label: $0, kind: .property, insertText: "\($0): ") }
        }
        return []
    }

    // In the template: only right after an opening `{{` (with `#`, `>` or nothing) and a partial word.
    guard let open = before.range(of: "{{", options: .backwards), !before[open.upperBound...].contains("}}") else { return [] }
    let inside = before[open.upperBound...]
    if inside.hasPrefix(">") {
        return partialNames.map { CompletionItem(label: $0, kind: .file, detail: "partial _\($0).prompt") }
    }
    if inside.hasPrefix("#") {
        return ["if", "unless", "each", "with", "ifEquals", "unlessEquals"].map { CompletionItem(label: $0, kind: .keyword) }
    }
    var items = TemplateReferenceOptions.dotprompt.knownHelpers.sorted().filter { !["blockHelperMissing", "helperMissing"].contains($0) }
        .map { CompletionItem(label: $0, kind: .function, detail: "helper") }
    items += [CompletionItem(label: "role \"system\"", kind: .snippet, detail: "start a system message"),
              CompletionItem(label: "role \"user\"", kind: .snippet, detail: "start a user message"),
              CompletionItem(label: "role \"model\"", kind: .snippet, detail: "start a model message")]
    var variables: [String] = []
    if let schema = analysis.document.frontmatter?.root?.value(at: ["input", "schema"]) {
        let pairs = schema["properties"]?.pairs ?? schema.pairs ?? []
        for pair in pairs {
            var name = pair.keyText
            if let paren = name.firstIndex(of: "(") { name = String(name[..<paren]) }
            name = name.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "?"))
            if !variables.contains(name) { variables.append(name) }
        }
    }
    items = variables.map { CompletionItem(label: $0, kind: .variable, detail: "input") } + items
    return items
}

private func isInsideConfig(_ analysis: DocumentAnalysis, line: Int) -> Bool {
    guard let config = analysis.document.frontmatter?.root?.pair("config") else { return false }
    let start = analysis.lineIndex.line(containingUTF8Offset: config.range.start)
    let end = analysis.lineIndex.line(containingUTF8Offset: config.range.end)
    return line > start && line <= end + 1
}

/// Partial names available to a file: `_name.prompt` files in its folder and its sub-folders (two
/// levels), inside the workspace only.
func partialNames(beside path: String, state: ServerState) -> [String] {
    let folder = parentFolder(of: path)
    guard state.isInside(URL(fileURLWithPath: folder), rootsOf: DocumentURI(URL(fileURLWithPath: path).absoluteString)) else { return [] }
    var names: [String] = []
    let enumerator = FileManager.default.enumerator(atPath: folder)
    while let entry = enumerator?.nextObject() as? String {
        if entry.split(separator: "/").count > 3 { enumerator?.skipDescendants(); continue }
        let file = (entry as NSString).lastPathComponent
        guard file.hasPrefix("_"), file.hasSuffix(".prompt") else { continue }
        let directory = parentFolder(of: entry)
        let name = String(file.dropFirst().dropLast(".prompt".count))
        names.append(directory.isEmpty ? name : directory + "/" + name)
    }
    return names.sorted()
}

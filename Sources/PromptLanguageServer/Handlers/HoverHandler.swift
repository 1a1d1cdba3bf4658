import Foundation
import LanguageServerProtocol
import PromptAnalysis
import PromptSyntax
import PromptText

/// `textDocument/hover`: the price sheet on `model:`, the message breakdown on a role marker, the
/// schema entry on a variable, the partial's cost on an inclusion, and the rule's explanation on a
/// finding. Several apply at once (a finding on a marker): the sections are joined.
struct HoverHandler: RequestHandler {
    typealias Request = HoverRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.hoverProvider = true
    }

    func handle(_ params: TextDocumentPositionParams, context: RequestContext) async throws -> Hover? {
        let document = try context.document(params.textDocument.uri)
        let encoding = context.snapshot.positionEncoding
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        let offset = document.utf8Offset(of: params.position, encoding: encoding)
        guard let (markdown, range) = hoverMarkdown(analysis, at: offset) else { return nil }
        return Hover(contents: MarkupContent(kind: .markdown, value: markdown), range: document.range(of: range, encoding: encoding))
    }
}

/// The hover text at `offset` and the range it describes.
func hoverMarkdown(_ analysis: DocumentAnalysis, at offset: Int) -> (String, UTF8Range)? {
    var sections: [String] = []
    var range: UTF8Range?
    if let model = analysis.document.frontmatter?.root?.pair("model"), model.range.touches(offset) {
        sections.append(priceSheet(analysis))
        range = model.value.range
    }
    for report in analysis.messages {
        if let marker = report.message.markerRange, marker.touches(offset) {
            sections.append(report.message.isHistory ? (historyMarkdown(analysis) ?? costBreakdownMarkdown(analysis)) : costBreakdownMarkdown(analysis))
            range = range ?? marker
        }
    }
    for loop in findRetrievalLoops(in: analysis.document) where loop.openTagRange.touches(offset) {
        sections.append(retrievalMarkdown(loop, analysis))
        range = range ?? loop.openTagRange
    }
    for partial in analysis.partials where partial.range.touches(offset) {
        let tokens = partial.tokens.map { "\(analysis.cost.isExactTokenizer ? "" : "≈")\($0) tokens of static text" } ?? "not found"
        sections.append("**partial `\(partial.name)`** — \(tokens)" + (partial.path.map { "\n\n`\($0)`" } ?? ""))
        range = range ?? partial.range
    }
    for reference in analysis.document.template.references().variables where reference.path.range.touches(offset) {
        guard let name = reference.inputVariable else { continue }
        sections.append(variableMarkdown(name, analysis))
        range = range ?? reference.path.range
    }
    for finding in analysis.findings where finding.range.touches(offset) {
        guard let rule = RuleRegistry.descriptor(for: finding.ruleID) else { continue }
        sections.append("**\(rule.id)** (\(finding.severity.rawValue)) — \(finding.message)\n\n\(rule.explanation)\n\n[Rule documentation](\(rule.documentationURL))")
        range = range ?? finding.range
    }
    guard let range, !sections.isEmpty else { return nil }
    return (sections.joined(separator: "\n\n---\n\n"), range)
}

/// Prices per million tokens (a headed table), the context window, tokenizer, this call's totals in
/// one line, and the catalog date: at most a dozen lines. The per-message breakdown is the role
/// marker's hover.
func priceSheet(_ analysis: DocumentAnalysis) -> String {
    let model = analysis.model
    var lines = ["**\(model.name ?? "no model")**" + (model.id.map { $0 == model.name ? "" : " → `\($0)`" } ?? " — not in the catalog")]
    func perMillion(_ perToken: Decimal?) -> String { perToken.map { formatUSD($0 * 1_000_000) + "/MTok" } ?? "—" }
    if model.isKnown {
        lines += ["", "| input | output | cached input |", "|---:|---:|---:|",
                  "| \(perMillion(model.inputPerToken)) | \(perMillion(model.outputPerToken)) | "
                      + "\(model.supportsPromptCaching ? perMillion(model.cacheReadPerToken) : "no caching") |",
                  "",
                  "Context window \(model.contextWindow.map { "\($0) tokens" } ?? "unknown") · max output "
                      + "\(model.maxOutputTokens.map { "\($0)" } ?? "unknown") · \(model.encoding.rawValue) "
                      + "(\(model.isExactTokenizer ? "exact" : "estimate ×\(NSDecimalNumber(decimal: model.estimateRatio).stringValue)"))"]
    } else if !model.suggestions.isEmpty {
        lines += ["", "Closest known: " + model.suggestions.map { "`\($0)`" }.joined(separator: ", ")]
    }
    lines += ["", "**This call:** " + callSummary(analysis) + " — per message: hover a role marker"]
    var notes: [String] = []
    if let source = model.catalogSource { notes.append("Catalog: \(source)") }
    if !model.isExactTokenizer, let note = model.estimateSource { notes.append("≈ \(note)") }
    if !notes.isEmpty { lines += ["", notes.joined(separator: ". ")] }
    return lines.joined(separator: "\n")
}

private func variableMarkdown(_ name: String, _ analysis: DocumentAnalysis) -> String {
    guard let schema = analysis.document.frontmatter?.root?.value(at: ["input", "schema"]) else {
        return "**`\(name)`** — input variable (no `input.schema` declares it; its text is not counted: + ?)"
    }
    let pair = schema.pairs?.first { pair in
        var key = pair.keyText
        if let paren = key.firstIndex(of: "(") { key = String(key[..<paren]) }
        return key.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "?")) == name
    } ?? schema["properties"]?.pair(name)
    let declared = pair.map { "`\($0.keyText): \($0.value.string ?? "…")`" } ?? "not declared in `input.schema`"
    let defaultValue = analysis.document.frontmatter?.root?.value(at: ["input", "default", name])?.string
    return "**`\(name)`** — \(declared)" + (defaultValue.map { "\n\ndefault: `\($0)`" } ?? "\n\nits text is not counted (+ ?) unless a default or sample gives it a value")
}

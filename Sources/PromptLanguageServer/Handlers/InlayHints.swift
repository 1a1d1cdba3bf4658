import Foundation
import JSONRPC
import LanguageServerProtocol
import PromptAnalysis
import PromptText

/// `textDocument/inlayHint`: tokens after each message's role marker, the call's totals and USD on the
/// `model:` line, and tokens after each partial inclusion. `≈` marks estimates; the detail level is the
/// `inlayHints.detail` setting (off, tokens, cost, full). Each hint carries the document version in
/// `data`, so `inlayHint/resolve` can refuse a stale hint.
struct InlayHints: RequestHandler {
    typealias Request = InlayHintRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.inlayHintProvider = InlayHintOptions(resolveProvider: true)
    }

    func handle(_ params: InlayHintParams, context: RequestContext) async throws -> [InlayHint]? {
        let document = try context.document(params.textDocument.uri)
        context.snapshot.analyses.servedInlayHints.withLock { $0 = true }
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        let range = document.utf8Range(of: params.range, encoding: context.snapshot.positionEncoding)
        return inlayHints(analysis, document: document, encoding: context.snapshot.positionEncoding)
            .filter { range.touches($0.offset) }.map(\.hint)
    }
}

/// `inlayHint/resolve`: adds the tooltip (the per-message breakdown), if the hint is still current.
struct InlayHintResolve: RequestHandler {
    typealias Request = InlayHintResolveRequest

    func handle(_ hint: InlayHint, context: RequestContext) async throws -> InlayHint {
        guard case .object(let data)? = hint.data, case .string(let uri)? = data["uri"], case .integer(let version)? = data["version"],
              let document = context.snapshot.documents[DocumentURI(uri)]
        else { return hint }
        guard Int(version) == document.version else { throw ResponseError.contentModified }
        var resolved = hint
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        resolved.tooltip = MarkupContent(kind: .markdown, value: costBreakdownMarkdown(analysis))
        return resolved
    }
}

/// A hint with the UTF-8 offset it sits at (for range filtering).
struct PositionedHint {
    var offset: Int
    var hint: InlayHint
}

func inlayHints(_ analysis: DocumentAnalysis, document: OpenDocument, encoding: PositionEncoding) -> [PositionedHint] {
    let detail = analysis.configuration.hintDetail
    guard detail != .off else { return [] }
    let cost = analysis.cost
    let approx = cost.isExactTokenizer ? "" : "≈"
    let data: LSPAny = .object(["uri": .string(document.uri.rawValue), "version": .integer(Int64(document.version))])
    var hints: [PositionedHint] = []
    func add(_ offset: Int, _ label: String, left: Bool = true) {
        hints.append(PositionedHint(offset: offset, hint: InlayHint(
            position: document.position(ofUTF8Offset: offset, encoding: encoding), label: .string(label),
            paddingLeft: left, paddingRight: !left, data: data)))
    }

    // The call's totals on the model line (or on the opening `---`, or at the top of the file).
    var total = "\(approx)\(cost.inputTokens) tok in"
    if !cost.unresolvedVariables.isEmpty { total += " + ?" }
    if detail == .cost || detail == .full {
        if let usd = cost.usdPerCall { total += " · \(approx)\(formatUSD(usd))/call" }
    }
    if detail == .full {
        total += " · \(cost.outputTokens) out\(cost.outputIsDefault ? " (default)" : "")"
        if let monthly = cost.usdPerMonth { total += " · \(approx)\(formatUSD(monthly))/mo" }
        if let cached = cost.cachedUSDPerCall { total += " · cached \(approx)\(formatUSD(cached))" }
    }
    if let model = modelValueRange(analysis) {
        add(lineEnd(model.end, analysis), total)
    } else if let frontmatter = analysis.document.frontmatter {
        add(lineEnd(frontmatter.openingDelimiter.start, analysis), total)
    } else {
        add(analysis.document.body.start, total + " ", left: false)
    }

    for report in analysis.messages where !report.message.isHistory {
        var label = "\(approx)\(report.tokens) tok"
        if !report.unresolvedVariables.isEmpty { label += " + ?" }
        if (detail == .cost || detail == .full), let price = analysis.model.inputPerToken {
            label += " · \(formatUSD(Decimal(report.tokens) * price))"
        }
        if let marker = report.message.markerRange {
            add(marker.end, label)
        } else if report.tokens > 0 {
            add(report.message.contentRange.start, label + " ", left: false)
        }
    }
    for partial in analysis.partials {
        add(partial.range.end, partial.tokens.map { "+\(approx)\($0) tok" } ?? "missing")
    }
    // Growth: a call after 5 / 20 / 50 prior turns at `{{history}}`, and 3 / 10 / 20 items per loop.
    if detail == .full || detail == .cost {
        if let history = analysis.messages.first(where: \.message.isHistory), let growth = historyGrowth(for: analysis) {
            let calls = growth.calls().map { "\($0.count)→≈\($0.inputTokens)" }.joined(separator: " ")
            add(history.message.anchorRange.end, "turns \(calls) tok")
        }
        for loop in findRetrievalLoops(in: analysis.document) {
            let calls = retrievalGrowth(for: loop, in: analysis).calls().map { "×\($0.count)→≈\($0.inputTokens)" }.joined(separator: " ")
            add(loop.openTagRange.end, "\(calls) tok")
        }
    }
    return hints.sorted { $0.offset < $1.offset }
}

private func modelValueRange(_ analysis: DocumentAnalysis) -> UTF8Range? {
    analysis.document.frontmatter?.root?.pair("model")?.value.range
}

private func lineEnd(_ offset: Int, _ analysis: DocumentAnalysis) -> Int {
    let line = analysis.lineIndex.line(containingUTF8Offset: offset)
    return analysis.lineIndex.utf8Range(ofLine: line).end
}

/// The per-message breakdown, as hovers and hint tooltips show it.
func costBreakdownMarkdown(_ analysis: DocumentAnalysis) -> String {
    let cost = analysis.cost
    let approx = cost.isExactTokenizer ? "" : "≈"
    var lines = ["**\(analysis.model.name ?? "no model")** — \(cost.encoding) \(cost.isExactTokenizer ? "(exact)" : "(estimate)")", "",
                 "| message | tokens |", "|---|---:|"]
    for report in analysis.messages where !report.message.isHistory {
        let unresolved = report.unresolvedVariables.isEmpty ? "" : " + ? (" + report.unresolvedVariables.map { "`{{\($0)}}`" }.joined(separator: ", ") + ")"
        lines.append("| \(report.message.role)\(report.message.isExample ? " (few-shot)" : "") | \(approx)\(report.tokens)\(unresolved) |")
    }
    lines.append("| framing | \(cost.overheadTokens - cost.toolDefinitionTokens) |")
    if cost.toolDefinitionTokens > 0 { lines.append("| tool definitions | ≈\(cost.toolDefinitionTokens) |") }
    lines.append("| **input** | **\(approx)\(cost.inputTokens)** |")
    lines.append("| output | \(cost.outputTokens)\(cost.outputIsDefault ? " (default, no cap)" : "") |")
    if let usd = cost.usdPerCall { lines.append("| **USD per call** | **\(approx)\(formatUSD(usd))** |") }
    if let cached = cost.cachedUSDPerCall { lines.append("| USD per call, prefix cached | \(approx)\(formatUSD(cached)) |") }
    if let monthly = cost.usdPerMonth, let calls = cost.callsPerMonth {
        lines.append("| USD per month (\(NSDecimalNumber(decimal: calls).stringValue) calls) | \(approx)\(formatUSD(monthly)) |")
    }
    if let source = analysis.model.catalogSource { lines += ["", "Prices: \(source)"] }
    if !cost.isExactTokenizer, let note = analysis.model.estimateSource { lines += ["", "≈ \(note)"] }
    return lines.joined(separator: "\n")
}

/// Hover text for `{{history}}`: a call after 5, 20 and 50 prior turns, and a whole conversation.
func historyMarkdown(_ analysis: DocumentAnalysis) -> String? {
    guard let growth = historyGrowth(for: analysis) else { return nil }
    var lines = ["**Conversation history** — each prior turn ≈\(growth.turnTokens) tokens (`historyTurnTokens`)", "",
                 "| prior turns | input tokens | USD per call |", "|---:|---:|---:|"]
    for call in growth.calls() {
        lines.append("| \(call.count) | ≈\(call.inputTokens) | \(call.usdPerCall.map { "≈" + formatUSD($0) } ?? "—") |")
    }
    let conversation = growth.conversation(turns: 20)
    lines += ["", "A whole conversation of \(conversation.turns) turns re-sends history each time: ≈\(conversation.inputTokens) input tokens"
              + (conversation.usd.map { ", ≈\(formatUSD($0))" } ?? "") + " (grows with the square of the turns)."]
    return lines.joined(separator: "\n")
}

/// Hover text for a `{{#each}}` loop over an input list: the call at 3, 10 and 20 items.
func retrievalMarkdown(_ loop: RetrievalLoop, _ analysis: DocumentAnalysis) -> String {
    let growth = retrievalGrowth(for: loop, in: analysis)
    var lines = ["**Loop over `\(loop.path)`** — ≈\(growth.tokensPerItem) tokens per item", "",
                 "| items | input tokens | USD per call |", "|---:|---:|---:|"]
    for call in growth.calls() {
        lines.append("| \(call.count) | ≈\(call.inputTokens) | \(call.usdPerCall.map { "≈" + formatUSD($0) } ?? "—") |")
    }
    return lines.joined(separator: "\n")
}

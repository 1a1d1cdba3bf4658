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

    // The call's totals on the model line (or on the opening `---`, or after the first line of text).
    // A partial (`_name.prompt`) is not called on its own: it shows the tokens it adds where it is
    // included, and their price, without an output, a call or a month.
    let isPartial = analysis.path.map { ($0 as NSString).lastPathComponent.hasPrefix("_") } ?? false
    var total = "\(approx)\(cost.inputTokens) tok in"
    if !cost.unresolvedVariables.isEmpty { total += " + ?" }
    if detail == .cost || detail == .full, let usd = cost.usdPerCall {
        total += " · \(approx)\(formatUSD(usd))/call"
    }
    if detail == .full {
        total += " · \(cost.outputTokens) out\(cost.outputIsDefault ? " (default)" : "")"
        if let monthly = cost.usdPerMonth { total += " · \(approx)\(formatUSD(monthly))/mo" }
        if let cached = cost.cachedUSDPerCall { total += " · cached \(approx)\(formatUSD(cached))" }
    }
    if isPartial {
        // A partial: one hint after its first line of text, its tokens as they are included.
        let included = analysis.messages.filter { !$0.message.isHistory }.reduce(0) { $0 + $1.tokens }
        var label = "\(approx)\(included) tok as a partial"
        if !cost.unresolvedVariables.isEmpty { label += " + ?" }
        if detail == .cost || detail == .full, let price = analysis.model.inputPerToken {
            label += " · \(approx)\(formatUSD(Decimal(included) * price))"
        }
        add(firstLineEnd(of: analysis.document.body, analysis), label)
    } else if let model = modelValueRange(analysis) {
        add(lineEnd(model.end, analysis), total)
    } else if let frontmatter = analysis.document.frontmatter {
        add(lineEnd(frontmatter.openingDelimiter.start, analysis), total)
    } else {
        // No frontmatter: after the first line of text, not before it.
        add(firstLineEnd(of: analysis.document.body, analysis), total)
    }
    let totalOffset = hints.first?.offset

    for report in analysis.messages where !report.message.isHistory && !isPartial {
        var label = "\(approx)\(report.tokens) tok"
        if !report.unresolvedVariables.isEmpty { label += " + ?" }
        if (detail == .cost || detail == .full), let price = analysis.model.inputPerToken {
            // An estimated count makes an estimated price.
            label += " · \(approx)\(formatUSD(Decimal(report.tokens) * price))"
        }
        if let marker = report.message.markerRange {
            add(marker.end, label)
        } else if report.tokens > 0 {
            // Without a role marker: after the message's first line of text, not before it (a hint at
            // column 0 would push the text right).
            // (Where the totals already sit, they say it.)
            let offset = firstLineEnd(of: report.message.contentRange, analysis)
            if offset != totalOffset { add(offset, label) }
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
            if cost.unresolvedVariables.contains(loop.listVariable) {
                // No sample gives the list a value: what an item holds is unknown, like any other
                // input without a value.
                let body = loop.bodyStaticParts.reduce(0) { $0 + analysis.countTokens($1) }
                add(loop.openTagRange.end, "\(approx)\(body) tok + ? per item")
            } else {
                let calls = retrievalGrowth(for: loop, in: analysis).calls().map { "×\($0.count)→≈\($0.inputTokens)" }.joined(separator: " ")
                add(loop.openTagRange.end, "\(calls) tok")
            }
        }
    }
    return hints.sorted { $0.offset < $1.offset }
}

/// The end of the first line of `range` that has text (the whole range's start when it has none).
private func firstLineEnd(of range: UTF8Range, _ analysis: DocumentAnalysis) -> Int {
    let bytes = analysis.lineIndex.utf8
    var start = range.start
    while start < range.end, start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
    guard start < range.end else { return range.start }
    return min(lineEnd(start, analysis), range.end)
}

private func modelValueRange(_ analysis: DocumentAnalysis) -> UTF8Range? {
    analysis.document.frontmatter?.root?.pair("model")?.value.range
}

private func lineEnd(_ offset: Int, _ analysis: DocumentAnalysis) -> Int {
    let line = analysis.lineIndex.line(containingUTF8Offset: offset)
    return analysis.lineIndex.utf8Range(ofLine: line).end
}

/// The call's totals in one line: input tokens, output, USD per call, cached and per month.
func callSummary(_ analysis: DocumentAnalysis) -> String {
    let cost = analysis.cost
    let approx = cost.isExactTokenizer ? "" : "≈"
    var parts = ["\(approx)\(cost.inputTokens) tok in" + (cost.unresolvedVariables.isEmpty ? "" : " + ?"),
                 "\(cost.outputTokens) out" + (cost.outputIsDefault ? " (default, no cap)" : "")]
    if let usd = cost.usdPerCall { parts.append("**\(approx)\(formatUSD(usd))/call**") }
    if let cached = cost.cachedUSDPerCall { parts.append("prefix cached \(approx)\(formatUSD(cached))") }
    if let monthly = cost.usdPerMonth, let calls = cost.callsPerMonth {
        parts.append("\(approx)\(formatUSD(monthly))/month (\(NSDecimalNumber(decimal: calls).stringValue) calls)")
    }
    return parts.joined(separator: " · ")
}

/// The per-message breakdown, as hovers and hint tooltips show it: a headed table of at most five
/// message rows (beyond five, the rest summed in one row), then the totals in one line — at most 15
/// lines.
func costBreakdownMarkdown(_ analysis: DocumentAnalysis) -> String {
    let cost = analysis.cost
    let approx = cost.isExactTokenizer ? "" : "≈"
    var lines = ["**\(analysis.model.name ?? "no model")** — \(cost.encoding) \(cost.isExactTokenizer ? "(exact)" : "(estimate)")", "",
                 "| message | tokens |", "|---|---:|"]
    let reports = analysis.messages.filter { !$0.message.isHistory }
    let shown = reports.count > 5 ? 4 : reports.count
    for report in reports.prefix(shown) {
        let unresolved = report.unresolvedVariables.isEmpty ? "" : " + ? (" + report.unresolvedVariables.map { "`{{\($0)}}`" }.joined(separator: ", ") + ")"
        lines.append("| \(report.message.role)\(report.message.isExample ? " (few-shot)" : "") | \(approx)\(report.tokens)\(unresolved) |")
    }
    if reports.count > shown {
        let rest = reports.dropFirst(shown)
        lines.append("| \(rest.count) more messages | \(approx)\(rest.reduce(0) { $0 + $1.tokens }) |")
    }
    var framing = "| framing | \(cost.overheadTokens - cost.toolDefinitionTokens) |"
    if cost.toolDefinitionTokens > 0 { framing = "| framing + tool definitions | \(cost.overheadTokens - cost.toolDefinitionTokens) + ≈\(cost.toolDefinitionTokens) |" }
    lines.append(framing)
    lines.append("| **input** | **\(approx)\(cost.inputTokens)** |")
    lines += ["", callSummary(analysis)]
    var notes: [String] = []
    if let source = analysis.model.catalogSource { notes.append("Prices: \(source)") }
    if !cost.isExactTokenizer, let note = analysis.model.estimateSource { notes.append("≈ \(note)") }
    if !notes.isEmpty { lines += ["", notes.joined(separator: ". ")] }
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

/// Hover text for a `{{#each}}` loop over an input list: the call at 3, 10 and 20 items. Without a
/// value for the list, an item's content is unknown: the hover says so and names the assumption the
/// projection makes.
func retrievalMarkdown(_ loop: RetrievalLoop, _ analysis: DocumentAnalysis) -> String {
    let growth = retrievalGrowth(for: loop, in: analysis)
    let body = loop.bodyStaticParts.reduce(0) { $0 + analysis.countTokens($1) }
    let header = analysis.cost.unresolvedVariables.contains(loop.listVariable)
        ? "**Loop over `\(loop.path)`** — \(body) tokens of the loop's own text + ? per item (no sample gives "
            + "`\(loop.listVariable)` a value). Projected with ≈\(defaultRetrievalItemTokens) tokens of content per item:"
        : "**Loop over `\(loop.path)`** — ≈\(growth.tokensPerItem) tokens per item"
    var lines = [header, "", "| items | input tokens | USD per call |", "|---:|---:|---:|"]
    for call in growth.calls() {
        lines.append("| \(call.count) | ≈\(call.inputTokens) | \(call.usdPerCall.map { "≈" + formatUSD($0) } ?? "—") |")
    }
    return lines.joined(separator: "\n")
}

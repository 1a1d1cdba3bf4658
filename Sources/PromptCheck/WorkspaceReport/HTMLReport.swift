import Foundation
import PromptAnalysis

// `tokenmin report --format html`: one self-contained page (inline CSS and SVG, a few lines of inline
// script that only add column sorting). It makes no request of any kind: no fonts, images, styles or
// scripts from anywhere else, so it works opened from disk, offline, and as a CI artifact. Amounts are
// formatted by the same `formatUSD` as `count` and `check`; everything read from files is escaped.

/// How many prompts the bar chart names before grouping the rest as "others".
public let htmlReportChartPrompts = 20

/// The page for `report`. Deterministic: same report, same bytes.
public func workspaceHTML(_ report: WorkspaceReport) -> String {
    var page = HTMLBuffer()
    let monthly = report.hasMonthlyCosts
    let approx = report.isEstimate ? "≈" : ""
    page += """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="tokenmin">
        <title>Prompt costs — tokenmin</title>
        <style>\(htmlReportStyle)</style>
        </head>
        <body>
        <header>
        <h1>Where the money goes</h1>

        """
    // The summary line: prompts, USD per call, per month, savings, catalog date.
    var summary: [(label: String, value: String, note: String)] = []
    summary.append(
        (
            "Prompts", "\(report.prompts.count)",
            report.problems.isEmpty ? "analysed" : "\(report.problems.count) not analysed"
        ))
    summary.append(("USD per call", approx + formatUSD(report.totalUSDPerCall), "one call of each prompt"))
    summary.append(
        monthly
            ? ("USD per month", approx + formatUSD(report.totalUSDPerMonth), "at the volumes")
            : ("USD per month", "—", "no volume set"))
    summary.append(
        monthly
            ? ("Savings per month", approx + formatUSD(report.totalSavingsUSDPerMonth), "from open findings")
            : ("Savings per call", approx + formatUSD(report.totalSavingsUSDPerCall), "from open findings"))
    summary.append(
        (
            "Prices as of", report.catalogDates.first ?? "—",
            report.catalogDates.count > 1
                ? "and \(report.catalogDates.dropFirst().joined(separator: ", "))" : "price catalog"
        ))
    page += "<dl class=\"summary\" id=\"summary\">\n"
    for item in summary {
        page += "<div><dt>\(item.label)</dt><dd><span class=\"big num\">\(escaped(item.value))</span>"
        page += "<span class=\"note\">\(escaped(item.note))</span></dd></div>\n"
    }
    page += "</dl>\n</header>\n<main>\n"

    // Charts: USD per month (or per call without volumes) by prompt and by model.
    let metricName = monthly ? "USD per month" : "USD per call"
    func metric(_ prompt: WorkspacePrompt) -> Decimal? {
        monthly ? prompt.cost.usdPerMonth : prompt.cost.usdPerCall
    }
    let ranked = report.prompts.enumerated().sorted { a, b in
        let x = metric(a.element) ?? -1
        let y = metric(b.element) ?? -1
        return x != y ? x > y : a.offset < b.offset
    }.map(\.element)
    page += "<div class=\"charts\">\n"
    page += chartByPrompt(ranked, metric: metric, metricName: metricName, approx: approx)
    page += chartByModel(report.prompts, metric: metric, metricName: metricName, approx: approx)
    page += "</div>\n"

    // The table: one tbody per prompt (its row and its details), so that sorting moves both.
    let growth = largestGrowth(report.prompts)
    page += tableOfPrompts(ranked, report: report, monthly: monthly, largestGrowth: growth)
    if !report.problems.isEmpty {
        page +=
            "<section aria-labelledby=\"problems\"><h2 id=\"problems\">Not analysed</h2><ul class=\"problems\">\n"
        for problem in report.problems { page += "<li>\(escaped(problem))</li>\n" }
        page += "</ul></section>\n"
    }
    page +=
        "</main>\n<footer>\n<p>≈ estimate (not the model's own tokenizer, or inputs without values); + ? inputs not counted; "
    page +=
        "* default output, no cap in the prompt. Savings add up the token savings of the open findings' fixes "
    page += "(at most the prompt's message tokens). A prompt's details list up to "
    page +=
        "\(htmlReportFindingsPerPrompt(prompts: report.prompts.count)) findings; <code>tokenmin check</code> lists all. Volumes: <code>metadata.tokenmin.volume</code>, then "
    page += "<code>--volume-file</code>, then <code>.tokenmin.yml</code> or <code>--volume</code>.</p>\n"
    for source in report.catalogSources { page += "<p>Prices: \(escaped(source)).</p>\n" }
    page += "<p>Made by <code>tokenmin report --format html</code>.</p>\n</footer>\n"
    page += "<script>\(htmlReportScript)</script>\n</body>\n</html>\n"
    return page.text
}

// MARK: - Charts

private func chartByPrompt(
    _ ranked: [WorkspacePrompt], metric: (WorkspacePrompt) -> Decimal?, metricName: String, approx: String
) -> String {
    var bars: [(label: String, title: String, value: Decimal)] = []
    let priced = ranked.filter { (metric($0) ?? 0) > 0 }
    for prompt in priced.prefix(htmlReportChartPrompts) {
        bars.append((prompt.path, prompt.path, metric(prompt) ?? 0))
    }
    let rest = priced.dropFirst(htmlReportChartPrompts)
    if !rest.isEmpty {
        let count = rest.count
        bars.append(
            (
                "others (\(count) prompt\(count == 1 ? "" : "s"))", "\(count) more prompts",
                rest.reduce(0) { $0 + (metric($1) ?? 0) }
            ))
    }
    var out =
        "<section class=\"chart\" aria-labelledby=\"by-prompt\"><h2 id=\"by-prompt\">\(metricName) by prompt</h2>\n"
    guard let largest = bars.map(\.value).max(), largest > 0 else {
        return out + "<p class=\"empty\">No prompt has a price.</p></section>\n"
    }
    out += "<ol class=\"bars\">\n"
    for (index, bar) in bars.enumerated() {
        // A bar of a few cents next to thousands of dollars still shows as a sliver.
        let share = max(0.5, NSDecimalNumber(decimal: bar.value / largest).doubleValue * 100)
        let others = index == htmlReportChartPrompts
        out +=
            "<li\(others ? " class=\"others\"" : "")><span class=\"label\" title=\"\(escaped(bar.title))\">\(escaped(bar.label))</span>"
        out +=
            "<svg class=\"bar\" aria-hidden=\"true\" focusable=\"false\"><rect width=\"\(percentText(share))\" height=\"100%\" rx=\"2\"/></svg>"
        out += "<span class=\"num\">\(approx)\(escaped(formatUSD(bar.value)))</span></li>\n"
    }
    return out + "</ol></section>\n"
}

/// Colours of the model breakdown (distinct for eight models; the rest are "others", grey).
private let modelColors = [
    "#0969da", "#1a7f37", "#bf3989", "#9a6700", "#8250df", "#0a7c87", "#cf222e", "#57606a",
]

private func chartByModel(
    _ prompts: [WorkspacePrompt], metric: (WorkspacePrompt) -> Decimal?, metricName: String, approx: String
) -> String {
    var groups: [String: (value: Decimal, prompts: Int)] = [:]
    for prompt in prompts {
        let name = prompt.model ?? "(no model)"
        let current = groups[name] ?? (0, 0)
        groups[name] = (current.value + (metric(prompt) ?? 0), current.prompts + 1)
    }
    var ordered = groups.map { (model: $0.key, value: $0.value.value, prompts: $0.value.prompts) }
        .sorted { $0.value != $1.value ? $0.value > $1.value : $0.model < $1.model }
    if ordered.count > modelColors.count {
        let rest = ordered[(modelColors.count - 1)...]
        let others = (
            model: "others (\(rest.count) models)", value: rest.reduce(Decimal(0)) { $0 + $1.value },
            prompts: rest.reduce(0) { $0 + $1.prompts }
        )
        ordered = Array(ordered.prefix(modelColors.count - 1)) + [others]
    }
    let total = ordered.reduce(Decimal(0)) { $0 + $1.value }
    var out =
        "<section class=\"chart\" aria-labelledby=\"by-model\"><h2 id=\"by-model\">\(metricName) by model</h2>\n"
    if total > 0 {
        out += "<svg class=\"stack\" aria-hidden=\"true\" focusable=\"false\">"
        var start = 0.0
        for (index, group) in ordered.enumerated() where group.value > 0 {
            let share = NSDecimalNumber(decimal: group.value / total).doubleValue * 100
            out +=
                "<rect x=\"\(percentText(start))\" width=\"\(percentText(share))\" height=\"100%\" fill=\"\(modelColors[index])\"/>"
            start += share
        }
        out += "</svg>\n"
    }
    out += "<table class=\"models\"><caption class=\"vh\">\(metricName) by model</caption>\n"
    out +=
        "<thead><tr><th scope=\"col\">model</th><th scope=\"col\" class=\"num\">prompts</th><th scope=\"col\" class=\"num\">\(metricName)</th><th scope=\"col\" class=\"num\">share</th></tr></thead><tbody>\n"
    for (index, group) in ordered.enumerated() {
        let share = total > 0 ? NSDecimalNumber(decimal: group.value / total).doubleValue * 100 : 0
        out +=
            "<tr><th scope=\"row\"><span class=\"swatch\" style=\"background:\(modelColors[index])\"></span>\(breakable(group.model))</th>"
        out +=
            "<td class=\"num\">\(group.prompts)</td><td class=\"num\">\(approx)\(escaped(formatUSD(group.value)))</td>"
        out += "<td class=\"num\">\(String(format: "%.1f%%", share))</td></tr>\n"
    }
    return out + "</tbody></table></section>\n"
}

// MARK: - Table

private struct Column {
    var title: String
    var numeric: Bool
    var sortable: Bool = true
}

private func tableOfPrompts(
    _ ranked: [WorkspacePrompt], report: WorkspaceReport, monthly: Bool, largestGrowth: String?
) -> String {
    var columns = [
        Column(title: "prompt", numeric: false), Column(title: "model", numeric: false),
        Column(title: "input tokens", numeric: true), Column(title: "output", numeric: true),
        Column(title: "USD per call", numeric: true), Column(title: "calls per month", numeric: true),
        Column(title: "USD per month", numeric: true), Column(title: "findings", numeric: true),
        Column(title: "savings", numeric: true),
    ]
    if report.hasHistory { columns.append(Column(title: "history", numeric: false, sortable: false)) }
    let sortedColumn = monthly ? 6 : 4
    var out = HTMLBuffer()
    out += "<section aria-labelledby=\"prompts\"><h2 id=\"prompts\">Prompts</h2>\n<div class=\"scroll\">\n"
    out +=
        "<table class=\"prompts\" id=\"prompt-table\">\n<caption>\(report.prompts.count) prompt\(report.prompts.count == 1 ? "" : "s"), "
    out +=
        "ordered by the column marked ▼ or ▲. Open a prompt's details for its messages and findings.</caption>\n<thead><tr>"
    for (index, column) in columns.enumerated() {
        var attributes = " scope=\"col\""
        if column.numeric { attributes += " class=\"num\"" }
        if column.sortable { attributes += " data-sort=\"\(column.numeric ? "n" : "s")\"" }
        if index == sortedColumn { attributes += " aria-sort=\"descending\"" }
        out += "<th\(attributes)>\(column.title)</th>"
    }
    out += "</tr></thead>\n"
    let findingsLimit = htmlReportFindingsPerPrompt(prompts: ranked.count)
    for prompt in ranked {
        out += promptRows(
            prompt, columns: columns.count, monthly: monthly,
            isLargestGrowth: prompt.path == largestGrowth, findingsLimit: findingsLimit)
    }
    out += "</table>\n</div></section>\n"
    return out.text
}

private func promptRows(
    _ prompt: WorkspacePrompt, columns: Int, monthly: Bool, isLargestGrowth: Bool, findingsLimit: Int
) -> String {
    let cost = prompt.cost
    let approx = prompt.approx
    var out = HTMLBuffer()
    // Markup is kept lean (2,000 prompts must stay under 2 MB): text columns sort by their text, numeric
    // cells are aligned by the style sheet, and values without spaces go unquoted.
    out += "<tbody><tr><th scope=row"
    if isLargestGrowth {
        out +=
            " data-v=\"\(escaped(prompt.path))\">\(breakable(prompt.path)) <span class=badge>largest growth</span></th>"
    } else {
        out += ">\(breakable(prompt.path))</th>"
    }
    out += "<td>\(breakable(prompt.model ?? "—"))</td>"
    let unresolved = cost.unresolvedVariables.isEmpty ? "" : " + ?"
    out += "<td data-v=\(cost.inputTokens)>\(approx)\(cost.inputTokens)\(unresolved)</td>"
    out += "<td data-v=\(cost.outputTokens)>\(cost.outputTokens)\(cost.outputIsDefault ? "*" : "")</td>"
    out += moneyCell(cost.usdPerCall, approx: approx)
    if let calls = cost.callsPerMonth {
        out += "<td data-v=\(decimalString(calls))>\(compactCount(calls))</td>"
    } else {
        out += "<td class=muted data-v=-1>—</td>"
    }
    out += moneyCell(cost.usdPerMonth, approx: approx)
    let errors = prompt.count(of: .error)
    let warnings = prompt.count(of: .warning)
    let infos = prompt.count(of: .info)
    out += "<td data-v=\(errors * 1_000_000 + warnings * 1_000 + infos)>"
    if errors + warnings + infos == 0 { out += "<span class=muted>—</span>" }
    // The glyph (✕ ! i) comes from the style sheet; the severity is also in words for screen readers.
    for (count, kind, name) in [(errors, "e", "error"), (warnings, "w", "warning"), (infos, "i", "info")]
    where count > 0 {
        out += "<b class=\"c \(kind)\">\(count)<i> \(name)\(count == 1 || name == "info" ? "" : "s")</i></b>"
    }
    out += "</td>"
    let savings = monthly ? prompt.savingsUSDPerMonth : prompt.savingsUSDPerCall
    if prompt.savingsTokens > 0 {
        out += "<td data-v=\(savings.map(decimalString) ?? "0")>"
        if let savings {
            out += "\(approx)\(escaped(formatUSD(savings)))"
        } else {
            out += "\(prompt.savingsTokens) tok"
        }
        out += "</td>"
    } else {
        out += "<td class=muted data-v=0>—</td>"
    }
    if let trend = prompt.trend {
        out += "<td>\(sparkline(trend))</td>"
    } else if columns == 10 {
        out += "<td class=\"muted\">no history</td>"
    }
    out += "</tr><tr class=m><td colspan=\(columns)><details><summary>"
    let messageCount = prompt.messages.count
    out +=
        "\(messageCount) message\(messageCount == 1 ? "" : "s") · \(prompt.findings.count) finding\(prompt.findings.count == 1 ? "" : "s")</summary>"
    out += "<div class=d>"
    out += messagesTable(prompt)
    out += findingsList(prompt, limit: findingsLimit)
    if let trend = prompt.trend { out += trendSummary(trend) }
    out += "</div></details></td></tr></tbody>\n"
    return out.text
}

private func moneyCell(_ usd: Decimal?, approx: String) -> String {
    guard let usd else { return "<td class=muted data-v=-1>—</td>" }
    return "<td data-v=\(decimalString(usd))>\(approx)\(escaped(formatUSD(usd)))</td>"
}

private func volumeNote(_ source: VolumeSource) -> String {
    switch source {
    case .metadata: "metadata.tokenmin.volume"
    case .volumeFile(let glob, let line): "volume file, line \(line): \(glob)"
    case .configuration: ".tokenmin.yml or --volume"
    case .none: "no volume"
    }
}

/// Tokens per message (system, user, history, few-shot), framing and tool definitions, then the totals,
/// as one wrapped line of `role tokens` pairs (a table per prompt would double the page).
private func messagesTable(_ prompt: WorkspacePrompt) -> String {
    let cost = prompt.cost
    let approx = cost.isExactTokenizer ? "" : "≈"
    var items: [String] = []
    for message in prompt.messages {
        var item = "<b>\(escaped(message.role))</b>\(message.isExample ? " (few-shot)" : "") "
        if let tokens = message.tokens {
            item += "\(approx)\(tokens)"
            if !message.unresolvedVariables.isEmpty {
                item +=
                    " + ? (\(escaped(message.unresolvedVariables.map { "{{\($0)}}" }.joined(separator: ", "))))"
            }
        } else {
            item += "+ ? (the conversation so far)"
        }
        items.append(item)
    }
    items.append("<b>framing</b> \(prompt.framingTokens)")
    if cost.toolDefinitionTokens > 0 { items.append("<b>tools</b> ≈\(cost.toolDefinitionTokens)") }
    if let cached = cost.cachedUSDPerCall {
        items.append("<b>prefix cached</b> \(prompt.approx)\(escaped(formatUSD(cached)))/call")
    }
    if cost.callsPerMonth != nil, prompt.volumeSource != .configuration {
        items.append("<b>volume</b> from \(escaped(volumeNote(prompt.volumeSource)))")
    }
    return "<p class=ms><b class=h>Tokens per message</b> " + items.joined(separator: " · ") + "</p>\n"
}

/// How many findings a prompt's details list (the rest are counted; `tokenmin check` lists them all):
/// 10, fewer on pages of thousands of prompts so that the page stays small (about 5,000 findings in
/// all, never fewer than 2 per prompt: 2,000 prompts stay under 2 MB).
func htmlReportFindingsPerPrompt(prompts: Int) -> Int { max(2, min(10, 5000 / max(prompts, 1))) }

private func findingsList(_ prompt: WorkspacePrompt, limit: Int) -> String {
    guard !prompt.findings.isEmpty else { return "<p class=\"f muted\">No findings.</p>" }
    var out = "<ol class=f>"
    for finding in prompt.findings.prefix(limit) {
        let kind =
            switch finding.severity {
            case .error: "e"
            case .warning: "w"
            case .info: "i"
            }
        // The message without its "(saves N tokens, $…/call, $…/month)" tail: the saving is shown in
        // tokens here, and in USD in the prompt's savings column.
        var message = finding.message
        if let tail = message.range(of: " (saves ", options: .backwards), message.hasSuffix(")") {
            message = String(message[..<tail.lowerBound])
        }
        out += "<li><i>line \(finding.line)</i> <b class=\(kind)>\(finding.severity.rawValue)</b> "
        out += "<code>\(escaped(finding.ruleID))</code> \(escaped(message))"
        if let saved = finding.tokenSavings, saved > 0 { out += " <s>saves \(saved) tok</s>" }
        out += "</li>"
    }
    if prompt.findings.count > limit {
        out += "<li class=muted>and \(prompt.findings.count - limit) more</li>\n"
    }
    return out + "</ol>"
}

// MARK: - History

/// The prompt whose input tokens grew the most from its first commit to its last (nil without growth).
private func largestGrowth(_ prompts: [WorkspacePrompt]) -> String? {
    var best: (path: String, growth: Int)?
    for prompt in prompts {
        guard let points = prompt.trend?.points, let first = points.first, let last = points.last else {
            continue
        }
        let growth = last.inputTokens - first.inputTokens
        if growth > 0, growth > (best?.growth ?? 0) { best = (prompt.path, growth) }
    }
    return best?.path
}

/// The index of the commit with the largest increase over its predecessor (nil when none grew).
private func largestStep(_ points: [TrendPoint]) -> Int? {
    var best: (index: Int, step: Int)?
    for index in points.indices.dropFirst() {
        let step = points[index].inputTokens - points[index - 1].inputTokens
        if step > 0, step > (best?.step ?? 0) { best = (index, step) }
    }
    return best?.index
}

/// A sparkline of input tokens per commit: the largest single-commit growth in the accent colour, each
/// point's commit, date and tokens in a tooltip (`<title>`). `data-tokens` carries the points.
private func sparkline(_ trend: PromptTrend) -> String {
    let points = trend.points
    let values = points.map(\.inputTokens)
    guard let low = values.min(), let high = values.max() else { return "" }
    let width = 104.0
    let height = 24.0
    let pad = 3.0
    let span = Double(high - low)
    let step = values.count > 1 ? (width - 2 * pad) / Double(values.count - 1) : 0
    let xy = values.enumerated().map { index, value -> (Double, Double) in
        let x = values.count > 1 ? pad + Double(index) * step : width / 2
        let y = span == 0 ? height / 2 : pad + (height - 2 * pad) * (1 - Double(value - low) / span)
        return (x, y)
    }
    let first = values.first ?? 0
    let last = values.last ?? 0
    var label = "input tokens over \(values.count) commit\(values.count == 1 ? "" : "s"): \(first) → \(last)"
    let jump = largestStep(points)
    if let jump {
        label += "; largest growth +\(values[jump] - values[jump - 1]) at \(points[jump].shortCommit)"
    }
    var out =
        "<svg class=\"spark\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" "
    out +=
        "aria-label=\"\(escaped(label))\" data-tokens=\"\(values.map(String.init).joined(separator: " "))\" "
    out += "data-commits=\"\(points.map(\.shortCommit).joined(separator: " "))\">"
    out += "<polyline points=\"\(xy.map { "\(fixed($0.0)),\(fixed($0.1))" }.joined(separator: " "))\"/>"
    if let jump {
        out +=
            "<line class=\"jump\" x1=\"\(fixed(xy[jump - 1].0))\" y1=\"\(fixed(xy[jump - 1].1))\" x2=\"\(fixed(xy[jump].0))\" y2=\"\(fixed(xy[jump].1))\"/>"
    }
    for (index, point) in points.enumerated() {
        let delta = index == 0 ? "" : " (\(signedTokens(values[index] - values[index - 1])))"
        let approx = point.isExact ? "" : "≈"
        out +=
            "<circle cx=\"\(fixed(xy[index].0))\" cy=\"\(fixed(xy[index].1))\" r=\"\(index == jump ? "2.8" : "2")\""
        out += index == jump ? " class=\"jump\"" : ""
        out +=
            "><title>\(point.shortCommit) · \(escaped(point.date)) · \(approx)\(point.inputTokens) tokens\(delta)</title></circle>"
    }
    return out + "</svg>"
}

private func trendSummary(_ trend: PromptTrend) -> String {
    guard let first = trend.points.first, let last = trend.points.last else { return "" }
    var out =
        "<p class=\"trend\">History: \(first.inputTokens) → \(last.inputTokens) input tokens over \(trend.points.count) commit\(trend.points.count == 1 ? "" : "s")"
    if let jump = largestStep(trend.points) {
        let point = trend.points[jump]
        out +=
            "; largest growth \(signedTokens(point.inputTokens - trend.points[jump - 1].inputTokens)) in <code>\(point.shortCommit)</code> (\(escaped(point.date)), \(escaped(point.subject)))"
    }
    return out + ".</p>\n"
}

private func signedTokens(_ value: Int) -> String {
    value > 0 ? "+\(value)" : value < 0 ? "−\(-value)" : "±0"
}

// MARK: - Text helpers

/// Text for HTML content and attribute values: `& < > " '` escaped.
func escaped(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 })
    else {
        return text
    }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for character in text.unicodeScalars {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(character)
        }
    }
    return out
}

/// Escaped text that may wrap after each `/` (paths and model ids are long words otherwise).
private func breakable(_ text: String) -> String {
    escaped(text).replacingOccurrences(of: "/", with: "/<wbr>")
}

/// A call count for people: `950`, `12k`, `1.2M`, `3.4B` (two significant digits below 10 of a unit).
func compactCount(_ calls: Decimal) -> String {
    let value = NSDecimalNumber(decimal: calls).doubleValue
    if value < 1000 { return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value) }
    var scaled = value / 1000
    for suffix in ["k", "M", "B"] {
        let shown = scaled < 10 ? (scaled * 10).rounded() / 10 : scaled.rounded()
        if shown < 1000 || suffix == "B" {
            return (shown < 10 ? String(format: "%.1f", shown) : String(format: "%.0f", shown)) + suffix
        }
        scaled /= 1000
    }
    return String(format: "%.0f", value)
}

private func percentText(_ value: Double) -> String { String(format: "%.2f%%", max(0, min(100, value))) }

private func fixed(_ value: Double) -> String { String(format: "%.1f", value) }

/// Appends strings into one growing buffer (the page for 2,000 prompts is built in one pass).
struct HTMLBuffer {
    private(set) var text = ""
    static func += (buffer: inout HTMLBuffer, piece: String) { buffer.text += piece }
}

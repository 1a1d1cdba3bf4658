import Foundation
import PromptAnalysis

// The trend report's four formats. All are deterministic: same history, same bytes.

/// Text: per prompt, one line per commit (date, commit, tokens, change, USD per call, subject), then the
/// overall change. `≈` marks estimates; "was PATH" marks versions before a rename.
public func trendText(_ report: TrendReport) -> String {
    var blocks: [String] = []
    for prompt in report.prompts {
        var lines = [
            "\(prompt.path)  (\(prompt.points.count) commit\(prompt.points.count == 1 ? "" : "s")\(prompt.points.last?.model.map { ", \($0)" } ?? ""))"
        ]
        let tokens = prompt.points.map(tokenCell)
        let deltas = prompt.points.indices.map { index in
            index == 0 ? "" : signed(prompt.points[index].inputTokens - prompt.points[index - 1].inputTokens)
        }
        let usd = prompt.points.map { point in
            point.usdPerCall.map { approx(point) + formatUSD($0) } ?? "no price"
        }
        let tokenWidth = tokens.map(\.count).max() ?? 0
        let deltaWidth = deltas.map(\.count).max() ?? 0
        let usdWidth = usd.map(\.count).max() ?? 0
        for (index, point) in prompt.points.enumerated() {
            var line =
                "  \(point.date)  \(point.shortCommit)  " + pad(tokens[index], tokenWidth) + " tokens  "
            line +=
                pad(deltas[index], deltaWidth) + "  " + pad(usd[index], usdWidth) + "/call  " + point.subject
            if point.path != prompt.path { line += "  (was \(point.path))" }
            lines.append(line)
        }
        if let first = prompt.points.first, let last = prompt.points.last, prompt.points.count > 1 {
            lines.append("  change: " + tokenChange(first, last) + usdChange(first, last))
        }
        lines += prompt.notes.map { "  skipped \($0)" }
        blocks.append(lines.joined(separator: "\n"))
    }
    if blocks.isEmpty { return "No prompt history found.\n" }
    return blocks.joined(separator: "\n\n") + "\n"
}

/// Markdown: a table per prompt, for a README or a pull-request comment.
public func trendMarkdown(_ report: TrendReport) -> String {
    var sections: [String] = []
    for prompt in report.prompts {
        var lines = ["### `\(prompt.path)`", ""]
        if let first = prompt.points.first, let last = prompt.points.last, prompt.points.count > 1 {
            lines += [
                "\(tokenChange(first, last))\(usdChange(first, last)) over \(prompt.points.count) commits.",
                "",
            ]
        }
        lines += [
            "| date | commit | input tokens | change | USD per call | subject |",
            "|---|---|---:|---:|---:|---|",
        ]
        for (index, point) in prompt.points.enumerated() {
            let delta = index == 0 ? "" : signed(point.inputTokens - prompt.points[index - 1].inputTokens)
            let usd = point.usdPerCall.map { approx(point) + formatUSD($0) } ?? "—"
            var subject = markdownCell(point.subject)
            if point.path != prompt.path { subject += " (was `\(markdownCell(point.path))`)" }
            lines.append(
                "| \(point.date) | `\(point.shortCommit)` | \(tokenCell(point)) | \(delta) | \(usd) | \(subject) |"
            )
        }
        sections.append(lines.joined(separator: "\n"))
    }
    if sections.isEmpty { return "No prompt history found.\n" }
    return sections.joined(separator: "\n\n")
        + "\n\n≈ estimate (not the model's own tokenizer, or tool definitions); + ? inputs without values, not counted.\n"
}

/// JSON (schema version 1): `{"schemaVersion": 1, "prompts": [{"path" (repository-relative), "points":
/// [{"commit", "date", "subject", "path", "inputTokens", "outputTokens", "exact", "model"?,
/// "usdPerCall"? (decimal string)}], "change"?: {"inputTokens", "usdPerCall"?}, "notes"}], "problems"}`.
/// Points are oldest first; keys are sorted.
public func trendJSON(_ report: TrendReport) -> String {
    let prompts = report.prompts.map { prompt -> [String: Any] in
        var object: [String: Any] = [
            "path": prompt.path, "notes": prompt.notes,
            "points": prompt.points.map { point -> [String: Any] in
                var entry: [String: Any] = [
                    "commit": point.commit, "date": point.date, "subject": point.subject, "path": point.path,
                    "inputTokens": point.inputTokens, "outputTokens": point.outputTokens,
                    "exact": point.isExact,
                ]
                if let model = point.model { entry["model"] = model }
                if let usd = point.usdPerCall { entry["usdPerCall"] = decimalString(usd) }
                return entry
            },
        ]
        if let first = prompt.points.first, let last = prompt.points.last {
            var change: [String: Any] = ["inputTokens": last.inputTokens - first.inputTokens]
            if let before = first.usdPerCall, let after = last.usdPerCall {
                change["usdPerCall"] = decimalString(after - before)
            }
            object["change"] = change
        }
        return object
    }
    return jsonText(["schemaVersion": 1, "prompts": prompts, "problems": report.problems] as [String: Any])
}

/// SVG: one row per prompt with its path, a sparkline of input tokens per commit (the last point
/// marked), and the latest tokens and USD per call. Plain SVG 1.1 text, fixed-precision coordinates.
public func trendSVG(_ report: TrendReport) -> String {
    let rowHeight = 28
    let width = 560
    let sparkX = 260.0
    let sparkWidth = 160.0
    let sparkHeight = 18.0
    let height = max(report.prompts.count, 1) * rowHeight + 4
    var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
        font-family="ui-monospace, SFMono-Regular, Menlo, monospace" font-size="11">
        <title>tokenmin: input tokens per commit</title>

        """
    for (row, prompt) in report.prompts.enumerated() {
        let top = Double(row * rowHeight + 4)
        let baseline = top + 16
        out += "<g>\n"
        out +=
            "<text x=\"4\" y=\"\(fixed(baseline))\" fill=\"#24292f\">\(xmlEscaped(truncated(prompt.path, to: 38)))</text>\n"
        let values = prompt.points.map(\.inputTokens)
        if let low = values.min(), let high = values.max() {
            let span = Double(high - low)
            let step = values.count > 1 ? sparkWidth / Double(values.count - 1) : 0
            let points = values.enumerated().map { index, value -> (Double, Double) in
                let x = values.count > 1 ? sparkX + Double(index) * step : sparkX + sparkWidth / 2
                let y =
                    span == 0
                    ? top + 2 + sparkHeight / 2
                    : top + 2 + sparkHeight - Double(value - low) / span * sparkHeight
                return (x, y)
            }
            let coordinates = points.map { "\(fixed($0.0)),\(fixed($0.1))" }.joined(separator: " ")
            out +=
                "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" stroke-linejoin=\"round\"/>\n"
            if let last = points.last {
                out +=
                    "<circle cx=\"\(fixed(last.0))\" cy=\"\(fixed(last.1))\" r=\"2.5\" fill=\"#0969da\"/>\n"
            }
        }
        if let last = prompt.points.last {
            var label = "\(tokenCell(last)) tok"
            if let usd = last.usdPerCall { label += " · \(approx(last))\(formatUSD(usd))" }
            out +=
                "<text x=\"\(fixed(sparkX + sparkWidth + 10))\" y=\"\(fixed(baseline))\" fill=\"#57606a\">\(xmlEscaped(label))</text>\n"
        }
        out += "</g>\n"
    }
    return out + "</svg>\n"
}

/// `≈` for estimated counts, as everywhere else (`count`, the editor).
private func approx(_ point: TrendPoint) -> String { point.isEstimate ? "≈" : "" }

/// Input tokens as `count` shows them: `≈` for estimates, `+ ?` for inputs without a value.
private func tokenCell(_ point: TrendPoint) -> String {
    approx(point) + "\(point.inputTokens)" + (point.hasUnresolvedInputs ? " + ?" : "")
}

private func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : value < 0 ? "−\(-value)" : "±0" }

private func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

private func tokenChange(_ first: TrendPoint, _ last: TrendPoint) -> String {
    var text = "\(tokenCell(first)) → \(tokenCell(last)) tokens"
    if first.inputTokens > 0 {
        let percent = Double(last.inputTokens - first.inputTokens) / Double(first.inputTokens) * 100
        text += " (\(percent >= 0 ? "+" : "−")\(String(format: "%.1f", abs(percent)))%)"
    }
    return text
}

private func usdChange(_ first: TrendPoint, _ last: TrendPoint) -> String {
    guard let before = first.usdPerCall, let after = last.usdPerCall else { return "" }
    return ", \(approx(first))\(formatUSD(before)) → \(approx(last))\(formatUSD(after)) per call"
}

private func markdownCell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
}

private func fixed(_ value: Double) -> String { String(format: "%.1f", value) }

private func truncated(_ text: String, to length: Int) -> String {
    text.count <= length ? text : "…" + String(text.suffix(length - 1))
}

private func xmlEscaped(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(character)
        }
    }
    return out
}

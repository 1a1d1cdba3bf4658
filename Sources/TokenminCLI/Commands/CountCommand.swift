import Foundation
import PromptAnalysis
import PromptCheck
import PromptSyntax
import PromptText
import Tokenizer

/// `tokenmin count`: what each prompt costs per call (and `--raw`: tokens of plain files).
let countCommand = Subcommand(
    name: "count",
    summary: "Count tokens and USD per call of prompts (or raw files with --raw)",
    help: """
        Usage: tokenmin count [PATH... | -] [--model MODEL] [--volume VOLUME] [--format text|json|markdown]
               tokenmin count --raw --encoding NAME [--format text|json] FILE...

        For each .prompt file under PATH (default: the current directory; - reads one from standard
        input): the model, whether counts are exact (the model's own tokenizer) or estimates (≈), tokens
        per message, chat framing, tool definitions (≈: counted in the format the provider is believed
        to send; a tool named without a definition is assumed to cost 100 tokens), total input tokens,
        the output cap (or the configured default), USD per call, USD per call with the static prefix
        cached, and USD per month when a volume is set; with several prompts, a total. Inputs without a
        value are listed as "+ ?": their text is not counted.

        Options:
          --model MODEL    Model for prompts that name none (wins over .tokenmin.yml)
          --volume VOLUME  Calls per month, e.g. 8M/month, 250k/day (wins over .tokenmin.yml and
                           metadata.tokenmin)
          --format FORMAT  text (default), json, or markdown (a table for a pull-request comment)
          --raw            Count each FILE's bytes as plain text ('-' reads standard input)
          --encoding NAME  With --raw: \(EncodingName.allCases.map(\.rawValue).joined(separator: " or "))

        Exit codes: 0 counted; 2 usage error, a missing path, or a file that cannot be counted (not UTF-8,
        over the 8 MiB limit), reported on standard error like check's unreadable-file.

        Examples:
          tokenmin count prompts/ --volume 1M/month
          tokenmin count --format markdown prompts/ > cost.md
          tokenmin count --raw --encoding o200k_base README.md

        """,
    spec: ArgumentSpec(flags: ["--raw"], options: ["--encoding", "--format", "--model", "--volume"]),
    run: { arguments, console in
        if arguments.has("--raw") { return try runRawCount(arguments, console: console) }
        if arguments.value("--encoding") != nil { throw UsageError("--encoding goes with --raw; prompts are counted with their model's encoding") }
        return try runPromptCount(arguments, console: console)
    })

/// `count` over prompt files: the same analysis as `check`, reported as costs.
private func runPromptCount(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
    let format = try arguments.choice("--format", of: ["text", "json", "markdown"], default: "text")
    let configuration = try flagConfiguration(arguments)
    let paths = arguments.positionals.isEmpty ? ["."] : arguments.positionals
    let run = runCheck(CheckRequest(paths: paths, baseConfiguration: configuration, makeModelResolver: catalogModelResolver,
                                    readStandardInput: console.readStandardInput))
    for problem in run.result.problems { console.error("tokenmin count: \(problem)") }
    // Files that could not be analysed are reported as `check` reports them (and make the exit code 2):
    // a count that silently leaves a file out would look like a complete total.
    let unreadable = run.result.reports.filter(\.isUnreadable)
    for report in unreadable {
        for finding in report.findings { console.error("tokenmin count: \(report.path): \(finding.message)") }
    }
    let rows = zip(run.result.reports.filter { $0.cost != nil }, run.analyses).map { (report: $0.0, analysis: $0.1) }
    switch format {
    case "json":
        console.writeOut(jsonText(rows.map { row -> [String: Any] in
            var object = costJSON(row.analysis.cost)
            object["path"] = row.report.path
            return object
        }))
    case "markdown":
        console.writeOut(costTableMarkdown(rows.map { ($0.report.path, $0.analysis) }))
    default:
        for row in rows { console.writeOut(costText(path: row.report.path, analysis: row.analysis)) }
        if rows.count > 1 { console.writeOut(costTotalText(rows.map(\.analysis))) }
    }
    return run.result.problems.isEmpty && unreadable.isEmpty ? ExitStatus.ok : ExitStatus.usage
}

/// The grand total over several prompts: input tokens, USD per call and per month, `≈` when any part
/// is an estimate and `+ ?` when any prompt has inputs without a value.
func costTotalText(_ analyses: [DocumentAnalysis]) -> String {
    let costs = analyses.map(\.cost)
    let approx = costs.contains(where: \.isEstimate) ? "≈" : ""
    let unresolved = costs.contains { !$0.unresolvedVariables.isEmpty } ? " + ?" : ""
    var line = "total  \(costs.count) prompts · input \(approx)\(costs.reduce(0) { $0 + $1.inputTokens }) tokens\(unresolved)"
    let priced = costs.compactMap(\.usdPerCall)
    if !priced.isEmpty {
        line += " · \(approx)\(formatUSD(priced.reduce(0, +)))/call"
        if priced.count < costs.count { line += " (\(costs.count - priced.count) without a price)" }
    }
    let monthly = costs.compactMap(\.usdPerMonth)
    if !monthly.isEmpty { line += " · \(approx)\(formatUSD(monthly.reduce(0, +)))/month" }
    return line + "\n"
}

/// A prompt's cost as readable text.
func costText(path: String, analysis: DocumentAnalysis) -> String {
    let cost = analysis.cost
    let approx = cost.isExactTokenizer ? "" : "≈"
    let model = analysis.model
    var lines = ["\(path)  \(model.name ?? "(no model)")\(model.id.map { $0 == model.name ? "" : " → \($0)" } ?? " (not in the catalog)")  [\(cost.encoding), \(cost.isExactTokenizer ? "exact" : "estimate")]"]
    for message in analysis.messages where !message.message.isHistory {
        var line = "  " + message.message.role.padding(toLength: 8, withPad: " ", startingAt: 0) + "\(approx)\(message.tokens) token\(message.tokens == 1 ? "" : "s")"
        if !message.unresolvedVariables.isEmpty { line += " + ? (" + message.unresolvedVariables.map { "{{\($0)}}" }.joined(separator: ", ") + ")" }
        if message.message.isExample { line += "  [few-shot]" }
        lines.append(line)
    }
    if analysis.messages.contains(where: \.message.isHistory) { lines.append("  history  + ? (conversation so far)") }
    lines.append("  framing  \(cost.overheadTokens - cost.toolDefinitionTokens) tokens")
    if cost.toolDefinitionTokens > 0 { lines.append("  tools    ≈\(cost.toolDefinitionTokens) tokens (\(toolsExplanation(analysis)))") }
    // The total is an estimate when any part is (tool definitions too), and open when inputs lack values.
    let approxTotal = cost.isEstimate ? "≈" : ""
    let open = cost.unresolvedVariables.isEmpty ? "" : " + ?"
    var summary = "  input \(approxTotal)\(cost.inputTokens) tokens\(open) · output \(cost.outputTokens)\(cost.outputIsDefault ? " (default, no cap)" : " (cap)")"
    if let usd = cost.usdPerCall { summary += " · \(approxTotal)\(formatUSD(usd))/call" } else { summary += " · no price" }
    if let cached = cost.cachedUSDPerCall { summary += " · \(approxTotal)\(formatUSD(cached))/call with cached prefix" }
    if let monthly = cost.usdPerMonth { summary += " · \(approxTotal)\(formatUSD(monthly))/month" }
    lines.append(summary)
    return lines.joined(separator: "\n") + "\n"
}

/// Where the tools' tokens come from: definitions in `toolDefs:` are counted in the format the provider is
/// believed to send (an estimate); tools that are only named are assumed to cost a fixed amount each.
func toolsExplanation(_ analysis: DocumentAnalysis) -> String {
    let tools = toolDefinitionsCount(for: analysis)
    var parts: [String] = []
    let defined = tools.tools.filter { $0.source == .definition }
    let named = tools.tools.filter { $0.source == .defaultEstimate }
    if !defined.isEmpty {
        let format = tools.serialization == .openAITypeScript ? "OpenAI's function format" : "compact JSON"
        parts.append("\(defined.count) defined in toolDefs, counted as \(format)")
    }
    if !named.isEmpty {
        let each = named.first?.tokens ?? 0
        parts.append("\(named.count) named without a definition, \(each) tokens assumed each")
    }
    if tools.framingTokens > 0 { parts.append("\(tools.framingTokens) of framing") }
    return parts.joined(separator: "; ") + "; sent with every call"
}

/// The pull-request table: prompt, model, tokens, USD per call and per month.
func costTableMarkdown(_ rows: [(path: String, analysis: DocumentAnalysis)]) -> String {
    var lines = ["| prompt | model | input tokens | output tokens | USD per call | USD per month |", "|---|---|---:|---:|---:|---:|"]
    var total = Decimal(0)
    var monthly = Decimal(0)
    for (path, analysis) in rows {
        let cost = analysis.cost
        let approx = cost.isEstimate ? "≈" : ""
        let usd = cost.usdPerCall.map { approx + formatUSD($0) } ?? "—"
        let month = cost.usdPerMonth.map { approx + formatUSD($0) } ?? "—"
        total += cost.usdPerCall ?? 0
        monthly += cost.usdPerMonth ?? 0
        let unresolved = cost.unresolvedVariables.isEmpty ? "" : " + ?"
        lines.append("| `\(path)` | \(analysis.model.id ?? analysis.model.name ?? "—") | \(approx)\(cost.inputTokens)\(unresolved) | \(cost.outputTokens)\(cost.outputIsDefault ? "*" : "") | \(usd) | \(month) |")
    }
    let costs = rows.map(\.analysis.cost)
    let approx = costs.contains(where: \.isEstimate) ? "≈" : ""
    let open = costs.contains { !$0.unresolvedVariables.isEmpty } ? " + ?" : ""
    let tokens = costs.reduce(0) { $0 + $1.inputTokens }
    lines.append("| **total** | | **\(approx)\(tokens)\(open)** | | **\(approx)\(formatUSD(total))** | **\(monthly == 0 ? "—" : approx + formatUSD(monthly))** |")
    lines.append("")
    lines.append("≈ estimate (not the model's own tokenizer, or tool definitions); + ? inputs without values, not counted; * default output, no cap in the prompt.")
    return lines.joined(separator: "\n") + "\n"
}

/// `count --raw`: every file's bytes as ordinary text in one encoding.
private func runRawCount(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
    // Every name `tokenize --list` prints: the OpenAI encodings and the bundled tokenizers.
    let count: (UnsafeBufferPointer<UInt8>) -> Int
    if let given = arguments.value("--encoding"), let bundled = BundledTokenizer(rawValue: given) {
        let tokenizer = bundled.tokenizer
        count = { tokenizer.count(utf8: $0) }
    } else {
        let encoding = try requiredEncoding(arguments, extraNames: BundledTokenizer.allCases.map(\.rawValue))
        count = { encoding.count(utf8: $0) }
    }
    let format = try arguments.choice("--format", of: ["text", "json"], default: "text")
    guard !arguments.positionals.isEmpty else { throw UsageError("expected at least one FILE") }
    var counts: [(path: String, tokens: Int)] = []
    for path in arguments.positionals {
        let data = try readInput(path, console: console)
        let tokens = data.withUnsafeBytes { raw in count(raw.bindMemory(to: UInt8.self)) }
        counts.append((path, tokens))
    }
    switch format {
    case "json":
        let objects = counts.map { entry in
            "{\"path\": \(jsonQuoted(entry.path)), \"tokens\": \(entry.tokens)}"
        }
        console.out("[" + objects.joined(separator: ", ") + "]")
    default:
        for entry in counts { console.out("\(entry.tokens) \(entry.path)") }
    }
    return ExitStatus.ok
}

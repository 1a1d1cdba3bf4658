import PromptText
import Foundation
import Pricing

/// `tokenmin prices list|show|import`: browse the price catalog and refresh it from LiteLLM's JSON.
let pricesCommand = Subcommand(
    name: "prices",
    summary: "List, show or import model prices (USD per MTok, windows, tokenizers)",
    help: """
        Usage: tokenmin prices list [--provider P] [--format text|json] [--catalog FILE]
               tokenmin prices show MODEL [--format text|json] [--catalog FILE]
               tokenmin prices import FILE [--output PATH] [--source TEXT] [--as-of YYYY-MM-DD]
                                      [--as-of-basis TEXT]

        The price catalog behind every cost tokenmin shows: USD per million tokens (input, output,
        cached input), long-context tiers, context windows, and how tokens are counted — exactly with
        an OpenAI encoding, or estimated (≈) with a base encoding times a cited ratio.

          list     One line per model, with the catalog's source and as-of date in the header.
          show     The price sheet of one model. MODEL is written as in a .prompt file:
                   openai/gpt-4o, googleai/gemini-2.5-flash, vertexai/…, anthropic/…, bedrock/…,
                   azure/…, a bare id (gpt-4o) or a dated alias (gpt-4o-2024-08-06).
          import   Build a catalog from LiteLLM's model_prices_and_context_window.json (chat models
                   only). Writes to --output, or to standard output. Point your configuration at the
                   file to use newer prices without a new tokenmin release.

        Options:
          --provider P      list only this provider (openai, anthropic, googleai, vertexai, …)
          --format F        text (default) or json (prices as exact decimal strings, USD per token)
          --catalog FILE    use a catalog written by `prices import` instead of the bundled one
          --output PATH     import: where to write the catalog
          --source TEXT     import: what the file is (default: "LiteLLM <file name>")
          --as-of DATE      import: the date the prices were current (default: the newest date
                            found in a model id of the file)
          --as-of-basis T   import: how that date was obtained, recorded in the catalog

        Examples:
          tokenmin prices list --provider anthropic
          tokenmin prices show gpt-4o-mini
          curl -sLO https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json
          tokenmin prices import model_prices_and_context_window.json --output .tokenmin-prices.json

        """,
    spec: ArgumentSpec(
        options: ["--provider", "--format", "--catalog", "--output", "--source", "--as-of", "--as-of-basis"],
        aliases: ["-o": "--output"]),
    run: { arguments, console in
        guard let action = arguments.positionals.first else {
            throw UsageError("missing action: list, show or import")
        }
        let rest = Array(arguments.positionals.dropFirst())
        switch action {
        case "list":
            guard rest.isEmpty else { throw UsageError("list takes no arguments; got '\(rest[0])'") }
            let format = try arguments.choice("--format", of: ["text", "json"], default: "text")
            return try listPrices(
                catalog: loadCatalog(arguments), provider: arguments.value("--provider"),
                json: format == "json",
                console: console)
        case "show":
            guard rest.count == 1 else { throw UsageError("show takes one MODEL") }
            let format = try arguments.choice("--format", of: ["text", "json"], default: "text")
            return try showPrices(
                catalog: loadCatalog(arguments), model: rest[0], json: format == "json", console: console)
        case "import":
            guard rest.count == 1 else {
                throw UsageError("import takes one FILE (LiteLLM JSON, or - for stdin)")
            }
            return try importPrices(path: rest[0], arguments: arguments, console: console)
        default:
            var message = "unknown action '\(action)'"
            if let suggestion = closestMatch(to: action, in: ["list", "show", "import"]) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw UsageError(message)
        }
    })

private func loadCatalog(_ arguments: ParsedArguments) throws -> ModelCatalog {
    guard let path = arguments.value("--catalog") else { return ModelCatalog.bundled }
    do {
        return try ModelCatalog.load(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw CommandFailure(error.message)
    }
}

private func catalogHeader(_ catalog: ModelCatalog) -> String {
    "catalog: \(catalog.source); prices as of \(catalog.asOf) (\(catalog.asOfBasis))"
}

private func listPrices(catalog: ModelCatalog, provider: String?, json: Bool, console: Console) throws
    -> Int32
{
    var models = catalog.models
    if let provider {
        let normalized = catalog.provider(spelledAs: provider) ?? provider.lowercased()
        models = models.filter { $0.provider == normalized }
        if models.isEmpty {
            var message = "no models for provider '\(provider)'"
            if let suggestion = closestMatch(to: provider.lowercased(), in: catalog.providers) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw UsageError(message)
        }
    }
    if json {
        let object: [String: Any] = [
            "source": catalog.source, "asOf": catalog.asOf, "asOfBasis": catalog.asOfBasis,
            "models": models.map(jsonObject),
        ]
        console.out(try jsonText(object))
        return ExitStatus.ok
    }
    console.out("# " + catalogHeader(catalog) + "; \(models.count) models; ≈ marks estimated token counts")
    let rows: [[String]] =
        [["MODEL", "INPUT", "OUTPUT", "CACHED", "WINDOW", "TOKENIZER"]]
        + models.map { model in
            [
                model.id, perMTok(model.inputPerToken), perMTok(model.outputPerToken),
                model.cacheReadPerToken.map(perMTok) ?? "-", model.maxInputTokens.map(grouped) ?? "?",
                model.tokenizer.label,
            ]
        }
    let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
    for row in rows {
        let cells = row.enumerated().map { column, cell in
            column == row.count - 1
                ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }
        console.out(cells.joined(separator: "  "))
    }
    console.out("Prices in USD per million tokens; WINDOW is max input tokens.")
    return ExitStatus.ok
}

private func showPrices(catalog: ModelCatalog, model query: String, json: Bool, console: Console) throws
    -> Int32
{
    let model: CatalogModel
    let via: ResolutionPath
    switch catalog.resolve(query) {
    case .found(let found, let path):
        model = found
        via = path
    case .unknown(let suggestions):
        var message = "unknown model '\(query)'"
        if !suggestions.isEmpty { message += "; closest: \(suggestions.joined(separator: ", "))" }
        throw CommandFailure(message)
    }
    if json {
        var object = jsonObject(model)
        object["resolvedFrom"] = query
        object["resolvedVia"] = via.description
        object["catalog"] = ["source": catalog.source, "asOf": catalog.asOf, "asOfBasis": catalog.asOfBasis]
        console.out(try jsonText(object))
        return ExitStatus.ok
    }
    let approximate = model.isExact ? "" : "≈ "
    var lines = ["\(model.id)  (\(model.provider), \(model.tier.rawValue) tier)"]
    if via.provider != .canonicalID || via.name != .exact {
        lines.append("  resolved      '\(query)' by \(via.description)")
    }
    lines.append("  input         \(perMTok(model.inputPerToken))/MTok")
    lines.append("  output        \(perMTok(model.outputPerToken))/MTok")
    lines.append(
        "  cached input  "
            + (model.cacheReadPerToken.map { perMTok($0) + "/MTok" } ?? "no prompt-cache price"))
    if let write = model.cacheWritePerToken { lines.append("  cache write   \(perMTok(write))/MTok") }
    for tier in model.tiers {
        var text =
            "  above \(grouped(tier.aboveInputTokens)) input tokens: input \(perMTok(tier.inputPerToken))/MTok, "
        text += "output \(perMTok(tier.outputPerToken))/MTok"
        if let cached = tier.cacheReadPerToken { text += ", cached \(perMTok(cached))/MTok" }
        lines.append(text)
    }
    let window = model.maxInputTokens.map { grouped($0) + " input tokens" } ?? "input window unknown"
    let output = model.maxOutputTokens.map { grouped($0) + " output tokens" } ?? "output cap unknown"
    lines.append("  window        \(window), \(output)")
    switch model.tokenizer {
    case .exact(let encoding):
        lines.append("  tokenizer     \(encoding) (exact)")
    case .estimated(let estimate):
        lines.append(
            "  tokenizer     \(approximate)\(estimate.baseEncoding) × \(estimate.ratio) (\(estimate.name) estimate)"
        )
        lines.append("  ratio source  \(estimate.citation)")
    }
    let format = model.chatFormat
    lines.append(
        "  chat format   \(format.tokensPerMessage) tokens per message, \(format.replyPrimingTokens) reply priming"
            + (format.isExact ? "" : " (assumed)"))
    var features: [String] = []
    if model.supportsPromptCaching { features.append("prompt caching") }
    if model.supportsReasoning { features.append("reasoning") }
    if !features.isEmpty { lines.append("  supports      " + features.joined(separator: ", ")) }
    if !model.aliases.isEmpty { lines.append("  aliases       " + model.aliases.joined(separator: ", ")) }
    let example = model.callCost(
        inputTokens: 1000, output: ExpectedOutput(tokens: 500, source: .assumedDefault))
    lines.append(
        "  example       \(approximate)1,000 in + 500 out = \(USDFormat.perCall(example.totalUSD)) per call")
    lines.append("  " + catalogHeader(catalog))
    console.out(lines.joined(separator: "\n"))
    return ExitStatus.ok
}

private func importPrices(path: String, arguments: ParsedArguments, console: Console) throws -> Int32 {
    let data = try readInput(path, console: console)
    if let asOf = arguments.value("--as-of"), !isISODate(asOf) {
        throw UsageError("--as-of must be a date like 2026-10-21; got '\(asOf)'")
    }
    let fileName = path == "-" ? "(standard input)" : URL(fileURLWithPath: path).lastPathComponent
    let options = LiteLLMImportOptions(
        source: arguments.value("--source") ?? "LiteLLM \(fileName)", asOf: arguments.value("--as-of"),
        asOfBasis: arguments.value("--as-of-basis"))
    let result: (catalog: ModelCatalog, report: LiteLLMImportReport)
    do {
        result = try importLiteLLM(data, options: options)
    } catch {
        throw CommandFailure("\(path): \(error.message)")
    }
    let encoded = result.catalog.encodedJSON()
    if let output = arguments.value("--output") {
        do {
            try encoded.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CommandFailure("\(output): cannot write (\(error.localizedDescription))")
        }
    } else {
        console.writeOut(String(decoding: encoded, as: UTF8.self))
    }
    let report = result.report
    var summary = "imported \(report.models) chat models from \(report.chatEntries) chat entries"
    summary += " (\(report.entries) entries; \(report.skipped) other modes or unpriced skipped"
    summary += "; \(report.foldedSnapshots) snapshots folded into aliases"
    summary += "; \(report.duplicateKeys.count) duplicate keys dropped"
    if !report.malformed.isEmpty {
        summary +=
            "; \(report.malformed.count) malformed: \(report.malformed.prefix(5).joined(separator: ", "))"
    }
    summary += "); as of \(result.catalog.asOf): \(result.catalog.asOfBasis)"
    console.error(summary)
    return ExitStatus.ok
}

private func isISODate(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
        let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil
    else { return false }
    return (1...12).contains(month) && (1...31).contains(day)
}

private func perMTok(_ perToken: Decimal) -> String {
    String(USDFormat.perMillionTokens(perToken: perToken).dropLast("/MTok".count))
}

private func grouped(_ value: Int) -> String {
    let digits = String(value)
    var result = ""
    for (offset, character) in digits.enumerated() {
        if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
        result.append(character)
    }
    return result
}

/// A model as JSON: prices as exact decimal strings in USD per token, `exact: false` for estimates.
private func jsonObject(_ model: CatalogModel) -> [String: Any] {
    var object: [String: Any] = [
        "id": model.id, "provider": model.provider, "aliases": model.aliases,
        "inputPerToken": "\(model.inputPerToken)", "outputPerToken": "\(model.outputPerToken)",
        "supportsPromptCaching": model.supportsPromptCaching, "supportsReasoning": model.supportsReasoning,
        "exact": model.isExact, "tokenizer": model.tokenizer.baseEncoding,
        "ratio": "\(model.tokenizer.ratio)",
        "tier": model.tier.rawValue,
    ]
    if let value = model.cacheReadPerToken { object["cacheReadPerToken"] = "\(value)" }
    if let value = model.cacheWritePerToken { object["cacheWritePerToken"] = "\(value)" }
    if let value = model.maxInputTokens { object["maxInputTokens"] = value }
    if let value = model.maxOutputTokens { object["maxOutputTokens"] = value }
    if case .estimated(let estimate) = model.tokenizer {
        object["estimate"] = estimate.name
        object["citation"] = estimate.citation
    }
    if !model.tiers.isEmpty {
        object["tiers"] = model.tiers.map { tier -> [String: Any] in
            var entry: [String: Any] = [
                "aboveInputTokens": tier.aboveInputTokens, "inputPerToken": "\(tier.inputPerToken)",
                "outputPerToken": "\(tier.outputPerToken)",
            ]
            if let value = tier.cacheReadPerToken { entry["cacheReadPerToken"] = "\(value)" }
            return entry
        }
    }
    return object
}

private func jsonText(_ object: Any) throws -> String {
    do {
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    } catch {
        throw CommandFailure("cannot encode JSON: \(error)")
    }
}

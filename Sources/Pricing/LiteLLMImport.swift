import Foundation

/// What to record about an imported file.
public struct LiteLLMImportOptions: Sendable, Equatable {
    /// Where the file came from; defaults to `LiteLLM <file name>` in the CLI.
    public var source: String
    /// The date the prices were current (`YYYY-MM-DD`). When nil, the newest date that appears in a
    /// model id of the file is used (LiteLLM adds dated snapshots as providers release them, so this
    /// is a lower bound on the file's date).
    public var asOf: String?
    /// How `asOf` was obtained, recorded in the catalog. Defaults to a sentence saying how.
    public var asOfBasis: String?

    public init(source: String, asOf: String? = nil, asOfBasis: String? = nil) {
        self.source = source
        self.asOf = asOf
        self.asOfBasis = asOfBasis
    }
}

/// Counts of what an import kept and dropped, for the CLI to print.
public struct LiteLLMImportReport: Sendable, Equatable {
    /// Top-level entries in the file (LiteLLM's `sample_spec` excluded).
    public var entries = 0
    /// Entries with `mode == "chat"` and both input and output prices.
    public var chatEntries = 0
    /// Entries of another mode, or without prices.
    public var skipped = 0
    /// Entries that are not objects or lack `litellm_provider`.
    public var malformed: [String] = []
    /// Keys dropped because another key of the same provider named the same model (the key spelled
    /// with its provider prefix wins, as LiteLLM routes it unambiguously).
    public var duplicateKeys: [String] = []
    /// Dated or `-latest` entries folded into their undated model as aliases (identical data).
    public var foldedSnapshots = 0
    /// Models in the resulting catalog.
    public var models = 0
}

/// Builds a catalog from LiteLLM's `model_prices_and_context_window.json`.
///
/// - Keeps chat models (`mode == "chat"`) that have `input_cost_per_token` and `output_cost_per_token`.
/// - Normalises providers: `gemini` → `googleai`, `vertex_ai` and `vertex_ai-*` → `vertexai`,
///   `bedrock_converse` → `bedrock`; every other LiteLLM provider keeps its name.
/// - The canonical id is `provider/name`, where `name` is the key without LiteLLM's route prefix.
/// - Prices are converted from JSON numbers to `Decimal` through their shortest decimal spelling
///   (`2.5e-06` → `0.0000025`), so no binary floating-point noise enters the catalog.
/// - Long-context tiers come from `*_above_<N>k_tokens` keys (threshold N × 1000 input tokens).
/// - Windows come from `max_input_tokens` and `max_output_tokens` only: LiteLLM's legacy
///   `max_tokens` means either, so it is not used.
/// - Prompt caching is supported when the file says so or gives a cache-read price.
/// - A dated snapshot (`gpt-4o-2024-08-06`, `claude-…-20250929`, `…@20241022`) or `-latest` entry
///   whose data equals its undated model's becomes an alias of it; snapshots with different prices
///   stay separate models.
///
/// Output is deterministic: it depends on the file's content only, not on key order.
public func importLiteLLM(_ data: Data, options: LiteLLMImportOptions) throws(CatalogError) -> (
    catalog: ModelCatalog, report: LiteLLMImportReport
) {
    let object: Any
    do {
        object = try JSONSerialization.jsonObject(with: data)
    } catch {
        throw CatalogError("not valid JSON (\(error.localizedDescription))")
    }
    guard let entries = object as? [String: Any] else {
        throw CatalogError("expected a JSON object of model entries at the top level")
    }
    var report = LiteLLMImportReport()
    // Candidates grouped by canonical id; the winner is chosen below.
    var candidates: [String: [(key: String, model: CatalogModel)]] = [:]
    for key in entries.keys.sorted() where key != "sample_spec" {
        report.entries += 1
        guard let entry = entries[key] as? [String: Any],
            let litellmProvider = entry["litellm_provider"] as? String
        else {
            report.malformed.append(key)
            continue
        }
        guard entry["mode"] as? String == "chat", let input = decimal(entry["input_cost_per_token"]),
            let output = decimal(entry["output_cost_per_token"])
        else {
            report.skipped += 1
            continue
        }
        report.chatEntries += 1
        let provider = normalizedProvider(litellm: litellmProvider)
        let name = modelName(key: key, litellmProvider: litellmProvider, provider: provider)
        let cacheRead = decimal(entry["cache_read_input_token_cost"])
        let model = CatalogModel(
            id: provider + "/" + name, provider: provider, inputPerToken: input, outputPerToken: output,
            cacheReadPerToken: cacheRead,
            cacheWritePerToken: decimal(entry["cache_creation_input_token_cost"]),
            tiers: priceTiers(entry), maxInputTokens: integer(entry["max_input_tokens"]),
            maxOutputTokens: integer(entry["max_output_tokens"]),
            supportsPromptCaching: flag(entry["supports_prompt_caching"]) || cacheRead != nil,
            supportsReasoning: flag(entry["supports_reasoning"]),
            tokenizer: tokenizerFamily(forModelNamed: name))
        candidates[model.id, default: []].append((key, model))
    }

    var models: [String: CatalogModel] = [:]
    for (id, group) in candidates {
        // Prefer the key spelled with a route prefix (`deepseek/deepseek-chat` over `deepseek-chat`),
        // then the alphabetically first key, so the choice is deterministic.
        let ordered = group.sorted { a, b in
            let aPrefixed = a.key != a.model.name
            let bPrefixed = b.key != b.model.name
            return aPrefixed != bPrefixed ? aPrefixed : a.key < b.key
        }
        models[id] = ordered[0].model
        report.duplicateKeys += ordered.dropFirst().map(\.key)
    }
    report.duplicateKeys.sort()

    report.foldedSnapshots = foldSnapshots(&models)
    let catalogModels = models.values.sorted { $0.id < $1.id }
    report.models = catalogModels.count

    let asOf: String
    let asOfBasis: String
    if let given = options.asOf {
        asOf = given
        asOfBasis = options.asOfBasis ?? "given by the user at import"
    } else if let (date, key) = newestDate(inKeys: entries.keys) {
        asOf = date
        asOfBasis =
            options.asOfBasis ?? "newest date in a model id of the file (\(key)); the file may be newer"
    } else {
        asOf = "unknown"
        asOfBasis = options.asOfBasis ?? "no date given and none found in the file's model ids"
    }
    let catalog = ModelCatalog(
        source: options.source, asOf: asOf, asOfBasis: asOfBasis, models: catalogModels)
    return (catalog, report)
}

/// LiteLLM's provider names mapped to tokenmin's; see `importLiteLLM`.
func normalizedProvider(litellm: String) -> String {
    switch litellm {
    case "gemini": "googleai"
    case "bedrock", "bedrock_converse": "bedrock"
    case _ where litellm.hasPrefix("vertex_ai"): "vertexai"
    default: litellm
    }
}

/// The key without LiteLLM's route prefix (`gemini/gemini-2.5-pro` → `gemini-2.5-pro`,
/// `azure/eu/gpt-4.1` → `eu/gpt-4.1`, `bedrock/us-west-2/…` → `us-west-2/…`). A first segment is a
/// route prefix when it names the same provider (`resolve` understands the same spellings).
func modelName(key: String, litellmProvider: String, provider: String) -> String {
    guard let slash = key.firstIndex(of: "/") else { return key }
    let segment = key[..<slash].lowercased()
    let named = providerSpellings[segment] ?? segment
    if named == provider || segment == litellmProvider {
        return String(key[key.index(after: slash)...])
    }
    return key
}

/// Folds dated and `-latest` entries into their undated model when everything but the name is
/// equal; returns how many were folded.
private func foldSnapshots(_ models: inout [String: CatalogModel]) -> Int {
    func undated(_ model: CatalogModel) -> String? {
        let name = model.name
        if name.hasSuffix("-latest") { return String(name.dropLast("-latest".count)) }
        return splitSnapshotSuffix(name)?.base
    }
    func sameData(_ a: CatalogModel, _ b: CatalogModel) -> Bool {
        var a = a
        a.id = b.id
        a.aliases = b.aliases
        return a == b
    }
    // Decide every fold against the unfolded catalog first, then apply, so the result does not
    // depend on the order of the dictionary.
    var folds: [(from: String, into: String)] = []
    for model in models.values {
        guard let base = undated(model) else { continue }
        var targetID = model.provider + "/" + base
        // Follow chains such as `x-0613-latest` → `x-0613` → `x` while the data stays equal.
        while let target = models[targetID], sameData(model, target), let next = undated(target),
            let nextModel = models[model.provider + "/" + next], sameData(model, nextModel)
        {
            targetID = nextModel.id
        }
        if let target = models[targetID], sameData(model, target) { folds.append((model.id, targetID)) }
    }
    for fold in folds {
        guard let folded = models.removeValue(forKey: fold.from) else { continue }
        models[fold.into]?.aliases.append(folded.name)
        models[fold.into]?.aliases.append(contentsOf: folded.aliases)
    }
    for id in models.keys { models[id]!.aliases.sort() }
    return folds.count
}

/// Long-context tiers from keys like `input_cost_per_token_above_200k_tokens`.
private func priceTiers(_ entry: [String: Any]) -> [PriceTier] {
    var thresholds: Set<Int> = []
    let inputPrefix = "input_cost_per_token_above_"
    for key in entry.keys where key.hasPrefix(inputPrefix) && key.hasSuffix("k_tokens") {
        let digits = key.dropFirst(inputPrefix.count).dropLast("k_tokens".count)
        if let thousands = Int(digits) { thresholds.insert(thousands) }
    }
    return thresholds.sorted().compactMap { thousands in
        let suffix = "_above_\(thousands)k_tokens"
        guard let input = decimal(entry["input_cost_per_token" + suffix]) else { return nil }
        return PriceTier(
            aboveInputTokens: thousands * 1000, inputPerToken: input,
            // A tier without its own output price is billed at the base output price.
            outputPerToken: decimal(entry["output_cost_per_token" + suffix]) ?? decimal(
                entry["output_cost_per_token"]) ?? 0,
            cacheReadPerToken: decimal(entry["cache_read_input_token_cost" + suffix]),
            cacheWritePerToken: decimal(entry["cache_creation_input_token_cost" + suffix]))
    }
}

/// A JSON number as an exact `Decimal`, through Swift's shortest round-trip spelling of the double
/// that JSONSerialization produced (the same spelling Python wrote into the file).
private func decimal(_ value: Any?) -> Decimal? {
    guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
    let double = number.doubleValue
    guard double.isFinite, double >= 0 else { return nil }
    return Decimal(string: "\(double)")
}

private func integer(_ value: Any?) -> Int? {
    guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
    let double = number.doubleValue
    guard double.isFinite, double > 0, double < 1e15 else { return nil }
    return Int(double)
}

/// Whether a JSONSerialization number is a JSON `true`/`false`. (`value is Bool` cannot tell: it is
/// also true for the integers 0 and 1.)
private func isBoolean(_ number: NSNumber) -> Bool {
    String(cString: number.objCType) == "c"
}

private func flag(_ value: Any?) -> Bool {
    guard let number = value as? NSNumber, isBoolean(number) else { return false }
    return number.boolValue
}

/// The newest `YYYY-MM-DD` or `YYYYMMDD` date (years 2000–2099, valid month and day) in any key.
func newestDate(inKeys keys: some Sequence<String>) -> (date: String, key: String)? {
    var best: (date: String, key: String)?
    for key in keys {
        let bytes = Array(key.utf8)
        var start = 0
        while start < bytes.count {
            guard let (date, length) = date(in: bytes, at: start) else {
                start += 1
                continue
            }
            if best == nil || date > best!.date || (date == best!.date && key < best!.key) {
                best = (date, key)
            }
            start += length
        }
    }
    return best
}

/// A date starting at `start` that is not part of a longer digit run.
private func date(in bytes: [UInt8], at start: Int) -> (String, Int)? {
    func isDigit(_ i: Int) -> Bool { i >= 0 && i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 }
    func digits(_ from: Int, _ count: Int) -> Int? {
        guard (from..<(from + count)).allSatisfy(isDigit) else { return nil }
        return bytes[from..<(from + count)].reduce(0) { $0 * 10 + Int($1 - 48) }
    }
    guard !isDigit(start - 1), bytes.count - start >= 8 else { return nil }
    let dashed =
        start + 10 <= bytes.count && bytes[start + 4] == UInt8(ascii: "-")
        && bytes[start + 7] == UInt8(ascii: "-")
    let (monthAt, dayAt, length) = dashed ? (start + 5, start + 8, 10) : (start + 4, start + 6, 8)
    guard let year = digits(start, 4), let month = digits(monthAt, 2), let day = digits(dayAt, 2),
        !isDigit(start + length),
        (2000...2099).contains(year), (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    return (String(format: "%04d-%02d-%02d", year, month, day), length)
}

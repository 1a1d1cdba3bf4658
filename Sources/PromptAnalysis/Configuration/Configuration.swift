import Dotprompt
import Foundation
import Pricing
import PromptText
import Tokenizer

/// How detailed inlay hints are (editor setting `tokenmin.inlayHints.detail`).
public enum HintDetail: String, Sendable, CaseIterable {
    case off, tokens, cost, full
}

/// A budget: `budget-exceeded` warns at `warnAt` of a limit and errors over 100%.
public struct Budget: Sendable, Hashable {
    public var inputTokens: Int?
    public var usdPerCall: Decimal?
    /// USD per month at the prompt's volume (checked only when a volume is known).
    public var usdPerMonth: Decimal?
    public var warnAt: Double = 0.9
    /// The `budgets:` glob that set each limit (`inputTokens`, `usdPerCall`, `usdPerMonth`), for messages;
    /// limits from `budget:` or the prompt's own `metadata.tokenmin.budget` have none.
    public var globs: [String: String] = [:]

    public init(inputTokens: Int? = nil, usdPerCall: Decimal? = nil, usdPerMonth: Decimal? = nil, warnAt: Double = 0.9) {
        self.inputTokens = inputTokens
        self.usdPerCall = usdPerCall
        self.usdPerMonth = usdPerMonth
        self.warnAt = warnAt
    }
}

/// A `budgets:` entry: limits for the prompts whose path (relative to the configuration file's folder)
/// matches `glob`. Only the limits it sets apply; for each limit the last matching entry wins.
public struct PathBudget: Sendable, Hashable {
    public var glob: Glob
    public var budget: Budget
}

/// A user's price for a model (per million tokens, USD), overriding or adding to the catalog.
public struct PriceOverrideSetting: Sendable, Hashable {
    public var model: String
    public var inputPerMTok: Decimal?
    public var outputPerMTok: Decimal?
    public var cacheReadPerMTok: Decimal?
    public var contextWindow: Int?
    public var tokenizer: String?
    public var ratio: Decimal?
}

/// A tokenizer file for the models whose id matches `model` (`tokenizers:` in `.tokenmin.yml`):
/// their counts become exact with it.
public struct TokenizerFileSetting: Sendable, Hashable {
    /// A model id pattern; `*` matches any run of characters (including `/`), case-insensitively.
    public var model: String
    /// The file (`tokenizer.json`, `tekken*.json`, `.tiktoken`), absolute once loaded from a file.
    public var path: String
    /// The split pattern for tiktoken rank files (default: Llama 3's).
    public var pattern: String?
    /// The loaded tokenizer (set by `loadConfiguration`), or why it could not be loaded.
    public var tokenizer: GenericTokenizer?
    public var loadError: String?

    public init(model: String, path: String, pattern: String? = nil) {
        self.model = model
        self.path = path
        self.pattern = pattern
    }

    /// Whether `name` matches the model pattern.
    public func matches(_ name: String) -> Bool {
        let pattern = Array(model.lowercased())
        let text = Array(name.lowercased())
        // Iterative wildcard match with backtracking to the last `*`.
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count && pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if p < pattern.count && pattern[p] == text[t] {
                p += 1
                t += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// Loads the file (once per process and path) into `tokenizer`, or records `loadError`.
    public mutating func load() {
        do {
            tokenizer = try GenericTokenizer.load(path: path, pattern: pattern)
            loadError = nil
        } catch {
            tokenizer = nil
            loadError = error.description
        }
    }
}

/// Everything configurable, with the defaults documented in README's configuration section. Layers
/// apply in order: built-in defaults, editor settings, `.tokenmin.yml` (nearest wins), the prompt's
/// own `metadata.tokenmin` frontmatter, and last the command line's flags (`--model`, `--volume`): what
/// the user typed for this run wins over every file.
public struct Configuration: Sendable {
    /// Model used when a prompt names none.
    public var defaultModel: String?
    /// Expected output tokens when the prompt sets no cap (shown as a default, never as a fact).
    public var outputTokens: Int = 500
    /// Calls per month, for monthly costs.
    public var callsPerMonth: Decimal?
    public var budget = Budget()
    /// `budgets:` per path glob, in file order (see `PathBudget`).
    public var pathBudgets: [PathBudget] = []
    /// The folder of the `.tokenmin.yml` this configuration was loaded from (`budgets:` globs are relative to it).
    public var configurationFolder: String?
    /// Severity per rule id; `nil` turns a rule off. Rules not listed keep their default.
    public var ruleSeverities: [String: Severity?] = [:]
    public var ruleOptions = RuleOptions()
    public var ignore: [Glob] = []
    /// A catalog file written by `tokenmin prices import --output`.
    public var catalogPath: String?
    public var prices: [PriceOverrideSetting] = []
    /// Tokenizer files by model id pattern (`tokenizers:`); the first match wins.
    public var tokenizerFiles: [TokenizerFileSetting] = []
    /// Extra folders searched for partials (relative to the configuration file).
    public var partialFolders: [String] = []
    public var schemaStyle: SchemaStyle = .picoschema
    /// Average tokens per prior conversation turn, for `{{history}}` projections.
    public var historyTurnTokens: Int = 150
    /// E-mail domains that `pii-in-prompt` accepts (in addition to the documentation domains).
    public var allowedEmailDomains: [String] = []
    /// Input variables that `untrusted-input-in-system` accepts in system messages.
    public var trustedVariables: [String] = []
    /// Schemas the application registers by name (Genkit `defineSchema`), for `input.schema: Name` and
    /// `output.schema: Name`: Picoschema or JSON Schema. A name not listed here is unknown, not empty.
    public var schemas: [String: SchemaValue] = [:]
    /// Helpers the application registers (Genkit `defineHelper`): not `unknown-helper`, render as nothing.
    public var helpers: [String] = []
    public var hintDetail: HintDetail = .full
    /// Settings from command-line flags, applied again over each later layer (see `applyCommandLine`).
    public private(set) var commandLine: SettingsValue?

    public init() {}

    /// Applies settings given on the command line and keeps them, so that `reapplyCommandLine()` puts
    /// them back over `.tokenmin.yml` and `metadata.tokenmin` once those are applied.
    public mutating func applyCommandLine(_ settings: SettingsValue) -> [ConfigurationProblem] {
        commandLine = settings
        return apply(settings)
    }

    /// Puts the command line's settings back over whatever was applied since (a no-op without flags).
    public mutating func reapplyCommandLine() {
        if let commandLine { _ = apply(commandLine) }
    }

    /// The effective severity of a rule (nil when off).
    public func severity(of rule: RuleDescriptor) -> Severity? {
        if let configured = ruleSeverities[rule.id] { return configured }
        return rule.defaultSeverity
    }
}

/// A problem in configuration, at the key or value it concerns (ranges only for files).
public struct ConfigurationProblem: Sendable, Hashable {
    public var message: String
    public var range: UTF8Range?
}

/// The keys `.tokenmin.yml` accepts, for unknown-key suggestions and completion.
public let configurationKeys: [String] = [
    "model", "outputTokens", "volume", "budget", "budgets", "rules", "fewShotLimit", "fewShotLimitReasoning", "maxExampleShare",
    "ignore", "catalog", "prices", "partials", "schemaStyle", "historyTurnTokens", "allowDomains", "trustedVariables",
    "inlayHints", "schemas", "helpers", "tokenizers",
]

extension Configuration {
    /// Applies a settings tree over this configuration. Unknown keys and bad values are reported and
    /// skipped; everything valid still applies (one typo never disables the whole file).
    public mutating func apply(_ settings: SettingsValue) -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        guard case .mapping(let entries, _) = settings else {
            if case .null = settings { return [] }
            return [ConfigurationProblem(message: "configuration must be a mapping of keys to values", range: settings.range)]
        }
        for entry in entries {
            let value = entry.value
            func problem(_ message: String) { problems.append(ConfigurationProblem(message: message, range: value.range ?? entry.keyRange)) }
            switch entry.key {
            case "model", "defaultModel":
                if let text = scalar(value), !text.isEmpty { defaultModel = text } else if scalar(value) == nil { problem("model must be a model id such as openai/gpt-4o-mini") }
            case "outputTokens":
                if let number = positiveInt(value) { outputTokens = number } else { problem("outputTokens must be a positive whole number") }
            case "volume":
                switch parseVolume(scalar(value) ?? "") {
                case .success(let calls): callsPerMonth = calls == 0 ? nil : calls
                case .failure(let error): problem(error.message)
                }
            case "budget":
                problems += applyBudget(value)
            case "budgets":
                problems += applyPathBudgets(value)
            case "rules":
                problems += applyRules(value)
            case "fewShotLimit":
                if let number = nonNegativeInt(value) { ruleOptions.fewShotLimit = number } else { problem("fewShotLimit must be a whole number ≥ 0") }
            case "fewShotLimitReasoning":
                if let number = nonNegativeInt(value) { ruleOptions.fewShotLimitReasoning = number } else { problem("fewShotLimitReasoning must be a whole number ≥ 0") }
            case "maxExampleShare":
                if let share = scalar(value).flatMap(parseShare) { ruleOptions.maxExampleShare = share } else { problem("maxExampleShare must be a share such as 60% or 0.6") }
            case "ignore":
                if let list = strings(value) { ignore = list.map(Glob.init) } else { problem("ignore must be a list of globs") }
            case "catalog":
                if let text = scalar(value) { catalogPath = text } else { problem("catalog must be a file path") }
            case "prices":
                problems += applyPrices(value)
            case "tokenizers":
                problems += applyTokenizers(value)
            case "partials":
                if let list = strings(value) { partialFolders = list } else { problem("partials must be a list of folders") }
            case "schemaStyle":
                if let style = scalar(value).flatMap(SchemaStyle.init(rawValue:)) { schemaStyle = style } else { problem("schemaStyle must be picoschema or jsonSchema") }
            case "historyTurnTokens":
                if let number = positiveInt(value) { historyTurnTokens = number } else { problem("historyTurnTokens must be a positive whole number") }
            case "allowDomains":
                if let list = strings(value) { allowedEmailDomains = list } else { problem("allowDomains must be a list of domains") }
            case "trustedVariables":
                if let list = strings(value) { trustedVariables = list } else { problem("trustedVariables must be a list of variable names") }
            case "schemas":
                if case .mapping(let schemaEntries, _) = value {
                    for schema in schemaEntries { schemas[schema.key] = schemaValue(schema.value) }
                } else {
                    problem("schemas must map schema names to Picoschema or JSON Schema")
                }
            case "helpers":
                if let list = strings(value) { helpers = list } else { problem("helpers must be a list of helper names") }
            case "sample":
                break  // Sample input values, read by the analysis to render the call (not configuration).
            case "inlayHints":
                if let detail = value["detail"].flatMap(scalar).flatMap(HintDetail.init(rawValue:)) { hintDetail = detail } else { problem("inlayHints.detail must be one of off, tokens, cost, full") }
            default:
                var message = "unknown configuration key '\(entry.key)'"
                if let suggestion = closestMatch(to: entry.key, in: configurationKeys) { message += "; did you mean '\(suggestion)'?" }
                problems.append(ConfigurationProblem(message: message, range: entry.keyRange))
            }
        }
        return problems
    }

    private mutating func applyBudget(_ value: SettingsValue) -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        budget = parseBudgetMapping(value, over: budget, name: "budget", problems: &problems)
        return problems
    }

    /// `budgets:` maps path globs to limits: `'$0.01'` (USD per call), `'$500/month'`, `4000` or
    /// `'4000 tokens'` (input tokens), a list of those, or a mapping like `budget:`.
    private mutating func applyPathBudgets(_ value: SettingsValue) -> [ConfigurationProblem] {
        guard case .mapping(let entries, _) = value else {
            return [ConfigurationProblem(message: "budgets must map path globs to limits, e.g. 'prompts/support/**': '$0.01'", range: value.range)]
        }
        var problems: [ConfigurationProblem] = []
        for entry in entries {
            let name = "budgets['\(entry.key)']"
            var limits = Budget()
            switch entry.value {
            case .mapping:
                limits = parseBudgetMapping(entry.value, over: limits, name: name, problems: &problems)
            case .sequence(let items, _):
                for item in items { parseBudgetLimit(item, into: &limits, name: name, problems: &problems) }
            default:
                parseBudgetLimit(entry.value, into: &limits, name: name, problems: &problems)
            }
            guard limits.inputTokens != nil || limits.usdPerCall != nil || limits.usdPerMonth != nil else { continue }
            limits.globs = [:]
            pathBudgets.append(PathBudget(glob: Glob(entry.key), budget: limits))
        }
        return problems
    }

    /// The budget of the prompt at `path`: `budget:` with the limits of every matching `budgets:` entry
    /// over it (later entries win per limit), each remembering its glob. `warnAt` comes from the last
    /// matching entry that sets it. Prompts outside the configuration's folder get `budget:` only.
    public func budget(forFileAt path: String?) -> Budget {
        var result = budget
        guard !pathBudgets.isEmpty, let path, let folder = configurationFolder else { return result }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        guard path.hasPrefix(prefix) else { return result }
        let relative = String(path.dropFirst(prefix.count))
        for entry in pathBudgets where entry.glob.matches(relative) {
            let glob = entry.glob.pattern
            if let tokens = entry.budget.inputTokens { result.inputTokens = tokens; result.globs["inputTokens"] = glob }
            if let usd = entry.budget.usdPerCall { result.usdPerCall = usd; result.globs["usdPerCall"] = glob }
            if let usd = entry.budget.usdPerMonth { result.usdPerMonth = usd; result.globs["usdPerMonth"] = glob }
            if entry.budget.warnAt != Budget().warnAt { result.warnAt = entry.budget.warnAt }
        }
        return result
    }

    private mutating func applyRules(_ value: SettingsValue) -> [ConfigurationProblem] {
        guard case .mapping(let entries, _) = value else {
            return [ConfigurationProblem(message: "rules must map rule ids to off, info, warning or error", range: value.range)]
        }
        var problems: [ConfigurationProblem] = []
        let known = RuleRegistry.descriptors.map(\.id)
        for entry in entries {
            guard known.contains(entry.key) else {
                var message = "unknown rule '\(entry.key)'"
                if let suggestion = closestMatch(to: entry.key, in: known) { message += "; did you mean '\(suggestion)'?" }
                problems.append(ConfigurationProblem(message: message, range: entry.keyRange))
                continue
            }
            let spelled = scalar(entry.value) ?? entry.value["severity"].flatMap(scalar)
            guard let spelled, let severity = parseSeverity(spelled) else {
                problems.append(ConfigurationProblem(message: "rule severity must be off, info, warning or error", range: entry.value.range))
                continue
            }
            ruleSeverities[entry.key] = severity
        }
        return problems
    }

    private mutating func applyTokenizers(_ value: SettingsValue) -> [ConfigurationProblem] {
        guard case .mapping(let entries, _) = value else {
            return [ConfigurationProblem(message: "tokenizers must map model id patterns to tokenizer files", range: value.range)]
        }
        var problems: [ConfigurationProblem] = []
        for entry in entries {
            if let path = scalar(entry.value), !path.isEmpty {
                tokenizerFiles.append(TokenizerFileSetting(model: entry.key, path: path))
            } else if case .mapping = entry.value, let path = entry.value["path"].flatMap(scalar), !path.isEmpty {
                tokenizerFiles.append(
                    TokenizerFileSetting(model: entry.key, path: path, pattern: entry.value["pattern"].flatMap(scalar)))
            } else {
                problems.append(.init(
                    message: "tokenizers.\(entry.key) must be a file path, or a mapping with path (and pattern for tiktoken files)",
                    range: entry.value.range ?? entry.keyRange))
            }
        }
        return problems
    }

    private mutating func applyPrices(_ value: SettingsValue) -> [ConfigurationProblem] {
        guard case .mapping(let entries, _) = value else {
            return [ConfigurationProblem(message: "prices must map model ids to prices per million tokens", range: value.range)]
        }
        var problems: [ConfigurationProblem] = []
        for entry in entries {
            var price = PriceOverrideSetting(model: entry.key)
            guard case .mapping(let fields, _) = entry.value else {
                problems.append(.init(message: "prices.\(entry.key) must be a mapping (input, output, cacheRead, contextWindow, tokenizer, ratio)", range: entry.value.range))
                continue
            }
            for field in fields {
                let text = scalar(field.value)
                switch field.key {
                case "input": price.inputPerMTok = text.flatMap(parseUSD)
                case "output": price.outputPerMTok = text.flatMap(parseUSD)
                case "cacheRead": price.cacheReadPerMTok = text.flatMap(parseUSD)
                case "contextWindow": price.contextWindow = positiveInt(field.value)
                case "tokenizer": price.tokenizer = text
                case "ratio": price.ratio = text.flatMap { Decimal(string: $0) }
                default:
                    problems.append(.init(message: "unknown price key '\(field.key)'", range: field.keyRange))
                    continue
                }
                let parsed: Bool
                switch field.key {
                case "input": parsed = price.inputPerMTok != nil
                case "output": parsed = price.outputPerMTok != nil
                case "cacheRead": parsed = price.cacheReadPerMTok != nil
                case "contextWindow": parsed = price.contextWindow != nil
                case "tokenizer":
                    parsed = (["o200k_base", "cl100k_base"] + BundledTokenizer.allCases.map(\.rawValue)).contains(price.tokenizer ?? "")
                default: parsed = price.ratio.map { $0 > 0 } ?? false
                }
                if !parsed { problems.append(.init(message: "invalid value for prices.\(entry.key).\(field.key)", range: field.value.range)) }
            }
            prices.append(price)
        }
        return problems
    }
}

/// A budget mapping (`inputTokens`, `usdPerCall`, `usdPerMonth`, `warnAt`) over `base`; the limits it
/// sets lose any glob they had (a prompt's own budget is its own).
private func parseBudgetMapping(
    _ value: SettingsValue, over base: Budget, name: String, problems: inout [ConfigurationProblem]
) -> Budget {
    var budget = base
    guard case .mapping(let entries, _) = value else {
        problems.append(ConfigurationProblem(message: "\(name) must be a mapping (inputTokens, usdPerCall, usdPerMonth, warnAt)", range: value.range))
        return budget
    }
    for entry in entries {
        switch entry.key {
        case "inputTokens":
            if let number = positiveInt(entry.value) { budget.inputTokens = number; budget.globs["inputTokens"] = nil } else { problems.append(.init(message: "\(name).inputTokens must be a positive whole number", range: entry.value.range)) }
        case "usdPerCall":
            if let amount = scalar(entry.value).flatMap(parseUSD), amount > 0 { budget.usdPerCall = amount; budget.globs["usdPerCall"] = nil } else { problems.append(.init(message: "\(name).usdPerCall must be an amount such as 0.01 or $0.01", range: entry.value.range)) }
        case "usdPerMonth":
            if let amount = scalar(entry.value).map(stripMonth).flatMap(parseUSD), amount > 0 { budget.usdPerMonth = amount; budget.globs["usdPerMonth"] = nil } else { problems.append(.init(message: "\(name).usdPerMonth must be an amount such as 500 or $500", range: entry.value.range)) }
        case "warnAt":
            if let share = scalar(entry.value).flatMap(parseShare), share > 0, share <= 1 { budget.warnAt = share } else { problems.append(.init(message: "\(name).warnAt must be a share such as 90%", range: entry.value.range)) }
        default:
            problems.append(.init(message: "unknown \(name) key '\(entry.key)' (inputTokens, usdPerCall, usdPerMonth, warnAt)", range: entry.keyRange))
        }
    }
    return budget
}

/// One limit written as a scalar: `'$0.01'` or `'$0.01/call'` (USD per call), `'$500/month'`, `4000`
/// or `'4000 tokens'` (input tokens).
private func parseBudgetLimit(_ value: SettingsValue, into budget: inout Budget, name: String, problems: inout [ConfigurationProblem]) {
    let problem = ConfigurationProblem(
        message: "\(name): '\(scalar(value) ?? "…")' is not a budget; write '$0.01' (USD per call), '$500/month' or 4000 (input tokens)",
        range: value.range)
    guard var text = scalar(value)?.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "") else {
        problems.append(problem)
        return
    }
    if text.hasPrefix("$") {
        var perMonth = false
        for suffix in ["/month", "/mo", " per month"] where text.lowercased().hasSuffix(suffix) {
            text.removeLast(suffix.count)
            perMonth = true
        }
        for suffix in ["/call", " per call"] where !perMonth && text.lowercased().hasSuffix(suffix) { text.removeLast(suffix.count) }
        guard let amount = parseUSD(text), amount > 0 else {
            problems.append(problem)
            return
        }
        if perMonth { budget.usdPerMonth = amount } else { budget.usdPerCall = amount }
        return
    }
    for suffix in [" tokens", " token", " tok"] where text.lowercased().hasSuffix(suffix) { text.removeLast(suffix.count) }
    guard let tokens = Int(text.replacingOccurrences(of: "_", with: "")), tokens > 0 else {
        problems.append(problem)
        return
    }
    budget.inputTokens = tokens
}

/// `500/month` → `500` (the key already says per month).
private func stripMonth(_ text: String) -> String {
    var body = text.trimmingCharacters(in: .whitespaces)
    for suffix in ["/month", "/mo"] where body.lowercased().hasSuffix(suffix) { body.removeLast(suffix.count) }
    return body.replacingOccurrences(of: ",", with: "")
}

private func scalar(_ value: SettingsValue) -> String? {
    if case .scalar(let text, _) = value { return text }
    return nil
}

private func strings(_ value: SettingsValue) -> [String]? {
    switch value {
    case .sequence(let items, _): return items.compactMap(scalar).count == items.count ? items.compactMap(scalar) : nil
    case .scalar(let text, _): return [text]
    default: return nil
    }
}

private func positiveInt(_ value: SettingsValue) -> Int? {
    scalar(value).flatMap { Int($0.replacingOccurrences(of: "_", with: "")) }.flatMap { $0 > 0 ? $0 : nil }
}

private func nonNegativeInt(_ value: SettingsValue) -> Int? {
    scalar(value).flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
}

/// `off`, `info`/`information`/`hint` (LSP spellings), `warning`/`warn`, `error`.
func parseSeverity(_ text: String) -> Severity?? {
    switch text.lowercased() {
    case "off", "none", "false": return .some(nil)
    case "info", "information", "hint", "note": return .some(.info)
    case "warning", "warn": return .some(.warning)
    case "error": return .some(.error)
    default: return nil
    }
}

/// `90%` or `0.9`.
func parseShare(_ text: String) -> Double? {
    var body = text.trimmingCharacters(in: .whitespaces)
    let percent = body.hasSuffix("%")
    if percent { body.removeLast() }
    guard let value = Double(body), value >= 0 else { return nil }
    return percent ? value / 100 : value
}

/// `0.01`, `$0.01`, `$2.50` → Decimal USD (exact: parsed as a decimal, never through Double).
func parseUSD(_ text: String) -> Decimal? {
    var body = text.trimmingCharacters(in: .whitespaces)
    if body.hasPrefix("$") { body.removeFirst() }
    guard !body.isEmpty, body.allSatisfy({ $0.isNumber || $0 == "." }) else { return nil }
    return Decimal(string: body, locale: Locale(identifier: "en_US_POSIX"))
}


/// A problem with a volume such as `8M/month`.
public struct VolumeError: Error, Equatable, Sendable {
    public var message: String
}

/// Calls per month from `8M/month`, `250k/day`, `1200/hour`, `5000` (per month): Pricing's
/// `CallVolume` rules (a month is 30 days).
public func parseVolume(_ text: String) -> Result<Decimal, VolumeError> {
    switch CallVolume.parse(text) {
    case .success(let volume): .success(volume.callsPerMonth)
    case .failure(let error): .failure(VolumeError(message: error.message))
    }
}

/// A settings tree as a schema value: `true`/`false` are booleans and numerals numbers (JSON Schema's
/// `additionalProperties: false`, `minimum: 1`), everything else is text.
func schemaValue(_ settings: SettingsValue) -> SchemaValue {
    switch settings {
    case .scalar(let text, _):
        if text == "true" || text == "false" { return .bool(text == "true") }
        if let number = Decimal(string: text), text.first.map({ $0.isNumber || $0 == "-" }) ?? false,
           Double(text) != nil
        {
            return .number(number)
        }
        return .string(text)
    case .mapping(let entries, _): return .object(entries.map { SchemaValue.Member($0.key, schemaValue($0.value)) })
    case .sequence(let items, _): return .array(items.map(schemaValue))
    case .null: return .null
    }
}

import Foundation
import Pricing
import PromptText

/// How detailed inlay hints are (editor setting `tokenmin.inlayHints.detail`).
public enum HintDetail: String, Sendable, CaseIterable {
    case off, tokens, cost, full
}

/// A per-call budget: `budget-exceeded` warns at `warnAt` of a limit and errors at 100%.
public struct Budget: Sendable, Hashable {
    public var inputTokens: Int?
    public var usdPerCall: Decimal?
    public var warnAt: Double = 0.9

    public init(inputTokens: Int? = nil, usdPerCall: Decimal? = nil, warnAt: Double = 0.9) {
        self.inputTokens = inputTokens
        self.usdPerCall = usdPerCall
        self.warnAt = warnAt
    }
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
    /// Severity per rule id; `nil` turns a rule off. Rules not listed keep their default.
    public var ruleSeverities: [String: Severity?] = [:]
    public var ruleOptions = RuleOptions()
    public var ignore: [Glob] = []
    /// A catalog file written by `tokenmin prices import --output`.
    public var catalogPath: String?
    public var prices: [PriceOverrideSetting] = []
    /// Extra folders searched for partials (relative to the configuration file).
    public var partialFolders: [String] = []
    public var schemaStyle: SchemaStyle = .picoschema
    /// Average tokens per prior conversation turn, for `{{history}}` projections.
    public var historyTurnTokens: Int = 150
    /// E-mail domains that `pii-in-prompt` accepts (in addition to the documentation domains).
    public var allowedEmailDomains: [String] = []
    /// Input variables that `untrusted-input-in-system` accepts in system messages.
    public var trustedVariables: [String] = []
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
    "model", "outputTokens", "volume", "budget", "rules", "fewShotLimit", "fewShotLimitReasoning", "maxExampleShare",
    "ignore", "catalog", "prices", "partials", "schemaStyle", "historyTurnTokens", "allowDomains", "trustedVariables",
    "inlayHints",
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
        guard case .mapping(let entries, _) = value else {
            return [ConfigurationProblem(message: "budget must be a mapping (inputTokens, usdPerCall, warnAt)", range: value.range)]
        }
        var problems: [ConfigurationProblem] = []
        for entry in entries {
            switch entry.key {
            case "inputTokens":
                if let number = positiveInt(entry.value) { budget.inputTokens = number } else { problems.append(.init(message: "budget.inputTokens must be a positive whole number", range: entry.value.range)) }
            case "usdPerCall":
                if let amount = scalar(entry.value).flatMap(parseUSD), amount > 0 { budget.usdPerCall = amount } else { problems.append(.init(message: "budget.usdPerCall must be an amount such as 0.01 or $0.01", range: entry.value.range)) }
            case "warnAt":
                if let share = scalar(entry.value).flatMap(parseShare), share > 0, share <= 1 { budget.warnAt = share } else { problems.append(.init(message: "budget.warnAt must be a share such as 90%", range: entry.value.range)) }
            default:
                problems.append(.init(message: "unknown budget key '\(entry.key)' (inputTokens, usdPerCall, warnAt)", range: entry.keyRange))
            }
        }
        return problems
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
                case "tokenizer": parsed = ["o200k_base", "cl100k_base"].contains(price.tokenizer ?? "")
                default: parsed = price.ratio.map { $0 > 0 } ?? false
                }
                if !parsed { problems.append(.init(message: "invalid value for prices.\(entry.key).\(field.key)", range: field.value.range)) }
            }
            prices.append(price)
        }
        return problems
    }
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

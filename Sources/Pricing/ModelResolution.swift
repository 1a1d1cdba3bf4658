import Foundation
import PromptText

/// The outcome of looking up a `model:` value as a real `.prompt` file writes it.
public enum ModelResolution: Sendable, Equatable {
    /// The model, and how the name was matched (so that approximate matches can be reported).
    case found(CatalogModel, via: ResolutionPath)
    /// No model matched; up to three closest canonical ids, best first.
    case unknown(suggestions: [String])

    /// The model when found.
    public var model: CatalogModel? {
        if case .found(let model, _) = self { return model }
        return nil
    }
}

/// How a name was matched to a catalog model: how the provider was chosen and how the model's name
/// within that provider matched.
public struct ResolutionPath: Sendable, Equatable, CustomStringConvertible {
    public enum Provider: Sendable, Equatable {
        /// The query was the canonical id (`openai/gpt-4o`).
        case canonicalID
        /// The query named the provider with this prefix (`googleai/`, LiteLLM's `gemini/`, …).
        case prefix(String)
        /// The query had no provider; these providers offer the name and the first was chosen by
        /// `ModelCatalog.providerPreference`.
        case inferred(among: [String])
        /// The query named a provider (`googleai/`) whose catalog entries lack the model, and another
        /// provider's entry for the same model name priced it (`vertexai/gemini-2.0-flash`). Providers
        /// usually price a vendor's model alike, but not always: the entry used is reported.
        case otherProvider(requested: String, used: String)
    }

    public enum Name: Sendable, Equatable {
        /// The model's own name.
        case exact
        /// A stored alias (a dated snapshot with identical prices).
        case alias
        /// `X` found as `X-latest`, or `X-latest` found as `X`.
        case latestSpelling
        /// The snapshot suffix (e.g. `-2099-01-01`) was dropped to find the undated model. Prices of
        /// snapshots can differ, so this match is approximate.
        case snapshotDropped(suffix: String)
    }

    public var provider: Provider
    public var name: Name

    public init(provider: Provider, name: Name) {
        self.provider = provider
        self.name = name
    }

    /// Whether the matched model may not be the one the user meant (a dropped snapshot suffix, or
    /// another provider's entry).
    public var isApproximate: Bool {
        if case .snapshotDropped = name { return true }
        if case .otherProvider = provider { return true }
        return false
    }

    public var description: String {
        var parts: [String] = []
        switch provider {
        case .canonicalID: parts.append("canonical id")
        case .prefix(let prefix): parts.append("provider prefix '\(prefix)/'")
        case .inferred(let among):
            parts.append(
                among.count > 1
                    ? "provider chosen from \(among.joined(separator: ", "))"
                    : "provider \(among.first ?? "?")")
        case .otherProvider(let requested, let used):
            parts.append("no '\(requested)/' entry; priced with the \(used) entry")
        }
        switch name {
        case .exact: break
        case .alias: parts.append("dated alias")
        case .latestSpelling: parts.append("-latest spelling")
        case .snapshotDropped(let suffix):
            parts.append("snapshot '\(suffix)' not in catalog, using the undated model (prices may differ)")
        }
        return parts.joined(separator: "; ")
    }
}

extension ModelCatalog {
    /// Providers in the order a bare name (`gpt-4o`, `claude-sonnet-4-5`) prefers them when several
    /// offer it: the model vendors' own APIs first, then the clouds that resell them, then every other
    /// provider alphabetically. `googleai` precedes `vertexai` because Genkit and Dotprompt default to
    /// the Google AI plugin.
    public static let providerPreference = [
        "openai", "anthropic", "googleai", "vertexai", "mistral", "deepseek", "xai", "cohere_chat",
        "bedrock", "azure",
    ]

    /// Resolves a `model:` value: canonical ids (`openai/gpt-4o`), provider-prefixed names in Genkit
    /// (`googleai/gemini-2.5-flash`, `vertexai/…`, `anthropic/…`) or LiteLLM spelling (`gemini/…`,
    /// `vertex_ai/…`, `bedrock/…`, `azure/…`), bare names (`gpt-4o`), dated aliases
    /// (`gpt-4o-2024-08-06`), `-latest` spellings, and — approximately — unknown snapshots of a known
    /// model. Matching ignores case and surrounding whitespace.
    public func resolve(_ rawName: String) -> ModelResolution {
        let query = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else { return .unknown(suggestions: []) }
        if let position = index.byID[query] ?? index.byLowercasedID[query.lowercased()] {
            return .found(models[position], via: ResolutionPath(provider: .canonicalID, name: .exact))
        }
        if let slash = query.firstIndex(of: "/") {
            let prefix = query[..<slash].lowercased()
            let rest = String(query[query.index(after: slash)...]).lowercased()
            if let provider = self.provider(spelledAs: prefix) {
                let names = index.localNames[provider] ?? [:]
                let aliases = index.localAliases[provider] ?? [:]
                if let (positions, how) = lookUp(
                    rest,
                    candidates: { key in
                        if let position = names[key] { return ([position], false) }
                        return (aliases[key].map { [$0] } ?? [], true)
                    })
                {
                    return .found(
                        models[positions[0]], via: ResolutionPath(provider: .prefix(prefix), name: how))
                }
                // The same model under another provider (`googleai/gemini-2.0-flash` is in the catalog as
                // `vertexai/gemini-2.0-flash`): exact names and aliases only, never an approximate match.
                let others = (index.bareNames[rest] ?? index.bareAliases[rest] ?? []).filter { models[$0].provider != provider }
                if let position = others.first {
                    return .found(
                        models[position],
                        via: ResolutionPath(
                            provider: .otherProvider(requested: prefix, used: models[position].provider),
                            name: index.bareNames[rest] == nil ? .alias : .exact))
                }
                return .unknown(suggestions: suggestions(for: rest, provider: provider))
            }
        }
        let bare = query.lowercased()
        if let (positions, how) = lookUp(
            bare,
            candidates: { key in
                if let names = index.bareNames[key] { return (names, false) }
                return (index.bareAliases[key] ?? [], true)
            })
        {
            let providers = positions.map { models[$0].provider }
            return .found(
                models[positions[0]], via: ResolutionPath(provider: .inferred(among: providers), name: how))
        }
        return .unknown(suggestions: suggestions(for: bare, provider: nil))
    }

    /// The catalog provider a prefix names: Genkit and LiteLLM spellings, or a provider's own name.
    public func provider(spelledAs prefix: String) -> String? {
        let normalized = prefix.lowercased()
        if let known = providerSpellings[normalized] { return known }
        return index.localNames[normalized] != nil ? normalized : nil
    }

    /// Tries the name as given, then its `-latest` counterpart, then without a snapshot suffix.
    /// `candidates` returns the matching model positions (best first) and whether they matched by alias.
    private func lookUp(_ key: String, candidates: (String) -> ([Int], Bool)) -> ([Int], ResolutionPath.Name)?
    {
        func direct(_ key: String) -> ([Int], ResolutionPath.Name)? {
            let (positions, isAlias) = candidates(key)
            if !positions.isEmpty { return (positions, isAlias ? .alias : .exact) }
            let latest = key.hasSuffix("-latest") ? String(key.dropLast("-latest".count)) : key + "-latest"
            let (latestPositions, _) = candidates(latest)
            return latestPositions.isEmpty ? nil : (latestPositions, .latestSpelling)
        }
        if let hit = direct(key) { return hit }
        if let (base, suffix) = splitSnapshotSuffix(key), let (positions, _) = direct(base) {
            return (positions, .snapshotDropped(suffix: suffix))
        }
        return nil
    }

    /// Up to three canonical ids closest to `name` (edit distance; names that start with the query
    /// count as distance 1, so a truncated name finds its completions), within `provider` when the
    /// query named one. Bare queries list each model name once, under its preferred provider.
    public func suggestions(for name: String, provider: String?, limit: Int = 3) -> [String] {
        let query = name.lowercased()
        let maximumDistance = max(3, query.utf8.count / 2)
        var scored: [(distance: Int, rawDistance: Int, sharedPrefix: Int, rank: Int, id: String)] = []
        var seenNames: Set<String> = []
        for position in index.positionsByPreference {
            let model = models[position]
            if let provider, model.provider != provider { continue }
            let candidate = model.name.lowercased()
            if provider == nil && !seenNames.insert(candidate).inserted { continue }
            let rawDistance = editDistance(query, candidate)
            let distance = candidate.hasPrefix(query) ? min(rawDistance, 1) : rawDistance
            guard distance <= maximumDistance else { continue }
            scored.append(
                (
                    distance, rawDistance, -sharedPrefixLength(query, candidate),
                    index.rank(of: model.provider), model.id
                ))
        }
        // Ties: the closer completion (raw distance), the longer shared prefix, provider preference, id.
        scored.sort {
            ($0.distance, $0.rawDistance, $0.sharedPrefix, $0.rank, $0.id)
                < ($1.distance, $1.rawDistance, $1.sharedPrefix, $1.rank, $1.id)
        }
        return scored.prefix(limit).map(\.id)
    }
}

/// Prefix spellings (lowercased) that name a catalog provider: Genkit plugin names, LiteLLM route
/// prefixes, and common variants. A provider's own catalog name is always accepted as well.
let providerSpellings: [String: String] = [
    "openai": "openai",
    "googleai": "googleai", "google": "googleai", "gemini": "googleai", "google-genai": "googleai",
    "google_genai": "googleai",
    "vertexai": "vertexai", "vertex_ai": "vertexai", "vertex": "vertexai",
    "anthropic": "anthropic",
    "bedrock": "bedrock", "bedrock_converse": "bedrock", "aws-bedrock": "bedrock",
    "azure": "azure", "azure-openai": "azure", "azure_openai": "azure",
    "mistral": "mistral", "mistralai": "mistral",
    "amazon-nova": "amazon_nova",
]

/// Lookup tables over a catalog's models, built once per catalog.
struct CatalogIndex: Sendable {
    var byID: [String: Int] = [:]
    var byLowercasedID: [String: Int] = [:]
    /// provider → lowercased model name → position.
    var localNames: [String: [String: Int]] = [:]
    /// provider → lowercased alias → position.
    var localAliases: [String: [String: Int]] = [:]
    /// lowercased model name → positions across providers, by provider preference.
    var bareNames: [String: [Int]] = [:]
    var bareAliases: [String: [Int]] = [:]
    /// All positions, by provider preference then id (for deterministic suggestion order).
    var positionsByPreference: [Int] = []
    private var ranks: [String: Int] = [:]

    init(models: [CatalogModel]) {
        for (rank, provider) in ModelCatalog.providerPreference.enumerated() { ranks[provider] = rank }
        for (position, model) in models.enumerated() {
            byID[model.id] = position
            byLowercasedID[model.id.lowercased()] = position
            let name = model.name.lowercased()
            if localNames[model.provider, default: [:]][name] == nil {
                localNames[model.provider, default: [:]][name] = position
            }
            bareNames[name, default: []].append(position)
            for alias in model.aliases {
                let key = alias.lowercased()
                if localAliases[model.provider, default: [:]][key] == nil {
                    localAliases[model.provider, default: [:]][key] = position
                }
                bareAliases[key, default: []].append(position)
            }
        }
        // Order by (preference rank, provider, id). Models are sorted by id, so a position stands for
        // its id; providers get their alphabetical ordinal once, and the sorts compare integers only.
        let ranks = self.ranks
        let rankCount = ModelCatalog.providerPreference.count
        let providers = Array(Set(models.map(\.provider))).sorted()
        var providerKeys: [String: Int] = [:]
        for (ordinal, provider) in providers.enumerated() {
            providerKeys[provider] = (ranks[provider] ?? rankCount) * providers.count + ordinal
        }
        let keys = models.map { providerKeys[$0.provider]! }
        let idsAscending = zip(models, models.dropFirst()).allSatisfy { $0.id < $1.id }
        let byPreference = { (a: Int, b: Int) in
            keys[a] != keys[b] ? keys[a] < keys[b] : idsAscending ? a < b : models[a].id < models[b].id
        }
        for key in bareNames.keys { bareNames[key]!.sort(by: byPreference) }
        for key in bareAliases.keys { bareAliases[key]!.sort(by: byPreference) }
        positionsByPreference = models.indices.sorted(by: byPreference)
    }

    /// A provider's place in `providerPreference`; unlisted providers come after, alphabetically.
    func rank(of provider: String) -> Int {
        ranks[provider] ?? ModelCatalog.providerPreference.count
    }
}

/// Splits a trailing snapshot marker off a model name — `-2024-08-06`, `-20250929`, `@20241022`,
/// `-09-2025`, `-0613`, `-001` — returning the undated base and the suffix, or nil.
func splitSnapshotSuffix(_ name: String) -> (base: String, suffix: String)? {
    let bytes = Array(name.utf8)
    // Longest patterns first; `d` is an ASCII digit, anything else is literal.
    for pattern in ["-dddd-dd-dd", "-dddddddd", "@dddddddd", "-dd-dddd", "-dddd", "-ddd"] {
        let shape = Array(pattern.utf8)
        guard bytes.count > shape.count else { continue }
        let tail = bytes[(bytes.count - shape.count)...]
        let matches = zip(tail, shape).allSatisfy { byte, expected in
            expected == UInt8(ascii: "d")
                ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) : byte == expected
        }
        if matches {
            let base = String(decoding: bytes[..<(bytes.count - shape.count)], as: UTF8.self)
            let suffix = String(decoding: tail, as: UTF8.self)
            return (base, suffix)
        }
    }
    return nil
}

private func sharedPrefixLength(_ a: String, _ b: String) -> Int {
    zip(a.utf8, b.utf8).prefix { $0 == $1 }.count
}

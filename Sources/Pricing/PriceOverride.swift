import Foundation

/// A user's correction to one catalog model, from configuration (`.tokenmin.yml`; parsing happens in
/// the analysis layer). Every field is optional: only what is set changes.
///
/// Overriding the input or output price removes the model's long-context tiers, because tier prices
/// in the catalog belong to the old base prices and would otherwise apply silently above their
/// threshold. An override for a name the catalog does not know adds a new model when it gives both
/// prices (a private deployment, a fine-tune); otherwise it is reported with suggestions.
public struct PriceOverride: Sendable, Equatable, Codable {
    /// The model as the user wrote it: resolved like a `model:` value (`openai/gpt-4o`, `gpt-4o`, …).
    public var model: String
    public var inputPerToken: Decimal?
    public var outputPerToken: Decimal?
    public var cacheReadPerToken: Decimal?
    public var cacheWritePerToken: Decimal?
    public var maxInputTokens: Int?
    public var maxOutputTokens: Int?
    /// Replaces the tokenizer family (e.g. `.exact(encoding: "cl100k_base")` for a model known to
    /// use it).
    public var tokenizer: TokenizerFamily?
    /// Replaces the estimate ratio (applied after `tokenizer`). On an exact family it turns the
    /// family into an estimate over the same encoding, cited as a user override.
    public var ratio: Decimal?

    public init(
        model: String, inputPerToken: Decimal? = nil, outputPerToken: Decimal? = nil,
        cacheReadPerToken: Decimal? = nil,
        cacheWritePerToken: Decimal? = nil, maxInputTokens: Int? = nil, maxOutputTokens: Int? = nil,
        tokenizer: TokenizerFamily? = nil, ratio: Decimal? = nil
    ) {
        self.model = model
        self.inputPerToken = inputPerToken
        self.outputPerToken = outputPerToken
        self.cacheReadPerToken = cacheReadPerToken
        self.cacheWritePerToken = cacheWritePerToken
        self.maxInputTokens = maxInputTokens
        self.maxOutputTokens = maxOutputTokens
        self.tokenizer = tokenizer
        self.ratio = ratio
    }

    /// Applies this override to `model`.
    public func applied(to model: CatalogModel) -> CatalogModel {
        var model = model
        if inputPerToken != nil || outputPerToken != nil { model.tiers = [] }
        if let inputPerToken { model.inputPerToken = inputPerToken }
        if let outputPerToken { model.outputPerToken = outputPerToken }
        if let cacheReadPerToken {
            model.cacheReadPerToken = cacheReadPerToken
            model.supportsPromptCaching = true
        }
        if let cacheWritePerToken { model.cacheWritePerToken = cacheWritePerToken }
        if let maxInputTokens { model.maxInputTokens = maxInputTokens }
        if let maxOutputTokens { model.maxOutputTokens = maxOutputTokens }
        if let tokenizer { model.tokenizer = tokenizer }
        if let ratio {
            switch model.tokenizer {
            case .exact(let encoding):
                model.tokenizer = .estimated(
                    TokenizerEstimate(
                        name: "override", baseEncoding: encoding, ratio: ratio,
                        citation: "ratio set in configuration"))
            case .estimated(var estimate):
                estimate.citation =
                    "ratio set in configuration (catalog: \(estimate.name), ratio \(estimate.ratio))"
                estimate.ratio = ratio
                model.tokenizer = .estimated(estimate)
            }
        }
        return model
    }
}

/// An override that could not be applied, with the closest catalog ids.
public struct OverrideProblem: Sendable, Equatable, CustomStringConvertible {
    public var model: String
    public var suggestions: [String]
    public var description: String {
        var text = "price override for unknown model '\(model)' needs both input and output prices"
        if !suggestions.isEmpty { text += "; did you mean \(suggestions.joined(separator: ", "))?" }
        return text
    }
}

extension ModelCatalog {
    /// This catalog with `overrides` applied in order. Unknown models with both prices are added
    /// (provider from a known prefix, else `custom`); other unknown models are reported.
    public func applying(_ overrides: [PriceOverride]) -> (catalog: ModelCatalog, problems: [OverrideProblem])
    {
        var models = self.models
        var problems: [OverrideProblem] = []
        var current = self
        for override in overrides {
            // An approximate match (an unknown snapshot of a known model) must not change the known model.
            if case .found(let found, let via) = current.resolve(override.model), !via.isApproximate,
                let position = models.firstIndex(where: { $0.id == found.id })
            {
                models[position] = override.applied(to: found)
            } else if let input = override.inputPerToken, let output = override.outputPerToken {
                let name = override.model.trimmingCharacters(in: .whitespaces)
                var provider = "custom"
                var id = "custom/" + name
                if let slash = name.firstIndex(of: "/"),
                    let known = current.provider(spelledAs: String(name[..<slash]))
                {
                    provider = known
                    id = known + "/" + name[name.index(after: slash)...]
                }
                let added = CatalogModel(
                    id: id, provider: provider, inputPerToken: input, outputPerToken: output,
                    tokenizer: tokenizerFamily(forModelNamed: name))
                models.append(override.applied(to: added))
            } else {
                let name = override.model.trimmingCharacters(in: .whitespaces)
                let suggestions: [String]
                switch current.resolve(name) {
                case .found(let model, _): suggestions = [model.id]
                case .unknown(let closest): suggestions = closest
                }
                problems.append(OverrideProblem(model: override.model, suggestions: suggestions))
                continue
            }
            current = ModelCatalog(source: source, asOf: asOf, asOfBasis: asOfBasis, models: models)
            models = current.models
        }
        return (current, problems)
    }

    /// This catalog with `newer`'s models added or replacing same-id models; `newer`'s source and
    /// date describe the result, since its prices are the ones a user chose to trust.
    public func merging(_ newer: ModelCatalog) -> ModelCatalog {
        ModelCatalog(
            source: newer.source + " (over " + source + ")", asOf: newer.asOf, asOfBasis: newer.asOfBasis,
            models: models + newer.models)
    }
}

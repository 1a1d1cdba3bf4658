import Foundation
import Pricing
import Tokenizer

/// The model resolver of the command line and the language server: the bundled catalog, or a user
/// catalog (`catalog:` in `.tokenmin.yml`, written by `tokenmin prices import --output`) merged over
/// it, with `prices:` overrides applied.
public func catalogModelResolver(for configuration: Configuration, bundled: ModelCatalog = .bundled) -> ModelResolver {
    var catalog = bundled
    var notes: [String] = []
    if let path = configuration.catalogPath {
        do {
            catalog = bundled.merging(try ModelCatalog.load(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            notes.append("catalog \(path) not loaded: \(error.message)")
        }
    }
    let overrides = configuration.prices.map { setting in
        PriceOverride(
            model: setting.model, inputPerToken: setting.inputPerMTok.map { $0 / 1_000_000 },
            outputPerToken: setting.outputPerMTok.map { $0 / 1_000_000 },
            cacheReadPerToken: setting.cacheReadPerMTok.map { $0 / 1_000_000 }, maxInputTokens: setting.contextWindow,
            tokenizer: setting.tokenizer.map { .exact(encoding: $0) }, ratio: setting.ratio)
    }
    if !overrides.isEmpty { catalog = catalog.applying(overrides).catalog }
    let source = "\(catalog.source), as of \(catalog.asOf)" + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")
    let resolvedCatalog = catalog
    let tokenizerFiles = configuration.tokenizerFiles
    return { name in
        guard let name else { return ModelProfile(name: nil, estimateSource: "no model named: o200k_base counts as an estimate", catalogSource: source) }
        var result: ModelProfile
        switch resolvedCatalog.resolve(name) {
        case .unknown(let suggestions):
            result = ModelProfile(name: name, estimateSource: "unknown model: o200k_base counts as an estimate", catalogSource: source,
                                  suggestions: suggestions)
        case .found(let model, let via):
            result = profile(model, name: name, catalog: resolvedCatalog, source: source)
            if case .otherProvider = via.provider { result.resolutionNote = via.description }
        }
        return applyingTokenizerFile(tokenizerFiles, to: result)
    }
}

/// A configured tokenizer file makes the model's counts exact; one that failed to load leaves the
/// estimate, saying why (the configuration also reports the error).
private func applyingTokenizerFile(_ files: [TokenizerFileSetting], to profile: ModelProfile) -> ModelProfile {
    let names = [profile.name, profile.id].compactMap { $0 }
    guard let setting = files.first(where: { setting in names.contains(where: setting.matches) }) else { return profile }
    var result = profile
    if let tokenizer = setting.tokenizer {
        result.exactTokenizer = tokenizer
        result.isExactTokenizer = true
        result.estimateRatio = 1
        result.estimateSource = nil
    } else {
        let reason = setting.loadError ?? "not loaded"
        result.estimateSource = "tokenizer file for '\(setting.model)' not loaded (\(reason)); " + (profile.estimateSource ?? "estimate")
    }
    return result
}

private func profile(_ model: CatalogModel, name: String, catalog: ModelCatalog, source: String) -> ModelProfile {
    let encoding = EncodingName(rawValue: model.tokenizer.baseEncoding) ?? .o200kBase
    // Bundled non-OpenAI tokenizers (`deepseek_v3`, `tekken`, …) count exactly; `encoding` stays
    // o200k_base for views that need an OpenAI encoding.
    let bundled = BundledTokenizer(rawValue: model.tokenizer.baseEncoding)?.tokenizer
    var estimateSource: String?
    if case .estimated(let estimate) = model.tokenizer {
        estimateSource = "\(estimate.name): \(estimate.baseEncoding) × \(estimate.ratio) — \(estimate.citation)"
    }
    var cheaper: ModelProfile.CheaperModel?
    if model.tier == .frontier, let alternative = catalog.cheapestModel(provider: model.provider, inputTokens: 1000, outputTokens: 200),
       alternative.id != model.id
    {
        cheaper = .init(id: alternative.name, inputPerToken: alternative.inputPerToken, outputPerToken: alternative.outputPerToken)
    }
    let format = model.chatFormat
    return ModelProfile(
        name: name, id: model.id, provider: model.provider, encoding: encoding, exactTokenizer: bundled,
        isExactTokenizer: model.isExact && (bundled != nil || EncodingName(rawValue: model.tokenizer.baseEncoding) != nil),
        estimateRatio: model.tokenizer.ratio, estimateSource: estimateSource, isReasoning: model.supportsReasoning,
        inputPerToken: model.inputPerToken, outputPerToken: model.outputPerToken, cacheReadPerToken: model.cacheReadPerToken,
        contextWindow: model.maxInputTokens, maxOutputTokens: model.maxOutputTokens,
        supportsPromptCaching: model.supportsPromptCaching, tokensPerMessage: format.tokensPerMessage,
        replyPrimingTokens: format.replyPrimingTokens, catalogSource: source, cheaperAlternative: cheaper)
}

import Foundation

/// A coarse price class of a model, from its output price per million tokens (output dominates the
/// cost of most calls and is where model classes differ most). Thresholds, in USD per MTok output:
/// frontier ≥ 8 (gpt-4o 10, gpt-4.1 8, gpt-5 10, Claude Sonnet 15, Gemini 2.5 Pro 10); economy ≤ 1
/// (gpt-4o-mini 0.60, gpt-4.1-nano 0.40); standard in between (o3-mini 4.40, Gemini 2.5 Flash
/// 2.50, Claude Haiku 4.5 5). A heuristic for the `model-overkill` rule, stated so it can be argued with.
public enum ModelTier: String, Sendable, Equatable, Comparable, CaseIterable {
    case economy, standard, frontier

    public static func < (lhs: ModelTier, rhs: ModelTier) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension CatalogModel {
    public var tier: ModelTier {
        let outputPerMTok = outputPerToken * 1_000_000
        if outputPerMTok >= 8 { return .frontier }
        if outputPerMTok <= 1 { return .economy }
        return .standard
    }

    /// Whether the model is a general text chat model, as opposed to a specialised variant the
    /// catalog lists under chat (audio, realtime, search, TTS, moderation and guard models, computer
    /// use, image generation) that a cheaper-model suggestion must not propose. Name-based.
    public var isGeneralPurposeChat: Bool {
        let lowered = name.lowercased()
        let special = [
            "audio", "realtime", "search", "tts", "transcribe", "guard", "moderation", "embed", "image",
            "computer-use", "deep-research", "robotics", "safeguard",
        ]
        return !special.contains(where: lowered.contains)
    }
}

extension ModelCatalog {
    /// The cheapest general-purpose model of `provider` for a call of this shape (at the prices its
    /// input size selects), whose input window (when known) holds `inputTokens` and whose output cap
    /// (when known) allows `outputTokens`. Free entries (both prices 0: previews, experiments) are
    /// skipped because their listing price is not what production traffic pays. Ties go to the id
    /// that sorts first.
    public func cheapestModel(provider: String, inputTokens: Int, outputTokens: Int) -> CatalogModel? {
        let query = CheapestModelQuery(provider: provider, inputTokens: inputTokens, outputTokens: outputTokens)
        if let known = cheapestMemo.withLock({ $0[query] }) { return known }
        let answer = scanCheapestModel(provider: provider, inputTokens: inputTokens, outputTokens: outputTokens)
        cheapestMemo.withLock { $0[query] = answer }
        return answer
    }

    private func scanCheapestModel(provider: String, inputTokens: Int, outputTokens: Int) -> CatalogModel? {
        var best: (cost: Decimal, model: CatalogModel)?
        for model in models where model.provider == provider && model.isGeneralPurposeChat {
            if model.inputPerToken.isZero && model.outputPerToken.isZero { continue }
            if let window = model.maxInputTokens, window < inputTokens { continue }
            if let cap = model.maxOutputTokens, cap < outputTokens { continue }
            let cost = model.callCost(
                inputTokens: inputTokens,
                output: ExpectedOutput(tokens: outputTokens, source: .assumedDefault)
            ).totalUSD
            if best == nil || cost < best!.cost { best = (cost, model) }
        }
        return best?.model
    }
}

/// The arguments of one `cheapestModel` call, as a memo key.
struct CheapestModelQuery: Hashable, Sendable {
    var provider: String
    var inputTokens: Int
    var outputTokens: Int
}

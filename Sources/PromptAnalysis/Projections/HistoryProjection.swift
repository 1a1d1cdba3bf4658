import Foundation

/// Per-token prices of a call (USD). Projections without prices give tokens only.
public struct TokenPrices: Sendable, Hashable {
    public var inputPerToken: Decimal
    public var outputPerToken: Decimal

    public init(inputPerToken: Decimal, outputPerToken: Decimal) {
        self.inputPerToken = inputPerToken
        self.outputPerToken = outputPerToken
    }

    /// The model's prices, when it has both.
    public init?(_ model: ModelProfile) {
        guard let input = model.inputPerToken, let output = model.outputPerToken else { return nil }
        self.init(inputPerToken: input, outputPerToken: output)
    }

    /// `input × inputPerToken + output × outputPerToken`.
    public func usd(inputTokens: Int, outputTokens: Int) -> Decimal {
        Decimal(inputTokens) * inputPerToken + Decimal(outputTokens) * outputPerToken
    }
}

/// One call projected at a size (prior turns of history, or items of a retrieval loop).
public struct ProjectedCall: Sendable, Hashable {
    /// Prior turns or loop items.
    public var count: Int
    public var inputTokens: Int
    public var usdPerCall: Decimal?

    public init(count: Int, inputTokens: Int, usdPerCall: Decimal?) {
        self.count = count
        self.inputTokens = inputTokens
        self.usdPerCall = usdPerCall
    }
}

/// A whole conversation: every call re-sends all previous turns.
public struct ConversationCost: Sendable, Hashable {
    public var turns: Int
    /// Σ over calls of input tokens: `turns × static + turnTokens × turns × (turns − 1) / 2`.
    public var inputTokens: Int
    public var outputTokens: Int
    public var usd: Decimal?
}

/// What grows with `{{history}}`: the static input of one call (everything but the history; include
/// tool definitions), the average size of one prior turn (a user message and the model's reply, chat
/// framing included; configuration `historyTurnTokens`, default 150), and the expected output.
public struct HistoryGrowth: Sendable, Hashable {
    public var staticInputTokens: Int
    public var turnTokens: Int
    public var outputTokens: Int
    public var prices: TokenPrices?

    public init(staticInputTokens: Int, turnTokens: Int, outputTokens: Int, prices: TokenPrices?) {
        self.staticInputTokens = staticInputTokens
        self.turnTokens = turnTokens
        self.outputTokens = outputTokens
        self.prices = prices
    }

    /// One call after `priorTurns` turns: `static + priorTurns × turnTokens` input tokens.
    public func call(afterPriorTurns priorTurns: Int) -> ProjectedCall {
        let turns = max(priorTurns, 0)
        let input = staticInputTokens + turns * turnTokens
        return ProjectedCall(
            count: turns, inputTokens: input,
            usdPerCall: prices?.usd(inputTokens: input, outputTokens: outputTokens))
    }

    /// Calls after each of `priorTurns` (default 5, 20 and 50).
    public func calls(afterPriorTurns priorTurns: [Int] = historyProjectionTurns) -> [ProjectedCall] {
        priorTurns.map(call(afterPriorTurns:))
    }

    /// A conversation of `turns` calls, the k-th (from 0) carrying k prior turns: input grows linearly
    /// per call, so the conversation's total grows with the square of its length.
    public func conversation(turns: Int) -> ConversationCost {
        let calls = max(turns, 0)
        let input = calls * staticInputTokens + turnTokens * (calls * (calls - 1) / 2)
        let output = calls * outputTokens
        return ConversationCost(
            turns: calls, inputTokens: input, outputTokens: output,
            usd: prices?.usd(inputTokens: input, outputTokens: output))
    }
}

/// The prior-turn counts hovers and hints show.
public let historyProjectionTurns = [5, 20, 50]
/// The conversation length whose cumulative cost hovers show.
public let defaultConversationTurns = 20

/// The history growth of an analysed prompt, or nil when it has no `{{history}}`. `extraInputTokens`
/// is added to the static input (pass `toolDefinitionsCount(for:).totalTokens`). Turn size comes from
/// `configuration.historyTurnTokens`.
public func historyGrowth(for analysis: DocumentAnalysis, extraInputTokens: Int = 0) -> HistoryGrowth? {
    guard analysis.messages.contains(where: \.message.isHistory) else { return nil }
    return HistoryGrowth(
        staticInputTokens: analysis.cost.inputTokens + extraInputTokens,
        turnTokens: analysis.configuration.historyTurnTokens,
        outputTokens: analysis.cost.outputTokens, prices: TokenPrices(analysis.model))
}

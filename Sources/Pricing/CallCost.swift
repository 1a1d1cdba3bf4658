import Foundation

/// How many output tokens a call is expected to produce, and where that number came from, so that
/// every display can say "at most" (a cap) or "assumed" (the configured default).
public struct ExpectedOutput: Sendable, Equatable, Codable {
    public enum Source: String, Sendable, Equatable, Codable {
        /// The prompt's own output cap (`config.maxOutputTokens` / `max_tokens`): a worst case.
        case cap
        /// No cap in the prompt: the configured default (or `ExpectedOutput.fallbackTokens`).
        case assumedDefault = "default"
    }

    public var tokens: Int
    public var source: Source

    public init(tokens: Int, source: Source) {
        self.tokens = max(0, tokens)
        self.source = source
    }

    /// The expected output when configuration sets no default: 500 tokens, a few paragraphs. It is
    /// deliberately round so that readers recognise it as an assumption.
    public static let fallbackTokens = 500

    /// The prompt's cap when it has one, otherwise the default.
    public static func from(cap: Int?, default defaultTokens: Int = fallbackTokens) -> ExpectedOutput {
        if let cap { return ExpectedOutput(tokens: cap, source: .cap) }
        return ExpectedOutput(tokens: defaultTokens, source: .assumedDefault)
    }
}

/// The per-token prices that apply to one request (the base prices, or a long-context tier's).
public struct PriceSheet: Sendable, Equatable {
    public var inputPerToken: Decimal
    public var outputPerToken: Decimal
    public var cacheReadPerToken: Decimal?
    public var cacheWritePerToken: Decimal?
    /// The tier threshold that selected these prices, or nil for the base prices.
    public var aboveInputTokens: Int?
}

/// The cost of one call, in USD, unrounded (format with `USDFormat`).
public struct CallCost: Sendable, Equatable {
    public var modelID: String
    public var inputTokens: Int
    public var output: ExpectedOutput
    /// The prices used (a long-context tier when the input exceeds its threshold).
    public var prices: PriceSheet
    public var inputUSD: Decimal
    public var outputUSD: Decimal
    /// Tokens of the static prefix assumed to be read from the prompt cache (0 when not asked for,
    /// or when the model has no cache-read price).
    public var cachedPrefixTokens: Int
    /// The call's cost when the cached prefix is read from the cache at the cache-read price: the
    /// steady state once the cache is warm. Nil when no prefix was given or the model has no cache.
    /// The one-off cache write (Anthropic bills it at a premium) is not included.
    public var cachedTotalUSD: Decimal?

    public var totalUSD: Decimal { inputUSD + outputUSD }

    /// The cost of `callsPerMonth` calls.
    public func monthlyUSD(callsPerMonth: Decimal) -> Decimal { totalUSD * callsPerMonth }

    /// The cost of `callsPerMonth` calls with a warm prefix cache, when caching applies.
    public func cachedMonthlyUSD(callsPerMonth: Decimal) -> Decimal? {
        cachedTotalUSD.map { $0 * callsPerMonth }
    }
}

extension CatalogModel {
    /// The prices for a request with this many input tokens: the highest tier whose threshold the
    /// input exceeds, else the base prices. A tier without a cache price falls back to the base one.
    public func prices(forInputTokens inputTokens: Int) -> PriceSheet {
        let base = PriceSheet(
            inputPerToken: inputPerToken, outputPerToken: outputPerToken,
            cacheReadPerToken: cacheReadPerToken,
            cacheWritePerToken: cacheWritePerToken, aboveInputTokens: nil)
        guard let tier = tiers.last(where: { inputTokens > $0.aboveInputTokens }) else { return base }
        return PriceSheet(
            inputPerToken: tier.inputPerToken, outputPerToken: tier.outputPerToken,
            cacheReadPerToken: tier.cacheReadPerToken ?? cacheReadPerToken,
            cacheWritePerToken: tier.cacheWritePerToken ?? cacheWritePerToken,
            aboveInputTokens: tier.aboveInputTokens)
    }

    /// Cost per call = input tokens × input price + expected output tokens × output price, at the
    /// prices for this input size. With `cachedPrefixTokens`, also the cost when that many leading
    /// input tokens are read from the prompt cache (clamped to the input size).
    public func callCost(inputTokens: Int, output: ExpectedOutput, cachedPrefixTokens: Int = 0) -> CallCost {
        let input = max(0, inputTokens)
        let prices = prices(forInputTokens: input)
        let inputUSD = Decimal(input) * prices.inputPerToken
        let outputUSD = Decimal(output.tokens) * prices.outputPerToken
        var cached = 0
        var cachedTotal: Decimal?
        if cachedPrefixTokens > 0, let cacheRead = prices.cacheReadPerToken {
            cached = min(cachedPrefixTokens, input)
            cachedTotal =
                Decimal(input - cached) * prices.inputPerToken + Decimal(cached) * cacheRead + outputUSD
        }
        return CallCost(
            modelID: id, inputTokens: input, output: output, prices: prices, inputUSD: inputUSD,
            outputUSD: outputUSD,
            cachedPrefixTokens: cached, cachedTotalUSD: cachedTotal)
    }
}

/// The tokens a chat request adds around message contents, so that a message list's count matches
/// what the API bills.
///
/// OpenAI (exact): OpenAI Cookbook, "How to count tokens with tiktoken"
/// (examples/How_to_count_tokens_with_tiktoken.ipynb, `num_tokens_from_messages`): for
/// gpt-3.5-turbo-0613 and later, gpt-4, gpt-4o and newer chat models every message costs 3 tokens
/// (`<|start|>{role}<|message|>…<|end|>` framing) plus the tokens of its role, content and name, a
/// `name` costs 1 more, and every reply is primed with 3 tokens (`<|start|>assistant<|message|>`).
///
/// Other providers do not publish their framing. `assumedOpenAILike` uses the same constants and is
/// marked as an assumption; the difference is a few tokens per message, small next to the estimate
/// ratio's uncertainty.
public struct ChatFormat: Sendable, Equatable {
    public var tokensPerMessage: Int
    public var tokensPerName: Int
    public var replyPrimingTokens: Int
    /// Whether the constants are documented for the model (true for OpenAI chat models).
    public var isExact: Bool
    /// Where the constants come from.
    public var note: String

    public init(
        tokensPerMessage: Int, tokensPerName: Int, replyPrimingTokens: Int, isExact: Bool, note: String
    ) {
        self.tokensPerMessage = tokensPerMessage
        self.tokensPerName = tokensPerName
        self.replyPrimingTokens = replyPrimingTokens
        self.isExact = isExact
        self.note = note
    }

    public static let openAI = ChatFormat(
        tokensPerMessage: 3, tokensPerName: 1, replyPrimingTokens: 3, isExact: true,
        note: "OpenAI Cookbook, How to count tokens with tiktoken: 3 per message, 1 per name, 3 reply priming"
    )

    public static let assumedOpenAILike = ChatFormat(
        tokensPerMessage: 3, tokensPerName: 1, replyPrimingTokens: 3, isExact: false,
        note: "framing not published by the provider; OpenAI's constants assumed")

    /// The request's input tokens: each message's framing, role, content and name, plus reply priming.
    public func inputTokens(messages: [ChatMessageTokens]) -> Int {
        messages.reduce(replyPrimingTokens) { total, message in
            total + tokensPerMessage + message.roleTokens + message.contentTokens
                + (message.nameTokens.map { $0 + tokensPerName } ?? 0)
        }
    }
}

/// One message's token counts in the model's (base) encoding, as the tokenizer layer computes them.
public struct ChatMessageTokens: Sendable, Equatable {
    /// Tokens of the role string (`system`, `user`, `assistant` are 1 token each in o200k_base).
    public var roleTokens: Int
    public var contentTokens: Int
    /// Tokens of the optional `name` field.
    public var nameTokens: Int?

    public init(roleTokens: Int, contentTokens: Int, nameTokens: Int? = nil) {
        self.roleTokens = roleTokens
        self.contentTokens = contentTokens
        self.nameTokens = nameTokens
    }
}

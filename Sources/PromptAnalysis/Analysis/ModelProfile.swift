import Foundation
import Tokenizer

/// What the analysis needs to know about a prompt's model: how to count its tokens (exactly, or as a
/// labelled estimate), its prices and limits. Built from the price catalog by a `ModelResolver`.
public struct ModelProfile: Sendable, Hashable {
    /// The model as written (`openai/gpt-4o`), or nil when neither the file nor configuration names one.
    public var name: String?
    /// The catalog id it resolved to; nil when unknown.
    public var id: String?
    public var provider: String?
    public var encoding: EncodingName
    /// The model's own tokenizer when it is not an OpenAI encoding: bundled (DeepSeek, Mistral
    /// Tekken) or a file named in `.tokenmin.yml` (`tokenizers:`). Counts then use it, exactly, and
    /// `encoding` is only the fallback for views that need an OpenAI encoding.
    public var exactTokenizer: GenericTokenizer?
    /// The encoding is the model's own (tiktoken-identical counts); otherwise counts are estimates.
    public var isExactTokenizer: Bool
    /// Estimated tokens = encoding tokens × ratio (1 for exact tokenizers).
    public var estimateRatio: Decimal
    /// Where the ratio comes from (shown in hovers).
    public var estimateSource: String?
    public var isReasoning: Bool
    public var inputPerToken: Decimal?
    public var outputPerToken: Decimal?
    public var cacheReadPerToken: Decimal?
    public var contextWindow: Int?
    public var maxOutputTokens: Int?
    public var supportsPromptCaching: Bool
    /// Chat framing tokens per message and for reply priming (OpenAI cookbook: 3 and 3).
    public var tokensPerMessage: Int
    public var replyPrimingTokens: Int
    /// Catalog source and date (shown in hovers), e.g. "LiteLLM 1.106.2, 2026-…".
    public var catalogSource: String?
    /// For an unknown model: the closest known ids.
    public var suggestions: [String]
    /// How the name was priced when it is not the catalog entry itself, e.g. "no 'googleai/' entry;
    /// priced with the vertexai entry" (shown by `unknown-model` as info).
    public var resolutionNote: String?
    /// The cheapest model of the same provider for bounded tasks (for `model-overkill`), with its id
    /// and per-token prices.
    public var cheaperAlternative: CheaperModel?

    public struct CheaperModel: Sendable, Hashable {
        public var id: String
        public var inputPerToken: Decimal
        public var outputPerToken: Decimal

        public init(id: String, inputPerToken: Decimal, outputPerToken: Decimal) {
            self.id = id
            self.inputPerToken = inputPerToken
            self.outputPerToken = outputPerToken
        }
    }

    public init(
        name: String?, id: String? = nil, provider: String? = nil, encoding: EncodingName = .o200kBase,
        exactTokenizer: GenericTokenizer? = nil, isExactTokenizer: Bool = false, estimateRatio: Decimal = 1, estimateSource: String? = nil,
        isReasoning: Bool = false, inputPerToken: Decimal? = nil, outputPerToken: Decimal? = nil,
        cacheReadPerToken: Decimal? = nil, contextWindow: Int? = nil, maxOutputTokens: Int? = nil,
        supportsPromptCaching: Bool = false, tokensPerMessage: Int = 3, replyPrimingTokens: Int = 3,
        catalogSource: String? = nil, suggestions: [String] = [], cheaperAlternative: CheaperModel? = nil
    ) {
        self.name = name
        self.id = id
        self.provider = provider
        self.encoding = encoding
        self.exactTokenizer = exactTokenizer
        self.isExactTokenizer = isExactTokenizer
        self.estimateRatio = estimateRatio
        self.estimateSource = estimateSource
        self.isReasoning = isReasoning
        self.inputPerToken = inputPerToken
        self.outputPerToken = outputPerToken
        self.cacheReadPerToken = cacheReadPerToken
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.supportsPromptCaching = supportsPromptCaching
        self.tokensPerMessage = tokensPerMessage
        self.replyPrimingTokens = replyPrimingTokens
        self.catalogSource = catalogSource
        self.suggestions = suggestions
        self.cheaperAlternative = cheaperAlternative
    }

    /// The name of what counts this model's tokens: `o200k_base`, `deepseek_v3`, or a file name.
    public var encodingLabel: String { exactTokenizer?.name ?? encoding.rawValue }

    /// Whether the model was found in the catalog.
    public var isKnown: Bool { id != nil }

    /// What the model produces when it is not text (image, video, speech, embedding models), judged by
    /// its name: such models are not billed per output token and take no `maxOutputTokens`.
    public var nonTextKind: String? { name.flatMap(nonTextModelKind) }

    /// Tokens as billed: exact counts pass through; estimates scale by the ratio, rounded up.
    public func billed(_ encodingTokens: Int) -> Int {
        guard !isExactTokenizer, estimateRatio != 1 else { return encodingTokens }
        var scaled = Decimal(encodingTokens) * estimateRatio
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .up)
        return NSDecimalNumber(decimal: rounded).intValue
    }
}

/// Resolves a model name (as written, or nil for none) to a profile. The command line and the
/// language server build one from the price catalog and configuration overrides.
public typealias ModelResolver = @Sendable (_ name: String?) -> ModelProfile

/// A resolver without a catalog: every model is counted with `o200k_base` as an estimate and has no
/// price. Used when no catalog is available, and in tests of the wording rules.
public let uncataloguedModelResolver: ModelResolver = { name in
    ModelProfile(name: name, estimateSource: "no price catalog: o200k_base counts as an estimate")
}

/// The kind of a model that does not generate text, from its name (`vertexai/imagen3-fast` → "image",
/// `googleai/text-embedding-004` → "embedding"), or nil for text models.
public func nonTextModelKind(_ name: String) -> String? {
    let model = name.split(separator: "/").last.map { $0.lowercased() } ?? name.lowercased()
    let kinds: [(String, [String])] = [
        ("image", ["imagen", "dall-e", "gpt-image", "stable-diffusion", "sdxl", "flux"]),
        ("video", ["veo", "sora"]),
        ("speech", ["tts", "whisper", "transcribe", "lyria", "chirp"]),
        ("embedding", ["embed", "embedding"]),
        ("moderation", ["moderation"]),
    ]
    for (kind, markers) in kinds where markers.contains(where: { model.hasPrefix($0) || model.contains("-\($0)") || model.contains("\($0)-") }) {
        return kind
    }
    return nil
}

import Foundation

// Which encoding counts a model's tokens.
//
// Exact: OpenAI models, decided by the same prefix table as tiktoken 0.14.0
// (`tiktoken/model.py`, MODEL_PREFIX_TO_ENCODING): o1/o3/o4-mini, gpt-4o, gpt-4.1, gpt-4.5, gpt-5*,
// chatgpt-4o, gpt-oss → o200k_base; gpt-4, gpt-3.5-turbo, gpt-35-turbo (Azure) → cl100k_base. The
// tokenizer belongs to the model, not the host, so `azure/gpt-4o` and Bedrock's `openai.gpt-oss-…`
// are exact too. (gpt-oss uses o200k_harmony, which is o200k_base plus special tokens: identical for
// text.)
//
// Exact, non-OpenAI: DeepSeek V3/V3.x/R1 → deepseek_v3, DeepSeek V4 → deepseek_v4, Tekken-era
// Mistral models → tekken (tokenizers bundled in the Tokenizer module; `BundledTokenizer`). Any other
// model becomes exact when `.tokenmin.yml` names its tokenizer file (`tokenizers:`).
//
// Estimated: every other family is counted with a base encoding and multiplied by a ratio taken from
// published measurements, cited below. Method: where a source compares a family with an OpenAI
// encoding on the same text, the ratio is that measurement (English prose figure, since prompts are
// mostly instructions in prose). Where a source only gives characters per token, the ratio is
// o200k_base's characters per token on English prompt text — measured by us with tiktoken 0.14.0 at
// 3.96–4.05 on /work/shared/dotprompt-samples and this project's docs — divided by the source's
// figure. Where nothing is published, the ratio is 1 and the citation says it is a guess. Users can
// override the family or the ratio per model (`PriceOverride`).

extension TokenizerEstimate {
    /// Claude 3 through Claude 4.6.
    public static let claude = TokenizerEstimate(
        name: "claude", baseEncoding: "o200k_base", ratio: Decimal(string: "1.16")!,
        citation: """
            L. Gupta, "Hidden costs in AI deployment: Why Claude models may be 20-30% more expensive than GPT \
            in enterprise settings", VentureBeat, 2025-05-01: on identical inputs Claude 3.5 Sonnet counted 16% \
            more tokens than GPT-4o (o200k_base) for English articles, 21% for math, 30% for Python code. 1.16 \
            is the English figure; code-heavy prompts count higher.
            """)

    /// Claude Opus 4.7 and later releases, which use Anthropic's newer tokenizer.
    public static let claudeNewTokenizer = TokenizerEstimate(
        name: "claude-4.7+", baseEncoding: "o200k_base", ratio: Decimal(string: "1.57")!,
        citation: """
            Anthropic's Claude Opus 4.7 release notes: the new tokenizer uses roughly 1.0-1.35x the tokens of \
            earlier Claude models; 1.16 (Claude 3.5 Sonnet vs o200k_base, VentureBeat 2025-05-01) x 1.35 = 1.57. \
            Independent count_tokens measurements of English prose: 1.45x (sol.ava.dev, 2026-04-17) and 1.20x \
            (claudecodecamp.com). Anthropic documents the change for Opus 4.7; applying it to later or \
            unversioned Claude models is our assumption.
            """)

    /// Gemini and Gemma (Gemma uses a subset of Gemini's SentencePiece vocabulary).
    public static let gemini = TokenizerEstimate(
        name: "gemini", baseEncoding: "o200k_base", ratio: 1,
        citation: """
            Google, "Understand and count tokens" (ai.google.dev/gemini-api/docs/tokens): a Gemini token is about \
            4 characters. o200k_base measures 3.96-4.05 characters per token on English prompt text (tiktoken \
            0.14.0, tokenmin's measurement), so the ratio is 1.0. Unsure: third-party counters report Gemini \
            5-10% above o200k_base for English.
            """)

    /// Llama 3.x (a tiktoken-based 128K vocabulary containing cl100k_base's 100K tokens).
    public static let llama3 = TokenizerEstimate(
        name: "llama-3", baseEncoding: "cl100k_base", ratio: 1,
        citation: """
            Meta, "The Llama 3 Herd of Models" (arXiv:2407.21783), section 3.1: the 128K vocabulary combines 100K \
            tokens from tiktoken (cl100k_base) with 28K extra tokens for non-English text, and compresses English \
            at 3.94 characters per token. English counts therefore match cl100k_base closely; non-English text \
            counts somewhat lower than estimated.
            """)

    /// Llama 2 and earlier (SentencePiece, 32K vocabulary).
    public static let llama2 = TokenizerEstimate(
        name: "llama-2", baseEncoding: "cl100k_base", ratio: Decimal(string: "1.24")!,
        citation: """
            Meta, "The Llama 3 Herd of Models" (arXiv:2407.21783), section 3.1: the Llama 2 tokenizer compresses \
            English at 3.17 characters per token against 3.94 for Llama 3 (about cl100k_base); 3.94 / 3.17 = 1.24.
            """)

    /// Llama 4 (a new vocabulary of about 200K tokens).
    public static let llama4 = TokenizerEstimate(
        name: "llama-4", baseEncoding: "o200k_base", ratio: 1,
        citation: """
            Llama 4 ships a new vocabulary of about 200K tokens (Meta model card). No published comparison with \
            OpenAI encodings was found: parity with o200k_base is assumed (unsure).
            """)

    /// Mistral models (Tekken tokenizer since Mistral NeMo).
    public static let mistral = TokenizerEstimate(
        name: "mistral", baseEncoding: "cl100k_base", ratio: 1,
        citation: """
            Mistral AI, "Mistral NeMo" (2024-07-18): the Tekken tokenizer (tiktoken-based, about 131K tokens) \
            compresses text about 30% better than the SentencePiece tokenizer of earlier Mistral models for code \
            and several languages. No direct comparison with OpenAI encodings is published: parity with \
            cl100k_base is assumed (unsure); older Mistral 7B and Mixtral models count higher.
            """)

    /// DeepSeek models.
    public static let deepSeek = TokenizerEstimate(
        name: "deepseek", baseEncoding: "o200k_base", ratio: Decimal(string: "1.2")!,
        citation: """
            DeepSeek API docs, "Token & Token Usage": 1 English character is about 0.3 tokens (3.33 characters \
            per token), against about 4.0 for o200k_base on English prompt text: 4.0 / 3.33 = 1.2. The source is \
            a rule of thumb, not a measurement.
            """)

    /// OpenAI model names that tiktoken does not map to an encoding.
    public static let openAIUnmapped = TokenizerEstimate(
        name: "openai-unmapped", baseEncoding: "o200k_base", ratio: 1,
        citation: """
            An OpenAI model that tiktoken 0.14.0 maps to no encoding; o200k_base, used by every OpenAI chat model \
            since GPT-4o, is assumed with ratio 1.
            """)

    /// Every other family.
    public static let unknown = TokenizerEstimate(
        name: "unknown", baseEncoding: "o200k_base", ratio: 1,
        citation: """
            No published tokenizer measurement for this model family: o200k_base parity is assumed. Set the \
            tokenizer or ratio for this model in .tokenmin.yml when you know better.
            """)

    /// All estimates used by `tokenizerFamily(forModelNamed:)`.
    public static let all: [TokenizerEstimate] = [
        .claude, .claudeNewTokenizer, .gemini, .llama3, .llama2, .llama4, .mistral, .deepSeek,
        .openAIUnmapped, .unknown,
    ]
}

/// The tokenizer family of a model, from its name as LiteLLM or a provider spells it
/// (`gpt-4o`, `eu/gpt-4.1-mini`, `us.anthropic.claude-3-5-haiku-20241022-v1:0`,
/// `accounts/fireworks/models/llama-v3p1-8b-instruct`).
public func tokenizerFamily(forModelNamed name: String) -> TokenizerFamily {
    let lowered = name.lowercased()
    let stem = openAIStem(lowered)
    if let encoding = openAIEncoding(stem) { return .exact(encoding: encoding) }
    if lowered.contains("claude") {
        return .estimated(usesNewClaudeTokenizer(lowered) ? .claudeNewTokenizer : .claude)
    }
    if lowered.contains("gemini") || lowered.contains("gemma") { return .estimated(.gemini) }
    if let llama = llamaVersion(lowered) {
        return .estimated(llama >= 4 ? .llama4 : llama == 3 ? .llama3 : .llama2)
    }
    let mistralNames = ["mistral", "mixtral", "codestral", "ministral", "magistral", "devstral", "pixtral"]
    if mistralNames.contains(where: lowered.contains) {
        return usesTekken(lowered) ? .exact(encoding: "tekken") : .estimated(.mistral)
    }
    if lowered.contains("deepseek") {
        return deepSeekEncoding(lowered).map { .exact(encoding: $0) } ?? .estimated(.deepSeek)
    }
    if stem.hasPrefix("gpt-") || stem.hasPrefix("chatgpt-") { return .estimated(.openAIUnmapped) }
    return .estimated(.unknown)
}

/// The words of a model name (runs of letters and digits): `deepseek.r1-v1:0` → deepseek, r1, v1, 0.
private func nameWords(_ name: String) -> [Substring] {
    name.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
}

/// DeepSeek's bundled tokenizers: V3, V3.1, V3.2 and R1 (and the `deepseek-chat` /
/// `deepseek-reasoner` API names, served by those models) use DeepSeek V3's tokenizer.json; V4 uses
/// the same vocabulary with more special tokens. R1 distills are Llama or Qwen models, and older
/// DeepSeek models (Coder, V2, LLM) have other vocabularies: those stay estimates.
private func deepSeekEncoding(_ name: String) -> String? {
    if name.contains("distill") { return nil }
    let words = nameWords(name)
    for (index, word) in words.enumerated() where word == "deepseek" && index + 1 < words.count {
        let next = words[index + 1]
        if next.hasPrefix("v4") { return "deepseek_v4" }
        if next.hasPrefix("v3") || next == "r1" || next == "chat" || next == "reasoner" { return "deepseek_v3" }
    }
    return nil
}

/// Mistral models with the Tekken tokenizer (mistral-common's `tekken_240911.json`, the vocabulary
/// every Tekken version shares; versions differ in control tokens only): NeMo, Pixtral 12B,
/// Ministral, Small 3 and later (dated 2501 on, `latest`, or version 3), Magistral and Devstral.
/// Earlier models (Mistral 7B, Mixtral, Large, Codestral 22B, Small 2402/2409) use SentencePiece
/// vocabularies and stay estimates.
private func usesTekken(_ name: String) -> Bool {
    let words = nameWords(name)
    if words.contains(where: { $0 == "nemo" || $0.hasPrefix("ministral") || $0 == "magistral" || $0 == "devstral" }) {
        return true
    }
    if let pixtral = words.firstIndex(of: "pixtral") {
        return pixtral + 1 < words.count && words[pixtral + 1].hasPrefix("12b")
    }
    if let small = words.firstIndex(of: "small"), small > 0, words[small - 1] == "mistral" {
        let rest = words[(small + 1)...]
        if rest.isEmpty { return false }
        if rest.contains("latest") || rest.first == "3" { return true }
        if let date = rest.first(where: { $0.count == 4 && $0.allSatisfy(\.isNumber) }), let value = Int(date) {
            return value >= 2501
        }
    }
    return false
}

/// The OpenAI model name inside a hosted name: the last path segment, after a Bedrock-style
/// `openai.` vendor marker, without a fine-tune `ft:` prefix.
private func openAIStem(_ name: String) -> String {
    var stem = Substring(name.split(separator: "/").last ?? Substring(name))
    if let vendor = stem.range(of: "openai.") { stem = stem[vendor.upperBound...] }
    if stem.hasPrefix("ft:") { stem = stem.dropFirst(3) }
    return String(stem)
}

/// tiktoken 0.14.0's model → encoding decision for chat models.
private func openAIEncoding(_ stem: String) -> String? {
    func named(_ base: String) -> Bool { stem == base || stem.hasPrefix(base + "-") }
    let o200k = ["gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "o1", "o3", "o4-mini", "gpt-oss"]
    if stem.hasPrefix("gpt-5") || o200k.contains(where: named) { return "o200k_base" }
    if ["gpt-4", "gpt-3.5-turbo", "gpt-35-turbo", "gpt-3.5"].contains(where: named) { return "cl100k_base" }
    return nil
}

/// Opus 4.7 and later use Anthropic's newer tokenizer: Claude major version 5 or more, or 4.7 and up.
/// Names without a version (`claude-mythos-preview`) are recent names, so they get the newer ratio,
/// which also errs on the side of a higher cost.
private func usesNewClaudeTokenizer(_ name: String) -> Bool {
    guard let claude = name.range(of: "claude") else { return true }
    let numbers = name[claude.upperBound...].split(whereSeparator: { !$0.isNumber }).map(String.init)
    guard let majorText = numbers.first, let major = Int(majorText), majorText.count <= 2 else { return true }
    // The next number is a minor version only when it is short (dates and `v1` markers are not).
    let minor = numbers.count > 1 && numbers[1].count <= 2 ? Int(numbers[1]) ?? 0 : 0
    return major >= 5 || (major == 4 && minor >= 7)
}

/// The Llama generation in names like `llama-3.3-70b`, `llama3-8b`, `llama-v3p1`, `llama-4-scout`,
/// `meta.llama3-2-3b`, `llama-2-70b-chat`, `codellama` (Llama 2 based); nil when not a Llama.
private func llamaVersion(_ name: String) -> Int? {
    guard let llama = name.range(of: "llama") else { return nil }
    let rest = name[llama.upperBound...].drop { $0 == "-" || $0 == "_" || $0 == "v" || $0 == " " }
    if let digit = rest.first, let version = digit.wholeNumberValue { return version }
    return name.contains("codellama") ? 2 : 3
}

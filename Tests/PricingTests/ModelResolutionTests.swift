import Foundation
import XCTest

@testable import Pricing

/// `resolve(_:)` on `model:` values as real files write them, against the bundled catalog.
final class ModelResolutionTests: XCTestCase {
    typealias Path = ResolutionPath

    func check(
        _ query: String, _ expectedID: String, _ provider: Path.Provider, _ name: Path.Name = .exact,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard case .found(let model, let via) = ModelCatalog.bundled.resolve(query) else {
            return XCTFail("'\(query)' did not resolve", file: file, line: line)
        }
        XCTAssertEqual(model.id, expectedID, "'\(query)'", file: file, line: line)
        XCTAssertEqual(via.provider, provider, "'\(query)' provider", file: file, line: line)
        XCTAssertEqual(via.name, name, "'\(query)' name", file: file, line: line)
    }

    func testResolutionTable() {
        check("openai/gpt-4o", "openai/gpt-4o", .canonicalID)
        check("gpt-4o", "openai/gpt-4o", .inferred(among: ["openai", "azure"]))
        check("  GPT-4o ", "openai/gpt-4o", .inferred(among: ["openai", "azure"]))
        check("openai/gpt-4o-2024-08-06", "openai/gpt-4o", .prefix("openai"), .alias)
        check("gpt-4o-2024-08-06", "openai/gpt-4o", .inferred(among: ["openai", "azure"]), .alias)
        // A snapshot with its own prices stays its own model.
        check("gpt-4o-2024-05-13", "openai/gpt-4o-2024-05-13", .inferred(among: ["openai", "azure"]))
        check("azure/gpt-4o", "azure/gpt-4o", .canonicalID)
        check("googleai/gemini-2.5-flash", "googleai/gemini-2.5-flash", .canonicalID)
        check("gemini/gemini-2.5-flash", "googleai/gemini-2.5-flash", .prefix("gemini"))
        check("google/gemini-2.5-flash", "googleai/gemini-2.5-flash", .prefix("google"))
        check("vertexai/gemini-2.5-flash", "vertexai/gemini-2.5-flash", .canonicalID)
        check("vertex_ai/gemini-2.5-flash", "vertexai/gemini-2.5-flash", .prefix("vertex_ai"))
        check("gemini-2.5-flash", "googleai/gemini-2.5-flash", .inferred(among: ["googleai", "vertexai"]))
        // A model the catalog lists only under another provider is priced with that entry, and says so.
        check("googleai/gemini-2.0-flash", "vertexai/gemini-2.0-flash", .otherProvider(requested: "googleai", used: "vertexai"))
        XCTAssertTrue(ModelCatalog.bundled.resolve("googleai/gemini-2.0-flash").isApproximateMatch)
        check("anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5", .canonicalID)
        check(
            "anthropic/claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4-5", .prefix("anthropic"),
            .alias)
        check("vertexai/claude-sonnet-4-5", "vertexai/claude-sonnet-4-5", .canonicalID)
        check(
            "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0",
            "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0",
            .canonicalID)
        check(
            "anthropic.claude-3-5-haiku-20241022-v1:0", "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0",
            .inferred(among: ["bedrock"]))
        check(
            "bedrock_converse/meta.llama3-3-70b-instruct-v1:0", "bedrock/meta.llama3-3-70b-instruct-v1:0",
            .prefix("bedrock_converse"))
        check("mistral/mistral-large-latest", "mistral/mistral-large-latest", .canonicalID)
        check("mistral/mistral-large", "mistral/mistral-large-latest", .prefix("mistral"), .latestSpelling)
        check("deepseek/deepseek-chat", "deepseek/deepseek-chat", .canonicalID)
        // An unknown snapshot of a known model resolves approximately, and says so.
        check(
            "gpt-4o-2099-01-01", "openai/gpt-4o", .inferred(among: ["openai", "azure"]),
            .snapshotDropped(suffix: "-2099-01-01"))
        XCTAssertTrue(ModelCatalog.bundled.resolve("openai/gpt-4o-2099-01-01").isApproximateMatch)
        XCTAssertFalse(ModelCatalog.bundled.resolve("openai/gpt-4o").isApproximateMatch)
    }

    func checkSuggestions(
        _ query: String, _ expected: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        guard case .unknown(let suggestions) = ModelCatalog.bundled.resolve(query) else {
            return XCTFail("'\(query)' unexpectedly resolved", file: file, line: line)
        }
        XCTAssertEqual(suggestions, expected, "'\(query)'", file: file, line: line)
    }

    func testUnknownModelsGetClosestIds() {
        checkSuggestions("", [])
        checkSuggestions(
            "claude-sonet-4-5",
            ["anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-6", "anthropic/claude-sonnet-5-5"])
        checkSuggestions(
            "openai/gpt-4o-mni", ["openai/gpt-4o-mini", "openai/gpt-4.1-mini", "openai/gpt-5-mini"])
        checkSuggestions(
            "gemini-2.5-flsh",
            ["googleai/gemini-2.5-flash", "vertexai/gemini-2.0-flash", "googleai/gemini-3.5-flash"])
        // A truncated name finds its completions (prefix similarity), within the named provider.
        checkSuggestions(
            "anthropic/claude-opus",
            ["anthropic/claude-opus-5", "anthropic/claude-opus-4-5", "anthropic/claude-opus-4-6"])
        checkSuggestions("zzqx-unheard-of-model-9000", [])
    }

    func testSnapshotSuffixes() {
        let table: [(String, String?, String?)] = [
            ("gpt-4o-2024-08-06", "gpt-4o", "-2024-08-06"),
            ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5", "-20250929"),
            ("claude-haiku-4-5@20251001", "claude-haiku-4-5", "@20251001"),
            ("gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash-preview", "-09-2025"),
            ("gpt-4-0613", "gpt-4", "-0613"),
            ("gemini-1.5-pro-002", "gemini-1.5-pro", "-002"),
            ("gpt-4o", nil, nil),
            ("o3-mini", nil, nil),
            ("-2024", nil, nil),
        ]
        for (name, base, suffix) in table {
            let split = splitSnapshotSuffix(name)
            XCTAssertEqual(split?.base, base, name)
            XCTAssertEqual(split?.suffix, suffix, name)
        }
    }

    func checkFamily(_ name: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        let family = tokenizerFamily(forModelNamed: name)
        let label = family.isExact ? family.baseEncoding : "≈" + (family.estimateName ?? "")
        XCTAssertEqual(label, expected, name, file: file, line: line)
    }

    func testTokenizerFamilies() {
        // OpenAI: tiktoken 0.14.0's prefix table, wherever the model is hosted.
        for name in [
            "gpt-4o", "gpt-4o-mini-2024-07-18", "gpt-4.1-nano", "gpt-4.5-preview", "gpt-5", "gpt-5.6-terra",
            "o1",
            "o1-preview", "o3-mini", "o4-mini-deep-research", "chatgpt-4o-latest", "gpt-oss-120b",
            "global.openai.gpt-5.6-terra", "ft:gpt-4o-2024-08-06:org::abc", "eu/gpt-4.1-mini",
            "openai/gpt-oss-20b",
        ] { checkFamily(name, "o200k_base") }
        for name in [
            "gpt-4", "gpt-4-0613", "gpt-4-turbo", "gpt-4-32k", "gpt-3.5-turbo-0125", "gpt-35-turbo-16k",
            "ft:gpt-3.5-turbo",
        ] {
            checkFamily(name, "cl100k_base")
        }
        checkFamily("gpt-6-luna", "≈openai-unmapped")
        checkFamily("claude-3-5-sonnet-20241022", "≈claude")
        checkFamily("claude-sonnet-4-20250514", "≈claude")
        checkFamily("claude-opus-4-6", "≈claude")
        checkFamily("us.anthropic.claude-3-5-haiku-20241022-v1:0", "≈claude")
        checkFamily("claude-opus-4-7", "≈claude-4.7+")
        checkFamily("claude-haiku-5-5", "≈claude-4.7+")
        checkFamily("claude-4.7-opus", "≈claude-4.7+")
        checkFamily("claude-mythos-preview", "≈claude-4.7+")
        checkFamily("gemini-2.5-flash", "≈gemini")
        checkFamily("gemma-3-27b-it", "≈gemini")
        checkFamily("meta.llama3-3-70b-instruct-v1:0", "≈llama-3")
        checkFamily("accounts/fireworks/models/llama-v3p1-8b-instruct", "≈llama-3")
        checkFamily("meta/llama-4-scout-17b-16e-instruct-maas", "≈llama-4")
        checkFamily("llama-2-70b-chat", "≈llama-2")
        checkFamily("mistral-large-latest", "≈mistral")
        checkFamily("mixtral-8x7b-instruct", "≈mistral")
        checkFamily("deepseek-chat", "deepseek_v3")
        checkFamily("bedrock/us.deepseek.r1-v1:0", "deepseek_v3")
        checkFamily("deepinfra/deepseek-ai/DeepSeek-V3.1-Terminus", "deepseek_v3")
        checkFamily("deepseek/deepseek-v4-flash", "deepseek_v4")
        checkFamily("deepseek-r1-distill-qwen-32b", "≈deepseek")
        checkFamily("deepseek-coder", "≈deepseek")
        checkFamily("mistral/open-mistral-nemo", "tekken")
        checkFamily("mistral/pixtral-12b-2409", "tekken")
        checkFamily("mistral/pixtral-large-2411", "≈mistral")
        checkFamily("mistral/mistral-small-latest", "tekken")
        checkFamily("mistralai/Mistral-Small-24B-Instruct-2501", "tekken")
        checkFamily("mistral/mistral-small-2409", "≈mistral")
        checkFamily("mistral/ministral-8b-2410", "tekken")
        checkFamily("mistral/magistral-medium-2506", "tekken")
        checkFamily("mistral/devstral-small-2505", "tekken")
        checkFamily("mistral/codestral-2405", "≈mistral")
        checkFamily("mistral/open-mixtral-8x22b", "≈mistral")
        checkFamily("grok-4", "≈unknown")
        checkFamily("command-r-plus-08-2024", "≈unknown")
    }

    func testEstimatedTokenCountsRoundHalfUp() {
        let table: [(ratio: String, base: Int, expected: Int)] = [
            ("1.16", 100, 116), ("1.16", 1000, 1160), ("1.16", 3, 3), ("1.16", 25, 29), ("1.5", 1, 2),
            ("1.5", 3, 5),
            ("1.57", 0, 0), ("1", 1234, 1234),
        ]
        for row in table {
            let family = TokenizerFamily.estimated(
                TokenizerEstimate(
                    name: "t", baseEncoding: "o200k_base", ratio: usd(row.ratio), citation: "test"))
            XCTAssertEqual(family.tokens(fromBaseCount: row.base), row.expected, "\(row.base) × \(row.ratio)")
        }
        XCTAssertEqual(TokenizerFamily.exact(encoding: "o200k_base").tokens(fromBaseCount: 77), 77)
    }
}

extension ModelResolution {
    var isApproximateMatch: Bool {
        if case .found(_, let via) = self { return via.isApproximate }
        return false
    }
}

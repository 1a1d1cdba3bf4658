import Foundation
import XCTest

@testable import Pricing

/// Cost arithmetic against hand-computed values (the comments show the sums).
final class CallCostTests: XCTestCase {
    /// gpt-4o's prices, written out so the arithmetic does not depend on the catalog.
    let flat = CatalogModel(
        id: "test/flat", provider: "test", inputPerToken: Decimal(string: "0.0000025")!,
        outputPerToken: Decimal(string: "0.00001")!, cacheReadPerToken: Decimal(string: "0.00000125")!,
        tokenizer: .exact(encoding: "o200k_base"))
    /// Gemini 2.5 Pro's prices, with its tier above 200k input tokens.
    let tiered = CatalogModel(
        id: "test/tiered", provider: "test", inputPerToken: Decimal(string: "0.00000125")!,
        outputPerToken: Decimal(string: "0.00001")!, cacheReadPerToken: Decimal(string: "0.000000125")!,
        tiers: [
            PriceTier(
                aboveInputTokens: 200_000, inputPerToken: Decimal(string: "0.0000025")!,
                outputPerToken: Decimal(string: "0.000015")!,
                cacheReadPerToken: Decimal(string: "0.00000025")!)
        ], tokenizer: .exact(encoding: "o200k_base"))
    let uncached = CatalogModel(
        id: "test/uncached", provider: "test", inputPerToken: Decimal(string: "0.0000005")!,
        outputPerToken: Decimal(string: "0.0000015")!, tokenizer: .exact(encoding: "cl100k_base"))

    struct Case {
        var model: KeyPath<CallCostTests, CatalogModel>
        var input: Int
        var output: ExpectedOutput
        var cachedPrefix: Int = 0
        var total: String
        var cachedTotal: String?
        var tier: Int?
    }

    func check(_ row: Case, file: StaticString = #filePath, line: UInt = #line) {
        let cost = self[keyPath: row.model].callCost(
            inputTokens: row.input, output: row.output, cachedPrefixTokens: row.cachedPrefix)
        XCTAssertEqual(cost.totalUSD, usd(row.total), "\(row.input) in", file: file, line: line)
        XCTAssertEqual(
            cost.cachedTotalUSD, row.cachedTotal.map { usd($0) }, "cached \(row.cachedPrefix)", file: file,
            line: line)
        XCTAssertEqual(cost.prices.aboveInputTokens, row.tier, file: file, line: line)
        XCTAssertEqual(cost.totalUSD, cost.inputUSD + cost.outputUSD, file: file, line: line)
    }

    func testCallCosts() {
        let cap500 = ExpectedOutput.from(cap: 500)
        // 1000 × 0.0000025 = 0.0025; 500 × 0.00001 = 0.005.
        check(Case(model: \.flat, input: 1000, output: cap500, total: "0.0075"))
        // Cached 800: 200 × 0.0000025 + 800 × 0.00000125 + 0.005 = 0.0005 + 0.001 + 0.005.
        check(
            Case(
                model: \.flat, input: 1000, output: cap500, cachedPrefix: 800, total: "0.0075",
                cachedTotal: "0.0065"))
        // A prefix longer than the input is clamped: 1000 × 0.00000125 + 0.005.
        check(
            Case(
                model: \.flat, input: 1000, output: cap500, cachedPrefix: 5000, total: "0.0075",
                cachedTotal: "0.00625"))
        check(Case(model: \.flat, input: 0, output: .from(cap: 0), total: "0"))
        // No cap: the default of 500 tokens, flagged as such.
        check(Case(model: \.flat, input: 1000, output: .from(cap: nil), total: "0.0075"))
        // Exactly 200,000 is not above the threshold: 200000 × 0.00000125 + 1000 × 0.00001 = 0.25 + 0.01.
        check(Case(model: \.tiered, input: 200_000, output: .from(cap: 1000), total: "0.26"))
        // One more token selects the tier for the whole request: 200001 × 0.0000025 + 1000 × 0.000015.
        check(
            Case(model: \.tiered, input: 200_001, output: .from(cap: 1000), total: "0.5150025", tier: 200_000)
        )
        // Tier cache price: 200000 × 0.0000025 + 100000 × 0.00000025 + 0.015 = 0.5 + 0.025 + 0.015.
        check(
            Case(
                model: \.tiered, input: 300_000, output: .from(cap: 1000), cachedPrefix: 100_000,
                total: "0.765",
                cachedTotal: "0.54", tier: 200_000))
        // No cache price: no cached cost, even when asked.
        check(Case(model: \.uncached, input: 1000, output: cap500, cachedPrefix: 800, total: "0.00125"))
    }

    func testExpectedOutputSource() {
        XCTAssertEqual(ExpectedOutput.from(cap: 256), ExpectedOutput(tokens: 256, source: .cap))
        XCTAssertEqual(ExpectedOutput.from(cap: nil), ExpectedOutput(tokens: 500, source: .assumedDefault))
        XCTAssertEqual(
            ExpectedOutput.from(cap: nil, default: 1200),
            ExpectedOutput(tokens: 1200, source: .assumedDefault))
        XCTAssertEqual(ExpectedOutput(tokens: -5, source: .cap).tokens, 0)
    }

    func testMonthlyCost() {
        let cost = flat.callCost(inputTokens: 1000, output: .from(cap: 500), cachedPrefixTokens: 800)
        // 0.0075 × 8,000,000 = 60,000; cached 0.0065 × 8,000,000 = 52,000.
        XCTAssertEqual(cost.monthlyUSD(callsPerMonth: 8_000_000), 60_000)
        XCTAssertEqual(cost.cachedMonthlyUSD(callsPerMonth: 8_000_000), 52_000)
        let volume = try? CallVolume.parse("250k/day").get()
        // 250,000 × 30 = 7,500,000 calls; × 0.0075 = 56,250.
        XCTAssertEqual(volume.map { cost.monthlyUSD(callsPerMonth: $0.callsPerMonth) }, 56_250)
        XCTAssertNil(
            uncached.callCost(inputTokens: 10, output: .from(cap: 1)).cachedMonthlyUSD(callsPerMonth: 5))
    }

    func testChatFormatOverhead() {
        let table: [(messages: [ChatMessageTokens], expected: Int)] = [
            ([], 3),
            // 3 + (3 + 1 + 10)
            ([ChatMessageTokens(roleTokens: 1, contentTokens: 10)], 17),
            // 3 + (3 + 1 + 10) + (3 + 1 + 20 + 2 + 1)
            (
                [
                    ChatMessageTokens(roleTokens: 1, contentTokens: 10),
                    ChatMessageTokens(roleTokens: 1, contentTokens: 20, nameTokens: 2),
                ], 44
            ),
        ]
        for row in table {
            XCTAssertEqual(ChatFormat.openAI.inputTokens(messages: row.messages), row.expected)
            XCTAssertEqual(ChatFormat.assumedOpenAILike.inputTokens(messages: row.messages), row.expected)
        }
        XCTAssertTrue(ChatFormat.openAI.isExact)
        XCTAssertFalse(ChatFormat.assumedOpenAILike.isExact)
        XCTAssertEqual(flat.chatFormat, .openAI)
        XCTAssertEqual(ModelCatalog.bundled.resolve("claude-haiku-4-5").model?.chatFormat, .assumedOpenAILike)
    }

    func testTiersAndCheapestModel() throws {
        let (catalog, _) = try sampleCatalog()
        let table: [(id: String, tier: ModelTier)] = [
            ("openai/gpt-4o", .frontier), ("openai/gpt-3.5-turbo", .standard),
            ("bedrock/meta.llama3-3-70b-instruct-v1:0", .economy),
        ]
        for row in table { XCTAssertEqual(catalog.model(id: row.id)?.tier, row.tier, row.id) }
        // 1000 in + 500 out: gpt-3.5-turbo 0.0005 + 0.00075 beats gpt-4o's 0.0075; the free preview is skipped.
        XCTAssertEqual(
            catalog.cheapestModel(provider: "openai", inputTokens: 1000, outputTokens: 500)?.id,
            "openai/gpt-3.5-turbo")
        // 20,000 input tokens do not fit gpt-3.5-turbo's 16,385-token window.
        XCTAssertEqual(
            catalog.cheapestModel(provider: "openai", inputTokens: 20_000, outputTokens: 500)?.id,
            "openai/gpt-4o")
        XCTAssertNil(catalog.cheapestModel(provider: "nobody", inputTokens: 1, outputTokens: 1))
        XCTAssertEqual(
            ModelCatalog.bundled.cheapestModel(provider: "anthropic", inputTokens: 2000, outputTokens: 200)?
                .provider, "anthropic")
    }

    func testOverrides() throws {
        let (catalog, _) = try sampleCatalog()
        let (overridden, problems) = catalog.applying([
            PriceOverride(model: "googleai/gemini-2.5-pro", inputPerToken: usd("0.000002")),
            PriceOverride(model: "gemini-2.5-pro", ratio: usd("1.3")),
            PriceOverride(model: "openai/gpt-3.5-turbo", ratio: usd("1.1")),
            PriceOverride(
                model: "gpt-4o", maxInputTokens: 64_000, tokenizer: .exact(encoding: "cl100k_base")),
            PriceOverride(
                model: "my-finetune", inputPerToken: usd("0.000001"), outputPerToken: usd("0.000002")),
            PriceOverride(
                model: "anthropic/house-model", inputPerToken: usd("0.000001"),
                outputPerToken: usd("0.000002")),
            PriceOverride(model: "gpt-4o-2099-01-01", inputPerToken: usd("0.000009")),
            PriceOverride(model: "gpt-4o-mni", maxInputTokens: 5),
        ])
        let gemini = try XCTUnwrap(overridden.model(id: "googleai/gemini-2.5-pro"))
        XCTAssertEqual(gemini.inputPerToken, usd("0.000002"))
        XCTAssertEqual(gemini.outputPerToken, usd("0.00001"))
        XCTAssertEqual(gemini.tiers, [], "tiers belong to the old base prices")
        XCTAssertEqual(gemini.tokenizer.ratio, usd("1.3"))
        XCTAssertEqual(gemini.tokenizer.estimateName, "gemini")
        let turbo = try XCTUnwrap(overridden.model(id: "openai/gpt-3.5-turbo"))
        XCTAssertEqual(turbo.tokenizer.baseEncoding, "cl100k_base")
        XCTAssertEqual(turbo.tokenizer.ratio, usd("1.1"))
        XCTAssertFalse(turbo.isExact)
        let gpt4o = try XCTUnwrap(overridden.model(id: "openai/gpt-4o"))
        XCTAssertEqual(gpt4o.maxInputTokens, 64_000)
        XCTAssertEqual(gpt4o.tokenizer, .exact(encoding: "cl100k_base"))
        XCTAssertEqual(
            gpt4o.inputPerToken, usd("0.0000025"), "the approximate snapshot override must not touch gpt-4o")
        XCTAssertEqual(overridden.model(id: "custom/my-finetune")?.outputPerToken, usd("0.000002"))
        XCTAssertEqual(overridden.model(id: "anthropic/house-model")?.provider, "anthropic")
        XCTAssertEqual(overridden.model(id: "anthropic/house-model")?.tokenizer.isExact, false)
        XCTAssertEqual(
            problems,
            [
                OverrideProblem(model: "gpt-4o-2099-01-01", suggestions: ["openai/gpt-4o"]),
                OverrideProblem(model: "gpt-4o-mni", suggestions: ["openai/gpt-4o"]),
            ])
        XCTAssertEqual(overridden.models.count, catalog.models.count + 2)
    }

    func testMergingPrefersTheNewerCatalog() throws {
        let (catalog, _) = try sampleCatalog()
        var newer = try XCTUnwrap(catalog.model(id: "openai/gpt-4o"))
        newer.inputPerToken = usd("0.000001")
        let update = ModelCatalog(source: "update", asOf: "2030-01-01", models: [newer])
        let merged = catalog.merging(update)
        XCTAssertEqual(merged.model(id: "openai/gpt-4o")?.inputPerToken, usd("0.000001"))
        XCTAssertEqual(merged.models.count, catalog.models.count)
        XCTAssertEqual(merged.asOf, "2030-01-01")
        XCTAssertEqual(merged.source, "update (over fixture)")
    }
}

import Foundation
import XCTest

@testable import Pricing

/// The import on a small LiteLLM-shaped fixture (Fixtures/litellm-sample.json): what is kept,
/// folded, dropped and normalised, and the written catalog as a golden file
/// (Fixtures/litellm-sample.catalog.json, regenerated with TOKENMIN_UPDATE_GOLDEN=1).
final class LiteLLMImportTests: XCTestCase {
    func testReport() throws {
        let (catalog, report) = try sampleCatalog()
        XCTAssertEqual(report.entries, 21)
        XCTAssertEqual(report.chatEntries, 17)
        XCTAssertEqual(report.skipped, 3, "embedding, image generation, chat without output price")
        XCTAssertEqual(report.malformed, ["not-an-object"])
        XCTAssertEqual(
            report.duplicateKeys, ["deepseek-chat"], "the prefixed key deepseek/deepseek-chat wins")
        XCTAssertEqual(report.foldedSnapshots, 2, "gpt-4o-2024-08-06 and claude-sonnet-4-5-20250929")
        XCTAssertEqual(report.models, 14)
        XCTAssertEqual(catalog.models.count, 14)
        XCTAssertEqual(catalog.asOf, "2025-09-29")
        XCTAssertEqual(
            catalog.asOfBasis,
            "newest date in a model id of the file (claude-sonnet-4-5-20250929); the file may be newer")
        XCTAssertEqual(catalog.source, "fixture")
    }

    /// One expectation per imported model: id, aliases, tokenizer label, caching/reasoning flags.
    func check(
        _ catalog: ModelCatalog, _ id: String, aliases: [String] = [], tokenizer: String,
        caching: Bool = false,
        reasoning: Bool = false, file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let model = catalog.model(id: id) else {
            return XCTFail("\(id) missing", file: file, line: line)
        }
        XCTAssertEqual(model.aliases, aliases, id, file: file, line: line)
        let label = model.isExact ? model.tokenizer.baseEncoding : "≈" + (model.tokenizer.estimateName ?? "")
        XCTAssertEqual(label, tokenizer, id, file: file, line: line)
        XCTAssertEqual(model.supportsPromptCaching, caching, "\(id) caching", file: file, line: line)
        XCTAssertEqual(model.supportsReasoning, reasoning, "\(id) reasoning", file: file, line: line)
    }

    func testModels() throws {
        let (catalog, _) = try sampleCatalog()
        check(
            catalog, "openai/gpt-4o", aliases: ["gpt-4o-2024-08-06"], tokenizer: "o200k_base", caching: true)
        check(catalog, "openai/gpt-4o-2024-05-13", tokenizer: "o200k_base")
        check(catalog, "azure/gpt-4o", tokenizer: "o200k_base", caching: true)
        check(catalog, "openai/gpt-3.5-turbo", tokenizer: "cl100k_base")
        check(catalog, "googleai/gemini-2.5-pro", tokenizer: "≈gemini", caching: true, reasoning: true)
        check(catalog, "vertexai/gemini-2.5-pro", tokenizer: "≈gemini")
        check(
            catalog, "anthropic/claude-sonnet-4-5", aliases: ["claude-sonnet-4-5-20250929"],
            tokenizer: "≈claude",
            caching: true, reasoning: true)
        check(catalog, "anthropic/claude-opus-4-7", tokenizer: "≈claude-4.7+")
        check(catalog, "vertexai/claude-sonnet-4-5@20250929", tokenizer: "≈claude")
        check(catalog, "deepseek/deepseek-chat", tokenizer: "deepseek_v3")
        check(catalog, "mistral/mistral-large-latest", tokenizer: "≈mistral", caching: true)
        check(catalog, "bedrock/meta.llama3-3-70b-instruct-v1:0", tokenizer: "≈llama-3")
        check(catalog, "bedrock/us-west-2/meta.llama3-70b-instruct-v1:0", tokenizer: "≈llama-3")
        // `supports_reasoning: 1` is a number, not JSON true; `max_tokens` alone gives no window.
        check(catalog, "openai/free-preview", tokenizer: "≈unknown")
        XCTAssertNil(catalog.model(id: "openai/free-preview")?.maxInputTokens)
        XCTAssertNil(catalog.model(id: "openai/free-preview")?.maxOutputTokens)
        // The priority tier key (`…_above_200k_tokens_priority`) is not a tier of its own.
        XCTAssertEqual(
            catalog.model(id: "googleai/gemini-2.5-pro")?.tiers,
            [
                PriceTier(
                    aboveInputTokens: 200_000, inputPerToken: usd("0.0000025"),
                    outputPerToken: usd("0.000015"),
                    cacheReadPerToken: usd("0.00000025"))
            ])
        // The winning duplicate keeps its own fields (a zero cache-write price).
        XCTAssertEqual(catalog.model(id: "deepseek/deepseek-chat")?.cacheWritePerToken, 0)
    }

    func testGivenDateAndBasis() throws {
        let data = try Data(contentsOf: fixtureURL("litellm-sample.json"))
        let given = try importLiteLLM(data, options: LiteLLMImportOptions(source: "s", asOf: "2026-01-02"))
            .catalog
        XCTAssertEqual(given.asOf, "2026-01-02")
        XCTAssertEqual(given.asOfBasis, "given by the user at import")
        let explained = try importLiteLLM(
            data,
            options: LiteLLMImportOptions(source: "s", asOf: "2026-01-02", asOfBasis: "wheel build date")
        ).catalog
        XCTAssertEqual(explained.asOfBasis, "wheel build date")
    }

    func testBrokenInputIsAnError() {
        let table: [(String, String)] = [
            ("not json", "not valid JSON"),
            ("[1, 2]", "expected a JSON object"),
        ]
        for (text, fragment) in table {
            XCTAssertThrowsError(
                try importLiteLLM(Data(text.utf8), options: LiteLLMImportOptions(source: "x"))
            ) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)")
            }
        }
        let empty = try? importLiteLLM(Data("{}".utf8), options: LiteLLMImportOptions(source: "x"))
        XCTAssertEqual(empty?.catalog.models, [])
        XCTAssertEqual(empty?.catalog.asOf, "unknown")
    }

    func testNewestDate() {
        let table: [([String], String?)] = [
            (["gpt-4o-2024-08-06", "claude-3-haiku-20240307"], "2024-08-06"),
            (["x@20251001", "y-2025-09-30"], "2025-10-01"),
            (["model-20251399", "model-123456789", "gpt-4"], nil),
            (["v-2024-02-30"], "2024-02-30"),
        ]
        for (keys, expected) in table {
            XCTAssertEqual(newestDate(inKeys: keys)?.date, expected, "\(keys)")
        }
    }

    func testCatalogFileRoundTripAndGolden() throws {
        let (catalog, _) = try sampleCatalog()
        let encoded = catalog.encodedJSON()
        XCTAssertEqual(try ModelCatalog(jsonData: encoded), catalog)
        let golden = fixtureURL("litellm-sample.catalog.json")
        if updatingGoldenFiles {
            try encoded.write(to: golden)
        }
        let expected = try Data(contentsOf: golden)
        XCTAssertEqual(
            String(decoding: encoded, as: UTF8.self), String(decoding: expected, as: UTF8.self),
            "golden differs; regenerate with TOKENMIN_UPDATE_GOLDEN=1 and review the diff")
        // One model per line, so catalogs diff well.
        XCTAssertEqual(
            String(decoding: encoded, as: UTF8.self).split(separator: "\n").count, catalog.models.count + 2)
    }

    func testLoadingBadCatalogFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tokenmin-pricing-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let table: [(name: String, contents: String?, fragment: String)] = [
            ("missing.json", nil, "cannot read"),
            ("garbage.json", "{oops", "not a tokenmin catalog"),
            ("litellm.json", #"{"gpt-4o": {"mode": "chat"}}"#, "missing key"),
            (
                "future.json",
                #"{"asOf":"x","asOfBasis":"","estimates":{},"format":2,"source":"s","models":[]}"#,
                "format 2 is not supported"
            ),
            (
                "dangling.json",
                #"{"asOf":"x","asOfBasis":"","estimates":{},"format":1,"source":"s","models":[{"id":"a/b","provider":"a","input":1,"output":1,"estimate":"nope"}]}"#,
                "does not define"
            ),
        ]
        for row in table {
            let url = directory.appendingPathComponent(row.name)
            if let contents = row.contents { try Data(contents.utf8).write(to: url) }
            XCTAssertThrowsError(try ModelCatalog.load(contentsOf: url), row.name) { error in
                XCTAssertTrue("\(error)".contains(row.fragment), "\(row.name): \(error)")
            }
        }
        let good = directory.appendingPathComponent("good.json")
        let (catalog, _) = try sampleCatalog()
        try catalog.encodedJSON().write(to: good)
        XCTAssertEqual(try ModelCatalog.load(contentsOf: good), catalog)
    }
}

import Foundation
import XCTest

@testable import Pricing

/// The bundled catalog against its source: a dozen real models' prices and windows, and (when the
/// LiteLLM file is available) the whole catalog against a fresh import of that file.
final class CatalogSourceTests: XCTestCase {
    /// One real model: how a prompt names it, the catalog id it must resolve to, the LiteLLM key it
    /// comes from, and its values. The values were transcribed from
    /// litellm 1.106.2's model_prices_and_context_window_backup.json; `testTableMatchesLiteLLMFile`
    /// re-reads them from that file whenever TOKENMIN_LITELLM_JSON is set (Tests/all.sh's pytest
    /// does the same through the CLI on every run).
    struct Row {
        var query: String
        var id: String
        var litellmKey: String
        var input: String
        var output: String
        var cacheRead: String?
        var cacheWrite: String?
        var maxInput: Int?
        var maxOutput: Int?
        /// The encoding for exact families, `≈name` for estimates.
        var tokenizer: String
        var tiers: [(above: Int, input: String, output: String)] = []
    }

    static let rows: [Row] = [
        Row(
            query: "openai/gpt-4o", id: "openai/gpt-4o", litellmKey: "gpt-4o", input: "0.0000025",
            output: "0.00001",
            cacheRead: "0.00000125", maxInput: 128_000, maxOutput: 16_384, tokenizer: "o200k_base"),
        Row(
            query: "gpt-4o-mini", id: "openai/gpt-4o-mini", litellmKey: "gpt-4o-mini", input: "0.00000015",
            output: "0.0000006", cacheRead: "0.000000075", maxInput: 128_000, maxOutput: 16_384,
            tokenizer: "o200k_base"),
        Row(
            query: "openai/gpt-4.1", id: "openai/gpt-4.1", litellmKey: "gpt-4.1", input: "0.000002",
            output: "0.000008",
            cacheRead: "0.0000005", maxInput: 1_047_576, maxOutput: 32_768, tokenizer: "o200k_base"),
        Row(
            query: "gpt-5", id: "openai/gpt-5", litellmKey: "gpt-5", input: "0.00000125", output: "0.00001",
            cacheRead: "0.000000125", maxInput: 272_000, maxOutput: 128_000, tokenizer: "o200k_base"),
        Row(
            query: "openai/o3-mini", id: "openai/o3-mini", litellmKey: "o3-mini", input: "0.0000011",
            output: "0.0000044",
            cacheRead: "0.00000055", maxInput: 200_000, maxOutput: 100_000, tokenizer: "o200k_base"),
        Row(
            query: "gpt-3.5-turbo", id: "openai/gpt-3.5-turbo", litellmKey: "gpt-3.5-turbo",
            input: "0.0000005",
            output: "0.0000015", maxInput: 16_385, maxOutput: 4_096, tokenizer: "cl100k_base"),
        Row(
            query: "anthropic/claude-sonnet-4-5", id: "anthropic/claude-sonnet-4-5",
            litellmKey: "claude-sonnet-4-5",
            input: "0.000003", output: "0.000015", cacheRead: "0.0000003", cacheWrite: "0.00000375",
            maxInput: 200_000,
            maxOutput: 64_000, tokenizer: "≈claude"),
        Row(
            query: "claude-haiku-4-5", id: "anthropic/claude-haiku-4-5", litellmKey: "claude-haiku-4-5",
            input: "0.000001", output: "0.000005", cacheRead: "0.0000001", cacheWrite: "0.00000125",
            maxInput: 200_000,
            maxOutput: 64_000, tokenizer: "≈claude"),
        Row(
            query: "anthropic/claude-opus-4-5", id: "anthropic/claude-opus-4-5",
            litellmKey: "claude-opus-4-5",
            input: "0.000005", output: "0.000025", cacheRead: "0.0000005", cacheWrite: "0.00000625",
            maxInput: 200_000,
            maxOutput: 64_000, tokenizer: "≈claude"),
        Row(
            query: "googleai/gemini-2.5-flash", id: "googleai/gemini-2.5-flash",
            litellmKey: "gemini/gemini-2.5-flash",
            input: "0.0000003", output: "0.0000025", cacheRead: "0.00000003", maxInput: 1_048_576,
            maxOutput: 65_536,
            tokenizer: "≈gemini"),
        Row(
            query: "googleai/gemini-2.5-pro", id: "googleai/gemini-2.5-pro",
            litellmKey: "gemini/gemini-2.5-pro",
            input: "0.00000125", output: "0.00001", cacheRead: "0.000000125", maxInput: 1_048_576,
            maxOutput: 65_536,
            tokenizer: "≈gemini", tiers: [(200_000, "0.0000025", "0.000015")]),
        Row(
            query: "vertexai/gemini-2.5-pro", id: "vertexai/gemini-2.5-pro", litellmKey: "gemini-2.5-pro",
            input: "0.00000125", output: "0.00001", cacheRead: "0.000000125", maxInput: 1_048_576,
            maxOutput: 65_535,
            tokenizer: "≈gemini", tiers: [(200_000, "0.0000025", "0.000015")]),
        Row(
            query: "mistral/mistral-large-latest", id: "mistral/mistral-large-latest",
            litellmKey: "mistral/mistral-large-latest", input: "0.0000005", output: "0.0000015",
            cacheRead: "0.00000005",
            maxInput: 262_144, maxOutput: 262_144, tokenizer: "≈mistral"),
        Row(
            query: "bedrock/meta.llama3-3-70b-instruct-v1:0", id: "bedrock/meta.llama3-3-70b-instruct-v1:0",
            litellmKey: "meta.llama3-3-70b-instruct-v1:0", input: "0.00000072", output: "0.00000072",
            maxInput: 128_000,
            maxOutput: 4_096, tokenizer: "≈llama-3"),
    ]

    func check(_ row: Row, in catalog: ModelCatalog, file: StaticString = #filePath, line: UInt = #line) {
        guard let model = catalog.resolve(row.query).model else {
            return XCTFail("\(row.query) does not resolve", file: file, line: line)
        }
        XCTAssertEqual(model.id, row.id, file: file, line: line)
        XCTAssertEqual(model.inputPerToken, usd(row.input), "\(row.id) input", file: file, line: line)
        XCTAssertEqual(model.outputPerToken, usd(row.output), "\(row.id) output", file: file, line: line)
        XCTAssertEqual(
            model.cacheReadPerToken, row.cacheRead.map { usd($0) }, "\(row.id) cache read", file: file,
            line: line)
        XCTAssertEqual(
            model.cacheWritePerToken, row.cacheWrite.map { usd($0) }, "\(row.id) cache write", file: file,
            line: line)
        XCTAssertEqual(model.maxInputTokens, row.maxInput, "\(row.id) window", file: file, line: line)
        XCTAssertEqual(model.maxOutputTokens, row.maxOutput, "\(row.id) output cap", file: file, line: line)
        let family = model.isExact ? model.tokenizer.baseEncoding : "≈" + (model.tokenizer.estimateName ?? "")
        XCTAssertEqual(family, row.tokenizer, "\(row.id) tokenizer", file: file, line: line)
        XCTAssertEqual(model.tiers.count, row.tiers.count, "\(row.id) tiers", file: file, line: line)
        for (tier, expected) in zip(model.tiers, row.tiers) {
            XCTAssertEqual(tier.aboveInputTokens, expected.above, file: file, line: line)
            XCTAssertEqual(tier.inputPerToken, usd(expected.input), file: file, line: line)
            XCTAssertEqual(tier.outputPerToken, usd(expected.output), file: file, line: line)
        }
    }

    func testDozenRealModelsInBundledCatalog() {
        let catalog = ModelCatalog.bundled
        XCTAssertGreaterThan(catalog.models.count, 1000, catalog.source)
        XCTAssertEqual(catalog.asOf, "2026-10-21")
        for row in Self.rows { check(row) }
    }

    private func check(_ row: Row, file: StaticString = #filePath, line: UInt = #line) {
        check(row, in: .bundled, file: file, line: line)
    }

    /// The LiteLLM JSON named by TOKENMIN_LITELLM_JSON, or a skip that says why.
    private func litellmFile() throws -> (url: URL, data: Data) {
        guard let path = ProcessInfo.processInfo.environment["TOKENMIN_LITELLM_JSON"], !path.isEmpty else {
            let reason =
                "TOKENMIN_LITELLM_JSON is not set: set it to litellm 1.106.2's model_prices_and_context_window_backup.json "
                + "to compare the bundled catalog with its source (Tests/python/test_price_catalog.py does so in Tests/all.sh)"
            print("skipped: \(reason)")
            throw XCTSkip(reason)
        }
        let url = URL(fileURLWithPath: path)
        return (url, try Data(contentsOf: url))
    }

    func testTableMatchesLiteLLMFile() throws {
        let (_, data) = try litellmFile()
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        func source(_ key: String, _ field: String) -> Decimal? {
            (entries[key] as? [String: Any])?[field].flatMap { $0 as? NSNumber }.flatMap {
                Decimal(string: "\($0.doubleValue)")
            }
        }
        func window(_ key: String, _ field: String) -> Int? {
            ((entries[key] as? [String: Any])?[field] as? NSNumber)?.intValue
        }
        for row in Self.rows {
            let key = row.litellmKey
            XCTAssertEqual(source(key, "input_cost_per_token"), usd(row.input), key)
            XCTAssertEqual(source(key, "output_cost_per_token"), usd(row.output), key)
            XCTAssertEqual(source(key, "cache_read_input_token_cost"), row.cacheRead.map { usd($0) }, key)
            XCTAssertEqual(
                source(key, "cache_creation_input_token_cost"), row.cacheWrite.map { usd($0) }, key)
            XCTAssertEqual(window(key, "max_input_tokens"), row.maxInput, key)
            XCTAssertEqual(window(key, "max_output_tokens"), row.maxOutput, key)
            for tier in row.tiers {
                XCTAssertEqual(
                    source(key, "input_cost_per_token_above_\(tier.above / 1000)k_tokens"), usd(tier.input),
                    key)
            }
        }
    }

    func testBundledCatalogIsExactlyTheImportOfTheLiteLLMFile() throws {
        let (_, data) = try litellmFile()
        let bundled = ModelCatalog.bundled
        let imported = try importLiteLLM(
            data,
            options: LiteLLMImportOptions(
                source: bundled.source, asOf: bundled.asOf, asOfBasis: bundled.asOfBasis))
        XCTAssertEqual(imported.catalog.models.count, bundled.models.count)
        XCTAssertTrue(
            imported.catalog.encodedJSON() == bundled.encodedJSON(),
            "bundled catalog differs from a fresh import")
        XCTAssertEqual(imported.catalog, bundled)
    }

    /// Every chat key of the source resolves to a model with that key's prices: the route prefixes
    /// the import strips are exactly the ones `resolve` understands.
    func testEveryLiteLLMChatKeyResolvesToItsModel() throws {
        let (_, data) = try litellmFile()
        let (catalog, report) = try importLiteLLM(data, options: LiteLLMImportOptions(source: "test"))
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        var checked = 0
        for (key, value) in entries {
            guard let entry = value as? [String: Any], entry["mode"] as? String == "chat",
                let input = entry["input_cost_per_token"] as? NSNumber,
                entry["output_cost_per_token"] is NSNumber
            else { continue }
            guard case .found(let model, let via) = catalog.resolve(key) else {
                XCTFail("\(key) does not resolve")
                continue
            }
            XCTAssertFalse(via.isApproximate, key)
            if !report.duplicateKeys.contains(key) {
                XCTAssertEqual(
                    model.inputPerToken, Decimal(string: "\(input.doubleValue)"), "\(key) → \(model.id)")
            }
            checked += 1
        }
        XCTAssertEqual(checked, report.chatEntries)
    }

    /// The data file compiled into the binary is byte-for-byte what the catalog writes back, so the
    /// file on disk, the embedded blob and `encodedJSON()` agree.
    func testBundledDataFileRoundTrips() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = root.appendingPathComponent("Sources/CEmbeddedData/data/model-catalog.json")
        let onDisk = try Data(contentsOf: file)
        XCTAssertTrue(
            onDisk == ModelCatalog.bundled.encodedJSON(), "bundled blob and \(file.path) differ; rebuild")
    }
}

extension TokenizerFamily {
    /// The estimate's family name, for compact test expectations.
    var estimateName: String? {
        if case .estimated(let estimate) = self { return estimate.name }
        return nil
    }
}

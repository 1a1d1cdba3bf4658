import Foundation
import XCTest

@testable import TokenminCLI

/// `tokenmin prices list|show|import`, in-process.
final class PricesCommandTests: XCTestCase {
    /// The LiteLLM-shaped fixture of the Pricing tests.
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("PricingTests/Fixtures/litellm-sample.json").path

    /// Runs the arguments and checks the exit status and fragments of stdout and stderr.
    func check(
        _ arguments: [String], status: Int32, out: [String] = [], err: [String] = [],
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let result = runTokenmin(arguments)
        XCTAssertEqual(result.status, status, "\(arguments): \(result.err)", file: file, line: line)
        for fragment in out {
            XCTAssertTrue(
                result.out.contains(fragment), "\(arguments) stdout lacks \(fragment):\n\(result.out)",
                file: file, line: line)
        }
        for fragment in err {
            XCTAssertTrue(
                result.err.contains(fragment), "\(arguments) stderr lacks \(fragment):\n\(result.err)",
                file: file, line: line)
        }
    }

    func testShow() {
        check(
            ["prices", "show", "gpt-4o"], status: 0,
            out: [
                "openai/gpt-4o  (openai, frontier tier)",
                "resolved      'gpt-4o' by provider chosen from openai, azure",
                "input         $2.50/MTok", "output        $10.00/MTok", "cached input  $1.25/MTok",
                "128,000 input tokens, 16,384 output tokens", "tokenizer     o200k_base (exact)",
                "aliases       gpt-4o-2024-08-06", "1,000 in + 500 out = $0.0075 per call",
                "prices as of 2026-10-21",
            ])
        check(
            ["prices", "show", "anthropic/claude-sonnet-4-5"], status: 0,
            out: [
                "tokenizer     ≈ o200k_base × 1.16 (claude estimate)", "ratio source  L. Gupta",
                "cache write   $3.75/MTok",
                "(assumed)", "≈ 1,000 in + 500 out = $0.011 per call",
            ])
        check(
            ["prices", "show", "googleai/gemini-2.5-pro"], status: 0,
            out: ["above 200,000 input tokens: input $2.50/MTok, output $15.00/MTok, cached $0.25/MTok"])
        check(
            ["prices", "show", "gpt-4o-2099-01-01"], status: 0,
            out: ["snapshot '-2099-01-01' not in catalog, using the undated model (prices may differ)"])
        check(
            ["prices", "show", "claude-sonet-4-5"], status: 2,
            err: ["unknown model 'claude-sonet-4-5'; closest: anthropic/claude-sonnet-4-5"])
        check(["prices", "show"], status: 2, err: ["show takes one MODEL"])
    }

    func testShowJSON() throws {
        let result = runTokenmin(["prices", "show", "--format", "json", "claude-haiku-4-5"])
        XCTAssertEqual(result.status, 0, result.err)
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["id"] as? String, "anthropic/claude-haiku-4-5")
        XCTAssertEqual(object["exact"] as? Bool, false)
        XCTAssertEqual(object["inputPerToken"] as? String, "0.000001")
        XCTAssertEqual(object["ratio"] as? String, "1.16")
        XCTAssertEqual(object["estimate"] as? String, "claude")
        XCTAssertEqual((object["catalog"] as? [String: Any])?["asOf"] as? String, "2026-10-21")
    }

    func testList() throws {
        check(
            ["prices", "list", "--provider", "anthropic"], status: 0,
            out: [
                "# catalog: LiteLLM 1.106.2", "prices as of 2026-10-21", "MODEL",
                "anthropic/claude-sonnet-4-5",
                "≈ o200k_base × 1.16 (claude)", "Prices in USD per million tokens",
            ])
        let anthropic = runTokenmin(["prices", "list", "--provider", "anthropic"]).out
        let rows = anthropic.split(separator: "\n").dropFirst(2).dropLast()
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.allSatisfy { $0.hasPrefix("anthropic/") }, "other providers listed")
        check(["prices", "list", "--provider", "gemini"], status: 0, out: ["googleai/gemini-2.5-flash"])
        check(["prices", "list", "--provider", "antropic"], status: 2, err: ["did you mean 'anthropic'?"])
        check(["prices", "list", "--format", "yaml"], status: 2, err: ["--format must be one of text, json"])
        let json = runTokenmin(["prices", "list", "--format", "json", "--provider", "openai"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["asOf"] as? String, "2026-10-21")
        let models = try XCTUnwrap(object["models"] as? [[String: Any]])
        XCTAssertTrue(
            models.contains { $0["id"] as? String == "openai/gpt-4o" && $0["exact"] as? Bool == true })
    }

    func testImport() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tokenmin-prices-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("prices.json").path
        check(
            ["prices", "import", fixture, "--output", output, "--as-of", "2026-01-02"], status: 0,
            err: [
                "imported 14 chat models from 17 chat entries",
                "as of 2026-01-02: given by the user at import",
            ])
        // The written file is a catalog the other actions can use.
        check(
            ["prices", "show", "openai/gpt-4o-2024-05-13", "--catalog", output], status: 0,
            out: [
                "input         $5.00/MTok", "catalog: LiteLLM litellm-sample.json; prices as of 2026-01-02",
            ])
        check(["prices", "list", "--catalog", output], status: 0, out: ["14 models"])
        // Without --output the catalog goes to stdout.
        check(["prices", "import", fixture, "--source", "sample"], status: 0, out: [#""source":"sample""#])
        check(
            ["prices", "import", fixture, "--as-of", "2026-13-01"], status: 2, err: ["--as-of must be a date"]
        )
        check(
            ["prices", "import", directory.appendingPathComponent("nope.json").path], status: 2,
            err: ["no such file"])
        check(["prices", "list", "--catalog", fixture], status: 2, err: ["not a tokenmin catalog"])
        let garbage = directory.appendingPathComponent("garbage.json")
        try Data("[1]".utf8).write(to: garbage)
        check(["prices", "import", garbage.path], status: 2, err: ["expected a JSON object"])
    }

    func testUsage() {
        check(["prices"], status: 2, err: ["missing action: list, show or import"])
        check(["prices", "lst"], status: 2, err: ["unknown action 'lst'; did you mean 'list'?"])
        check(["prices", "--help"], status: 0, out: ["Usage: tokenmin prices list", "Examples:"])
    }
}

import Foundation
import XCTest

@testable import PromptAnalysis

final class ConfigurationTests: XCTestCase {
    /// Applies JSON settings and returns the configuration and problem messages.
    private func apply(_ json: String) throws -> (Configuration, [String]) {
        var configuration = Configuration()
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let problems = configuration.apply(SettingsValue(json: object))
        return (configuration, problems.map(\.message))
    }

    func testValidSettings() throws {
        let (configuration, problems) = try apply("""
            {"model": "openai/gpt-4o-mini", "outputTokens": 300, "volume": "250k/day",
             "budget": {"inputTokens": 4000, "usdPerCall": "$0.02", "warnAt": "80%"},
             "rules": {"politeness": "off", "scaffolding": "error", "dev-note": {"severity": "information"}},
             "fewShotLimit": 3, "ignore": ["legacy/**"], "schemaStyle": "jsonSchema", "inlayHints": {"detail": "cost"},
             "prices": {"my-model": {"input": 3, "output": "12.5", "tokenizer": "o200k_base"}}}
            """)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(configuration.defaultModel, "openai/gpt-4o-mini")
        XCTAssertEqual(configuration.outputTokens, 300)
        XCTAssertEqual(configuration.callsPerMonth, 7_500_000)
        XCTAssertEqual(configuration.budget, Budget(inputTokens: 4000, usdPerCall: Decimal(string: "0.02"), warnAt: 0.8))
        XCTAssertEqual(configuration.severity(of: Politeness.descriptor), nil)
        XCTAssertEqual(configuration.severity(of: Scaffolding.descriptor), .error)
        XCTAssertEqual(configuration.severity(of: DevNote.descriptor), .info)
        XCTAssertEqual(configuration.severity(of: Contradiction.descriptor), .warning)
        XCTAssertEqual(configuration.ruleOptions.fewShotLimit, 3)
        XCTAssertEqual(configuration.ignore.map(\.pattern), ["legacy/**"])
        XCTAssertEqual(configuration.schemaStyle, .jsonSchema)
        XCTAssertEqual(configuration.hintDetail, .cost)
        XCTAssertEqual(configuration.prices.first?.outputPerMTok, Decimal(string: "12.5"))
    }

    func testProblemsAreReportedAndTheRestStillApplies() throws {
        let (configuration, problems) = try apply("""
            {"modle": "x", "outputTokens": -5, "volume": "lots", "rules": {"politenes": "off", "scaffolding": "loud"},
             "budget": {"usdPerCall": "cheap"}, "fewShotLimit": 2}
            """)
        XCTAssertEqual(Set(problems), [
            "outputTokens must be a positive whole number",
            "'lots' is not a volume; write e.g. 8M/month, 250k/day or 1200/hour",
            "unknown configuration key 'modle'; did you mean 'model'?",
            "unknown rule 'politenes'; did you mean 'politeness'?",
            "rule severity must be off, info, warning or error",
            "budget.usdPerCall must be an amount such as 0.01 or $0.01",
        ])
        XCTAssertEqual(configuration.ruleOptions.fewShotLimit, 2)
        XCTAssertEqual(configuration.outputTokens, 500)
    }

    func testVolumes() {
        let rows: [(String, Decimal?)] = [
            ("8M/month", 8_000_000), ("250k/day", 7_500_000), ("1200/hour", 864_000), ("5000", 5000), ("1.5M", 1_500_000),
            ("10/min", 432_000), ("1,000/day", 30_000), ("0", 0), ("lots", nil), ("5/fortnight", nil), ("-3/day", nil), ("", nil),
        ]
        for (text, expected) in rows {
            XCTAssertEqual(try? parseVolume(text).get(), expected, text)
        }
    }
}

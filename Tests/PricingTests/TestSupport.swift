import Foundation
import XCTest

@testable import Pricing

/// Files under Tests/PricingTests/Fixtures (found from this source file's path).
func fixtureURL(_ name: String, filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        .appendingPathComponent(name)
}

/// Whether golden files should be rewritten instead of compared (`TOKENMIN_UPDATE_GOLDEN=1`).
let updatingGoldenFiles = ProcessInfo.processInfo.environment["TOKENMIN_UPDATE_GOLDEN"] == "1"

/// The catalog built from the small LiteLLM fixture, as `tokenmin prices import` would build it.
func sampleCatalog() throws -> (catalog: ModelCatalog, report: LiteLLMImportReport) {
    let data = try Data(contentsOf: fixtureURL("litellm-sample.json"))
    return try importLiteLLM(data, options: LiteLLMImportOptions(source: "fixture"))
}

/// A decimal literal that must parse (test tables write prices as strings to keep them exact).
func usd(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Decimal {
    guard let value = Decimal(string: text) else {
        XCTFail("bad decimal literal \(text)", file: file, line: line)
        return 0
    }
    return value
}

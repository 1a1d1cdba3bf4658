import Foundation
import XCTest

@testable import Pricing

/// Catalog files in `encodedJSON()`'s layout are read line by line by a scanner, with `JSONDecoder`
/// only for the header and the lines the scanner declines; both readings must give the same catalog.
final class CatalogScanTests: XCTestCase {
    private func check(_ json: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let data = Data(json.utf8)
        let scanned = try ModelCatalog(jsonData: data, scanningModelLines: true)
        let decoded = try ModelCatalog(jsonData: data, scanningModelLines: false)
        XCTAssertEqual(scanned, decoded, file: file, line: line)
        XCTAssertEqual(scanned.encodedJSON(), decoded.encodedJSON(), file: file, line: line)
    }

    func testBundledCatalogScansAsItDecodes() throws {
        let data = ModelCatalog.bundled.encodedJSON()
        try check(String(decoding: data, as: UTF8.self))
        XCTAssertGreaterThan(ModelCatalog.bundled.models.count, 2000)
    }

    func testLinesTheScannerDeclinesAreDecoded() throws {
        let header = #"{"asOf":"2026-01-01","asOfBasis":"test","estimates":{},"format":1,"source":"test","models":["#
        try check(header + "\n" + [
            // Price tiers, an escaped quote, an exponent, an empty alias list, unknown-order keys.
            #"{"exact":"o200k_base","id":"a/tiered","input":0.000001,"output":0.000002,"provider":"a","tiers":[{"above":1000,"input":0.000002,"output":0.000004}]}"#,
            #"{"aliases":["b \"quoted\""],"exact":"o200k_base","id":"b/escaped","input":1e-7,"output":2E-6,"provider":"b"}"#,
            #"{"aliases":[],"caching":true,"cacheRead":0.0000001,"exact":"cl100k_base","id":"c/plain","input":0.0000025,"maxInput":128000,"maxOutput":4096,"output":0.00001,"provider":"c","reasoning":false}"#,
        ].joined(separator: ",\n") + "\n]}\n")
    }

    func testOtherLayoutsAreDecodedWhole() throws {
        try check(#"{"models":[{"exact":"o200k_base","id":"a/m","input":0.000001,"output":0.000002,"provider":"a"}],"asOf":"x","asOfBasis":"y","estimates":{},"format":1,"source":"s"}"#)
    }
}

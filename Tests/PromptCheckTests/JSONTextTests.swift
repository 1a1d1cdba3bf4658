import Foundation
import XCTest

@testable import PromptCheck

/// `jsonText` writes reports by hand; its output must be byte-identical to `JSONSerialization` with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`, the format the reports documented.
final class JSONTextTests: XCTestCase {
    func testSameBytesAsJSONSerialization() throws {
        let values: [Any] = [
            ["version": 1, "tool": "tokenmin", "files": [] as [Any], "problems": [[String: Any]](), "nested": [String: Any]()] as [String: Any],
            ["text": "quote \" backslash \\ slash / tab \t newline \n return \r bell \u{7} nul \u{0} unit \u{1F} é 日本 😀 \u{2028}"],
            ["numbers": [0, -1, 42, Int.max, Int.min] as [Any], "doubles": [0.1, 0.5, 1.0, -2.5, 1e-7, 123456.789, 10.0] as [Any],
             "flags": [true, false] as [Any], "null": NSNull()] as [String: Any],
            [["b": 1, "a": [["z": [] as [Any], "y": ["k": "v"]] as [String: Any]]] as [String: Any]] as [Any],
            ["usdPerCall": "0.0010174", "Z": 1, "a": 2, "_": 3, "É": 4] as [String: Any],
        ]
        for value in values { check(value) }
    }

    private func check(_ value: Any, file: StaticString = #filePath, line: UInt = #line) {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return XCTFail("JSONSerialization rejected the value", file: file, line: line) }
        XCTAssertEqual(jsonText(value), String(decoding: data, as: UTF8.self) + "\n", file: file, line: line)
    }
}

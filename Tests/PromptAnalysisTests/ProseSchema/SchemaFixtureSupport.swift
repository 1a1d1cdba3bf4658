import Dotprompt
import Foundation
import PromptText
import XCTest

@testable import PromptAnalysis

/// One prose → schema fixture. In `prose`, `«…»` wraps each sentence expected in `converted` and
/// `‹…›` each sentence expected in `partial`; everything else must be untouched.
struct SchemaFixture {
    var name: String
    var prose: String
    var format: OutputFormat?
    /// The expected `schema:` entry (Picoschema when exact, else JSON Schema), or nil for none.
    var schema: String?
    /// Where the phrasing was collected (a public prompt, the issue, docs).
    var source: String = ""
}

/// Splits marked prose into plain text; returns the text.
private func stripMarkers(_ marked: String) -> String {
    marked.replacingOccurrences(of: "«", with: "").replacingOccurrences(of: "»", with: "")
        .replacingOccurrences(of: "‹", with: "").replacingOccurrences(of: "›", with: "")
}

/// Re-inserts markers around the sentences of an extraction, for a readable comparison.
private func render(_ text: String, _ extraction: SchemaExtraction) -> String {
    var inserts: [(offset: Int, order: Int, marker: String)] = []
    for sentence in extraction.converted {
        inserts.append((sentence.utf8Range.start, 1, "«"))
        inserts.append((sentence.utf8Range.end, 0, "»"))
    }
    for sentence in extraction.partial {
        inserts.append((sentence.utf8Range.start, 1, "‹"))
        inserts.append((sentence.utf8Range.end, 0, "›"))
    }
    inserts.sort { ($0.offset, $0.order) < ($1.offset, $1.order) }
    var bytes = Array(text.utf8)
    for insert in inserts.reversed() {
        bytes.insert(contentsOf: Array(insert.marker.utf8), at: insert.offset)
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Checks one fixture: marked sentences, format, serialised schema, and the round trip (the
/// Picoschema printed, read back through Dotprompt's rules, is the JSON Schema printed; a JSON
/// Schema printed as YAML reads back as itself).
func check(_ fixture: SchemaFixture, file: StaticString = #filePath, line: UInt = #line) {
    let text = stripMarkers(fixture.prose)
    let extraction = extractOutputSchema(fromProse: text)
    XCTAssertEqual(
        render(text, extraction), fixture.prose, "\(fixture.name): sentences", file: file, line: line)
    XCTAssertEqual(extraction.format, fixture.format, "\(fixture.name): format", file: file, line: line)
    let printed = extraction.schema.map { outputSchemaYAML($0, indent: 2).entry(indent: 0) }
    XCTAssertEqual(printed, fixture.schema, "\(fixture.name): schema", file: file, line: line)
    // Detection agrees with extraction.
    let detected = formatRuleSentences(in: instructionSentences(in: text))
    XCTAssertEqual(
        detected.map(\.utf8Range),
        (extraction.converted + extraction.partial).map(\.utf8Range).sorted { $0.start < $1.start },
        "\(fixture.name): detection", file: file, line: line)
    if let schema = extraction.schema { checkRoundTrip(schema, name: fixture.name, file: file, line: line) }
}

func checkRoundTrip(_ schema: OutputSchema, name: String, file: StaticString = #filePath, line: UInt = #line)
{
    let expected = jsonSchema(schema)
    let yaml = outputSchemaYAML(schema, indent: 0)
    guard let parsed = MiniYAML.parse(yaml.text) else {
        return XCTFail("\(name): printed schema does not read back:\n\(yaml.text)", file: file, line: line)
    }
    switch yaml.style {
    case .picoschema:
        switch picoschemaToJSONSchema(parsed) {
        case .success(let converted):
            XCTAssertEqual(
                converted.normalized, expected.normalized,
                "\(name): Picoschema round trip\n\(yaml.text)\n→ \(converted.jsonText())\n≠ \(expected.jsonText())",
                file: file, line: line)
        case .failure(let error):
            XCTFail("\(name): \(error)\n\(yaml.text)", file: file, line: line)
        }
    case .jsonSchema:
        XCTAssertEqual(
            parsed.normalized, expected.normalized, "\(name): JSON Schema YAML round trip", file: file,
            line: line)
        // Dotprompt passes a JSON Schema through unchanged.
        if case .success(let passed) = picoschemaToJSONSchema(parsed) {
            XCTAssertEqual(
                passed.normalized, expected.normalized, "\(name): not recognised as JSON Schema", file: file,
                line: line)
        } else {
            XCTFail("\(name): Dotprompt would reject the JSON Schema", file: file, line: line)
        }
    }
}

import Dotprompt
import Foundation
import PromptSyntax
import XCTest

/// Runs `picoschemaToJSONSchema` against every case of Dotprompt's shared spec
/// (`../shared/dotprompt-spec/json/picoschema.json`).
final class PicoschemaSpecTests: XCTestCase {
    private struct SpecCase: Decodable {
        struct Test: Decodable {
            var desc: String
            var expect: SchemaValue
        }
        var name: String
        var template: String
        var schemas: [String: SchemaValue]?
        var tests: [Test]
    }

    private func loadCases() throws -> [SpecCase] {
        let url = try sharedFolder("dotprompt-spec").appendingPathComponent("json/picoschema.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            XCTFail("Dotprompt spec file missing: expected \(url.path)")
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode([SpecCase].self, from: data)
    }

    /// The frontmatter of a template, parsed by PromptSyntax's YAML parser.
    private func frontmatter(_ template: String) -> SchemaValue? {
        parsePromptDocument(template).frontmatter?.root.map { SchemaValue($0.plainValue) }
    }

    /// Checks every `input`/`output` schema of `spec`; returns how many it compared.
    @discardableResult
    private func check(_ spec: SpecCase, file: StaticString = #filePath, line: UInt = #line) -> Int {
        var compared = 0
        guard let front = frontmatter(spec.template) else {
            XCTFail("\(spec.name): no frontmatter", file: file, line: line)
            return 0
        }
        let schemas = spec.schemas ?? [:]
        for test in spec.tests {
            for section in ["input", "output"] {
                guard let expected = test.expect[section]?["schema"] else { continue }
                guard let picoschema = front[section]?["schema"] else {
                    XCTFail("\(spec.name): no \(section).schema in the template", file: file, line: line)
                    continue
                }
                compared += 1
                switch picoschemaToJSONSchema(picoschema, resolve: { schemas[$0] }) {
                case .success(let actual):
                    XCTAssertEqual(
                        actual.normalized, expected.normalized,
                        "\(spec.name) (\(test.desc)) \(section):\n\(actual.jsonText())\nexpected\n\(expected.jsonText())",
                        file: file, line: line)
                case .failure(let error):
                    XCTFail("\(spec.name) \(section): \(error)", file: file, line: line)
                }
            }
        }
        return compared
    }

    func testEverySpecCase() throws {
        let cases = try loadCases()
        XCTAssertGreaterThanOrEqual(cases.count, 19, "the spec shrank?")
        for spec in cases {
            XCTAssertGreaterThan(check(spec), 0, "\(spec.name): no schema compared")
        }
    }

    func testErrorsAreValues() {
        let unknown = picoschemaToJSONSchema(.string("Foo, a foo"))
        guard case .failure(let error) = unknown else { return XCTFail("expected a failure, got \(unknown)") }
        XCTAssertTrue(error.message.contains("Foo"), error.message)
        let badParen = picoschemaToJSONSchema(.object([.init("x(map)", .string("string"))]))
        guard case .failure = badParen else { return XCTFail("expected a failure for (map)") }
        let badEnum = picoschemaToJSONSchema(.object([.init("x(enum)", .string("a"))]))
        guard case .failure = badEnum else { return XCTFail("expected a failure for a non-list enum") }
    }
}

import Dotprompt
import Foundation
import PromptSyntax
import XCTest

/// Handlebars behaviours beyond the Dotprompt spec. `Fixtures/render-cases.json` holds templates and
/// inputs; its `expected` fields are written by Handlebars 4.7 itself (`handlebars-oracle.js`, compiled
/// with Dotprompt's options), never by hand. A case whose reference rendering throws must produce an
/// error diagnostic here.
final class RenderFixtureTests: XCTestCase {
    func check(_ fixture: PlainValue, file: StaticString = #filePath, line: UInt = #line) {
        guard case .string(let name)? = fixture["name"], case .string(let template)? = fixture["template"],
            let expected = fixture["expected"]
        else { return XCTFail("malformed fixture \(fixture.jsonText())", file: file, line: line) }
        var partials: [String: String] = [:]
        if case .object(let members)? = fixture["partials"] {
            for member in members { if case .string(let text) = member.value { partials[member.key] = text } }
        }
        let result = renderPrompt(
            source: template,
            input: RenderInput(data: fixture["input"] ?? .object([]), context: fixture["context"]),
            options: RenderOptions(partials: partials))
        if case .string(let error)? = expected["error"] {
            XCTAssertTrue(
                result.hasErrors, "\(name): the reference fails (\(error)) but no error was reported",
                file: file, line: line)
        } else if case .string(let text)? = expected["text"] {
            XCTAssertEqual(result.renderedText, text, "\(name)", file: file, line: line)
            XCTAssertFalse(
                result.hasErrors, "\(name): unexpected \(result.diagnostics)", file: file, line: line)
        } else {
            XCTFail("\(name): no expectation", file: file, line: line)
        }
    }

    func testHandlebarsFixtures() throws {
        let url = repositoryRoot().appendingPathComponent("Tests/DotpromptTests/Fixtures/render-cases.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        guard case .success(.array(let fixtures)) = parsePlainJSON(text) else {
            return XCTFail("unreadable \(url.path)")
        }
        XCTAssertGreaterThan(fixtures.count, 50)
        for fixture in fixtures { check(fixture) }
    }
}

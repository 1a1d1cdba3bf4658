import Foundation
import PromptText
import XCTest

@testable import PromptSyntax

final class ReferencesAndMessagesTests: XCTestCase {
    /// One row: a template and the expected `name→input` variable list, helpers and partials.
    private func check(
        _ text: String, variables: [String], helpers: [String] = [], partials: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let references = parseTemplate(text).references()
        let describedVariables = references.variables.map { reference in
            let target = reference.inputVariable.map { "input.\($0)" } ?? reference.blockParameter.map { "param.\($0)" } ?? "local"
            return "\(reference.path.original)→\(target)"
        }
        XCTAssertEqual(describedVariables, variables, text, file: file, line: line)
        XCTAssertEqual(references.helpers.map(\.name), helpers, text, file: file, line: line)
        XCTAssertEqual(references.partials.map { $0.name ?? "(dynamic)" }, partials, text, file: file, line: line)
    }

    func testReferences() {
        check("Hello {{name}} {{user.first}}", variables: ["name→input.name", "user.first→input.user"])
        check("{{history}}{{role \"user\"}}{{json this indent=2}}", variables: ["this→local"], helpers: ["history", "role", "json"])
        check(
            "{{#each items as |item i|}}{{item.name}} {{i}} {{title}} {{../title}} {{@root.title}} {{@index}}{{else}}{{empty}}{{/each}}",
            variables: [
                "items→input.items", "item.name→param.item", "i→param.i", "title→local", "../title→input.title",
                "@root.title→input.title", "@index→local", "empty→input.empty",
            ],
            helpers: ["each"])
        check(
            "{{#if a}}{{b}}{{else if c}}{{d}}{{/if}}{{#with p}}{{q}}{{/with}}{{#items}}{{x}}{{/items}}",
            variables: ["a→input.a", "b→input.b", "c→input.c", "d→input.d", "p→input.p", "q→local", "items→input.items", "x→local"],
            helpers: ["if", "if", "with"])
        check(
            "{{add @index 1}} {{upper (concat a b)}} {{> card person title=t}} {{#> layout}}x{{/layout}} {{> (pick kind)}}",
            variables: ["@index→local", "a→input.a", "b→input.b", "person→input.person", "t→input.t", "kind→input.kind"],
            helpers: ["add", "upper", "concat", "pick"], partials: ["card", "layout", "(dynamic)"])
    }

    /// One row: a document and its messages as `role[content]` (`history` for the insertion point).
    private func checkMessages(_ text: String, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        let document = parsePromptDocument(text)
        let described = document.messages.map { segment in
            segment.isHistory ? "history" : "\(segment.role ?? "?")[\(text.utf8Slice(segment.contentRange))]"
        }
        XCTAssertEqual(described, expected, text, file: file, line: line)
    }

    func testMessageSegmentation() {
        checkMessages("Just text", ["user[Just text]"])
        checkMessages("{{role \"system\"}}Be brief.\n{{role \"user\"}}{{question}}", ["system[Be brief.\n]", "user[{{question}}]"])
        checkMessages("  {{! note }}\n{{role \"system\"}}S", ["system[S]"])
        checkMessages("Intro {{role \"model\"}}M", ["user[Intro ]", "model[M]"])
        checkMessages(
            "{{role \"system\"}}System prompt\n{{history}}\n{{role \"user\"}}Additional message\n",
            ["system[System prompt\n]", "history", "user[Additional message\n]"])
        checkMessages("---\nmodel: x\n---\n{{role \"System\"}}Hi", ["user[{{role \"System\"}}Hi]"])
        checkMessages("{{#if a}}{{role \"system\"}}{{/if}}x", ["user[{{#if a}}{{role \"system\"}}{{/if}}x]"])
        checkMessages("{{role r}}dynamic", ["?[dynamic]"])
    }

    func testMarkers() {
        let document = parsePromptDocument(
            "{{role \"Sys\"}}{{#role \"user\"}}lost{{/role}}{{#if a}}{{history}}{{/if}}{{section \"s\"}}{{media url=u}}")
        let kinds = document.markers.map { "\($0.kind) top=\($0.isTopLevel) problem=\($0.problem != nil)" }
        XCTAssertEqual(
            kinds,
            [
                "role(Optional(\"Sys\")) top=true problem=true", "roleBlock(Optional(\"user\")) top=true problem=true",
                "history top=false problem=false", "section(Optional(\"s\")) top=true problem=false",
                "media top=true problem=false",
            ])
    }
}

import Foundation
import PromptSyntax
import PromptText
import XCTest

@testable import PromptAnalysis

/// The navigation core: occurrences of inputs, rename refusals, partials that read an input, folding
/// regions, selection ranges and sample files. Fixtures mark expected ranges with «…».
final class NavigationTests: XCTestCase {
    /// The text without markers and the marked UTF-8 ranges, in order.
    private func marked(_ fixture: String) -> (text: String, ranges: [UTF8Range]) {
        var text: [UInt8] = []
        var ranges: [UTF8Range] = []
        var start = 0
        for scalar in fixture.unicodeScalars {
            switch scalar {
            case "«": start = text.count
            case "»": ranges.append(UTF8Range(start: start, end: text.count))
            default: text += Array(String(scalar).utf8)
            }
        }
        return (String(decoding: text, as: UTF8.self), ranges)
    }

    private func checkOccurrences(
        _ fixture: String, _ name: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let (text, expected) = marked(fixture)
        let found = variableOccurrences(named: name, in: parsePromptDocument(text)).map(\.range)
        XCTAssertEqual(found, expected, file: file, line: line)
    }

    func testOccurrencesOfAnInput() {
        checkOccurrences(
            """
            ---
            input:
              schema:
                «tone»?: string, how it sounds
                topic: string
              default:
                «tone»: friendly
            metadata:
              tokenmin:
                sample: {«tone»: dry, topic: x}
            ---
            {{«tone»}} {{@root.«tone»}} {{this.«tone»}} {{./«tone»}} {{[«tone»]}} {{«tone».length}}
            {{#each items}}{{tone}} {{../«tone»}}{{/each}}
            {{#with topic}}{{tone}}{{/with}}
            {{#each items as |tone|}}{{tone}}{{/each}}
            {{#if «tone»}}🙂漢字 {{«tone»}}{{/if}}
            """, "tone")
        checkOccurrences(
            """
            ---
            input:
              schema:
                type: object
                properties:
                  «city»: {type: string}
                required: [«city»]
            ---
            Weather in {{«city»}}.\r\nAgain: {{«city»}}
            """, "city")
    }

    func testTargets() {
        let (text, ranges) = marked(
            """
            ---
            input:
              schema: «Person»
            output:
              schema: «Verdict», the answer
            ---
            {{> «header»}} {{> "«quoted»"}} {{«name».first}}
            """)
        let document = parsePromptDocument(text)
        XCTAssertEqual(
            navigationTarget(at: ranges[0].start + 1, in: document),
            .namedSchema(name: "Person", range: ranges[0]))
        XCTAssertEqual(
            navigationTarget(at: ranges[1].end, in: document), .namedSchema(name: "Verdict", range: ranges[1])
        )
        XCTAssertEqual(
            navigationTarget(at: ranges[2].start, in: document), .partial(name: "header", range: ranges[2]))
        XCTAssertEqual(
            navigationTarget(at: ranges[3].start + 2, in: document),
            .partial(name: "quoted", range: ranges[3]))
        XCTAssertEqual(
            navigationTarget(at: ranges[4].start, in: document), .variable(name: "name", range: ranges[4]))
        XCTAssertNil(navigationTarget(at: 1, in: document))
    }

    func testRenameRefusals() {
        let base = "---\ninput:\n  schema:\n    tone: string\n    topic: string\n---\n{{tone}} {{topic}}\n"
        let rows: [(template: String, newName: String, expected: String?)] = [
            ("", "mood", nil),
            ("", "tone", nil),
            ("", "two words", "not a valid input name"),
            ("", "1st", "not a valid input name"),
            ("", "topic", "an input named 'topic' already exists"),
            ("", "json", "'json' is a helper name"),
            ("{{#each items as |mood|}}{{mood}}{{/each}}", "mood", "block parameter (as |mood|) on line 8"),
            ("{{json this}}", "mood", "the whole input is passed on as 'this' on line 8"),
            ("{{#with @root}}x{{/with}}", "mood", "the whole input is passed on as '@root' on line 8"),
            ("{{lookup this \"tone\"}}", "mood", "'tone' is read by name with lookup on line 8"),
            ("{{#each items}}{{this}}{{/each}}", "mood", nil),
        ]
        for row in rows {
            let document = parsePromptDocument(base + row.template)
            let refusal = variableRenameRefusal(
                name: "tone", newName: row.newName, document: document, readers: [])
            if let expected = row.expected {
                XCTAssert(refusal?.contains(expected) == true, "\(row): \(refusal ?? "nil")")
            } else {
                XCTAssertNil(refusal, "\(row)")
            }
        }
        XCTAssertEqual(partialRenameRefusal(name: "shared/header", newName: "shared/intro"), nil)
        XCTAssert(
            partialRenameRefusal(name: "shared/header", newName: "intro")?.contains("keeps its folder")
                == true)
        XCTAssert(
            partialRenameRefusal(name: "header", newName: "in tro")?.contains("not a valid partial name")
                == true)
    }

    func testPartialsReadingAnInput() {
        let partials = [
            "/w/_header.prompt": "Topic: {{topic}} {{> nested}}",
            "/w/_nested.prompt": "Again {{topic}}",
            "/w/_card.prompt": "{{topic}}",
            "/w/_row.prompt": "{{topic}}",
            "/w/_plain.prompt": "No inputs",
        ]
        let resolver: PartialResolver = { name, _ in
            let path = "/w/_\(name).prompt"
            return partials[path].map { .found(path: path, text: $0) } ?? .missing(searched: [path])
        }
        let template = parsePromptDocument(
            "{{> header}}{{> card person}}{{#each items}}{{> row}}{{/each}}{{> plain}}{{> card topic=x}}"
        ).template
        let readers = partialsReading(
            variable: "topic", in: template, path: "/w/a.prompt", resolver: resolver)
        XCTAssertEqual(readers.map(\.name), ["header", "nested"])
        XCTAssertEqual(readers.map(\.uses), [[UTF8Range(start: 9, end: 14)], [UTF8Range(start: 8, end: 13)]])
        let refusal = variableRenameRefusal(
            name: "topic", newName: "subject", document: parsePromptDocument("{{topic}}"), readers: readers)
        XCTAssertEqual(
            refusal,
            "'topic' is also read by partial 'header' (_header.prompt), which other prompts may include")
    }

    func testFoldingRegions() {
        let text = """
            ---
            model: openai/gpt-4o
            ---
            {{role "system"}}
            Rules.
            {{#if strict}}
            Be strict.
            {{/if}}
            {{!--
            A note.
            --}}

            {{role "user"}}
            <example>
              <input>
              Hi
              </input>
            </example>
            <one>line</one>
            <br/>
            <card id="1" />
            """
        let document = parsePromptDocument(text)
        let regions = foldingRegions(document, lineIndex: LineIndex(text)).map { [$0.startLine, $0.endLine] }
        XCTAssertEqual(regions, [[0, 2], [3, 10], [5, 6], [8, 10], [12, 20], [13, 16], [14, 15]])
    }

    func testSelectionRangesNest() {
        let text = "---\nmodel: openai/gpt-4o\n---\n{{#if ok}}\nHi {{@root.name}}!\n{{/if}}\n"
        let document = parsePromptDocument(text)
        let bytes = Array(text.utf8)
        let offset = text.utf8.distance(from: text.startIndex, to: text.range(of: "name}}")!.lowerBound)
        let chain = selectionRanges(at: offset + 1, in: document, lineIndex: LineIndex(text)).map {
            String(decoding: bytes[$0.range], as: UTF8.self)
        }
        XCTAssertEqual(chain.prefix(4), ["name", "@root.name", "{{@root.name}}", "Hi {{@root.name}}!"])
        XCTAssertEqual(chain.last, text)
        let inFrontmatter = selectionRanges(at: 12, in: document, lineIndex: LineIndex(text)).map {
            String(decoding: bytes[$0.range], as: UTF8.self)
        }
        XCTAssertEqual(inFrontmatter.prefix(2), ["openai", "openai/gpt-4o"])
        XCTAssert(inFrontmatter.contains("model: openai/gpt-4o"))
    }

    func testSampleInputFromTheSchema() {
        let rows: [(schema: String, expected: String?)] = [
            (
                "  schema:\n    name: string, the customer's name\n    age?: integer\n    vip: boolean\n    tags(array): string\n    plan(enum): [free, pro]\n  default:\n    vip: true\n",
                "{\n  \"name\": \"the customer's name\",\n  \"age\": 0,\n  \"vip\": true,\n  \"tags\": [\n    \"tags\"\n  ],\n  \"plan\": \"free\"\n}\n"
            ),
            (
                "  schema:\n    address(object):\n      city: string\n",
                "{\n  \"address\": {\n    \"city\": \"city\"\n  }\n}\n"
            ),
            ("  default:\n    a: 1\n", nil),
        ]
        for row in rows {
            let document = parsePromptDocument("---\ninput:\n\(row.schema)---\nHi\n")
            XCTAssertEqual(sampleInputJSON(for: document), row.expected, row.schema)
        }
    }

    func testTopLevelJSONKeys() {
        let (text, expected) = marked(
            #"{"«tone»": "tone", "nested": {"tone": 1}, "list": ["tone"], "«tone»": 2}"#)
        XCTAssertEqual(topLevelJSONKeyRanges(named: "tone", in: text), expected)
        XCTAssertEqual(topLevelJSONKeyRanges(named: "tone", in: "[{\"tone\": 1}]"), [])
    }

    func testWorkspacePromptFilesStayInsideAndStopAtTheCap() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "tokenmin-nav-\(UUID())")
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("workspace")
        for folder in ["a", "node_modules/pkg", ".git", "../outside"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for file in [
            "one.prompt", "a/two.prompt", "a/_three.prompt", "node_modules/pkg/x.prompt", ".git/y.prompt",
            "notes.txt", "../outside/z.prompt",
        ] {
            try Data("Hi".utf8).write(to: root.appendingPathComponent(file))
        }
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("escape"),
            withDestinationURL: base.appendingPathComponent("outside"))
        let files = WorkspaceFiles(roots: [root.path])
        let real = canonicalPath(root.path)
        let all = workspacePromptFiles(files, limit: 10)
        XCTAssertEqual(all.paths, ["a/_three.prompt", "a/two.prompt", "one.prompt"].map { real + "/" + $0 })
        XCTAssertFalse(all.isTruncated)
        let capped = workspacePromptFiles(files, limit: 2)
        XCTAssertEqual(capped.paths.count, 2)
        XCTAssertTrue(capped.isTruncated)
    }

    func testSchemasIsAConfigurationKey() {
        var configuration = Configuration()
        let schemas = SettingsValue.mapping(
            [
                .init(
                    key: "schemas",
                    value: .mapping([.init(key: "Verdict", value: .scalar("string", range: nil))], range: nil)
                )
            ], range: nil)
        XCTAssertEqual(configuration.apply(schemas).map(\.message), [])
        let bad = SettingsValue.mapping(
            [.init(key: "schemas", value: .scalar("Verdict", range: nil))], range: nil)
        XCTAssertEqual(configuration.apply(bad).map(\.message), ["schemas must map schema names to Picoschema or JSON Schema"])
    }
}

import Dotprompt
import Foundation
import PromptSyntax
import PromptText
import Tokenizer
import XCTest

@testable import PromptAnalysis

private let weatherDefinition = """
    toolDefs:
      - name: getWeather
        description: Current weather for a city.
        inputSchema:
          type: object
          properties:
            city:
              type: string
              description: City name, e.g. Paris
            units:
              type: string
              enum: [celsius, fahrenheit]
            days:
              type: integer
          required: [city]
        outputSchema:
          type: object
          properties:
            temperature: { type: number }
    """

private let searchDefinition = """
      - name: searchDocs
        description: Full-text search.
        inputSchema:
          query: string, What to look for
          filters?(object):
            tags?(array): string
            after?: string
    """

private func prompt(model: String, frontmatter: String, body: String = "{{role \"user\"}}\n{{question}}\n")
    -> String
{
    "---\nmodel: \(model)\n\(frontmatter)\n---\n\(body)"
}

private func analyze(_ text: String) -> DocumentAnalysis {
    analyzeDocument(AnalysisInput(text: text, resolveModel: catalogModelResolver(for: Configuration())))
}

/// Checks a prompt's tool definitions: the text each definition is serialised to (exactly), that each
/// tool's count is the count of that text, and that the parts add up.
private func check(
    _ text: String, serialization: ToolSerialization, expected: [(name: String, text: String?)],
    file: StaticString = #filePath, line: UInt = #line
) {
    let analysis = analyze(text)
    let count = toolDefinitionsCount(for: analysis, tokensPerUndefinedTool: 77)
    XCTAssertEqual(count.serialization, serialization, file: file, line: line)
    XCTAssertFalse(count.isExact, "tool definitions are always an estimate", file: file, line: line)
    XCTAssertEqual(count.tools.map(\.name), expected.map(\.name), file: file, line: line)
    let tools = declaredTools(in: analysis.document)
    for (index, tool) in count.tools.enumerated() where index < expected.count {
        guard let expectedText = expected[index].text else {
            XCTAssertEqual(
                tool.tokens, 77, "\(tool.name): a named tool gets the default", file: file, line: line)
            XCTAssertEqual(tool.source, .defaultEstimate, file: file, line: line)
            continue
        }
        let definition = tools[index].definition!
        let serialised =
            serialization == .openAITypeScript
            ? typeScriptFunction(definition)
            : jsonFunction(
                definition,
                inputSchemaKey: analysis.model.provider == "anthropic" ? "input_schema" : "parameters")
        XCTAssertEqual(serialised, expectedText, "\(tool.name) serialisation", file: file, line: line)
        XCTAssertEqual(
            tool.tokens, analysis.countTokens(expectedText), "\(tool.name) tokens", file: file, line: line)
        XCTAssertEqual(tool.source, .definition, file: file, line: line)
        XCTAssertEqual(
            analysis.text.utf8Slice(tool.range).contains(tool.name), true, "\(tool.name) range", file: file,
            line: line)
    }
    XCTAssertEqual(
        count.totalTokens, count.framingTokens + count.tools.reduce(0) { $0 + $1.tokens }, "parts add up",
        file: file, line: line)
}

extension String {
    fileprivate func utf8Slice(_ range: UTF8Range) -> String {
        String(decoding: Array(utf8)[range.range], as: UTF8.self)
    }
}

final class ToolDefinitionTests: XCTestCase {
    /// OpenAI models: the TypeScript namespace rendering (required keys without `?`, enums as string
    /// unions, integers as `number`, descriptions as comments; `outputSchema` is not sent).
    func testOpenAIRendersTypeScriptNamespace() {
        check(
            prompt(model: "openai/gpt-4o-mini", frontmatter: weatherDefinition),
            serialization: .openAITypeScript,
            expected: [
                (
                    "getWeather",
                    """
                    // Current weather for a city.
                    type getWeather = (_: {
                    // City name, e.g. Paris
                    city: string,
                    units?: "celsius" | "fahrenheit",
                    days?: number,
                    }) => any;


                    """
                )
            ])
    }

    /// Picoschema in `inputSchema` is converted first (optional fields become nullable, as Dotprompt
    /// converts them); nested objects indent by two spaces; a tool both
    /// named and defined is counted once, with its definition; a tool only named gets the default.
    func testPicoschemaNestedObjectsAndNamedTools() {
        let frontmatter = "tools: [searchDocs, sendEmail]\n" + weatherDefinition + "\n" + searchDefinition
        check(
            prompt(model: "openai/gpt-4o", frontmatter: frontmatter), serialization: .openAITypeScript,
            expected: [
                (
                    "searchDocs",
                    """
                    // Full-text search.
                    type searchDocs = (_: {
                    // What to look for
                    query: string,
                    filters?: {
                      tags?: string[] | null,
                      after?: string | null,
                    } | null,
                    }) => any;


                    """
                ),
                ("sendEmail", nil),
                (
                    "getWeather",
                    """
                    // Current weather for a city.
                    type getWeather = (_: {
                    // City name, e.g. Paris
                    city: string,
                    units?: "celsius" | "fahrenheit",
                    days?: number,
                    }) => any;


                    """
                ),
            ])
    }

    /// Other providers: compact JSON of the request's tool object, counted with the model's encoding.
    func testAnthropicCountsTheJSONRequestFormat() {
        check(
            prompt(model: "anthropic/claude-sonnet-4-5", frontmatter: weatherDefinition),
            serialization: .json,
            expected: [
                (
                    "getWeather",
                    #"{"name":"getWeather","description":"Current weather for a city.","input_schema":{"type":"object","properties":{"city":{"type":"string","description":"City name, e.g. Paris"},"units":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer"}},"required":["city"]}}"#
                )
            ])
    }

    func testGeminiUsesParameters() {
        check(
            prompt(
                model: "googleai/gemini-2.5-flash", frontmatter: "tools:\n  - lookup\n" + weatherDefinition),
            serialization: .json,
            expected: [
                ("lookup", nil),
                (
                    "getWeather",
                    #"{"name":"getWeather","description":"Current weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name, e.g. Paris"},"units":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer"}},"required":["city"]}}"#
                ),
            ])
    }

    /// Functions without parameters, unions, arrays of enums, `anyOf`, `const` and a missing type.
    func testTypeScriptShapes() {
        let schema = SchemaValue.object([
            .init("type", .string("object")),
            .init(
                "properties",
                .object([
                    .init("mode", .object([.init("type", .array([.string("string"), .string("null")]))])),
                    .init(
                        "levels",
                        .object([
                            .init("type", .string("array")),
                            .init("items", .object([.init("enum", .array([.number(1), .number(2)]))])),
                        ])),
                    .init(
                        "target",
                        .object([
                            .init(
                                "anyOf",
                                .array([
                                    .object([.init("type", .string("string"))]),
                                    .object([.init("type", .string("boolean"))]),
                                ]))
                        ])),
                    .init("kind", .object([.init("const", .string("fixed"))])),
                    .init("extra", .object([])),
                    .init("list", .object([.init("type", .string("array"))])),
                    .init("bag", .object([.init("type", .string("object"))])),
                ])),
            .init("required", .array([.string("mode")])),
        ])
        XCTAssertEqual(typeScriptFunction(ToolDefinition(name: "ping")), "type ping = () => any;\n\n")
        XCTAssertEqual(
            typeScriptFunction(ToolDefinition(name: "set", description: "Two\nlines", inputSchema: schema)),
            """
            // Two
            // lines
            type set = (_: {
            mode: string | null,
            levels?: 1 | 2[],
            target?: string | boolean,
            kind?: "fixed",
            extra?: any,
            list?: any[],
            bag?: object,
            }) => any;


            """)
    }

    /// Adding a tool adds its tokens; the same prompt always counts the same; no tools count nothing.
    func testAddingAToolIncreasesTheCountAndCountsAreStable() {
        let one = analyze(prompt(model: "openai/gpt-4o-mini", frontmatter: weatherDefinition))
        let two = analyze(
            prompt(model: "openai/gpt-4o-mini", frontmatter: weatherDefinition + "\n" + searchDefinition))
        let three = analyze(
            prompt(
                model: "openai/gpt-4o-mini",
                frontmatter: "tools: [calendar]\n" + weatherDefinition + "\n" + searchDefinition))
        let counts = [one, two, three].map { toolDefinitionsCount(for: $0) }
        XCTAssertLessThan(counts[0].totalTokens, counts[1].totalTokens)
        XCTAssertEqual(
            counts[2].totalTokens - counts[1].totalTokens, 100, "a named tool adds the default 100")
        XCTAssertEqual(
            counts[1].totalTokens - counts[0].totalTokens, counts[1].tools[1].tokens,
            "the second definition adds its own count")
        XCTAssertEqual(counts[0].framingTokens, counts[1].framingTokens)
        XCTAssertEqual(toolDefinitionsCount(for: two), counts[1], "stable")
        XCTAssertEqual(toolDefinitionsCount(for: analyze("---\nmodel: openai/gpt-4o\n---\nHi")), .none)
    }

    /// The framing: the namespace lines plus 9 tokens, or 5 when the prompt has a system message.
    func testOpenAIFraming() {
        let counter = TokenCounter(.o200kBase)
        let lines = counter.count("namespace functions {\n\n") + counter.count("} // namespace functions")
        let user = analyze(prompt(model: "openai/gpt-4o", frontmatter: weatherDefinition))
        let system = analyze(
            prompt(
                model: "openai/gpt-4o", frontmatter: weatherDefinition,
                body: "{{role \"system\"}}\nBe brief.\n{{role \"user\"}}\n{{q}}"))
        XCTAssertEqual(toolDefinitionsCount(for: user).framingTokens, lines + 9)
        XCTAssertEqual(toolDefinitionsCount(for: system).framingTokens, lines + 5)
    }

    /// Estimated models scale each definition's count by their ratio (the analysis counter is billed).
    func testEstimatedModelsAreScaled() {
        let definition = ToolDefinition(
            name: "f", description: "Do a thing with a long description of what it does.")
        let tools = [ToolDeclaration(name: "f", range: .empty(at: 0), definition: definition)]
        let model = ModelProfile(name: "x/y", provider: "x", isExactTokenizer: false, estimateRatio: 2)
        let counter = TokenCounter(.o200kBase)
        let count = countToolDefinitions(
            tools, model: model, countTokens: { model.billed(counter.count($0)) })
        XCTAssertEqual(
            count.tools.first?.tokens,
            2 * counter.count(jsonFunction(definition, inputSchemaKey: "parameters")))
        XCTAssertEqual(count.framingTokens, 0)
    }

    /// A schema that is neither JSON Schema nor valid Picoschema is counted as written, with a note.
    func testBrokenPicoschemaIsCountedAsWritten() {
        let document = parsePromptDocument(
            "---\ntoolDefs:\n  - name: f\n    inputSchema:\n      x: nosuchtype\n---\nHi")
        let definition = declaredTools(in: document).first?.definition
        XCTAssertNotNil(definition?.schemaProblem)
        XCTAssertEqual(definition?.inputSchema, .object([.init("x", .string("nosuchtype"))]))
    }
}

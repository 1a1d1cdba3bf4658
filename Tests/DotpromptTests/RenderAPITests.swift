import Dotprompt
import Foundation
import PromptSyntax
import PromptText
import XCTest

/// The renderer's own API: unresolved variables, frontmatter defaults, history placement, diagnostics
/// with ranges, and the shared samples rendering without errors.
final class RenderAPITests: XCTestCase {
    private func json(_ text: String) -> PlainValue {
        guard case .success(let value) = parsePlainJSON(text) else { fatalError("bad JSON in test: \(text)") }
        return value
    }

    /// One case: source, input JSON, expected message texts ("role: text" per message), expected unresolved names.
    func check(
        _ source: String, input: String = "{}", history: String? = nil, messages expected: [String],
        unresolved: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let historyMessages: [RenderedMessage]? = history.map { text in
            guard case .array(let items) = json(text) else { return [] }
            return items.compactMap(RenderedMessage.init(plain:))
        }
        let result = renderPrompt(
            source: source, input: RenderInput(data: json(input), history: historyMessages))
        XCTAssertEqual(result.messages.map { "\($0.role): \($0.text)" }, expected, file: file, line: line)
        XCTAssertEqual(result.unresolvedVariables, unresolved, file: file, line: line)
    }

    func testUnresolvedVariablesAreListedInFirstUseOrder() {
        check(
            "Hi {{name}}, {{#if vip}}VIP {{/if}}{{#each items}}{{this}}{{/each}}{{name}}",
            messages: ["user: Hi , "], unresolved: ["name", "vip", "items"])
        check(
            "{{#each items}}{{missingInItem}}{{/each}}", input: #"{"items":[{}]}"#, messages: [],
            unresolved: [])
        check("{{@root.a}} {{this.b}}", messages: [], unresolved: ["a", "b"])
    }

    func testFrontmatterDefaultsFillMissingInput() {
        let source = "---\ninput:\n  default:\n    name: World\n    n: 2\n---\nHello {{name}} x{{n}}"
        check(source, messages: ["user: Hello World x2"])
        check(source, input: #"{"name":"Ada"}"#, messages: ["user: Hello Ada x2"])
        let strict = renderPrompt(source: source, options: RenderOptions(appliesFrontmatterDefaults: false))
        XCTAssertEqual(strict.unresolvedVariables, ["name", "n"])
    }

    func testHistoryPlacement() {
        let history =
            #"[{"role":"user","content":[{"text":"earlier"}]},{"role":"model","content":[{"text":"reply"}]}]"#
        check(
            "{{role \"system\"}}S{{role \"user\"}}U", history: history,
            messages: ["system: S", "user: earlier", "model: reply", "user: U"])
        check(
            "{{role \"system\"}}S", history: history,
            messages: ["system: S", "user: earlier", "model: reply"])
        check(
            "S{{history}}after", history: history,
            messages: ["user: S", "user: earlier", "model: reply", "model: after"])
        check("  {{role \"system\"}}  \n  ", messages: [])
        // Uppercase roles do not split, but a piece that starts with the marker prefix still becomes a
        // role in `toMessages` (`piece.startsWith(ROLE_MARKER_PREFIX)`): the text is lost.
        check("{{role \"System\"}}x", messages: [])
        check("a{{role \"System\"}}x", messages: ["user: a<<<dotprompt:role:System>>>x"])
    }

    func testDiagnosticsCarryTheTagRange() {
        let source = "ok {{shout name}} and {{> missing}}"
        let result = renderPrompt(source: source)
        let ranges = result.diagnostics.map {
            String(decoding: Array(source.utf8)[$0.range.start..<$0.range.end], as: UTF8.self)
        }
        XCTAssertEqual(result.diagnostics.map(\.code), ["unknown-helper", "missing-partial"])
        XCTAssertEqual(ranges, ["shout name", "{{> missing}}"])
        XCTAssertEqual(result.messages.first?.text, "ok  and ")

        let nested = renderPrompt(
            source: "{{> outer}}", options: RenderOptions(partials: ["outer": "a {{> inner}}"]))
        XCTAssertEqual(nested.diagnostics.map(\.range), [UTF8Range(start: 0, end: 11)])
        XCTAssertTrue(nested.diagnostics[0].message.contains("'outer'"), nested.diagnostics[0].message)

        let looping = renderPrompt(source: "{{> me}}", options: RenderOptions(partials: ["me": "x{{> me}}"]))
        XCTAssertEqual(looping.diagnostics.map(\.code), ["circular-partial"])
    }

    func testMetadataIsVisibleToTheTemplate() {
        let source =
            "---\nmodel: m1\nconfig:\n  temperature: 0.5\nns.key: v\n---\n{{@metadata.prompt.model}} {{@metadata.prompt.config.temperature}} {{@metadata.prompt.ext.ns.key}}"
        let result = renderPrompt(source: source)
        XCTAssertEqual(result.messages.first?.text, "m1 0.5 v")
        XCTAssertEqual(result.model, "m1")
        XCTAssertEqual(result.ext, json(#"{"ns":{"key":"v"}}"#))
    }

    func testNamedSchemasAndSchemaErrors() {
        let source = "---\noutput:\n  schema: Person\n---\nx"
        let resolved = renderPrompt(
            source: source,
            options: RenderOptions(schemas: ["Person": .object([.init("type", .string("object"))])]))
        XCTAssertEqual(resolved.output?["schema"], json(#"{"type":"object"}"#))
        let unresolved = renderPrompt(source: source)
        XCTAssertEqual(unresolved.diagnostics.map(\.code), ["invalid-schema"])
        XCTAssertEqual(unresolved.output?["schema"], .string("Person"))
    }

    /// Samples on which the reference implementations fail too: `string[]` is not Picoschema (it
    /// throws "unsupported scalar type"), 06 calls an application helper and a partial the folder does
    /// not ship.
    static let sampleErrors: [String: Set<String>] = [
        "03": ["invalid-schema"], "05": ["invalid-schema"], "06": ["unknown-helper", "missing-partial"],
        "09": ["invalid-schema"],
    ]

    func testSharedSamplesRender() throws {
        let folder = try sharedFolder("dotprompt-samples")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".prompt")
        }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 11)
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let partials = { @Sendable (partial: String) -> String? in
                try? String(contentsOf: folder.appendingPathComponent("_\(partial).prompt"), encoding: .utf8)
            }
            let result = renderPrompt(source: text, options: RenderOptions(resolvePartial: partials))
            XCTAssertFalse(result.messages.isEmpty, name)
            let errors = Set(result.diagnostics.filter { $0.severity == .error }.map(\.code))
            XCTAssertEqual(errors, Self.sampleErrors[String(name.prefix(2)), default: []], name)
        }
    }

    /// The deepest template rendered (48 levels) fits a 512 KiB thread stack even in a debug build (what secondary threads may get);
    /// deeper ones are reported, never a crash.
    func testDeepNestingIsBoundedAndFitsASmallStack() {
        func nested(_ depth: Int) -> String {
            String(repeating: "{{#if a}}", count: depth) + "x" + String(repeating: "{{/if}}", count: depth)
        }
        let deepest = nested(48)
        let finished = expectation(description: "rendered on a small stack")
        nonisolated(unsafe) var text = ""
        let thread = Thread {
            text =
                renderPrompt(
                    source: deepest, input: RenderInput(data: .object([.init(key: "a", value: .bool(true))]))
                ).renderedText
            _ = formatPrompt(deepest)
            finished.fulfill()
        }
        // Sanitizers enlarge every stack frame (AddressSanitizer's red zones, ThreadSanitizer's
        // shadow): Tests/sanitizers.sh sets TOKENMIN_SANITIZED and the stack grows with it.
        let sanitized = ProcessInfo.processInfo.environment["TOKENMIN_SANITIZED"] != nil
        thread.stackSize = (sanitized ? 8 : 1) * 512 * 1024
        thread.start()
        wait(for: [finished], timeout: 60)
        XCTAssertEqual(text, "x")
        let tooDeep = renderPrompt(source: nested(10_000))
        XCTAssertEqual(tooDeep.diagnostics.map(\.code), ["template-too-deep"])
        XCTAssertNotNil(formatPromptFile(nested(10_000)).skippedReason)
        // Partials multiply nesting; the budget spans them.
        let outer =
            String(repeating: "{{#if a}}", count: 40) + "{{> q}}" + String(repeating: "{{/if}}", count: 40)
        let partials = RenderOptions(partials: ["p": outer, "q": nested(40)])
        let multiplied = renderPrompt(
            source: "{{> p}}", input: RenderInput(data: .object([.init(key: "a", value: .bool(true))])),
            options: partials)
        XCTAssertEqual(multiplied.diagnostics.map(\.code), ["template-too-deep"])
    }
}

import Dotprompt
import Foundation
import PromptSyntax
import XCTest

/// Runs every case of Dotprompt's shared spec (`../shared/dotprompt-spec/json/*.json`) through
/// `renderPrompt` and deep-compares with `expect` the way the reference JavaScript runner
/// (google/dotprompt `js/test/spec.test.ts`) does: the rendered prompt without `raw` and `input`
/// against `expect` with `ext`, `config` and `metadata` defaulting to `{}`; `raw` when the case gives
/// it; and the metadata (with `input`, without `messages`) against `expect`.
final class SpecConformanceTests: XCTestCase {
    /// Cases the reference implementations themselves disagree on, with the reason. Empty: every case
    /// passes.
    static let knownDisagreements: [String: String] = [:]

    struct SpecCase {
        var file: String
        var suite: PlainValue
        var test: PlainValue
        var name: String {
            "\(file) › \(suite["name"].map(templateText) ?? "?") › \(test["desc"].map(templateText) ?? "?")"
        }
    }

    static func loadCases() throws -> [SpecCase] {
        let folder = try sharedFolder("dotprompt-spec").appendingPathComponent("json")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".json")
        }.sorted()
        var cases: [SpecCase] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            guard case .success(.array(let suites)) = parsePlainJSON(text) else {
                XCTFail("\(file): not a JSON array of suites")
                continue
            }
            for suite in suites {
                guard case .array(let tests)? = suite["tests"] else { continue }
                for test in tests { cases.append(SpecCase(file: file, suite: suite, test: test)) }
            }
        }
        return cases
    }

    /// Renders one case; returns the differences (empty when it passes).
    static func check(_ spec: SpecCase) -> [String] {
        guard case .string(let template)? = spec.suite["template"] else { return ["no template"] }
        var data: [PlainValue.Member] = []
        for layer in [spec.suite["data"], spec.test["data"]] {
            if case .object(let members)? = layer {
                for member in members {
                    data.removeAll { $0.key == member.key }
                    data.append(member)
                }
            }
        }
        let dataValue = PlainValue.object(data)
        var history: [RenderedMessage]?
        if case .array(let messages)? = dataValue["messages"] {
            history = messages.compactMap(RenderedMessage.init(plain:))
        }
        let input = RenderInput(
            data: dataValue["input"] ?? .object([]), context: dataValue["context"], history: history,
            docs: dataValue["docs"])

        var partials: [String: String] = [:]
        if case .object(let members)? = spec.suite["partials"] {
            for member in members { if case .string(let text) = member.value { partials[member.key] = text } }
        }
        var resolverPartials: [String: String] = [:]
        if case .object(let members)? = spec.suite["resolverPartials"] {
            for member in members {
                if case .string(let text) = member.value { resolverPartials[member.key] = text }
            }
        }
        var schemas: [String: SchemaValue] = [:]
        if case .object(let members)? = spec.suite["schemas"] {
            for member in members { schemas[member.key] = SchemaValue(member.value) }
        }
        var resolverSchemas: [String: SchemaValue] = [:]
        if case .object(let members)? = spec.suite["resolverSchemas"] {
            for member in members { resolverSchemas[member.key] = SchemaValue(member.value) }
        }
        let frozenPartials = resolverPartials
        let frozenSchemas = resolverSchemas
        let options = RenderOptions(
            partials: partials, resolvePartial: { frozenPartials[$0] }, schemas: schemas,
            resolveSchema: { frozenSchemas[$0] },
            metadataOverrides: spec.test["options"],
            // The reference `render` only applies `options.input.default`.
            appliesFrontmatterDefaults: false)
        let result = renderPrompt(source: template, input: input, options: options)

        var problems: [String] = []
        for diagnostic in result.diagnostics where diagnostic.severity == .error {
            problems.append("diagnostic: \(diagnostic)")
        }
        let expect = spec.test["expect"] ?? .object([])
        func withDefaults(_ value: PlainValue, dropping: Set<String>) -> PlainValue {
            guard case .object(var members) = value else { return value }
            members.removeAll { dropping.contains($0.key) }
            for key in ["ext", "config", "metadata"] where !members.contains(where: { $0.key == key }) {
                members.append(.init(key: key, value: .object([])))
            }
            return .object(members)
        }
        func pruned(_ value: PlainValue, dropping: Set<String>) -> PlainValue {
            guard case .object(let members) = value else { return value }
            return .object(members.filter { !dropping.contains($0.key) })
        }
        func compare(_ what: String, _ actual: PlainValue, _ expected: PlainValue) {
            if actual.normalizedForComparison != expected.normalizedForComparison {
                problems.append(
                    "\(what):\n  actual   \(actual.jsonText())\n  expected \(expected.jsonText())")
            }
        }
        // render(): the prompt without raw and input, plus messages.
        var rendered = pruned(result.metadata, dropping: ["raw", "input"])
        if case .object(var members) = rendered {
            members.append(.init(key: "messages", value: .array(result.messages.map(\.plainValue))))
            rendered = .object(members)
        }
        compare("render", rendered, withDefaults(expect, dropping: ["raw", "input"]))
        if let raw = expect["raw"] { compare("raw", result.raw ?? .null, raw) }
        // renderMetadata(): with input, without messages.
        compare(
            "renderMetadata", pruned(result.metadata, dropping: ["raw"]),
            withDefaults(expect, dropping: ["messages", "raw"]))
        return problems
    }

    func testEverySpecCase() throws {
        let cases = try Self.loadCases()
        XCTAssertEqual(cases.count, 117, "the spec has 117 cases in 13 files; did it change?")
        var passed = 0
        var skipped = 0
        for spec in cases {
            if let reason = Self.knownDisagreements[spec.name] {
                skipped += 1
                print("spec case \(spec.name) not compared: \(reason)")
                continue
            }
            let problems = Self.check(spec)
            if problems.isEmpty {
                passed += 1
            } else {
                XCTFail("\(spec.name):\n" + problems.joined(separator: "\n"))
            }
        }
        print(
            "Dotprompt spec conformance: \(cases.count) cases, \(passed) passed, \(skipped) listed as reference disagreements"
        )
    }
}

private func templateText(_ value: PlainValue) -> String {
    if case .string(let text) = value { return text }
    return value.jsonText()
}

import Foundation
import PromptSyntax
import PromptText
import XCTest

@testable import PromptAnalysis

/// The fix property: every edit a code action (quick fix, suppression, refactor), fix-all or
/// `check --fix` (the same `fixAll`) produces leaves a file that Dotprompt still reads with the same
/// meaning plus the intended change. Checked over generated prompts: many frontmatter shapes (no
/// config, config first or last, flow maps, empty and null config, comments, CRLF, tabs, nested maps,
/// block scalars last, a flow-map root, comment-only and empty frontmatter, `---` with trailing
/// spaces, no trailing newline, header lines) crossed with bodies that trigger every fixable rule.
final class FixPropertyTests: XCTestCase {
    private let resolver = catalogModelResolver(for: Configuration())

    private func analyze(_ text: String) -> DocumentAnalysis {
        analyzeDocument(AnalysisInput(text: text, resolveModel: resolver))
    }

    /// What one generated document is made of (printed when a case fails, to reproduce it).
    struct Shape: CustomStringConvertible {
        var header: String
        var entries: [String]
        var flowRoot: String?
        var closing: String
        var body: String
        var crlf: Bool
        var trailingNewline: Bool

        var text: String {
            let yaml = flowRoot ?? entries.joined(separator: "\n")
            var text = header + "---\n" + yaml + (yaml.isEmpty ? "" : "\n") + closing
            if !body.isEmpty || trailingNewline { text += "\n" }
            text += body
            if !body.isEmpty, trailingNewline { text += "\n" }
            return crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text
        }

        var description: String { "\(text.debugDescription)" }
    }

    static let secret = "sk-proj-" + String(repeating: "Ab3dE5gH7jK9mN1pQ3sT5vX7zB9", count: 2)

    static let models = [
        "model: openai/gpt-4o", "model: \"openai/gpt-4o\"", "model: 'openai/gpt-4o'", "model: openai/gpt-4o # production",
        "model:\topenai/gpt-4o", "model: openai/gpt-4o   ", "model: openai/gpt-4oo", "model: googleai/gemini-2.5-pro",
    ]
    static let configs = [
        "config:\n  temperature: 0.2", "config:\n    temperature: 0.2\n    topK: 3", "config: {temperature: 0.2}", "config: {}",
        "config:", "config: ~", "config: null", "config:\n  # tuned by hand\n  temperature: 0.2",
        "config:\n  safety:\n    level: high\n  temperature: 0.2", "config:\n  stop: |\n    END", "config:\n  temperature: 0.2 # warm",
        "config:\n  temperature:\t0.2", "config: {temperature: 0.2,\n  topK: 3}", "config:\n  stop:\n    - END\n    - STOP",
        "config:\n  maxTurns: 3", "config:\n  maxTurns: 40", "config: {maxTurns: 25}",
    ]
    static let extras = [
        "input:\n  schema:\n    ticket: string, the customer's message\n    product: string", "tools: [lookup]",
        "tools:\n  - lookup\n  - search", "description: |\n  Classifies tickets.\n  Second line.", "description: >-\n  Folded text",
        "metadata:\n  owner: team-a", "# a comment line", "modle: openai/gpt-4o", "output:\n  format: json", "",
        "metadata:\n  apiKey: \(secret)", "name: triage # the name", "variant: \"a: b\"", "description: multi\n  line plain",
    ]
    static let flowRoots = [
        "{model: openai/gpt-4o}", "{model: openai/gpt-4o, config: {temperature: 0.2}}", "{model: openai/gpt-4o, tools: [lookup]}",
        "{}", "# nothing but a comment", "{model: openai/gpt-4o,\n config: {temperature: 0.2}}",
    ]
    static let bodies = [
        "You are a helpful assistant. Please classify the ticket into exactly one category. Think step by step.",
        "TODO: update this when the billing team moves\nSummarize the text.",
        "Respond in JSON with the keys \"category\" and \"confidence\". The category must be one of: billing, bug, account.",
        "{{role \"system\"}}\nBe concise.\nBe concise.\n{{role \"user\"}}\n{{ticket}}\nAnswer in one word.",
        "{{#role \"system\"}}Be brief.{{/role}}\nClassify {{ticket}}. Thank you!",
        "Use the key \(secret) for the lookup tool.",
        "Take a deep breath. Classify the ticket: billing or bug?",
        "",
        "Summarize the text.",
    ]

    func testEveryFixKeepsTheFileValidWithTheIntendedMeaning() throws {
        var generator = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["TOKENMIN_FUZZ_SEED"] ?? "") ?? 25)
        var checked: [String: Int] = [:]
        var documents = 0
        for index in 0..<400 {
            var shape = Shape(header: "", entries: [], flowRoot: nil, closing: "---", body: "", crlf: false, trailingNewline: true)
            shape.header = generator.pick(["", "", "# title line\n"])
            if index % 9 == 8 {
                shape.flowRoot = generator.pick(Self.flowRoots)
            } else {
                var entries: [String] = []
                if generator.chance(0.9) { entries.append(generator.pick(Self.models)) }
                for _ in 0..<generator.int(below: 4) { entries.append(generator.pick(Self.extras)) }
                if generator.chance(0.65) { entries.insert(generator.pick(Self.configs), at: generator.int(below: entries.count + 1)) }
                // One copy per key (duplicate keys are invalid YAML to begin with).
                var seen: Set<String> = []
                shape.entries = entries.filter { entry in
                    let key = entry.split(separator: ":").first.map(String.init) ?? entry
                    return entry.hasPrefix("#") || entry.isEmpty || seen.insert(key).inserted
                }
                if index % 50 == 0 { shape.entries = [] }
            }
            shape.closing = generator.pick(["---", "---", "---  "])
            shape.body = generator.pick(Self.bodies)
            shape.crlf = generator.chance(0.3)
            shape.trailingNewline = generator.chance(0.7)
            documents += 1
            try checkFixes(shape, counts: &checked)
        }
        // Every fix kind the product has was exercised (the property is not vacuous).
        for kind in ["Add config.maxOutputTokens", "Set maxTurns", "Use ", "Switch to ", "Rename to ", "Replace the secret",
                     "Move ", "Suppress ", "Remove ", "Turn the note", "Rewrite as", "Wrap ", "fix-all"] {
            XCTAssertGreaterThan(checked.filter { $0.key.hasPrefix(kind) }.values.reduce(0, +), 0, "no \(kind) action was checked")
        }
        XCTAssertEqual(documents, 400)
        print("fix property: \(documents) documents, \(checked.values.reduce(0, +)) actions checked, \(checked.count) distinct titles")
    }

    /// Applies every action offered anywhere in `shape` and fix-all; checks each result.
    private func checkFixes(_ shape: Shape, counts: inout [String: Int], file: StaticString = #filePath, line: UInt = #line) throws {
        let text = shape.text
        let analysis = analyze(text)
        let before = splitPromptSource(text)
        var actions: [(title: String, edits: [TextEdit])] = []
        var seen: Set<[TextEdit]> = []
        for finding in analysis.findings {
            for action in codeActions(for: analysis, in: finding.range) where seen.insert(action.edits).inserted {
                actions.append((action.title, action.edits))
            }
            // Fixes the rules offer for this shape must survive: the config insertions always have a
            // safe place when `config` is a mapping or absent.
            if ["missing-output-cap", "unbounded-tool-loop"].contains(finding.ruleID), before.frontmatter != nil {
                XCTAssertFalse(finding.fixes.isEmpty, "\(finding.ruleID) lost its fix on \(shape)", file: file, line: line)
            }
        }
        // Fix-all, as `source.fixAll.tokenmin` and `check --fix` apply it (safe fixes to a fixed point).
        if let edit = minimalEdit(from: text, to: fixAll(analysis, reanalyze: analyze)) {
            actions.append(("fix-all", [edit]))
        }
        for action in actions {
            let after: String
            do { after = try TextEdit.apply(action.edits, to: text) } catch {
                XCTFail("\(action.title): edits do not apply (\(error)) on \(shape)", file: file, line: line)
                continue
            }
            counts[action.title, default: 0] += 1
            let split = splitPromptSource(after)
            let context = "\(action.title) on \(shape)\n→ \(after.debugDescription)"
            // Dotprompt reads the frontmatter as before (or still ignores it).
            XCTAssertEqual(split.frontmatter == nil, before.frontmatter == nil, "frontmatter lost or gained: \(context)", file: file, line: line)
            XCTAssertEqual(split.fallback?.reason, before.fallback?.reason, "frontmatter fallback changed: \(context)", file: file, line: line)
            let bytes = Array(text.utf8)
            let afterBytes = Array(after.utf8)
            let touchesFrontmatter = before.frontmatter.map { block in action.edits.contains { $0.range.start < block.blockRange.end } } ?? false
            let touchesBody = action.edits.contains { $0.range.end > before.body.start || $0.range.start >= before.body.start }
            if let old = before.frontmatter {
                guard let new = split.frontmatter else { continue }
                XCTAssertFalse(new.yaml.hasErrors, "invalid YAML: \(context)", file: file, line: line)
                if action.title.hasPrefix("Move ") {
                    // The refactor adds `output.schema`; everything else keeps its value.
                    func withoutOutput(_ value: PlainValue) -> PlainValue {
                        if case .object(let members) = value { return .object(members.filter { $0.key != "output" }) }
                        return value
                    }
                    XCTAssertTrue(sameYAMLData(withoutOutput(frontmatterValue(new)), withoutOutput(frontmatterValue(old))),
                                  "YAML meaning changed: \(context)", file: file, line: line)
                    XCTAssertNotNil(frontmatterValue(new)["output"]?["schema"], "no output.schema: \(context)", file: file, line: line)
                } else {
                    // A title names the change; it is meant for the frontmatter only when an edit is there.
                    let expected = touchesFrontmatter
                        ? intendedValue(action.title, old: frontmatterValue(old), findings: analysis.findings, text: text) : frontmatterValue(old)
                    XCTAssertTrue(sameYAMLData(frontmatterValue(new), expected),
                                  "YAML meaning changed: \(context)\nexpected \(expected)\nfound \(frontmatterValue(new))", file: file, line: line)
                }
                if !touchesBody {
                    // The body is byte-identical.
                    XCTAssertEqual(Array(afterBytes[split.body.start...]), Array(bytes[before.body.start...]), "body changed: \(context)",
                                   file: file, line: line)
                }
                if !touchesFrontmatter {
                    XCTAssertEqual(Array(afterBytes[..<split.body.start]), Array(bytes[..<before.body.start]),
                                   "frontmatter bytes changed: \(context)", file: file, line: line)
                }
            }
            // No new template or YAML errors.
            let errorsBefore = analysis.document.diagnostics.filter { $0.severity == .error }.count
            XCTAssertLessThanOrEqual(parsePromptDocument(after).diagnostics.filter { $0.severity == .error }.count, errorsBefore,
                                     "new syntax errors: \(context)", file: file, line: line)
        }
    }

    /// The frontmatter value an action is meant to produce from `old`.
    private func intendedValue(_ title: String, old: PlainValue, findings: [Finding], text: String) -> PlainValue {
        if let rest = title.stripping("Add config.") {
            let parts = rest.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return old.setting(.int(Int(parts[1])!), at: ["config", parts[0]])
        }
        if let turns = title.stripping("Set maxTurns: ").flatMap({ Int($0) }) {
            // Genkit reads `maxTurns` at the top level or under `config`; the fix edits whichever is there.
            if case .object(let members) = old, members.contains(where: { $0.key == "maxTurns" }) {
                return old.setting(.int(turns), at: ["maxTurns"])
            }
            return old.setting(.int(turns), at: ["config", "maxTurns"])
        }
        if let model = title.stripping("Use ") ?? title.stripping("Switch to ") {
            return old.setting(.string(model), at: ["model"])
        }
        if let renamed = title.stripping("Rename to '").map({ String($0.dropLast()) }), case .object(let members) = old {
            let unknown = Set(findings.filter { $0.ruleID == "unknown-frontmatter-key" }.map { text.utf8Slice($0.range) })
            return .object(members.map { unknown.contains($0.key) ? PlainValue.Member(key: renamed, value: $0.value) : $0 })
        }
        if let variable = title.stripping("Replace the secret with ") {
            return replacing(Self.secret, with: variable, in: old)
        }
        return old
    }

    private func replacing(_ secret: String, with replacement: String, in value: PlainValue) -> PlainValue {
        switch value {
        case .string(let text): return .string(text.replacingOccurrences(of: secret, with: replacement))
        case .array(let items): return .array(items.map { replacing(secret, with: replacement, in: $0) })
        case .object(let members):
            return .object(members.map { PlainValue.Member(key: $0.key, value: replacing(secret, with: replacement, in: $0.value)) })
        default: return value
        }
    }

    /// Hand-picked shapes from the issue and their exact results (the generated ones check meaning).
    func testConfigInsertionShapes() throws {
        let rows: [(String, String)] = [
            ("---\nmodel: openai/gpt-4o\n---\nSummarize the text.\n",
             "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 500\n---\nSummarize the text.\n"),
            ("---\r\nmodel: openai/gpt-4o\r\n---\r\nSummarize the text.",
             "---\r\nmodel: openai/gpt-4o\r\nconfig:\r\n  maxOutputTokens: 500\r\n---\r\nSummarize the text."),
            ("---\nmodel: openai/gpt-4o\ninput:\n  schema: Recipe\n---\nGo.\n",
             "---\nmodel: openai/gpt-4o\ninput:\n  schema: Recipe\nconfig:\n  maxOutputTokens: 500\n---\nGo.\n"),
            ("---\nmodel: openai/gpt-4o\nconfig: {temperature: 0.2}\n---\nGo.\n",
             "---\nmodel: openai/gpt-4o\nconfig: {temperature: 0.2, maxOutputTokens: 500}\n---\nGo.\n"),
            ("---\nconfig:\n    temperature: 0.2 # warm\nmodel: openai/gpt-4o\n---\nGo.\n",
             "---\nconfig:\n    temperature: 0.2 # warm\n    maxOutputTokens: 500\nmodel: openai/gpt-4o\n---\nGo.\n"),
            ("---\nmodel: openai/gpt-4o\nconfig:\n---\nGo.\n",
             "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 500\n---\nGo.\n"),
            ("---\nmodel: openai/gpt-4o\nconfig: ~\n---\nGo.\n",
             "---\nmodel: openai/gpt-4o\nconfig: {maxOutputTokens: 500}\n---\nGo.\n"),
            ("---\n{model: openai/gpt-4o}\n---\nGo.\n",
             "---\n{model: openai/gpt-4o, config: {maxOutputTokens: 500}}\n---\nGo.\n"),
            ("---\nmodel: openai/gpt-4o\ndescription: |\n  Two\n  lines\n---\nGo.\n",
             "---\nconfig:\n  maxOutputTokens: 500\nmodel: openai/gpt-4o\ndescription: |\n  Two\n  lines\n---\nGo.\n"),
        ]
        for (input, expected) in rows {
            let analysis = analyze(input)
            let fix = analysis.findings.first { $0.ruleID == "missing-output-cap" }?.fixes.first
            XCTAssertEqual(try fix.map { try TextEdit.apply($0.edits, to: input) }, expected, input.debugDescription)
        }
    }
}

private extension String {
    func stripping(_ prefix: String) -> String? { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil }
}

/// A small deterministic generator (SplitMix64), so a failing case reproduces from its seed.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(below bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
    mutating func chance(_ probability: Double) -> Bool { Double(next() % 10_000) / 10_000 < probability }
    mutating func pick<T>(_ items: [T]) -> T { items[int(below: items.count)] }
}

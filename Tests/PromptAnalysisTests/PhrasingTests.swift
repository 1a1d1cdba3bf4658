import Foundation
import PromptText
import XCTest

@testable import PromptAnalysis

/// Phrasings per rule, as data: `Tests/Fixtures/phrasings/RULE.txt` holds cases, each a whole prompt
/// after a header line — `=== fires: why` (the rule must report at least one finding) or `=== quiet:
/// why` (it must report none). A case without frontmatter gets `defaultFrontmatter`; a file may set its
/// own with a `=== frontmatter` block first. Every waste and security rule has at least ten of each:
/// natural phrasings that must fire, and close-but-innocent ones (negation, quotation, examples, code)
/// that must not.
final class PhrasingTests: XCTestCase {
    static let folder = repositoryRoot.appendingPathComponent("Tests/Fixtures/phrasings")
    static let defaultFrontmatter = "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 300\n---\n"
    private let counters = TokenCounters()

    struct Case {
        var fires: Bool
        var title: String
        var text: String
        var line: Int
    }

    /// Expands `⟨random:N⟩` (base62), `⟨upper:N⟩` (A–Z, 0–9) and `⟨digits:N⟩` into deterministic
    /// random-looking characters, so that the fixture files hold no string shaped like a real credential.
    static func expandingRandom(_ text: String) -> String {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "⟨"), let close = rest[open...].firstIndex(of: "⟩") {
            result += rest[..<open]
            let spec = rest[rest.index(after: open)..<close].split(separator: ":")
            let alphabet: [Character]
            switch spec.first {
            case "upper": alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
            case "digits": alphabet = Array("0123456789")
            default: alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            }
            let count = spec.count > 1 ? Int(spec[1]) ?? 0 : 0
            for _ in 0..<count { result.append(alphabet[Int(next() % UInt64(alphabet.count))]) }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Parses a phrasing file into cases.
    static func cases(in text: String) -> [Case] {
        let text = expandingRandom(text)
        var cases: [Case] = []
        var frontmatter = defaultFrontmatter
        var current: (kind: String, title: String, line: Int)?
        var body: [String] = []
        func close() {
            guard let header = current else { return }
            var prompt = body.joined(separator: "\n").trimmingCharacters(in: .newlines)
            if header.kind == "frontmatter" {
                frontmatter = prompt + "\n"
            } else {
                if !prompt.hasPrefix("---\n") { prompt = frontmatter + prompt }
                cases.append(Case(fires: header.kind == "fires", title: header.title, text: prompt + "\n", line: header.line))
            }
            body = []
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("=== ") {
                close()
                let header = line.dropFirst(4)
                let kind = header.prefix { $0 != ":" }.trimmingCharacters(in: .whitespaces)
                let title = header.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces)
                current = (kind, title, index + 1)
            } else if !line.hasPrefix("#") || current != nil {
                body.append(String(line))
            }
        }
        close()
        return cases
    }

    /// Runs every case of `rule`'s file: fires → at least one finding of the rule; quiet → none. Also
    /// checks the counts the issue asks for (ten of each).
    private func check(_ rule: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.folder.appendingPathComponent("\(rule).txt")
        let cases = Self.cases(in: try String(contentsOf: url, encoding: .utf8))
        XCTAssertGreaterThanOrEqual(cases.filter(\.fires).count, 10, "\(rule): phrasings that must fire", file: file, line: line)
        XCTAssertGreaterThanOrEqual(cases.filter { !$0.fires }.count, 10, "\(rule): phrasings that must not fire", file: file, line: line)
        for item in cases {
            let analysis = analyzeDocument(AnalysisInput(
                text: item.text, resolveModel: catalogModelResolver(for: Configuration()), counters: counters))
            let findings = analysis.findings.filter { $0.ruleID == rule }
            let shown = findings.map { "\($0.message) @\(analysis.text.utf8Slice($0.range))" }
            if item.fires {
                XCTAssertFalse(findings.isEmpty, "\(rule).txt:\(item.line) must fire: \(item.title)", file: file, line: line)
            } else {
                XCTAssertTrue(findings.isEmpty, "\(rule).txt:\(item.line) must stay quiet: \(item.title) — \(shown)", file: file, line: line)
            }
            // Whatever the rule reports, its safe fixes apply and keep the prompt parseable.
            let edits = findings.flatMap { $0.fixes.filter(\.isSafe).flatMap(\.edits) }
            if !edits.isEmpty {
                XCTAssertNoThrow(try TextEdit.apply(edits, to: item.text), "\(rule).txt:\(item.line) fix edits", file: file, line: line)
            }
        }
    }

    func testScaffolding() throws { try check("scaffolding") }
    func testPoliteness() throws { try check("politeness") }
    func testDevNote() throws { try check("dev-note") }
    func testReasoningScaffold() throws { try check("reasoning-scaffold") }
    func testDuplicateInstruction() throws { try check("duplicate-instruction") }
    func testContradiction() throws { try check("contradiction") }
    func testFewShotOversized() throws { try check("few-shot-oversized") }
    func testProseFormat() throws { try check("prose-format") }
    func testSecretInPrompt() throws { try check("secret-in-prompt") }
    func testPIIInPrompt() throws { try check("pii-in-prompt") }
    func testUntrustedInputInSystem() throws { try check("untrusted-input-in-system") }
    func testUnfencedInput() throws { try check("unfenced-input") }

    /// Every waste and security rule has a phrasing file.
    func testEveryWasteAndSecurityRuleHasPhrasings() {
        for descriptor in RuleRegistry.descriptors where descriptor.category == .waste || descriptor.category == .security {
            XCTAssertTrue(FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent("\(descriptor.id).txt").path),
                          "no phrasings for \(descriptor.id)")
        }
    }
}

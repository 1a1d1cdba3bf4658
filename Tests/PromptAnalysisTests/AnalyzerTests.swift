import Foundation
import PromptText
import Dotprompt
import Pricing
import Tokenizer
import XCTest

@testable import PromptAnalysis

/// The repository root and the shared Dotprompt material next to it.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let sharedSamples = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/dotprompt-samples")

/// The `.prompt` files of a folder, sorted; fails the test when the folder is missing.
func promptFiles(in folder: URL, file: StaticString = #filePath, line: UInt = #line) -> [URL] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
        XCTFail("\(folder.path) is missing (the shared Dotprompt material must sit beside the repository)", file: file, line: line)
        return []
    }
    return names.filter { $0.hasSuffix(".prompt") }.sorted().map { folder.appendingPathComponent($0) }
}

/// Compares with a golden file under Golden/, rewritten with TOKENMIN_UPDATE_GOLDENS=1.
func assertAnalysisGolden(_ name: String, _ actual: String, file: StaticString = #filePath, line: UInt = #line) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    if ProcessInfo.processInfo.environment["TOKENMIN_UPDATE_GOLDENS"] == "1" {
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? "(missing golden \(name))"
    XCTAssertEqual(actual, expected, "golden \(name); rerun with TOKENMIN_UPDATE_GOLDENS=1 after reviewing", file: file, line: line)
}

/// One line per finding: `file:line:col severity rule-id message`.
func describe(_ analysis: DocumentAnalysis, name: String, minimum: Severity = .info) -> String {
    analysis.findings.filter { $0.severity >= minimum }.map { finding in
        let position = analysis.lineIndex.position(ofUTF8Offset: finding.range.start, in: .utf32)
        return "\(name):\(position.line + 1):\(position.column + 1) \(finding.severity) \(finding.ruleID) \(finding.message)"
    }.joined(separator: "\n")
}

final class AnalyzerTests: XCTestCase {
    private let counters = TokenCounters()

    private func analyze(_ url: URL) throws -> DocumentAnalysis {
        analyzeDocument(AnalysisInput(text: try String(contentsOf: url, encoding: .utf8), path: url.path,
                                      resolveModel: catalogModelResolver(for: Configuration()), counters: counters))
    }

    /// Realistic, well-written prompts: no rule may fire at warning or error (the false-alarm gate).
    func testCleanCorpusHasNoWarnings() throws {
        let files = promptFiles(in: repositoryRoot.appendingPathComponent("Tests/Fixtures/clean"))
        XCTAssertGreaterThanOrEqual(files.count, 8)
        for url in files {
            XCTAssertEqual(describe(try analyze(url), name: url.lastPathComponent, minimum: .warning), "", url.lastPathComponent)
        }
    }

    /// Every finding on the shared samples and on the wasteful examples, reviewed and pinned.
    func testSampleAndExampleFindings() throws {
        var lines: [String] = []
        for url in promptFiles(in: sharedSamples) + promptFiles(in: repositoryRoot.appendingPathComponent("Tests/Fixtures/examples")) {
            let analysis = try analyze(url)
            lines.append("== \(url.lastPathComponent): \(analysis.cost.inputTokens) input tokens (\(analysis.cost.encoding))")
            let text = describe(analysis, name: url.lastPathComponent)
            if !text.isEmpty { lines.append(text) }
        }
        assertAnalysisGolden("findings.txt", lines.joined(separator: "\n") + "\n")
    }

    /// Message counts are the tokenizer's count of each message's static text, plus chat framing.
    func testCountsAreTheTokenizersCounts() throws {
        let text = "---\nmodel: openai/gpt-4o\n---\n{{role \"system\"}}\nSummarize the ticket in one line.\n{{role \"user\"}}\nTicket: {{ticket}}\n"
        let analysis = analyzeDocument(AnalysisInput(text: text, counters: counters))
        let encoding = BPEEncoding.named(.o200kBase)
        // Dotprompt trims the body, so the final line break is not part of the template.
        XCTAssertEqual(analysis.messages.map(\.tokens), [encoding.count("\nSummarize the ticket in one line.\n"), encoding.count("\nTicket: ")])
        XCTAssertEqual(analysis.cost.unresolvedVariables, ["ticket"])
        XCTAssertEqual(analysis.cost.overheadTokens, 2 * 3 + 3)
        XCTAssertEqual(analysis.cost.inputTokens, analysis.messages.map(\.tokens).reduce(0, +) + 9)
    }

    /// Chunked counting (what makes re-analysis incremental) equals counting the whole text.
    func testChunkedCountingEqualsWholeCounting() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["word ", "\n", "\n\n", "  ", "/path", "// comment\n", "12345", "日本語", "😀", " - item\n", "\t", "x.\n/", "'s ", "\r\n", "\u{00A0}", "ÄÖ", "}}\n"]
        for encoding in EncodingName.allCases {
            let counter = TokenCounter(encoding)
            let whole = BPEEncoding.named(encoding)
            for round in 0..<60 {
                var text = ""
                while text.utf8.count < 5_000 + round * 100 { text += pieces.randomElement(using: &generator)! }
                XCTAssertEqual(counter.count(text), whole.count(text), "\(encoding) round \(round)")
                XCTAssertGreaterThan(counter.chunks(of: text).count, 1)
            }
            for url in promptFiles(in: sharedSamples) {
                let sample = try String(contentsOf: url, encoding: .utf8)
                let repeated = String(repeating: sample, count: 4)
                XCTAssertEqual(counter.count(repeated), whole.count(repeated), url.lastPathComponent)
            }
        }
    }

    func testFormatUSDIsPricingsCompactFormat() {
        for text in ["0", "0.0042", "3.5", "1234", "-0.5"] {
            XCTAssertEqual(formatUSD(Decimal(string: text)!), USDFormat.compact(Decimal(string: text)!))
        }
    }
}

final class RenderedCountTests: XCTestCase {
    /// With a value for every input the call is rendered and counted exactly: the count equals the
    /// encoding's count of the rendered message text.
    func testDefaultsMakeCountsExact() {
        let text = """
            ---
            model: openai/gpt-4o
            input:
              schema:
                topic: string
              default:
                topic: the Great Barrier Reef
            ---
            Write a haiku about {{topic}}.
            """
        let analysis = analyzeDocument(AnalysisInput(text: text, resolveModel: catalogModelResolver(for: Configuration())))
        XCTAssertTrue(analysis.cost.isExact)
        XCTAssertEqual(analysis.cost.unresolvedVariables, [])
        XCTAssertEqual(analysis.messages.map(\.tokens), [BPEEncoding.named(.o200kBase).count("Write a haiku about the Great Barrier Reef.")])
    }

    func testSampleFileAndMetadataSample() {
        let text = "---\nmodel: openai/gpt-4o\nmetadata:\n  tokenmin:\n    sample: {name: Ana}\n---\nHi {{name}}, about {{topic}}."
        let partial = analyzeDocument(AnalysisInput(text: text))
        XCTAssertEqual(partial.cost.unresolvedVariables, ["topic"], "metadata sample alone leaves topic unresolved")
        let full = analyzeDocument(AnalysisInput(text: text, sampleData: .object([.init(key: "topic", value: .string("billing"))])))
        XCTAssertEqual(full.cost.unresolvedVariables, [])
        XCTAssertEqual(full.messages.first?.tokens, BPEEncoding.named(.o200kBase).count("Hi Ana, about billing."))
        XCTAssertFalse(full.findings.contains { $0.ruleID == "invalid-configuration" })
    }
}

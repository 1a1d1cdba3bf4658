import Foundation
import PromptSyntax
import PromptText
import XCTest

@testable import PromptAnalysis

/// gpt-4o's list prices at the time of writing ($2.50 and $10 per million tokens): round numbers for
/// hand-computed expectations.
private let prices = TokenPrices(
    inputPerToken: Decimal(string: "0.0000025")!, outputPerToken: Decimal(string: "0.00001")!)

/// One expected projected call: (count, input tokens, USD per call as a decimal string).
private typealias Expected = (count: Int, inputTokens: Int, usd: String?)

private func check(
    _ calls: [ProjectedCall], _ expected: [Expected], file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(calls.map(\.count), expected.map(\.count), "counts", file: file, line: line)
    XCTAssertEqual(
        calls.map(\.inputTokens), expected.map(\.inputTokens), "input tokens", file: file, line: line)
    XCTAssertEqual(
        calls.map(\.usdPerCall), expected.map { $0.usd.flatMap { Decimal(string: $0) } }, "USD per call",
        file: file, line: line)
}

final class HistoryProjectionTests: XCTestCase {
    /// 1,000 static tokens, 150 per turn, 500 out. By hand: 5 turns → 1,000 + 750 = 1,750 tokens,
    /// 1,750 × 0.0000025 + 500 × 0.00001 = 0.004375 + 0.005; 20 → 4,000 (0.01 + 0.005); 50 → 8,500
    /// (0.02125 + 0.005).
    func testCallsAtFiveTwentyFiftyPriorTurns() {
        let growth = HistoryGrowth(
            staticInputTokens: 1000, turnTokens: 150, outputTokens: 500, prices: prices)
        check(growth.calls(), [(5, 1750, "0.009375"), (20, 4000, "0.015"), (50, 8500, "0.02625")])
        check(
            [growth.call(afterPriorTurns: 0), growth.call(afterPriorTurns: -3)],
            [(0, 1000, "0.0075"), (0, 1000, "0.0075")])
    }

    func testWithoutPricesProjectsTokensOnly() {
        let growth = HistoryGrowth(staticInputTokens: 320, turnTokens: 200, outputTokens: 100, prices: nil)
        check(growth.calls(afterPriorTurns: [1, 2]), [(1, 520, nil), (2, 720, nil)])
        XCTAssertNil(growth.conversation(turns: 4).usd)
    }

    /// A conversation of N turns sends N × static + turn × (0 + 1 + … + N−1) input tokens. By hand for
    /// N = 20: 20 × 1,000 + 150 × 190 = 48,500 input, 20 × 500 = 10,000 output;
    /// 48,500 × 0.0000025 + 10,000 × 0.00001 = 0.12125 + 0.1 = 0.22125.
    func testConversationCostIsQuadratic() {
        let growth = HistoryGrowth(
            staticInputTokens: 1000, turnTokens: 150, outputTokens: 500, prices: prices)
        let twenty = growth.conversation(turns: 20)
        XCTAssertEqual(twenty.inputTokens, 48_500)
        XCTAssertEqual(twenty.outputTokens, 10_000)
        XCTAssertEqual(twenty.usd, Decimal(string: "0.22125"))
        // 1 turn is one call without history; 0 turns cost nothing.
        XCTAssertEqual(growth.conversation(turns: 1).inputTokens, 1000)
        XCTAssertEqual(
            growth.conversation(turns: 0), ConversationCost(turns: 0, inputTokens: 0, outputTokens: 0, usd: 0)
        )
        // Each added turn costs one more call carrying all previous turns.
        for turns in 1...60 {
            let added =
                growth.conversation(turns: turns + 1).inputTokens
                - growth.conversation(turns: turns).inputTokens
            XCTAssertEqual(added, growth.call(afterPriorTurns: turns).inputTokens)
        }
        // Doubling the conversation roughly quadruples the history part: 40 turns → 40,000 + 150 × 780.
        XCTAssertEqual(growth.conversation(turns: 40).inputTokens, 40_000 + 117_000)
    }

    /// Through an analysis: static input excludes the history, turn size comes from configuration, and
    /// extra input (tool definitions) is added.
    func testGrowthOfAnAnalysedPrompt() {
        var configuration = Configuration()
        configuration.historyTurnTokens = 100
        let text =
            "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 200\n---\n{{role \"system\"}}\nYou are terse.\n{{history}}\n{{role \"user\"}}\n{{question}}\n"
        let analysis = analyzeDocument(
            AnalysisInput(
                text: text, configuration: configuration,
                resolveModel: catalogModelResolver(for: configuration)))
        guard let growth = historyGrowth(for: analysis, extraInputTokens: 40) else {
            return XCTFail("no history found")
        }
        XCTAssertEqual(growth.staticInputTokens, analysis.cost.inputTokens + 40)
        XCTAssertEqual(growth.turnTokens, 100)
        XCTAssertEqual(growth.outputTokens, 200)
        XCTAssertEqual(growth.prices, TokenPrices(analysis.model))
        XCTAssertEqual(growth.call(afterPriorTurns: 5).inputTokens, analysis.cost.inputTokens + 40 + 500)
        let withoutHistory = analyzeDocument(AnalysisInput(text: "Hello {{name}}"))
        XCTAssertNil(historyGrowth(for: withoutHistory))
    }
}

final class RetrievalProjectionTests: XCTestCase {
    /// 400 base tokens, 30 body + 250 item = 280 per item, 200 out at gpt-4o-mini's $0.15/$0.60 per
    /// million. By hand: 3 items → 400 + 840 = 1,240 tokens, 1,240 × 0.00000015 + 200 × 0.0000006 =
    /// 0.000186 + 0.00012; 10 → 3,200 (0.00048 + 0.00012); 20 → 6,000 (0.0009 + 0.00012).
    func testCallsAtThreeTenTwentyItems() {
        let mini = TokenPrices(
            inputPerToken: Decimal(string: "0.00000015")!, outputPerToken: Decimal(string: "0.0000006")!)
        let growth = RetrievalGrowth(
            baseInputTokens: 400, tokensPerItem: 30 + 250, outputTokens: 200, prices: mini)
        check(growth.calls(), [(3, 1240, "0.000306"), (10, 3200, "0.0006"), (20, 6000, "0.00102")])
        check([growth.call(items: 0)], [(0, 400, "0.00018")])
    }

    /// Through an analysis: the body's static text is counted once by the analysis and once per item by
    /// the projection; the base excludes it.
    func testGrowthOfAnAnalysedLoop() throws {
        let text =
            "---\nmodel: openai/gpt-4o-mini\nconfig:\n  maxOutputTokens: 300\n---\nAnswer from the sources.\n{{#each docs}}\n<source id=\"{{id}}\">{{text}}</source>\n{{/each}}\nQuestion: {{question}}\n"
        let analysis = analyzeDocument(
            AnalysisInput(text: text, resolveModel: catalogModelResolver(for: Configuration())))
        let loop = try XCTUnwrap(findRetrievalLoops(in: analysis.document).first)
        let bodyTokens = loop.bodyStaticParts.reduce(0) { $0 + analysis.countTokens($1) }
        XCTAssertGreaterThan(bodyTokens, 0)
        let growth = retrievalGrowth(for: loop, in: analysis, averageItemTokens: 100, extraInputTokens: 7)
        XCTAssertEqual(growth.baseInputTokens, analysis.cost.inputTokens - bodyTokens + 7)
        XCTAssertEqual(growth.tokensPerItem, bodyTokens + 100)
        XCTAssertEqual(growth.call(items: 10).inputTokens, growth.baseInputTokens + 10 * (bodyTokens + 100))
        XCTAssertEqual(growth.outputTokens, 300)
        XCTAssertNotNil(growth.call(items: 3).usdPerCall)
    }
}

/// Expected loops of a fixture: the list variable, the path as written, and the body's static parts;
/// `⟦…⟧` in the fixture marks each loop's range.
private func checkLoops(
    _ marked: String, _ expected: [(variable: String, path: String, body: [String])],
    file: StaticString = #filePath, line: UInt = #line
) {
    let fixture = NestedMarkedFixture(marked)
    let loops = findRetrievalLoops(in: parsePromptDocument(fixture.text))
    XCTAssertEqual(loops.map(\.range), fixture.ranges, "loop ranges", file: file, line: line)
    XCTAssertEqual(
        loops.map(\.listVariable), expected.map(\.variable), "list variables", file: file, line: line)
    XCTAssertEqual(loops.map(\.path), expected.map(\.path), "paths", file: file, line: line)
    XCTAssertEqual(
        loops.map(\.bodyStaticParts), expected.map(\.body), "body static text", file: file, line: line)
    for loop in loops {
        XCTAssertTrue(
            fixture.substring(loop.openTagRange).hasPrefix("{{#each"), "open tag", file: file, line: line)
    }
}

/// A fixture whose `⟦…⟧` ranges may nest, listed by where they open (as loops are, in source order).
private struct NestedMarkedFixture {
    let text: String
    let ranges: [UTF8Range]

    init(_ marked: String) {
        var bytes: [UInt8] = []
        var open: [Int] = []
        var ranges: [UTF8Range] = []
        for scalar in marked.unicodeScalars {
            switch scalar {
            case "⟦": open.append(bytes.count)
            case "⟧": ranges.append(UTF8Range(start: open.popLast() ?? 0, end: bytes.count))
            default: bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        text = String(decoding: bytes, as: UTF8.self)
        self.ranges = ranges.sorted { $0.start < $1.start }
    }

    func substring(_ range: UTF8Range) -> String {
        String(decoding: Array(text.utf8)[range.range], as: UTF8.self)
    }
}

final class RetrievalLoopFinderTests: XCTestCase {
    func testLoopOverAnInputVariable() {
        checkLoops(
            "Sources:\n⟦{{#each docs}}\n- {{this}}\n{{/each}}⟧\nAnswer.", [("docs", "docs", ["\n- ", "\n"])])
    }

    func testRootPathsNestedPathsAndBlockParameters() {
        checkLoops(
            "⟦{{#each @root.results as |r|}}[{{r.title}}]{{/each}}⟧ ⟦{{#each search.hits}}{{url}};{{/each}}⟧",
            [("results", "@root.results", ["[", "]"]), ("search", "search.hits", [";"])])
    }

    /// A loop over a field of an enclosing loop's item is not an input list; a loop over `@root` from
    /// inside one is.
    func testNestedLoops() {
        checkLoops(
            "⟦{{#each orders}}Order {{id}}:{{#each lines}} {{sku}}{{/each}} ⟦{{#each @root.notes}}!{{/each}}⟧\n{{/each}}⟧",
            [("orders", "orders", ["Order ", ":", " ", " ", "!", "\n"]), ("notes", "@root.notes", ["!"])])
    }

    /// The `{{else}}` branch renders only for an empty list: not part of the per-item body.
    func testElseBranchIsNotTheBody() {
        checkLoops(
            "⟦{{#each docs}}<doc>{{this}}</doc>{{else}}No documents found.{{/each}}⟧",
            [("docs", "docs", ["<doc>", "</doc>"])])
    }

    func testNotLoops() {
        checkLoops(
            "{{#if docs}}yes{{/if}} {{#with user}}{{#each tags}}{{this}}{{/each}}{{/with}} {{#each}}x{{/each}} {{#each \"abc\"}}y{{/each}}",
            [])
    }

    func testUnclosedLoopEndsWithItsBody() {
        checkLoops("Intro\n⟦{{#each docs}}\n- {{this}}⟧", [("docs", "docs", ["\n- "])])
    }

    func testSampleWithLoops() throws {
        let url = sharedSamples.appendingPathComponent("10-kitchen-sink.prompt")
        let text = try XCTUnwrap(
            try? String(contentsOf: url, encoding: .utf8),
            "\(url.path) is missing (the shared Dotprompt material must sit beside the repository)")
        let loops = findRetrievalLoops(in: parsePromptDocument(text))
        // `@root.tools`, `teamMembers`, `requirements`, `images` are inputs; none is an item's field.
        XCTAssertEqual(loops.map(\.listVariable), ["tools", "teamMembers", "requirements", "images"])
    }
}

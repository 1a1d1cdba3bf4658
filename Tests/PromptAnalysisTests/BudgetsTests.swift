import Foundation
import XCTest

@testable import PromptAnalysis

/// `budgets:` per path glob in `.tokenmin.yml`: limits in USD per call, USD per month or input tokens,
/// the last matching glob winning per limit, and `budget-exceeded` naming the glob.
final class BudgetsTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = canonicalPath(NSTemporaryDirectory() + "tokenmin-budgets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder + "/prompts/support", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    /// A model at $1 per million input tokens and $2 per million output tokens (easy to check by hand).
    private let resolver: ModelResolver = { name in
        ModelProfile(name: name, id: "test-model", provider: "test", isExactTokenizer: true,
                     inputPerToken: Decimal(string: "0.000001")!, outputPerToken: Decimal(string: "0.000002")!)
    }

    /// Loads `yaml` as the workspace's `.tokenmin.yml`, analyses `text` at `path`, and returns the
    /// configuration problems and the `budget-exceeded` messages.
    private func check(_ yaml: String, path: String, text: String) -> (problems: [String], budget: [String]) {
        let configPath = folder + "/.tokenmin.yml"
        _ = FileManager.default.createFile(atPath: configPath, contents: Data(yaml.utf8))
        let loaded = loadConfiguration(at: configPath, over: Configuration(), files: nil)
        let analysis = analyzeDocument(AnalysisInput(
            text: text, path: folder + "/" + path, configuration: loaded.configuration, resolveModel: resolver))
        return (loaded.findings.map(\.message),
                analysis.findings.filter { $0.ruleID == "budget-exceeded" }.map { "\($0.severity.rawValue): \($0.message)" })
    }

    // 16 input tokens with framing, output capped at 1,000: $0.000016 + $0.002 = $0.002016 per call.
    private let prompt = "---\nmodel: test\nconfig:\n  maxOutputTokens: 1000\n---\nClassify the ticket into one of four queues.\n"

    func testGlobBudgetsInDollarsAndTokens() {
        let yaml = """
            volume: 1M/month
            budget: {inputTokens: 4000}
            budgets:
              "**/*.prompt": '$0.01'
              "prompts/support/**": ['$0.002', '$1,500/month']
              "prompts/support/triage.prompt": 10 tokens
            """
        let triage = check(yaml, path: "prompts/support/triage.prompt", text: prompt)
        XCTAssertEqual(triage.problems, [])
        XCTAssertEqual(triage.budget, [
            "error: 16 input tokens (budget 10 for prompts/support/triage.prompt) is over budget (160%)",
            "error: $0.00202 per call (budget $0.002 for prompts/support/**) is over budget (101%)",
            "error: $2.0k per month (budget $1.5k per month for prompts/support/**) is over budget (134%)",
        ])
        // Elsewhere only the general glob applies (and `budget:`'s tokens, far away).
        XCTAssertEqual(check(yaml, path: "prompts/other.prompt", text: prompt).budget, [])
        let tight = yaml.replacingOccurrences(of: "'$0.01'", with: "'$0.0021/call'")
        XCTAssertEqual(check(tight, path: "prompts/other.prompt", text: prompt).budget, [
            "warning: $0.002 per call (budget $0.0021 for **/*.prompt) is at 96% of its budget"
        ])
    }

    func testTheLastMatchingGlobWinsAndTheFrontmatterWinsOverBoth() {
        let yaml = """
            budgets:
              "prompts/**": '$0.001'
              "prompts/support/**": {usdPerCall: 0.01, warnAt: 50%}
            """
        XCTAssertEqual(check(yaml, path: "prompts/support/a.prompt", text: prompt).budget, [])
        XCTAssertEqual(check(yaml, path: "prompts/a.prompt", text: prompt).budget, [
            "error: $0.002 per call (budget $0.001 for prompts/**) is over budget (202%)"
        ])
        let own = prompt.replacingOccurrences(of: "---\nClassify", with: "metadata:\n  tokenmin:\n    budget: {usdPerCall: 0.0021}\n---\nClassify")
        XCTAssertEqual(check(yaml, path: "prompts/a.prompt", text: own).budget, [
            "warning: $0.002 per call (budget $0.0021) is at 96% of its budget"
        ])
    }

    func testBudgetsWithoutGlobsStayAsBefore() {
        let result = check("budget: {usdPerCall: 0.001}\n", path: "prompts/a.prompt", text: prompt)
        XCTAssertEqual(result.budget, ["error: $0.002 per call (budget $0.001) is over budget (202%)"])
        // A monthly budget needs a volume: without one it is not checked.
        XCTAssertEqual(check("budget: {usdPerMonth: 1}\n", path: "prompts/a.prompt", text: prompt).budget, [])
    }

    func testBadBudgetsAreReportedAndTheRestApplies() {
        let yaml = """
            budgets:
              "prompts/**": cheap
              "prompts/a.prompt": ['$0.001', '$x/month']
              "b/**": {usdPerHour: 1}
              "c/**": -5
            """
        let result = check(yaml, path: "prompts/a.prompt", text: prompt)
        XCTAssertEqual(result.problems, [
            "budgets['prompts/**']: 'cheap' is not a budget; write '$0.01' (USD per call), '$500/month' or 4000 (input tokens)",
            "budgets['prompts/a.prompt']: '$x/month' is not a budget; write '$0.01' (USD per call), '$500/month' or 4000 (input tokens)",
            "unknown budgets['b/**'] key 'usdPerHour' (inputTokens, usdPerCall, usdPerMonth, warnAt)",
            "budgets['c/**']: '-5' is not a budget; write '$0.01' (USD per call), '$500/month' or 4000 (input tokens)",
        ])
        XCTAssertEqual(result.budget, ["error: $0.002 per call (budget $0.001 for prompts/a.prompt) is over budget (202%)"])
        let notAMapping = check("budgets: ['$0.01']\n", path: "prompts/a.prompt", text: prompt)
        XCTAssertEqual(notAMapping.problems, ["budgets must map path globs to limits, e.g. 'prompts/support/**': '$0.01'"])
    }
}

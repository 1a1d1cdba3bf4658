import Foundation
import PromptAnalysis
import PromptText

/// Where a prompt's call volume came from, most specific first.
public enum VolumeSource: Sendable, Hashable {
    /// The prompt's own `metadata.tokenmin.volume`.
    case metadata
    /// A line of the `--volume-file`.
    case volumeFile(glob: String, line: Int)
    /// `.tokenmin.yml`'s `volume:` or the command line's `--volume`.
    case configuration
    /// No volume anywhere: no monthly cost.
    case none
}

/// One message of a prompt as the report lists it.
public struct WorkspaceMessage: Sendable, Hashable {
    public var role: String
    /// Billed tokens (estimates already scaled); for history, nil (the conversation so far is unknown).
    public var tokens: Int?
    public var unresolvedVariables: [String]
    public var isExample: Bool
}

/// One finding with its line and what acting on it saves.
public struct WorkspaceFinding: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var ruleID: String
    public var severity: Severity
    public var message: String
    public var tokenSavings: Int?
}

/// One prompt's row of the workspace report.
public struct WorkspacePrompt: Sendable {
    public var path: String
    /// The catalog id, else the name as written, nil when the prompt names no model and none is configured.
    public var model: String?
    public var cost: PromptCost
    public var volumeSource: VolumeSource
    public var messages: [WorkspaceMessage]
    public var framingTokens: Int
    public var findings: [WorkspaceFinding]
    /// Input tokens the open findings would save per call (their fixes' sum, at most the input).
    public var savingsTokens: Int
    public var savingsUSDPerCall: Decimal?
    public var trend: PromptTrend?

    /// `≈` when the counts are estimates (the table in `count --format markdown` marks them the same way).
    public var approx: String { cost.isExact ? "" : "≈" }
    public var savingsUSDPerMonth: Decimal? {
        guard let perCall = savingsUSDPerCall, let calls = cost.callsPerMonth else { return nil }
        return perCall * calls
    }
    public func count(of severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }
}

/// The whole workspace at a glance: every analysed prompt, totals, and what could not be analysed.
public struct WorkspaceReport: Sendable {
    public var prompts: [WorkspacePrompt]
    /// Files that were not analysed and configuration files with problems: `path: message`.
    public var problems: [String]
    /// The price catalogs the prompts were priced with (`SOURCE, as of DATE`), deduplicated.
    public var catalogSources: [String]
    /// Whether the report was asked for history (`--history`): the table shows a trend column.
    public var hasHistory: Bool

    public var totalUSDPerCall: Decimal { prompts.reduce(0) { $0 + ($1.cost.usdPerCall ?? 0) } }
    public var totalUSDPerMonth: Decimal { prompts.reduce(0) { $0 + ($1.cost.usdPerMonth ?? 0) } }
    public var totalSavingsUSDPerMonth: Decimal { prompts.reduce(0) { $0 + ($1.savingsUSDPerMonth ?? 0) } }
    public var totalSavingsUSDPerCall: Decimal { prompts.reduce(0) { $0 + ($1.savingsUSDPerCall ?? 0) } }
    /// Some prompt has a monthly cost (a volume and a price).
    public var hasMonthlyCosts: Bool { prompts.contains { $0.cost.usdPerMonth != nil } }
    /// Some total is an estimate (`≈`).
    public var isEstimate: Bool { prompts.contains { !$0.cost.isExact && $0.cost.usdPerCall != nil } }
    /// The catalog dates (`as of` part of the sources).
    public var catalogDates: [String] {
        var dates: [String] = []
        for source in catalogSources {
            guard let range = source.range(of: ", as of ", options: .backwards) else { continue }
            let date = String(source[range.upperBound...].prefix { $0 != " " })
            if !dates.contains(date) { dates.append(date) }
        }
        return dates
    }
}

/// What the workspace report keeps of one analysed prompt: its row (volume source and trend are
/// filled in by `buildWorkspaceReport`), made while the analysis is alive so that a run over thousands
/// of prompts keeps these small rows rather than every analysis (`CheckRequest.summarizesPrompts`).
public struct WorkspacePromptSummary: Sendable {
    var prompt: WorkspacePrompt
    /// The prompt's canonical path (joins it to its volume-file line and its history).
    public var canonicalPath: String
    var catalogSource: String?
    /// The prompt's own `metadata.tokenmin.volume` is the volume its cost used.
    var hasOwnVolume: Bool
}

/// The workspace report's row of one analysed prompt (its report and analysis from a check run).
func summarizeForWorkspaceReport(_ report: FileReport, _ analysis: DocumentAnalysis) -> WorkspacePromptSummary {
    let cost = analysis.cost
    let messages = analysis.messages.map { message in
        WorkspaceMessage(
            role: message.message.role, tokens: message.message.isHistory ? nil : message.tokens,
            unresolvedVariables: message.unresolvedVariables, isExample: message.message.isExample)
    }
    let findings = report.findings.map { finding in
        let position = ReportedRange(finding.range, in: report.lineIndex)
        return WorkspaceFinding(
            line: position.startLine, column: position.startColumn, ruleID: finding.ruleID,
            severity: finding.severity, message: finding.message, tokenSavings: finding.tokenSavings)
    }
    // Fixes can overlap (a polite word inside a repeated sentence), so their sum is capped at what
    // the messages themselves hold: never more than removing every message's text.
    let messageTokens = messages.reduce(0) { $0 + ($1.tokens ?? 0) }
    let savings = min(findings.reduce(0) { $0 + max(0, $1.tokenSavings ?? 0) }, messageTokens)
    var path = report.path
    if path.hasPrefix("./") { path.removeFirst(2) }
    let prompt = WorkspacePrompt(
        path: path, model: analysis.model.id ?? analysis.model.name, cost: cost, volumeSource: .none,
        messages: messages, framingTokens: cost.overheadTokens - cost.toolDefinitionTokens,
        findings: findings, savingsTokens: savings,
        savingsUSDPerCall: analysis.model.inputPerToken.map { Decimal(savings) * $0 }, trend: nil)
    let hasOwnVolume = cost.callsPerMonth.map { metadataVolume(of: analysis) == $0 } ?? false
    return WorkspacePromptSummary(
        prompt: prompt, canonicalPath: analysis.path ?? canonicalPath(report.path),
        catalogSource: analysis.model.catalogSource, hasOwnVolume: hasOwnVolume)
}

/// Builds the workspace report from a check run (its prompt summaries when it made them, else each
/// analysis with its report), the volume file the run applied (for naming each prompt's volume
/// source), and the prompts' histories when asked.
public func buildWorkspaceReport(_ run: CheckRun, volumeFile: VolumeFile? = nil, trends: TrendReport? = nil)
    -> WorkspaceReport
{
    // The same pairing `count` uses: the analysed prompts are the reports with a cost, in order.
    let summaries = run.promptSummaries.isEmpty
        ? zip(run.result.reports.filter { $0.cost != nil }, run.analyses).map(summarizeForWorkspaceReport)
        : run.promptSummaries
    var trendsByPath: [String: PromptTrend] = [:]
    for trend in trends?.prompts ?? [] { trendsByPath[trend.absolutePath] = trend }
    var prompts: [WorkspacePrompt] = []
    var catalogSources: [String] = []
    for summary in summaries {
        if let source = summary.catalogSource, !catalogSources.contains(source) {
            catalogSources.append(source)
        }
        var prompt = summary.prompt
        if summary.hasOwnVolume {
            prompt.volumeSource = .metadata
        } else if let rule = volumeFile?.rule(forFileAt: summary.canonicalPath) {
            prompt.volumeSource = .volumeFile(glob: rule.glob.pattern, line: rule.line)
        } else {
            prompt.volumeSource = prompt.cost.callsPerMonth == nil ? .none : .configuration
        }
        prompt.trend = trendsByPath[summary.canonicalPath]
        prompts.append(prompt)
    }
    var problems = run.result.problems.map(\.description)
    for report in run.result.reports where report.cost == nil {
        for finding in report.findings {
            let line = ReportedRange(finding.range, in: report.lineIndex).startLine
            problems.append("\(report.path):\(line): \(finding.message) [\(finding.ruleID)]")
        }
    }
    return WorkspaceReport(
        prompts: prompts, problems: problems, catalogSources: catalogSources, hasHistory: trends != nil)
}

/// Calls per month from the prompt's own `metadata.tokenmin.volume`, nil when absent or malformed (then
/// a malformed value is a finding and the volume comes from elsewhere).
private func metadataVolume(of analysis: DocumentAnalysis) -> Decimal? {
    switch analysis.document.frontmatter?.root?.value(at: ["metadata", "tokenmin", "volume"])?.plainValue {
    case .string(let text)?: try? parseVolume(text).get()
    case .int(let number)?: Decimal(number)
    case .double(let number)?: Decimal(number)
    default: nil
    }
}

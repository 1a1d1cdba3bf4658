import Foundation
import PromptAnalysis
import PromptCheck

// `tokenmin report --format html` (the workspace page) and `tokenmin report --diff BASE_REV` (the
// pull-request comment). Both analyse the work tree exactly as `check` and `count` do.

/// The settings both reports share: `--model`, `--volume` and `--volume-file`.
private struct ReportSettings {
    var configuration = Configuration()
    var volumeFile: VolumeFile?

    init(_ arguments: ParsedArguments) throws {
        if let model = arguments.value("--model") { configuration.defaultModel = model }
        if let volume = arguments.value("--volume") {
            switch parseVolume(volume) {
            case .success(let calls): configuration.callsPerMonth = calls
            case .failure(let error): throw UsageError("--volume: \(error.message)")
            }
        }
        if let path = arguments.value("--volume-file") {
            switch loadVolumeFile(at: path) {
            case .success(let file): volumeFile = file
            case .failure(let error): throw CommandFailure("bad volume file:\n\(error.description)")
            }
        }
    }

    /// The check request over `paths` with the volume file applied per prompt.
    func request(paths: [String]) -> CheckRequest {
        var request = CheckRequest(
            paths: paths, baseConfiguration: configuration, makeModelResolver: catalogModelResolver)
        if let volumeFile {
            request.callsPerMonthForFile = { path in volumeFile.rule(forFileAt: path)?.callsPerMonth }
        }
        return request
    }

    /// Volume file lines that matched no analysed prompt (likely typos), as warnings.
    func unusedVolumeRules(forPromptsAt canonicalPaths: [String]) -> [String] {
        guard let volumeFile else { return [] }
        let paths = canonicalPaths.map { relative($0, to: volumeFile.folder) }
        return volumeFile.rules.filter { rule in !paths.contains { rule.glob.matches($0) } }.map {
            "volume file line \($0.line): '\($0.glob.pattern)' matches no prompt"
        }
    }
}

private func relative(_ path: String, to folder: String) -> String {
    let prefix = folder.hasSuffix("/") ? folder : folder + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
}

/// `report --format html [--history]`: the workspace page on standard output.
func runWorkspaceReport(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
    guard !arguments.positionals.isEmpty else {
        throw UsageError("expected at least one PATH (a .prompt file or a folder)")
    }
    if arguments.value("--max-growth") != nil { throw UsageError("--max-growth goes with --diff") }
    let settings = try ReportSettings(arguments)
    // The page needs a small row per prompt, not its analysis: rows are made as prompts are analysed
    // (on every core) and each analysis is dropped at once, so memory stays bounded by the rows.
    var request = settings.request(paths: arguments.positionals)
    request.summarizesPrompts = true
    request.keepsAnalyses = false
    let run = runCheck(request)
    for warning in settings.unusedVolumeRules(forPromptsAt: run.promptSummaries.map(\.canonicalPath)) {
        console.error("tokenmin report: \(warning)")
    }
    var trends: TrendReport?
    if arguments.has("--history") {
        let request = TrendRequest(
            paths: arguments.positionals, since: arguments.value("--since"),
            baseConfiguration: settings.configuration, makeModelResolver: catalogModelResolver, git: GitTool()
        )
        trends = try explainingGitErrors { () throws(GitError) in try buildTrendReport(request) }
        for problem in trends?.problems ?? [] { console.error("tokenmin report: \(problem)") }
    } else if arguments.value("--since") != nil {
        throw UsageError("--since goes with --history")
    }
    let report = buildWorkspaceReport(run, volumeFile: settings.volumeFile, trends: trends)
    for problem in run.result.problems { console.error("tokenmin report: \(problem)") }
    if report.prompts.isEmpty && !run.result.problems.isEmpty { return ExitStatus.usage }
    console.writeOut(workspaceHTML(report))
    return ExitStatus.ok
}

/// `report --diff BASE_REV`: what changed against the base revision, as a pull-request comment.
func runDiffReport(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
    guard let base = arguments.value("--diff"), !base.isEmpty else {
        throw UsageError("--diff needs a revision")
    }
    guard !arguments.positionals.isEmpty else {
        throw UsageError("expected at least one PATH (a .prompt file or a folder)")
    }
    if arguments.has("--history") || arguments.value("--since") != nil {
        throw UsageError("--diff compares two versions; --history and --since go with the history report")
    }
    let format = try arguments.choice("--format", of: ["markdown", "json"], default: "markdown")
    var maxGrowth = 0.1
    if let growth = arguments.value("--max-growth") {
        guard let parsed = parseGrowth(growth) else {
            throw UsageError("--max-growth must be a share such as 10% or 0.1")
        }
        maxGrowth = parsed
    }
    let settings = try ReportSettings(arguments)
    let request = settings.request(paths: arguments.positionals)
    let diffRequest = DiffRequest(check: request, baseRevision: base, maxGrowth: maxGrowth, git: GitTool())
    let diff = try explainingGitErrors { () throws(GitError) in try buildDiffReport(diffRequest) }
    for problem in diff.problems { console.error("tokenmin report: \(problem)") }
    console.writeOut(format == "json" ? diffJSON(diff) : diffMarkdown(diff))
    return diff.failed ? ExitStatus.findings : ExitStatus.ok
}

/// Runs a git-backed step, turning its failure into the command's message (exit code 2).
private func explainingGitErrors<T>(_ body: () throws(GitError) -> T) throws(CommandFailure) -> T {
    do {
        return try body()
    } catch {
        throw CommandFailure(error.description)
    }
}

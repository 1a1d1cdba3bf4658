import Foundation
import PromptAnalysis
import PromptCheck
import PromptText

/// `tokenmin check`: the editor's analysis, headless, for CI.
let checkCommand = Subcommand(
    name: "check", summary: "Check prompts for waste and errors (text, JSON, SARIF, GitHub output; baselines)",
    help: """
        Usage: tokenmin check [PATH... | -] [options]

        Finds .prompt files under each PATH (default: the current directory; .git, build and dependency
        folders and `ignore:` globs from .tokenmin.yml are skipped), runs every rule, and prints findings.
        Each file uses its nearest .tokenmin.yml; --model and --volume win over it. - reads a prompt from
        standard input (reported as <stdin>).

        Options:
          --format text|json|sarif|github   Output format (default: text; colours on a terminal unless NO_COLOR)
          --fail-on error|warning|info      Lowest severity that makes the exit code 1 (default: error)
          --model MODEL                     Model for prompts that name none (wins over .tokenmin.yml)
          --volume VOLUME                   Calls per month for monthly costs, e.g. 8M/month or 250k/day
                                            (wins over .tokenmin.yml and metadata.tokenmin)
          --write-baseline FILE             Record each prompt's tokens and USD per call in FILE
          --baseline FILE                   Compare with FILE: exit 1 when a prompt grew beyond --max-growth
          --max-growth SHARE                Allowed growth per prompt for --baseline (default: 10%)
          --output FILE                     Write the report to FILE instead of standard output
          --fix                             Apply every safe fix in place (atomic: temp file + rename,
                                            permissions kept); findings are reported after fixing
          --dry-run                         With --fix: print a unified diff instead of writing
          --quiet, -q                       Text format: only findings and errors, no summary line, no
                                            "fixed PATH" lines (nothing at all when the run is clean)

        Exit codes: 0 clean; 1 findings at or above --fail-on (a file that cannot be read or is not UTF-8
        is an unreadable-file error), or the baseline gate failed (the summary says which prompts grew);
        2 usage or I/O error, or no prompt could be analysed.

        Examples:
          tokenmin check prompts/
          tokenmin check --format sarif --output tokenmin.sarif
          tokenmin check --baseline .tokenmin-baseline.json --max-growth 5%
          tokenmin check --fix --dry-run prompts/

        """,
    spec: ArgumentSpec(
        flags: ["--fix", "--dry-run", "--quiet"],
        options: ["--format", "--fail-on", "--model", "--volume", "--write-baseline", "--baseline", "--max-growth", "--output"],
        aliases: ["-q": "--quiet"])
) { arguments, console in
    let format = try arguments.choice("--format", of: ["text", "json", "sarif", "github"], default: "text")
    let failOn: Severity = switch try arguments.choice("--fail-on", of: ["error", "warning", "info"], default: "error") {
    case "warning": .warning
    case "info": .info
    default: .error
    }
    let configuration = try flagConfiguration(arguments)
    var maxGrowth = 0.1
    if let growth = arguments.value("--max-growth") {
        guard let parsed = parseGrowth(growth) else { throw UsageError("--max-growth must be a share such as 10% or 0.1") }
        maxGrowth = parsed
    }
    if arguments.has("--dry-run") && !arguments.has("--fix") { throw UsageError("--dry-run goes with --fix") }
    let paths = arguments.positionals.isEmpty ? ["."] : arguments.positionals
    if paths.contains(standardInputPath) && arguments.has("--fix") && !arguments.has("--dry-run") {
        throw UsageError("--fix cannot write standard input back; use --fix --dry-run - for the diff")
    }
    var request = CheckRequest(paths: paths, baseConfiguration: configuration, makeModelResolver: catalogModelResolver,
                               readStandardInput: console.readStandardInput)
    // Only --fix needs the analyses; without them memory stays bounded by the reports.
    request.keepsAnalyses = arguments.has("--fix")
    let progress = console.isErrorTerminal ? ProgressLine(console: console) : nil
    if let progress { request.progress = { done, total in progress.update(done: done, total: total) } }
    var run = runCheck(request)
    progress?.finish()
    if arguments.has("--fix") {
        let changed = try applyFixes(run, request: request, dryRun: arguments.has("--dry-run"), quiet: arguments.has("--quiet"),
                                     console: console)
        // Report what is left after fixing (a dry run reports the findings as they are).
        if changed > 0 && !arguments.has("--dry-run") { run = runCheck(request) }
    }
    var result = run.result
    result.reports = result.reports.map { report in
        var report = report
        if report.path.hasPrefix("./") { report.path.removeFirst(2) }
        return report
    }

    let current = Baseline(reports: result.reports)
    if let path = arguments.value("--write-baseline") {
        try writeAtomically(current.encoded(), to: path)
    }
    if let path = arguments.value("--baseline") {
        let data = try readInput(path, console: console)
        do {
            result.baseline = compare(try Baseline.decode(data), with: current, maxGrowth: maxGrowth)
        } catch {
            throw CommandFailure("\(path) is not a tokenmin baseline: \(error)")
        }
    }

    let output: String = switch format {
    case "json": jsonReport(result)
    case "sarif": sarifReport(result, rules: RuleRegistry.descriptors, version: TokenminCommandLine.version)
    case "github": githubReport(result)
    default: textReport(result, colors: console.isTerminal && arguments.value("--output") == nil, formatUSD: formatUSD,
                        quiet: arguments.has("--quiet"))
    }
    if let path = arguments.value("--output") {
        try writeAtomically(output, to: path)
    } else {
        console.writeOut(output)
    }
    let failed = result.hasFindings(atOrAbove: failOn) || (result.baseline?.failed ?? false)
    if !result.problems.isEmpty && result.reports.isEmpty { return ExitStatus.usage }
    return failed ? ExitStatus.findings : ExitStatus.ok
}

/// "checked 1,234 of 20,000 prompts" on stderr, redrawn in place at most ten times a second, shown
/// only once a run has taken a second (short runs print nothing) and erased when the run ends.
final class ProgressLine: Sendable {
    private let console: Console
    private let start = ContinuousClock.now
    /// When the line was last drawn, and whether it is on screen.
    private let state = Locked<(drawn: ContinuousClock.Instant?, visible: Bool)>((nil, false))

    init(console: Console) { self.console = console }

    func update(done: Int, total: Int) {
        let now = ContinuousClock.now
        guard now - start >= .seconds(1) else { return }
        // Drawn under the lock, so that lines from different threads never interleave.
        state.withLock { state in
            if let drawn = state.drawn, now - drawn < .milliseconds(100), done < total { return }
            state = (now, true)
            console.writeError("\rtokenmin: checked \(done) of \(total) prompts\u{1B}[K")
        }
    }

    func finish() {
        if state.withLock({ $0.visible }) { console.writeError("\r\u{1B}[K") }
    }
}

/// Applies safe fixes to every analysed file (to a fixed point), writing atomically, or prints the
/// unified diff for `--dry-run`. Returns the number of files changed (or that would change).
private func applyFixes(_ run: CheckRun, request: CheckRequest, dryRun: Bool, quiet: Bool, console: Console) throws -> Int {
    var changed = 0
    for analysis in run.analyses {
        guard let path = analysis.path else { continue }
        let fixed = fixAll(analysis) { text in
            analyzeDocument(AnalysisInput(text: text, path: path, configuration: analysis.configuration,
                                          resolveModel: request.makeModelResolver(analysis.configuration)))
        }
        guard fixed != analysis.text else { continue }
        changed += 1
        let display = relativeDisplayPath(path)
        if dryRun {
            console.writeOut(unifiedDiff(old: analysis.text, new: fixed, path: display))
        } else {
            try writeAtomically(fixed, to: path)
            if !quiet { console.error("fixed \(display)") }
        }
    }
    return changed
}

private func relativeDisplayPath(_ path: String) -> String {
    let current = canonicalPath(FileManager.default.currentDirectoryPath)
    return path.hasPrefix(current + "/") ? String(path.dropFirst(current.count + 1)) : path
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so a reader never
/// sees half a file and an interrupted run leaves the old file intact.
func writeAtomically(_ text: String, to path: String) throws(CommandFailure) {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tokenmin-\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
        try Data(text.utf8).write(to: temporary)
        if FileManager.default.fileExists(atPath: path) {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let permissions = attributes[.posixPermissions] {
                try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path)
            }
        }
        if rename(temporary.path, path) != 0 { throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
    } catch let failure as CommandFailure {
        try? FileManager.default.removeItem(at: temporary)
        throw failure
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw CommandFailure("cannot write \(path): \(error.localizedDescription)")
    }
}

/// The configuration the command line's own flags set (`--model`, `--volume`): they win over
/// `.tokenmin.yml` and a prompt's `metadata.tokenmin` (see `Configuration.applyCommandLine`).
func flagConfiguration(_ arguments: ParsedArguments) throws(UsageError) -> Configuration {
    var entries: [SettingsValue.Entry] = []
    if let model = arguments.value("--model") {
        guard !model.isEmpty else { throw UsageError("--model needs a model id such as openai/gpt-4o-mini") }
        entries.append(SettingsValue.Entry(key: "model", value: .scalar(model, range: nil)))
    }
    if let volume = arguments.value("--volume") {
        if case .failure(let error) = parseVolume(volume) { throw UsageError("--volume: \(error.message)") }
        entries.append(SettingsValue.Entry(key: "volume", value: .scalar(volume, range: nil)))
    }
    var configuration = Configuration()
    guard !entries.isEmpty else { return configuration }
    if let problem = configuration.applyCommandLine(.mapping(entries, range: nil)).first { throw UsageError(problem.message) }
    return configuration
}

/// The model resolver the command line uses: the bundled catalog, a user catalog and price overrides
/// from the file's configuration.
@Sendable func catalogModelResolver(_ configuration: Configuration) -> ModelResolver {
    catalogModelResolver(for: configuration)
}

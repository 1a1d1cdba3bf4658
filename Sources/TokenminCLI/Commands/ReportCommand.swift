import Foundation
import PromptAnalysis
import PromptCheck

/// `tokenmin report --history`: tokens and USD per call of each prompt, commit by commit.
let reportCommand = Subcommand(
    name: "report",
    summary: "Trend report: tokens and USD per call of each prompt across its git history",
    help: """
        Usage: tokenmin report --history [--since REV] [--format text|json|markdown|svg] [--model MODEL] PATH...

        Walks the git history of each prompt (PATH is a .prompt file or a folder searched for them) and
        analyses every committed version the way `check` does: input tokens, the expected output and USD
        per call, oldest commit first. Renames are followed (`git log --follow`); partials are read from
        the same commit. Prices and settings are today's (the prompt's nearest .tokenmin.yml in the work
        tree), so the trend shows what the prompt itself changed. Needs git on PATH.

        Options:
          --history        The history report (required: the only report so far)
          --since REV      Start at REV (a commit, tag or branch): REV's version, then every later commit
          --format FORMAT  text (default), json (stable schema), markdown (a table per prompt, for a
                           README or pull-request comment), or svg (a sparkline per prompt)
          --model MODEL    Model for prompts that name none (wins over .tokenmin.yml)

        Exit codes: 0 ok; 2 usage error, git missing, not in a git repository, or no prompt history.

        Examples:
          tokenmin report --history prompts/support.prompt
          tokenmin report --history --since v1.0 --format markdown prompts/ >> $GITHUB_STEP_SUMMARY
          tokenmin report --history --format svg prompts/ > docs/prompt-trend.svg

        """,
    spec: ArgumentSpec(flags: ["--history"], options: ["--since", "--format", "--model"])
) { arguments, console in
    guard arguments.has("--history") else {
        throw UsageError("report needs --history (the history trend is the only report so far)")
    }
    let format = try arguments.choice("--format", of: ["text", "json", "markdown", "svg"], default: "text")
    guard !arguments.positionals.isEmpty else {
        throw UsageError("expected at least one PATH (a .prompt file or a folder)")
    }
    let configuration = try flagConfiguration(arguments)
    let request = TrendRequest(
        paths: arguments.positionals, since: arguments.value("--since"), baseConfiguration: configuration,
        makeModelResolver: catalogModelResolver, git: GitTool())
    let report: TrendReport
    do {
        report = try buildTrendReport(request)
    } catch let error as GitError {
        throw CommandFailure(error.description)
    }
    for problem in report.problems { console.error("tokenmin report: \(problem)") }
    guard !report.prompts.isEmpty else { return ExitStatus.usage }
    switch format {
    case "json": console.writeOut(trendJSON(report))
    case "markdown": console.writeOut(trendMarkdown(report))
    case "svg": console.writeOut(trendSVG(report))
    default: console.writeOut(trendText(report))
    }
    return ExitStatus.ok
}

import Foundation
import PromptAnalysis
import PromptCheck

/// `tokenmin report --history`: tokens and USD per call of each prompt, commit by commit.
let reportCommand = Subcommand(
    name: "report",
    summary: "Trend report: tokens and USD per call of each prompt across its git history",
    help: """
        Usage: tokenmin report --history [--since REV] [--format text|json|markdown|svg] [--model MODEL] PATH...
               tokenmin report --format html [--history] [--volume VOLUME | --volume-file FILE] PATH... > report.html
               tokenmin report --diff BASE_REV [--format markdown|json] [--max-growth 10%] [--volume ...] PATH...

        Walks the git history of each prompt (PATH is a .prompt file or a folder searched for them) and
        analyses every committed version the way `check` does: input tokens, the expected output and USD
        per call, oldest commit first. Renames are followed (`git log --follow`); partials are read from
        the same commit. Prices and settings are today's (the prompt's nearest .tokenmin.yml in the work
        tree), so the trend shows what the prompt itself changed. Needs git on PATH.

        --format html writes one self-contained web page of the whole workspace (no request of any kind:
        inline CSS and SVG, a few lines of script for sorting): totals, USD per month by prompt and by model,
        a sortable table with each prompt's messages and findings, and with --history a sparkline per prompt.

        --diff BASE_REV compares every prompt with its version at BASE_REV (a branch, tag or commit; the
        same settings and prices for both): the prompts whose tokens, USD or findings changed, before → after,
        USD per month at the volumes, new findings, and a verdict against --max-growth. Markdown is one
        pull-request comment (it starts with the marker <!-- tokenmin-report --> so a CI job can update it).

        Options:
          --history            The history report; with --format html, a sparkline per prompt
          --since REV          Start at REV (a commit, tag or branch): REV's version, then every later commit
          --format FORMAT      text (default), json (stable schema), markdown (a table per prompt, for a
                               README or pull-request comment), svg (a sparkline per prompt), or html (the
                               workspace page); with --diff: markdown (default) or json
          --model MODEL        Model for prompts that name none (wins over .tokenmin.yml)
          --volume VOLUME      Calls per month for prompts without another volume, e.g. 8M/month, 250k/day
          --volume-file FILE   Calls per month by path glob: lines `GLOB VOLUME`, the last matching line wins
                               (a prompt's metadata.tokenmin.volume still wins over it)
          --diff BASE_REV      Compare with BASE_REV instead of reporting the history
          --max-growth SHARE   With --diff: allowed growth of input tokens or USD per call (default 10%)

        Exit codes: 0 ok; 1 with --diff when a prompt grew beyond --max-growth; 2 usage error, git missing,
        not in a git repository, or no prompt history.

        Examples:
          tokenmin report --history prompts/support.prompt
          tokenmin report --history --since v1.0 --format markdown prompts/ >> $GITHUB_STEP_SUMMARY
          tokenmin report --history --format svg prompts/ > docs/prompt-trend.svg
          tokenmin report --format html --history --volume-file volumes.txt prompts/ > report.html
          tokenmin report --diff origin/main --max-growth 5% prompts/ > comment.md

        """,
    spec: ArgumentSpec(
        flags: ["--history"],
        options: ["--since", "--format", "--model", "--volume", "--volume-file", "--diff", "--max-growth"])
) { arguments, console in
    if arguments.value("--diff") != nil { return try runDiffReport(arguments, console: console) }
    if arguments.value("--format") == "html" { return try runWorkspaceReport(arguments, console: console) }
    for option in ["--volume", "--volume-file", "--max-growth"] where arguments.value(option) != nil {
        throw UsageError("\(option) goes with --format html or --diff")
    }
    guard arguments.has("--history") else {
        throw UsageError("report needs --history, --diff BASE_REV or --format html")
    }
    let format = try arguments.choice("--format", of: ["text", "json", "markdown", "svg", "html"], default: "text")
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

import PromptText
import Foundation
import PromptAnalysis

/// `tokenmin explain ID` and `tokenmin rules`: rule documentation from the same descriptors the engine
/// uses, so the README's table, SARIF metadata and editor links never drift from the code.
let explainCommand = Subcommand(
    name: "explain", summary: "Print a rule's documentation",
    help: """
        Usage: tokenmin explain RULE-ID

        Prints what a rule finds, why it matters, and an example with its fix.

        Example:
          tokenmin explain politeness

        """,
    spec: ArgumentSpec()
) { arguments, console in
    guard arguments.positionals.count == 1, let id = arguments.positionals.first else {
        throw UsageError("expected exactly one rule id (see 'tokenmin rules')")
    }
    guard let descriptor = RuleRegistry.descriptor(for: id) else {
        var message = "unknown rule '\(id)'"
        if let suggestion = closestMatch(to: id, in: RuleRegistry.descriptors.map(\.id)) {
            message += "; did you mean '\(suggestion)'?"
        }
        throw UsageError(message)
    }
    console.writeOut(explanationText(descriptor))
    return ExitStatus.ok
}

func explanationText(_ descriptor: RuleDescriptor) -> String {
    var text = """
        \(descriptor.id) (\(descriptor.category.rawValue), default: \(descriptor.defaultSeverity.rawValue))

        \(descriptor.summary)

        \(descriptor.explanation)

        """
    let example = descriptor.example
    let file = example.fileName == "example.prompt" ? "" : " (\(example.fileName))"
    text += "\nFlagged\(file)\(example.flaggedIsLatin1 ? ", saved as ISO Latin-1" : ""):\n" + indent(shown(example.flagged)) + "\n"
    text += "Fixed\(file):\n" + indent(shown(example.fixed)) + "\n"
    for extra in example.workspace {
        text += "With \(extra.path):\n" + indent(shown(extra.text, maximumLines: 4)) + "\n"
    }
    text += """

        Configure in .tokenmin.yml:  rules: { \(descriptor.id): off | info | warning | error }
        Suppress on the next line:   {{! tokenmin-disable-next-line \(descriptor.id) }}

        """
    return text
}

/// An example as a terminal shows it: control characters as `\u{…}`, long text cut after
/// `maximumLines` lines or 300 characters with an ellipsis, no final line break.
private func shown(_ text: String, maximumLines: Int = 40) -> String {
    var visible = ""
    for scalar in text.unicodeScalars {
        if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
            visible += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
            visible.unicodeScalars.append(scalar)
        }
    }
    var lines = visible.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    var result = lines.prefix(maximumLines).map { $0.count > 300 ? $0.prefix(300) + "…" : $0 }.joined(separator: "\n")
    if lines.count > maximumLines { result += "\n…" }
    return result
}

private func indent(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
}

let rulesCommand = Subcommand(
    name: "rules", summary: "List every rule (or print the README rule table)",
    help: """
        Usage: tokenmin rules [--format text|markdown]

        Lists every rule id with its category, default severity and summary. `--format markdown` prints
        the rule table that README.md embeds (a test keeps the two identical).

        Example:
          tokenmin rules --format markdown

        """,
    spec: ArgumentSpec(options: ["--format"])
) { arguments, console in
    let format = try arguments.choice("--format", of: ["text", "markdown"], default: "text")
    if !arguments.positionals.isEmpty { throw UsageError("unexpected argument '\(arguments.positionals[0])'") }
    console.writeOut(format == "markdown" ? ruleTableMarkdown() : ruleListText())
    return ExitStatus.ok
}

func ruleListText() -> String {
    let width = RuleRegistry.descriptors.map(\.id.count).max() ?? 0
    return RuleRegistry.descriptors.map { descriptor in
        descriptor.id.padding(toLength: width + 2, withPad: " ", startingAt: 0)
            + "\(descriptor.category.rawValue)/\(descriptor.defaultSeverity.rawValue)".padding(toLength: 18, withPad: " ", startingAt: 0)
            + descriptor.summary
    }.joined(separator: "\n") + "\n"
}

/// The README's rule table: one row per rule, with an anchor so diagnostics can link to it.
func ruleTableMarkdown() -> String {
    var lines = ["| rule | category | default | what it finds |", "|---|---|---|---|"]
    for descriptor in RuleRegistry.descriptors {
        lines.append(
            "| <a id=\"rule-\(descriptor.id)\"></a>`\(descriptor.id)` | \(descriptor.category.rawValue) | "
                + "\(descriptor.defaultSeverity.rawValue) | \(descriptor.summary) |")
    }
    return lines.joined(separator: "\n") + "\n"
}

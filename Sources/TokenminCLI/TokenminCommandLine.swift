import PromptText
import Foundation

/// The `tokenmin` command line: global options, subcommand dispatch and exit codes.
public enum TokenminCommandLine {
    public static let version = "0.1.0"

    /// Every subcommand, in the order `tokenmin --help` lists them. Each lives in `Commands/`.
    public static let subcommands: [Subcommand] = [
        checkCommand,
        countCommand,
        .lsp,
        renderCommand,
        fmtCommand,
        reportCommand,
        pricesCommand,
        explainCommand,
        rulesCommand,
        tokenizeCommand,
        parseCommand,
    ]

    static let overview = """
        tokenmin \(version): token counts, costs and waste diagnostics for Dotprompt .prompt files.

        Usage: tokenmin <command> [options]
               tokenmin <command> --help

        """

    /// Runs one command line (without the program name) and returns the process exit status.
    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        guard let first = arguments.first else {
            console.writeError(helpText())
            return ExitStatus.usage
        }
        switch first {
        case "--help", "-h", "help":
            if arguments.count > 1, let command = subcommands.first(where: { $0.name == arguments[1] }) {
                console.writeOut(command.help)
            } else {
                console.writeOut(helpText())
            }
            return ExitStatus.ok
        case "--version", "-V":
            console.out("tokenmin \(version)")
            return ExitStatus.ok
        default:
            break
        }
        guard let command = subcommands.first(where: { $0.name == first }) else {
            var message = "tokenmin: unknown command '\(first)'"
            if let suggestion = closestMatch(to: first, in: subcommands.map(\.name)) {
                message += "; did you mean '\(suggestion)'?"
            }
            console.error(message)
            console.error("Run 'tokenmin --help' for the list of commands.")
            return ExitStatus.usage
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            console.writeOut(command.help)
            return ExitStatus.ok
        }
        do {
            let parsed = try parseArguments(rest, spec: command.spec)
            return try command.run(parsed, console)
        } catch let error as UsageError {
            console.error("tokenmin \(command.name): \(error.message)")
            console.error("Run 'tokenmin \(command.name) --help' for usage.")
            return ExitStatus.usage
        } catch let error as CommandFailure {
            console.error("tokenmin \(command.name): \(error.message)")
            return ExitStatus.usage
        } catch {
            console.error("tokenmin \(command.name): \(error)")
            return ExitStatus.usage
        }
    }

    static func helpText() -> String {
        let width = subcommands.map(\.name.count).max() ?? 0
        let lines = subcommands.map { command in
            "  " + command.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + command.summary
        }
        return overview + "\nCommands:\n" + lines.joined(separator: "\n") + """


            Global options:
              -h, --help     Show help (also: tokenmin <command> --help)
              -V, --version  Print the version

            Exit codes: 0 ok, 1 findings or a failed gate, 2 usage or I/O error.

            """
    }
}

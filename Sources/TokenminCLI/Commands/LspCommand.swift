import Dispatch
import Foundation
import PromptLanguageServer

extension Subcommand {
    /// `tokenmin lsp`: the language server over standard input and output.
    static let lsp = Subcommand(
        name: "lsp",
        summary: "Run the language server (LSP 3.17) over standard input and output",
        help: """
            Usage: tokenmin lsp [--stdio] [--log-level error|warn|info|debug]

            Runs the tokenmin language server for Dotprompt .prompt files. It speaks LSP 3.17
            (JSON-RPC with Content-Length framing) on standard input and output, which is how editors
            start it; nothing but protocol frames is written to standard output. The log goes to
            standard error.

            Options:
              --stdio                Use standard input/output (the default and only transport;
                                     accepted because editors pass it)
              --log-level LEVEL      error, warn (default), info or debug

            Exit status: 0 after a 'shutdown' request and 'exit' notification, 1 when the input ends
            or 'exit' arrives without 'shutdown'.

            Example (Neovim, in init.lua):
              vim.lsp.config('tokenmin', { cmd = { 'tokenmin', 'lsp' }, filetypes = { 'dotprompt' } })
              vim.lsp.enable('tokenmin')

            """,
        spec: ArgumentSpec(flags: ["--stdio"], options: ["--log-level"]),
        run: { arguments, console in
            if let extra = arguments.positionals.first { throw UsageError("unexpected argument '\(extra)'") }
            let levelName = try arguments.choice(
                "--log-level", of: LogLevel.allCases.map(\.name), default: LogLevel.warn.name)
            let log = ServerLog(level: LogLevel(name: levelName) ?? .warn, sink: console.writeError)
            return waitFor { await LanguageServer.run(log: log, serverVersion: TokenminCommandLine.version) }
        })
}

/// Runs `body` on the concurrency pool and blocks the calling (main) thread until it returns.
private func waitFor(_ body: @escaping @Sendable () async -> Int32) -> Int32 {
    final class Outcome: @unchecked Sendable {
        // Written once by the task before `done` is signalled, read after: the semaphore orders them.
        var status: Int32 = 0
        let done = DispatchSemaphore(value: 0)
    }
    let outcome = Outcome()
    Task {
        outcome.status = await body()
        outcome.done.signal()
    }
    outcome.done.wait()
    return outcome.status
}

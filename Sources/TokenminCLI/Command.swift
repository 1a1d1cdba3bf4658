/// Exit codes shared by every subcommand.
public enum ExitStatus {
    /// Success, no findings at or above the failure threshold.
    public static let ok: Int32 = 0
    /// Findings (check), or a budget/baseline gate that failed.
    public static let findings: Int32 = 1
    /// Usage errors and I/O problems.
    public static let usage: Int32 = 2
}

/// An I/O or input problem that ends a command with exit code 2 and a clear message.
public struct CommandFailure: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One `tokenmin` subcommand: its name, a one-line summary for `tokenmin --help`, a full help text
/// for `tokenmin NAME --help`, the arguments it accepts, and what it does.
public struct Subcommand: Sendable {
    public var name: String
    public var summary: String
    /// Usage line(s) and explanation, printed by `--help`; should teach with an example.
    public var help: String
    public var spec: ArgumentSpec
    public var run: @Sendable (ParsedArguments, Console) throws -> Int32

    public init(
        name: String, summary: String, help: String, spec: ArgumentSpec,
        run: @escaping @Sendable (ParsedArguments, Console) throws -> Int32
    ) {
        self.name = name
        self.summary = summary
        self.help = help
        self.spec = spec
        self.run = run
    }
}

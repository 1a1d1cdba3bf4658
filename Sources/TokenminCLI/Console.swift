import Foundation

/// Where a command writes. The real console writes to the process's stdout and stderr; tests capture.
public struct Console: Sendable {
    public var writeOut: @Sendable (String) -> Void
    public var writeError: @Sendable (String) -> Void
    /// Whether stdout is a terminal (colours are used only then, and never when `NO_COLOR` is set).
    public var isTerminal: Bool
    /// Whether stderr is a terminal (progress lines are drawn only then).
    public var isErrorTerminal: Bool
    /// Reads all of standard input (for `-` arguments).
    public var readStandardInput: @Sendable () -> Data

    public init(
        writeOut: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void,
        isTerminal: Bool = false, isErrorTerminal: Bool = false,
        readStandardInput: @escaping @Sendable () -> Data = { Data() }
    ) {
        self.writeOut = writeOut
        self.writeError = writeError
        self.isTerminal = isTerminal
        self.isErrorTerminal = isErrorTerminal
        self.readStandardInput = readStandardInput
    }

    /// The process's own standard streams.
    public static let standard = Console(
        writeOut: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
        writeError: { text in FileHandle.standardError.write(Data(text.utf8)) },
        isTerminal: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil,
        isErrorTerminal: isatty(STDERR_FILENO) == 1,
        readStandardInput: { FileHandle.standardInput.readDataToEndOfFile() }
    )

    public func out(_ line: String) { writeOut(line + "\n") }
    public func error(_ line: String) { writeError(line + "\n") }
}

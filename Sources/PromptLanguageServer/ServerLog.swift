// PromptLanguageServer: the session actor, lifecycle, dispatch and per-method handlers of
// `tokenmin lsp`. This is the only place where positions change encoding (see Conversions.swift).

/// How much the server logs (to standard error; standard output carries only frames).
public enum LogLevel: Int, Comparable, Sendable, CaseIterable {
    case error = 0
    case warn
    case info
    case debug

    public init?(name: String) {
        switch name {
        case "error": self = .error
        case "warn", "warning": self = .warn
        case "info": self = .info
        case "debug": self = .debug
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .error: "error"
        case .warn: "warn"
        case .info: "info"
        case .debug: "debug"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The server's log: one line per message, written through `sink` (standard error in `tokenmin lsp`).
public struct ServerLog: Sendable {
    public var level: LogLevel
    private let sink: @Sendable (String) -> Void

    public init(level: LogLevel, sink: @escaping @Sendable (String) -> Void) {
        self.level = level
        self.sink = sink
    }

    /// A log that discards everything (tests that do not look at it).
    public static let silent = ServerLog(level: .error, sink: { _ in })

    public func error(_ message: @autoclosure () -> String) { write(.error, message) }
    public func warn(_ message: @autoclosure () -> String) { write(.warn, message) }
    public func info(_ message: @autoclosure () -> String) { write(.info, message) }
    public func debug(_ message: @autoclosure () -> String) { write(.debug, message) }

    public func isEnabled(_ messageLevel: LogLevel) -> Bool { messageLevel <= level }

    private func write(_ messageLevel: LogLevel, _ message: () -> String) {
        guard messageLevel <= level else { return }
        sink("tokenmin lsp [\(messageLevel.name)] \(message())\n")
    }
}

import Dispatch
import Foundation
import PromptText

/// How to run `git`: the executable (nil: the first `git` on `PATH`) and extra environment.
public struct GitTool: Sendable {
    public var executable: String?
    /// Added to the process environment (tests pin dates and identities this way).
    public var environment: [String: String]

    public init(executable: String? = nil, environment: [String: String] = [:]) {
        self.executable = executable
        self.environment = environment
    }
}

/// Why git could not answer. `report` turns each into a clear message and exit code 2.
public enum GitError: Error, Equatable, CustomStringConvertible {
    /// No `git` executable (on `PATH`, or at the configured path).
    case gitMissing(String)
    /// The folder is not inside a git work tree.
    case notARepository(String)
    /// `git` ran and failed.
    case failed(command: String, message: String)

    public var description: String {
        switch self {
        case .gitMissing(let detail):
            "git is not installed or not executable (\(detail)); the trend report reads history with git"
        case .notARepository(let folder):
            "\(folder) is not in a git repository (the trend report needs the history of the prompts)"
        case .failed(let command, let message): "\(command) failed: \(message)"
        }
    }
}

/// One run of git: exit status and both streams.
struct GitOutput {
    var status: Int32
    var standardOutput: Data
    var standardError: String
}

extension GitTool {
    /// The git executable to run, or why there is none.
    func resolvedExecutable() throws(GitError) -> String {
        if let executable {
            guard FileManager.default.isExecutableFile(atPath: executable) else {
                throw .gitMissing("no executable at \(executable)")
            }
            return executable
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = (String(folder) as NSString).appendingPathComponent("git")
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .gitMissing("not found on PATH")
    }

    /// Runs `git arguments` in `folder`. Both pipes are drained while git runs (a full pipe would block it).
    func run(_ arguments: [String], in folder: String) throws(GitError) -> GitOutput {
        let executable = try resolvedExecutable()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        // Messages are parsed only for their presence, but keep them in English and never page.
        environment["LC_ALL"] = "C"
        environment["GIT_PAGER"] = "cat"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        for (key, value) in self.environment { environment[key] = value }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .gitMissing("\(executable): \(error.localizedDescription)")
        }
        let errorData = ErrorBuffer()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.set(errors.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return GitOutput(
            status: process.terminationStatus, standardOutput: data,
            standardError: String(decoding: errorData.get(), as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines))
    }

    /// Runs git and returns its standard output, or throws with its message when it fails.
    func output(_ arguments: [String], in folder: String) throws(GitError) -> Data {
        let result = try run(arguments, in: folder)
        guard result.status == 0 else {
            throw .failed(
                command: "git " + arguments.joined(separator: " "),
                message: result.standardError.isEmpty ? "exit status \(result.status)" : result.standardError)
        }
        return result.standardOutput
    }

    /// The work tree root holding `folder` (symlinks resolved).
    func repositoryRoot(containing folder: String) throws(GitError) -> String {
        let result = try run(["rev-parse", "--show-toplevel"], in: folder)
        guard result.status == 0 else {
            if result.standardError.contains("not a git repository") { throw .notARepository(folder) }
            throw .failed(command: "git rev-parse --show-toplevel", message: result.standardError)
        }
        let root = String(decoding: result.standardOutput, as: UTF8.self).trimmingCharacters(in: .newlines)
        return (root as NSString).resolvingSymlinksInPath
    }
}

/// The standard-error bytes, written by the reading thread and read after it finished.
private final class ErrorBuffer: Sendable {
    private let data = Locked(Data())
    func set(_ value: Data) { data.withLock { $0 = value } }
    func get() -> Data { data.withLock { $0 } }
}

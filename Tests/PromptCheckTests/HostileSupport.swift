import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a `tokenmin` child process did: exit status (or signal), output, wall time and peak memory.
struct ChildRun: CustomStringConvertible {
    var status: Int32
    /// The signal that ended the process, if one did.
    var signal: Int32?
    var stdout: String
    var stderr: String
    var seconds: Double
    /// CPU time of the child (user + system, all threads): unlike wall time, barely moved by other
    /// processes on a shared machine.
    var cpuSeconds: Double = 0
    /// Peak resident memory of the child (its VmHWM, sampled every 2 ms), in KiB.
    var peakResidentKiB: Int

    var output: String { stdout + stderr }
    var description: String {
        "exit \(signal.map { "signal \($0)" } ?? String(status)) in \(String(format: "%.2f", seconds)) s, peak \(peakResidentKiB / 1024) MiB"
    }
}

/// Runs the built `tokenmin` binary as a child (`posix_spawn` + `wait4`, so its peak memory is known)
/// in `folder`, killing it after `timeout` (the run then fails the test: nothing may hang).
enum Tokenmin {
    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["TOKENMIN_BIN"], !path.isEmpty { return path }
        var directory = Bundle(for: BundleMarker.self).bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("tokenmin")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate.path
            }
            directory = directory.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the tokenmin binary was not found; build it or set TOKENMIN_BIN"])
    }

    private final class BundleMarker {}

    /// Starts `tokenmin arguments...` in `folder` with output to files; returns the process id.
    static func spawn(_ arguments: [String], in folder: String, outputPrefix: String) throws -> pid_t {
        let command = ([try binary()] + arguments).map(shellQuoted).joined(separator: " ")
        let script = "cd \(shellQuoted(folder)) && exec \(command) >\(shellQuoted(outputPrefix + ".out")) 2>\(shellQuoted(outputPrefix + ".err"))"
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", script].map { (text: String) in strdup(text) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let result = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
        guard result == 0 else { throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "posix_spawn failed: \(result)"]) }
        return pid
    }

    /// Waits for `pid` (polling), killing it with SIGKILL after `timeout`. Nil when it had to be killed.
    /// `ru_maxrss` is not used: `posix_spawn` shares the parent's address space until `exec`, and Linux
    /// then carries the parent's high-water mark into the child's, so every child would report the test
    /// process's peak. The child's own `VmHWM` is sampled from /proc while it runs instead.
    static func wait(_ pid: pid_t, timeout: Double) -> (status: Int32, peakKiB: Int)? {
        waitMeasuringCPU(pid, timeout: timeout).map { ($0.status, $0.peakKiB) }
    }

    /// `wait`, also returning the child's CPU seconds (user + system) from `wait4`'s resource usage.
    static func waitMeasuringCPU(_ pid: pid_t, timeout: Double) -> (status: Int32, peakKiB: Int, cpuSeconds: Double)? {
        // Sanitized binaries (Tests/sanitizers.sh) run up to 15 times slower.
        let scale = ProcessInfo.processInfo.environment["TOKENMIN_SANITIZED"] != nil ? 10.0 : 1.0
        let deadline = Date().addingTimeInterval(timeout * scale)
        var status: Int32 = 0
        var usage = rusage()
        var peak = 0
        while true {
            peak = max(peak, highWaterMarkKiB(pid))
            let result = wait4(pid, &status, WNOHANG, &usage)
            if result == pid {
                let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                    + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
                return (status, peak, cpu)
            }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = wait4(pid, &status, 0, &usage)
                return nil
            }
            usleep(2_000)
        }
    }

    /// Runs `tokenmin arguments...` in `folder` to completion (or failure after `timeout` seconds).
    static func run(_ arguments: [String], in folder: String, timeout: Double = 60, file: StaticString = #filePath, line: UInt = #line)
        throws -> ChildRun
    {
        let prefix = NSTemporaryDirectory() + "tokenmin-child-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer {
            try? FileManager.default.removeItem(atPath: prefix + ".out")
            try? FileManager.default.removeItem(atPath: prefix + ".err")
        }
        let start = Date()
        let pid = try spawn(arguments, in: folder, outputPrefix: prefix)
        guard let (status, peak, cpu) = waitMeasuringCPU(pid, timeout: timeout) else {
            XCTFail("tokenmin \(arguments.joined(separator: " ")) did not finish within \(timeout) s", file: file, line: line)
            throw CocoaError(.userCancelled)
        }
        let signalled = status & 0x7F != 0 ? status & 0x7F : nil
        return ChildRun(
            status: (status >> 8) & 0xFF, signal: signalled,
            stdout: (try? String(contentsOfFile: prefix + ".out", encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: prefix + ".err", encoding: .utf8)) ?? "",
            seconds: Date().timeIntervalSince(start), cpuSeconds: cpu, peakResidentKiB: peak)
    }

    /// VmHWM of a running process in KiB (0 once it has exited or where /proc is unavailable).
    static func highWaterMarkKiB(_ pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    private static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// A temporary folder for one test, removed afterwards.
final class TemporaryTree {
    let root: String

    init(_ name: String) throws {
        root = NSTemporaryDirectory() + "tokenmin-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, Data(text.utf8))
    }

    @discardableResult
    func write(_ relative: String, _ data: Data) throws -> String {
        let path = path(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: data) else { throw CocoaError(.fileWriteUnknown) }
        return path
    }

    func link(_ relative: String, to destination: String) throws {
        let path = path(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: destination)
    }

    /// Every entry under the root: relative path → permissions, size and a content hash (links by
    /// target), to prove that a run changed nothing.
    func digest() -> [String: String] {
        var digest: [String: String] = [:]
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: root) else { return digest }
        while let relative = enumerator.nextObject() as? String {
            let path = self.path(relative)
            guard let attributes = try? manager.attributesOfItem(atPath: path) else { continue }
            let permissions = (attributes[.posixPermissions] as? Int).map { String($0, radix: 8) } ?? "?"
            switch attributes[.type] as? FileAttributeType {
            case .typeSymbolicLink?: digest[relative] = "link → " + ((try? manager.destinationOfSymbolicLink(atPath: path)) ?? "?")
            case .typeDirectory?: digest[relative] = "folder \(permissions)"
            default:
                let size = (attributes[.size] as? Int) ?? -1
                digest[relative] = "\(permissions) \(size) \(size > 16 << 20 ? "large" : String(fnv1a(manager.contents(atPath: path) ?? Data())))"
            }
        }
        return digest
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

func fnv1a(_ data: Data) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in data {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
}

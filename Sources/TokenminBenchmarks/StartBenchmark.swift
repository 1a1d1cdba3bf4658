import Foundation

/// Start-up of the real `tokenmin` process: `tokenmin count FILE` on one prompt (whole process,
/// spawn to exit), `tokenmin lsp` answering `initialize` and the first `textDocument/inlayHint` of
/// a 2,000-line prompt (from spawn), and the server's resident memory with that prompt open.
/// Targets: count < 10 ms, initialize < 20 ms, first hints < 50 ms, RSS < 40 MB.
///
/// `TOKENMIN_BENCH_BINARY=/path/to/tokenmin` measures another build (the README's "before" column
/// is main's binary measured in the same run).
func startBenchmark() {
    guard let binary = requiredBenchmarkedBinary() else { return }
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tokenmin-start-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let prompt = folder.appendingPathComponent("one.prompt")
    try? Data(syntheticPrompt(lines: 60).utf8).write(to: prompt)

    let rounds = 15
    var countTimes: [Double] = []
    for _ in 0..<rounds {
        guard let time = timedRun(binary, ["count", prompt.path], in: folder) else { return }
        countTimes.append(time)
    }
    var initializeTimes: [Double] = []
    var hintTimes: [Double] = []
    var memories: [Double] = []
    var split = ""
    for _ in 0..<rounds {
        guard let sample = serverStart(binary) else { return }
        initializeTimes.append(sample.initialize)
        hintTimes.append(sample.firstHints)
        memories.append(sample.residentMegabytes)
        split = sample.split
    }
    countTimes.sort()
    initializeTimes.sort()
    hintTimes.sort()
    memories.sort()
    print("binary: \(binary.path); \(rounds) runs each; load average \(loadAverage())")
    func row(_ name: String, _ values: [Double], _ unit: String) {
        print(String(format: "%@: median %.1f %@, min %.1f, max %.1f", name, percentile(values, 50), unit, values.first ?? 0, values.last ?? 0))
    }
    row("count FILE (spawn to exit)", countTimes, "ms")
    row("lsp: initialize answered (from spawn)", initializeTimes, "ms")
    row("lsp: first inlay hints, 2,000 lines (from spawn)", hintTimes, "ms")
    row("lsp: resident memory with it open", memories, "MB")
    print("lsp: of which (last run) \(split)")
}

/// The binary under test: `TOKENMIN_BENCH_BINARY`, or the `tokenmin` next to this benchmark.
func benchmarkedBinary() -> URL {
    if let path = ProcessInfo.processInfo.environment["TOKENMIN_BENCH_BINARY"], !path.isEmpty {
        return URL(fileURLWithPath: path)
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tokenmin")
}

/// The binary under test, or nil after saying how to build it.
func requiredBenchmarkedBinary() -> URL? {
    let binary = benchmarkedBinary()
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        print("tokenmin binary not found at \(binary.path); build it first (swift build -c release)")
        return nil
    }
    return binary
}

/// Milliseconds from spawning `binary` with `arguments` (output discarded) to its exit; nil when it
/// cannot be started.
func timedRun(_ binary: URL, _ arguments: [String], in folder: URL? = nil) -> Double? {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let start = ContinuousClock.now
    guard (try? process.run()) != nil else { return nil }
    process.waitUntilExit()
    return milliseconds(since: start)
}

/// The 1-, 5- and 15-minute load averages, as `/proc/loadavg` gives them.
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

private func serverStart(_ binary: URL) -> (initialize: Double, firstHints: Double, residentMegabytes: Double, split: String)? {
    let text = syntheticPrompt(lines: 2000)
    let start = ContinuousClock.now
    guard let server = BenchmarkedServer(binary: binary) else { return nil }
    server.initialize()
    let initialize = milliseconds(since: start)
    server.open(BenchmarkedServer.largeURI, text: text)
    server.requestInlayHints(id: 2)
    let firstHints = milliseconds(since: start)
    // Let the debounced diagnostics run too, so the memory is that of a server at rest.
    Thread.sleep(forTimeInterval: 0.2)
    let pid = server.process.processIdentifier
    let memory = residentMegabytes(pid: pid) ?? -1
    // Anonymous (the process's own heap) against file-backed (the binary's code and embedded data,
    // the Swift runtime and Foundation libraries: clean pages shared with the page cache).
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let split = status.split(separator: "\n").filter { $0.hasPrefix("RssAnon:") || $0.hasPrefix("RssFile:") }
        .map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }.joined(separator: ", ")
    server.shutdown()
    return (initialize, firstHints, memory, split)
}

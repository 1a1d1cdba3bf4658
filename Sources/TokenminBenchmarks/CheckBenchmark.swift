import Foundation
import PromptCheck

/// `check` over 2,000 realistic prompts (~6 MB) in a temporary tree, in process, with both cores.
/// Target: under 2 s.
func checkBenchmark() {
    let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tokenmin-check-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    var bytes = 0
    for index in 0..<2000 {
        let folder = root.appendingPathComponent("team\(index % 20)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = syntheticPrompt(lines: 40 + index % 60, seed: index)
        bytes += text.utf8.count
        try? Data(text.utf8).write(to: folder.appendingPathComponent("prompt\(index).prompt"))
    }
    var times: [Double] = []
    var findings = 0
    for _ in 0..<3 {
        let start = ContinuousClock.now
        let run = runCheck(CheckRequest(paths: [root.path], roots: [root.path]))
        times.append(milliseconds(since: start))
        findings = run.result.findingCount
    }
    times.sort()
    let median = times[1]
    print(String(format: "in process: 2,000 prompts, %.1f MB, %d findings: median %.0f ms (%.0f files/s) over 3 runs", Double(bytes) / 1_048_576, findings, median, 2000 / (median / 1000)))

    // The CLI as CI runs it (process start, catalog load, JSON report written to a pipe).
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tokenmin")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else { return }
    var cliTimes: [Double] = []
    for _ in 0..<3 {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["check", "--format", "json", root.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        guard (try? process.run()) != nil else { return }
        process.waitUntilExit()
        cliTimes.append(milliseconds(since: start))
    }
    cliTimes.sort()
    print(String(format: "tokenmin check --format json (CLI): median %.0f ms (%.0f files/s) over 3 runs", cliTimes[1], 2000 / (cliTimes[1] / 1000)))
}

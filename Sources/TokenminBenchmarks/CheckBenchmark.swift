import Foundation
import PromptCheck

/// `check` over 2,000 realistic prompts (~10 MB) in a temporary tree, in process, with both cores
/// (target: under 2 s); then the scale run, `checkScaleBenchmark`.
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
    let binary = benchmarkedBinary()
    guard FileManager.default.isExecutableFile(atPath: binary.path) else { return }
    var cliTimes: [Double] = []
    for _ in 0..<3 {
        guard let time = timedRun(binary, ["check", "--format", "json", root.path]) else { return }
        cliTimes.append(time)
    }
    cliTimes.sort()
    print(String(format: "tokenmin check --format json (CLI): median %.0f ms (%.0f files/s) over 3 runs", cliTimes[1], 2000 / (cliTimes[1] / 1000)))
    checkScaleBenchmark()
}

/// `tokenmin check --format json` over 20,000 prompts (~100 MB) as a process: wall time, CPU time
/// (user + system; above the wall time means both cores worked) and peak resident memory, from the
/// kernel's accounting of the child. Target: under 10 s on 2 cores, memory bounded.
func checkScaleBenchmark() {
    guard let binary = requiredBenchmarkedBinary() else { return }
    let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tokenmin-check-scale-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let fileCount = 20_000
    var bytes = 0
    for index in 0..<fileCount {
        let folder = root.appendingPathComponent("team\(index % 100)")
        if index < 100 { try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let text = syntheticPrompt(lines: 40 + index % 60, seed: index)
        bytes += text.utf8.count
        try? Data(text.utf8).write(to: folder.appendingPathComponent("prompt\(index).prompt"))
    }
    print(String(format: "20,000 prompts, %.1f MB; binary %@; load average %@", Double(bytes) / 1_048_576, binary.path, loadAverage()))
    for _ in 0..<3 {
        let before = childUsage()
        guard let wall = timedRun(binary, ["check", "--format", "json", root.path]) else { return }
        let after = childUsage()
        // ru_maxrss of children is the largest of any child so far: this run's, as runs are alike.
        print(String(format: "tokenmin check --format json: %.2f s wall, %.2f s CPU (%.2f cores), peak RSS %.0f MB, %.0f files/s",
                     wall / 1000, after.cpuSeconds - before.cpuSeconds, (after.cpuSeconds - before.cpuSeconds) / (wall / 1000),
                     after.maxResidentMegabytes, Double(fileCount) / (wall / 1000)))
    }
}

private func childUsage() -> (cpuSeconds: Double, maxResidentMegabytes: Double) {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return (cpu, Double(usage.ru_maxrss) / 1024)
}

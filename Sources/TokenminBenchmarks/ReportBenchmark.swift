import Foundation
import PromptAnalysis
import PromptCheck

/// `tokenmin report --format html` over 2,000 realistic prompts (the `check` benchmark's corpus) with
/// a volume: analysis, the report model and the page, in process; then the CLI as a user runs it.
/// Targets: under 3 s, and the page under 2 MB.
func reportBenchmark() {
    let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
        "tokenmin-report-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    for index in 0..<2000 {
        let folder = root.appendingPathComponent("team\(index % 20)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Data(syntheticPrompt(lines: 40 + index % 60, seed: index).utf8)
            .write(to: folder.appendingPathComponent("prompt\(index).prompt"))
    }
    var configuration = Configuration()
    configuration.callsPerMonth = 50_000
    var times: [(total: Double, page: Double)] = []
    var bytes = 0
    var findings = 0
    for _ in 0..<3 {
        let start = ContinuousClock.now
        // As `report --format html` runs it: a row per prompt, no analysis kept.
        var request = CheckRequest(paths: [root.path], baseConfiguration: configuration, roots: [root.path])
        request.summarizesPrompts = true
        request.keepsAnalyses = false
        let run = runCheck(request)
        let pageStart = ContinuousClock.now
        let page = workspaceHTML(buildWorkspaceReport(run))
        times.append((milliseconds(since: start), milliseconds(since: pageStart)))
        bytes = page.utf8.count
        findings = run.result.findingCount
    }
    times.sort { $0.total < $1.total }
    print(
        String(
            format:
                "in process: 2,000 prompts, %d findings: median %.0f ms (page alone %.0f ms), page %.2f MB",
            findings, times[1].total, times[1].page, Double(bytes) / 1_048_576))

    let binary = benchmarkedBinary()
    guard FileManager.default.isExecutableFile(atPath: binary.path) else { return }
    var cliTimes: [Double] = []
    for _ in 0..<3 {
        guard let time = timedRun(binary, ["report", "--format", "html", "--volume", "50k/month", root.path]) else { return }
        cliTimes.append(time)
    }
    cliTimes.sort()
    print(String(format: "tokenmin report --format html (CLI): median %.0f ms over 3 runs", cliTimes[1]))
}

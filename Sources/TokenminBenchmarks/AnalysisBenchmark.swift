import Foundation
import PromptAnalysis

/// Analysis of a 2,000-line prompt: the first analysis, then re-analysis after one-line edits with the
/// session's shared token counters (what the language server does on each keystroke). Target: < 5 ms
/// after a one-line edit. `TOKENMIN_BENCH_EDITS=N` runs N edits (for profiling the edit path alone).
/// Each edit's thread CPU time is reported too: it is what to compare across builds on a loaded machine.
func analysisBenchmark() {
    let rounds = ProcessInfo.processInfo.environment["TOKENMIN_BENCH_EDITS"].flatMap(Int.init) ?? 200
    var text = syntheticPrompt(lines: 2000)
    let counters = TokenCounters()
    let configuration = Configuration()
    let resolver = catalogModelResolver(for: configuration)
    func analyze() -> DocumentAnalysis {
        analyzeDocument(AnalysisInput(text: text, configuration: configuration, resolveModel: resolver, counters: counters))
    }
    let first = ContinuousClock.now
    let analysis = analyze()
    let firstMilliseconds = milliseconds(since: first)
    var edits: [Double] = []
    var editsCPU: [Double] = []
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for round in 0..<rounds {
        // Type one character into a line in the middle of the reference material.
        var edited = lines
        let line = 40 + (round * 37) % 1800
        edited[line] += round % 2 == 0 ? "x" : ""
        text = edited.joined(separator: "\n")
        let start = ContinuousClock.now
        let startCPU = threadCPUMilliseconds()
        _ = analyze()
        edits.append(milliseconds(since: start))
        editsCPU.append(threadCPUMilliseconds() - startCPU)
    }
    edits.sort()
    editsCPU.sort()
    print("prompt: \(lines.count) lines, \(text.utf8.count) bytes, \(analysis.cost.inputTokens) input tokens, \(analysis.findings.count) findings")
    print(String(format: "first analysis: %.2f ms", firstMilliseconds))
    print(String(format: "after a one-line edit (\(rounds) edits): p50 %.2f ms, p99 %.2f ms, max %.2f ms", percentile(edits, 50), percentile(edits, 99), edits.last ?? 0))
    print(String(format: "  thread CPU per edit: p50 %.2f ms, p99 %.2f ms", percentile(editsCPU, 50), percentile(editsCPU, 99)))
}

import Foundation

// tokenmin's benchmarks: `swift run -c release TokenminBenchmarks [NAME...]`.
// Each benchmark registers in `benchmarks` and prints its own table; README reports the numbers.
let benchmarks: [(name: String, run: () -> Void)] = [
    ("tokenizer", tokenizerBenchmark),
    ("analysis", analysisBenchmark),
    ("lsp", languageServerBenchmark),
    ("check", checkBenchmark),
    ("check-scale", checkScaleBenchmark),
    ("report", reportBenchmark),
    ("scaling", scalingBenchmark),
    ("start", startBenchmark),
    ("encoding", encodingBenchmark),
]

let selected = Set(CommandLine.arguments.dropFirst())
for benchmark in benchmarks where selected.isEmpty || selected.contains(benchmark.name) {
    print("== \(benchmark.name)")
    benchmark.run()
}

import Dispatch
import Foundation
import Tokenizer

/// Tokenizer throughput (encode and count, both encodings), first-count latency including the
/// vocabulary load, and resident memory with both encodings loaded.
///
/// The corpus is `TOKENMIN_TOKENIZER_CORPUS` (a file; Tests/python/tools/compare_tiktoken.py passes
/// the one it also gives tiktoken) or else a built-in deterministic mixed corpus. Lines starting with
/// `RESULT` are for that script; the rest is the human-readable table.
func tokenizerBenchmark() {
    // Measured first, while nothing is loaded yet.
    let rssBefore = (residentMegabytes() ?? 0)
    for name in EncodingName.allCases {
        let start = DispatchTime.now()
        let tokens = BPEEncoding.named(name).count("Hello, world! This is the first count.")
        let milliseconds = elapsedSeconds(since: start) * 1000
        print(String(format: "%-12@ first count (includes vocabulary load): %6.2f ms (%d tokens)", name.rawValue, milliseconds, tokens))
        print("RESULT \(name.rawValue) first_count_ms \(milliseconds)")
    }
    let rssLoaded = (residentMegabytes() ?? 0)
    print(String(format: "resident memory: %.1f MB with both encodings loaded (%.1f MB before loading)", rssLoaded, rssBefore))
    print("RESULT all rss_mb \(rssLoaded)")

    let corpus = tokenizerCorpus()
    let megabytes = Double(corpus.utf8.count) / 1_000_000
    print(String(format: "corpus: %.2f MB of UTF-8", megabytes))
    let iterations = Int(ProcessInfo.processInfo.environment["TOKENMIN_TOKENIZER_ITERATIONS"] ?? "") ?? 5
    // TOKENMIN_TOKENIZER_ENCODINGS (comma-separated names) narrows the throughput runs, for profiling.
    let selected = ProcessInfo.processInfo.environment["TOKENMIN_TOKENIZER_ENCODINGS"]?.split(separator: ",").map(String.init)
    for name in EncodingName.allCases where selected?.contains(name.rawValue) ?? true {
        let encoding = BPEEncoding.named(name)
        var tokenCount = 0
        // Every pass starts cold: the encoding's memo of repeated-byte runs is emptied first, so the
        // numbers are single-pass throughput (tiktoken keeps nothing between calls either).
        let encodeTimes = timedPasses(iterations, reset: encoding.forgetRuns) { tokenCount = encoding.encode(corpus).count }
        let countTimes = timedPasses(iterations, reset: encoding.forgetRuns) { tokenCount = encoding.count(corpus) }
        for (operation, times) in [("encode", encodeTimes), ("count", countTimes)] {
            let median = times[times.count / 2]
            let best = times[0]
            print(String(format: "%-12@ %-6@ %8.2f MB/s %8.2f M tokens/s  (%d tokens, median of %d; best %.2f MB/s)",
                name.rawValue, operation, megabytes / median, Double(tokenCount) / median / 1_000_000, tokenCount,
                iterations, megabytes / best))
            print("RESULT \(name.rawValue) \(operation)_mbps \(megabytes / median)")
            print("RESULT \(name.rawValue) \(operation)_best_mbps \(megabytes / best)")
            print("RESULT \(name.rawValue) \(operation)_tokens \(tokenCount)")
        }
    }
    // The bundled non-OpenAI tokenizers (the generic engine), first count and throughput alike.
    for bundled in BundledTokenizer.allCases where selected?.contains(bundled.rawValue) ?? true {
        let start = DispatchTime.now()
        let tokenizer = bundled.tokenizer
        let firstTokens = tokenizer.count("Hello, world! This is the first count.")
        let milliseconds = elapsedSeconds(since: start) * 1000
        print(String(format: "%-12@ first count (includes loading): %6.2f ms (%d tokens)", bundled.rawValue, milliseconds, firstTokens))
        print("RESULT \(bundled.rawValue) first_count_ms \(milliseconds)")
        var tokenCount = 0
        let encodeTimes = timedPasses(iterations) { tokenCount = tokenizer.encode(corpus).count }
        let countTimes = timedPasses(iterations) { tokenCount = tokenizer.count(corpus) }
        for (operation, times) in [("encode", encodeTimes), ("count", countTimes)] {
            let median = times[times.count / 2]
            print(String(format: "%-12@ %-6@ %8.2f MB/s %8.2f M tokens/s  (%d tokens, median of %d; best %.2f MB/s)",
                bundled.rawValue, operation, megabytes / median, Double(tokenCount) / median / 1_000_000, tokenCount,
                iterations, megabytes / times[0]))
            print("RESULT \(bundled.rawValue) \(operation)_mbps \(megabytes / median)")
            print("RESULT \(bundled.rawValue) \(operation)_best_mbps \(megabytes / times[0])")
            print("RESULT \(bundled.rawValue) \(operation)_tokens \(tokenCount)")
        }
    }
}

private func elapsedSeconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// The seconds of each of `iterations` passes, fastest first (`reset` runs untimed before each).
private func timedPasses(_ iterations: Int, reset: () -> Void = {}, _ body: () -> Void) -> [Double] {
    var times: [Double] = []
    for _ in 0..<max(iterations, 1) {
        reset()
        let start = DispatchTime.now()
        body()
        times.append(elapsedSeconds(since: start))
    }
    return times.sorted()
}

private func tokenizerCorpus() -> String {
    if let path = ProcessInfo.processInfo.environment["TOKENMIN_TOKENIZER_CORPUS"] {
        guard let data = FileManager.default.contents(atPath: path) else {
            print("cannot read TOKENMIN_TOKENIZER_CORPUS=\(path)")
            exit(2)
        }
        return String(decoding: data, as: UTF8.self)
    }
    // A deterministic mix: prose with contractions, code, JSON, CJK, emoji, long white space and
    // digit runs. Numbers vary per block so that text is not one repeated string.
    var corpus = ""
    for block in 0..<3000 {
        corpus += "The committee's report (draft \(block)) says we'll need 4,\(block % 1000) more tokens; "
        corpus += "they've agreed it's FINE. Naïve café owners in Zürich don't mind.\n"
        corpus += "func f\(block)(_ x: Int) -> [String: Any] {\n    return [\"k\": x * \(block), \"ok\": true]\n}\n"
        corpus += "{\"id\": \(block), \"model\": \"gpt-4o\", \"price\": 0.0000\(block % 97), \"tags\": [\"a/b\", \"c\"]}\n"
        corpus += "機械学習は人工智能の一分野です。数据\(block)表明，模型的表现很好。안녕하세요 세계!\n"
        corpus += "Launch 🚀🎉 family 👨‍👩‍👧 ok 👍🏽\n"
        if block % 50 == 0 {
            corpus += String(repeating: " ", count: 200) + String(repeating: "1234567890", count: 30) + "\n"
            corpus += String(repeating: "\t", count: 40) + "\r\n\r\n"
        }
    }
    return corpus
}

import Dotprompt
import Foundation
import PromptAnalysis
import PromptCheck
import PromptSyntax

/// Every stage of `check`, `fmt`, `render` and `parse` must take time linear (or n log n) in the input,
/// whatever its shape. This benchmark builds prompts of many shapes — one long line, no spaces, one
/// giant sentence, a giant YAML scalar, and every rule's own flagged example repeated on one line —
/// at two sizes four times apart, and prints the time ratio of each (linear ≈ 4, quadratic ≈ 16).
/// Times are the process's CPU time (all threads), the best of two runs: on a shared machine, wall time
/// mostly measures the neighbours.
/// `TOKENMIN_SCALING_KB=N` sets the smaller size (default 100 KB); `TOKENMIN_SCALING_ONLY=a,b` runs only
/// the shapes whose names contain one of the words. Exits non-zero when a ratio exceeds 8.
func scalingBenchmark() {
    let smallBytes = (ProcessInfo.processInfo.environment["TOKENMIN_SCALING_KB"].flatMap(Int.init) ?? 100) * 1024
    let only = ProcessInfo.processInfo.environment["TOKENMIN_SCALING_ONLY"].map { $0.split(separator: ",").map(String.init) }
    let folder = NSTemporaryDirectory() + "tokenmin-scaling-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var worst = 0.0
    emit("shape                                  small (s)  large (s)  ratio  large MB/s")
    for shape in scalingShapes() where only.map({ words in words.contains { shape.name.contains($0) } }) ?? true {
        let small = shape.make(smallBytes)
        let large = shape.make(4 * smallBytes)
        let smallSeconds = bestOf(2) { runAllStages(small, folder: folder) }
        let largeSeconds = bestOf(2) { runAllStages(large, folder: folder) }
        let ratio = largeSeconds / max(smallSeconds, 1e-6)
        worst = max(worst, ratio)
        emit(shape.name.padding(toLength: 38, withPad: " ", startingAt: 0)
             + String(format: " %9.3f  %9.3f  %5.1f  %9.2f", smallSeconds, largeSeconds, ratio, Double(large.utf8.count) / 1e6 / largeSeconds)
             + (ratio > 8 ? "  SUPER-LINEAR" : ""))
    }
    emit(String(format: "worst ratio: %.1f", worst))
    if worst > 8 { exit(1) }
}

/// A prompt shape: a name and a function from a target size in bytes to the prompt text.
struct ScalingShape {
    var name: String
    var make: (Int) -> String
}

/// `unit` repeated until the body reaches `bytes`, on one line, after a small frontmatter.
private func repeated(_ unit: String, bytes: Int, head: String = "---\nmodel: openai/gpt-4o\n---\n") -> String {
    head + String(repeating: unit, count: max(1, bytes / max(unit.utf8.count, 1))) + "\n"
}

func scalingShapes() -> [ScalingShape] {
    var shapes: [ScalingShape] = [
        ScalingShape(name: "sentences on one line") { repeated("The quick brown fox jumps over the lazy dog. ", bytes: $0) },
        ScalingShape(name: "sentences on lines (reference)") { repeated("The quick brown fox jumps over the lazy dog.\n", bytes: $0) },
        ScalingShape(name: "no spaces") { repeated("x", bytes: $0) },
        ScalingShape(name: "one giant sentence") { repeated("the fox jumps over the dog and ", bytes: $0) },
        ScalingShape(name: "distinct words") { bytes in
            "---\nmodel: openai/gpt-4o\n---\n" + (0..<(bytes / 7)).map { "w\($0)" }.joined(separator: " ") + "\n"
        },
        ScalingShape(name: "repeated instruction") { repeated("Summarize the ticket in one line. ", bytes: $0) },
        ScalingShape(name: "CJK with punctuation") { repeated("日本語の文章です。", bytes: $0) },
        ScalingShape(name: "CJK without punctuation") { repeated("日本語文章", bytes: $0) },
        ScalingShape(name: "emoji") { repeated("😀👨‍👩‍👧", bytes: $0) },
        ScalingShape(name: "digits") { repeated("1234567890", bytes: $0) },
        ScalingShape(name: "spaces") { repeated(" ", bytes: $0) + "x\n" },
        ScalingShape(name: "blank lines") { repeated("\n", bytes: $0) },
        ScalingShape(name: "CR line ends") { repeated("Be brief.\r", bytes: $0) },
        ScalingShape(name: "variables") { repeated("{{name}} ", bytes: $0) },
        ScalingShape(name: "unclosed blocks") { repeated("{{#if a}}", bytes: $0) },
        ScalingShape(name: "unmatched closing blocks") { repeated("{{/if}}", bytes: $0) },
        ScalingShape(name: "open braces") { repeated("{{", bytes: $0) },
        ScalingShape(name: "close braces") { repeated("}}", bytes: $0) },
        ScalingShape(name: "comments") { repeated("{{! note }}", bytes: $0) },
        ScalingShape(name: "unclosed comment") { repeated("{{!-- x ", bytes: $0) },
        ScalingShape(name: "partials") { repeated("{{> part}}", bytes: $0) },
        ScalingShape(name: "each blocks") { repeated("{{#each items}}{{this}}{{/each}}", bytes: $0) },
        ScalingShape(name: "role markers") { repeated("{{role \"user\"}}Hi. ", bytes: $0) },
        ScalingShape(name: "history markers") { repeated("{{history}}", bytes: $0) },
        ScalingShape(name: "quotes") { repeated("\"", bytes: $0) },
        ScalingShape(name: "curly open quotes") { repeated("“ please ", bytes: $0) },
        ScalingShape(name: "backticks") { repeated("`", bytes: $0) },
        ScalingShape(name: "fences") { repeated("``` ", bytes: $0) },
        ScalingShape(name: "example tags unclosed") { repeated("<example> please ", bytes: $0) },
        ScalingShape(name: "example tags closed") { repeated("<example>x</example> ", bytes: $0) },
        ScalingShape(name: "angle brackets") { repeated("<", bytes: $0) },
        ScalingShape(name: "dialogue line") { repeated("User: please ", bytes: $0) },
        ScalingShape(name: "e-mail addresses") { repeated("mail ana@acme.com now. ", bytes: $0) },
        ScalingShape(name: "at signs") { repeated("@", bytes: $0) },
        ScalingShape(name: "phone numbers") { repeated("call +1 415 555 0134 now. ", bytes: $0) },
        ScalingShape(name: "secret-like") { repeated("sk-proj-AbCdEfGhIjKlMnOpQrStUvWx ", bytes: $0) },
        ScalingShape(name: "JSON in prose") { repeated("Respond in JSON with the keys \"a\" and \"b\". ", bytes: $0) },
        ScalingShape(name: "enum list") { repeated("The category must be one of: a, b, c. ", bytes: $0) },
        ScalingShape(name: "commas") { repeated("a, ", bytes: $0) },
        ScalingShape(name: "list markers") { repeated("- item ", bytes: $0) },
        ScalingShape(name: "YAML plain scalar") { bytes in
            "---\nmodel: openai/gpt-4o\nconfig:\n  note: " + String(repeating: "alpha beta ", count: bytes / 11) + "\n---\nHello.\n"
        },
        ScalingShape(name: "YAML quoted scalar") { bytes in
            "---\nmodel: openai/gpt-4o\nconfig:\n  note: \"" + String(repeating: "alpha \\\" beta ", count: bytes / 14) + "\"\n---\nHello.\n"
        },
        ScalingShape(name: "YAML single-quoted scalar") { bytes in
            "---\nmodel: openai/gpt-4o\nconfig:\n  note: '" + String(repeating: "alpha '' beta ", count: bytes / 14) + "'\n---\nHello.\n"
        },
        ScalingShape(name: "YAML block scalar") { bytes in
            "---\nmodel: openai/gpt-4o\nconfig:\n  note: |\n    " + String(repeating: "alpha beta ", count: bytes / 11) + "\n---\nHello.\n"
        },
        ScalingShape(name: "YAML flow sequence") { bytes in
            "---\nmodel: openai/gpt-4o\nconfig:\n  list: [" + String(repeating: "a, ", count: bytes / 3) + "b]\n---\nHello.\n"
        },
        ScalingShape(name: "YAML flow mapping") { bytes in
            "---\nmodel: openai/gpt-4o\nconfig:\n  map: {" + (0..<(bytes / 10)).map { "k\($0): v" }.joined(separator: ", ") + "}\n---\nHello.\n"
        },
        ScalingShape(name: "YAML schema line") { bytes in
            "---\nmodel: openai/gpt-4o\ninput:\n  schema:\n    text: string, " + String(repeating: "the text ", count: bytes / 9) + "\n---\n{{text}}\n"
        },
        ScalingShape(name: "YAML unterminated quote") { bytes in
            "---\nmodel: openai/gpt-4o\nconfig:\n  note: \"" + String(repeating: "alpha ", count: bytes / 6) + "\n---\nHello.\n"
        },
        ScalingShape(name: "YAML many keys on lines") { bytes in
            "---\nmodel: openai/gpt-4o\nconfig:\n" + (0..<(bytes / 16)).map { "  key\($0): v\n" }.joined() + "---\nHello.\n"
        },
        ScalingShape(name: "frontmatter only, no close") { bytes in
            "---\nmodel: openai/gpt-4o\nnote: " + String(repeating: "x ", count: bytes / 2) + "\n"
        },
    ]
    // Every rule's own flagged example, repeated on one line and separated by spaces (whatever the rules
    // are, each is exercised at scale).
    for descriptor in RuleRegistry.descriptors where !descriptor.example.flagged.isEmpty {
        let unit = descriptor.example.flagged.replacingOccurrences(of: "\n", with: " ") + " "
        shapes.append(ScalingShape(name: "rule \(descriptor.id)") { repeated(unit, bytes: $0) })
    }
    return shapes
}

/// `check` (analysis and every reporter), `fmt`, `render` and `parse` of one prompt file.
private func runAllStages(_ text: String, folder: String) {
    let path = folder + "/shape.prompt"
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    let run = runCheck(CheckRequest(paths: [path], roots: [folder]))
    _ = textReport(run.result, colors: false, formatUSD: formatUSD)
    _ = jsonReport(run.result)
    _ = sarifReport(run.result, rules: RuleRegistry.descriptors, version: "bench")
    _ = githubReport(run.result)
    _ = formatPromptFile(text)
    let document = parsePromptDocument(text)
    _ = renderPrompt(document)
    _ = dumpTemplate(document.template, text: document.text)
}

private func bestOf(_ runs: Int, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<runs {
        let start = processCPUSeconds()
        body()
        best = min(best, processCPUSeconds() - start)
    }
    return best
}

/// CPU time used by this process so far (user and system, every thread).
private func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Writes a line at once (unbuffered), so that a run cut short still shows the shapes it finished.
private func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

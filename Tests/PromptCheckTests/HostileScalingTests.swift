import Foundation
import XCTest

/// Long lines through the real binary: doubling a prompt must about double the time `check` (and
/// `fmt`) takes, whatever the shape of the line. A prompt whose body was one line of a repeated sentence
/// took 0.97 s at 1,000 repeats and 30 s at 8,000 (every finding's column was counted from the line
/// start, and rules redid whole-line work per finding). Part of `HostileTreeTests`, so the sanitizer
/// script treats it like the other timed child-process cases.
extension HostileTreeTests {
    /// One shape: a name, the command, and the prompt text for a body of about `bytes` bytes.
    private struct Shape: Sendable {
        var name: String
        var command: [String] = ["check"]
        var make: @Sendable (_ bytes: Int) -> String
    }

    private static func line(_ unit: String, bytes: Int, head: String = "---\nmodel: openai/gpt-4o\n---\n") -> String {
        head + String(repeating: unit, count: max(1, bytes / unit.utf8.count)) + "\n"
    }

    private static let shapes: [Shape] = [
        // The case: one line of a repeated sentence (a duplicate-instruction finding per sentence).
        Shape(name: "repeated sentence") { line("The quick brown fox jumps over the lazy dog near the river bank. ", bytes: $0) },
        // Thousands of findings with fixes and savings on one line (politeness, scaffolding, brevity).
        Shape(name: "findings on one line") { line("Please be concise. You are a helpful assistant. Thank you! ", bytes: $0) },
        Shape(name: "one giant sentence") { line("the fox jumps over the dog and ", bytes: $0) },
        Shape(name: "no spaces") { line("x", bytes: $0) },
        Shape(name: "unclosed blocks") { line("{{#if a}}", bytes: $0) },
        Shape(name: "giant YAML scalar") { bytes in
            "---\nmodel: openai/gpt-4o\nconfig:\n  note: " + String(repeating: "alpha beta ", count: bytes / 11) + "\n---\nHello.\n"
        },
        Shape(name: "variables, fmt", command: ["fmt", "--check"]) { line("{{ name }}  ", bytes: $0) },
    ]

    /// Each shape at 48 KB and 96 KB: the larger must take less than 3× the CPU time of the smaller
    /// (linear is 2×, quadratic 4×), after subtracting the process's fixed start-up cost (vocabulary
    /// and catalog loading). CPU time of the child, best of three runs: other processes on a shared
    /// machine move wall time, hardly CPU time.
    func testLongLinesScaleLinearly() throws {
        let tree = try TemporaryTree("scaling")
        try tree.write("tiny.prompt", "---\nmodel: openai/gpt-4o\n---\nHello.\n")
        func bestCPU(_ arguments: [String]) throws -> Double {
            var best = Double.infinity
            for _ in 0..<3 {
                let run = try Tokenmin.run(arguments, in: tree.root, timeout: Self.maximumSeconds)
                XCTAssertNil(run.signal, "\(arguments) crashed: \(run)")
                best = min(best, run.cpuSeconds)
            }
            return best
        }
        var report: [String] = []
        for shape in Self.shapes {
            let startup = try bestCPU(shape.command + ["tiny.prompt"])
            var seconds: [Double] = []
            for (size, name) in [(48 * 1024, "small.prompt"), (96 * 1024, "large.prompt")] {
                try tree.write(name, shape.make(size))
                seconds.append(max(try bestCPU(shape.command + [name]) - startup, 0.001))
            }
            let ratio = seconds[1] / seconds[0]
            report.append(String(format: "%@: %.3f s → %.3f s (×%.2f), start-up %.3f s", shape.name, seconds[0], seconds[1], ratio, startup))
            // Below 0.05 s of work the ratio is noise; such a shape is fast enough either way.
            if seconds[1] > 0.05 {
                XCTAssertLessThan(ratio, 3, "\(shape.name): doubling the line multiplied the time by \(ratio)")
            }
        }
        print("hostile scaling:\n  " + report.joined(separator: "\n  "))
    }
}

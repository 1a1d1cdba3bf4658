import Foundation
import XCTest

/// `tokenmin check` on hostile trees, run as a child process: each case must end with a clear finding
/// or problem (never a crash), within a generous time and memory bound, and write nothing.
final class HostileTreeTests: XCTestCase {
    /// Bounds for every hostile case (debug build, 2 shared cores): generous, but a hang, an
    /// exponential expansion or a whole 50 MB file in memory would exceed them.
    /// Under a sanitizer (Tests/sanitizers.sh sets TOKENMIN_SANITIZED) code runs several times slower
    /// and AddressSanitizer's shadow memory and quarantine triple the footprint: the bounds scale.
    static let sanitized = ProcessInfo.processInfo.environment["TOKENMIN_SANITIZED"] != nil
    static let maximumSeconds = sanitized ? 300.0 : 60.0
    static let maximumPeakMiB = sanitized ? 1600 : 400

    /// Runs `check` over `tree` (in it, on `.`), requires `expected` substrings in its output (in order
    /// of the list, anywhere) and an exit status in `statuses`, bounded time and memory, and an
    /// unchanged tree. Returns the run for further checks.
    @discardableResult
    private func check(
        _ tree: TemporaryTree, _ arguments: [String] = [], expected: [String], statuses: Set<Int32> = [0, 1],
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> ChildRun {
        let before = tree.digest()
        let run = try Tokenmin.run(["check"] + arguments + ["."], in: tree.root, timeout: Self.maximumSeconds, file: file, line: line)
        print("hostile \(name): \(run)")
        XCTAssertNil(run.signal, "check crashed: \(run)\n\(run.output.prefix(2_000))", file: file, line: line)
        XCTAssertTrue(statuses.contains(run.status), "exit status \(run.status)\n\(run.output.prefix(2_000))", file: file, line: line)
        for text in expected {
            XCTAssertTrue(run.output.contains(text), "missing “\(text)” in:\n\(run.output.prefix(3_000))", file: file, line: line)
        }
        XCTAssertLessThan(run.peakResidentKiB / 1024, Self.maximumPeakMiB, "peak memory \(run)", file: file, line: line)
        XCTAssertEqual(tree.digest(), before, "check changed the tree", file: file, line: line)
        return run
    }

    func testInvalidUTF8IsAFindingOfThatFile() throws {
        let tree = try TemporaryTree("utf8")
        try tree.write("bad.prompt", Data([0x2D, 0x2D, 0x2D, 0x0A, 0xFF, 0xFE, 0xC3, 0x28, 0x0A, 0x2D, 0x2D, 0x2D, 0x0A, 0x80, 0x80]))
        try tree.write("good.prompt", "Summarize {{text}}.\n")
        try check(tree, expected: ["bad.prompt", "unreadable-file", "not valid UTF-8"], statuses: [1])
    }

    func testNULBytes() throws {
        let tree = try TemporaryTree("nul")
        try tree.write("nul.prompt", "---\nmodel: openai/gpt-4o\u{0}\n---\nHello \u{0}{{na\u{0}me}} world\u{0}\n")
        try check(tree, expected: ["nul.prompt", "NUL"])
    }

    func testFiftyMegabyteFileIsRefusedBySizeQuickly() throws {
        let tree = try TemporaryTree("huge")
        // A sparse 50 MB file: creating it is instant, and reading it whole would show in peak memory.
        let path = try tree.write("huge.prompt", "Hello\n")
        XCTAssertEqual(truncate(path, 50 << 20), 0)
        let run = try check(tree, expected: ["huge.prompt", "unreadable-file", "52428800 bytes", "8388608-byte"], statuses: [1])
        XCTAssertLessThan(run.seconds, 10, "refusing by size must not read the file")
        XCTAssertLessThan(run.peakResidentKiB / 1024, 150, "the 50 MB file was read into memory")
    }

    func testHundredThousandLineFrontmatter() throws {
        let tree = try TemporaryTree("frontmatter")
        var text = "---\nmodel: openai/gpt-4o\nconfig:\n"
        for index in 0..<100_000 { text += "  key\(index): value \(index)\n" }
        text += "---\nHello {{name}}\n"
        try tree.write("long.prompt", text)
        try check(tree, expected: ["long.prompt"])
    }

    func testTenThousandLevelsOfYAMLNesting() throws {
        let tree = try TemporaryTree("yaml-depth")
        let flow = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let mapping = String(repeating: "{a: ", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        try tree.write("flow.prompt", "---\nmodel: openai/gpt-4o\nconfig:\n  x: \(flow)\n  y: \(mapping)\n---\nHello\n")
        // Block nesting: one space more per level (10,000 levels would be 50 MB, so 2,000 here).
        var block = "---\nmodel: openai/gpt-4o\nconfig:\n"
        for level in 0..<2_000 { block += String(repeating: " ", count: level + 1) + "k:\n" }
        block += String(repeating: " ", count: 2_001) + "v\n---\nHello\n"
        try tree.write("block.prompt", block)
        try check(tree, expected: ["flow.prompt", "block.prompt"])
    }

    func testTenThousandLevelsOfHandlebarsNesting() throws {
        let tree = try TemporaryTree("hbs-depth")
        let blocks = String(repeating: "{{#if a}}x", count: 10_000) + String(repeating: "{{/if}}", count: 10_000)
        let subexpressions = "{{" + String(repeating: "(concat ", count: 10_000) + "a" + String(repeating: ")", count: 10_000) + "}}"
        // 10,000 unclosed blocks are 10,000 findings, on separate lines and on one line (where each
        // finding's column used to be counted from the line start: 10,000 took ~55 s in a debug build;
        // the line index now counts from a checkpoint at most 512 bytes back).
        let unclosed = String(repeating: "{{#each items}}\n", count: 10_000)
        try tree.write("unclosed-one-line.prompt", String(repeating: "{{#each items}}", count: 10_000) + "\n")
        try tree.write("blocks.prompt", "---\nmodel: openai/gpt-4o\ninput:\n  schema:\n    a: boolean\n---\n\(blocks)\n")
        try tree.write("subexpressions.prompt", subexpressions + "\n")
        try tree.write("unclosed.prompt", unclosed + "\n")
        try check(tree, expected: ["blocks.prompt", "subexpressions.prompt", "unclosed.prompt", "unclosed-one-line.prompt:1:149986: error[unclosed-block]", "unclosed-block"], statuses: [1])
    }

    func testYAMLAliasBombIsReportedUnsupportedAndBounded() throws {
        let tree = try TemporaryTree("alias-bomb")
        var yaml = "---\nmodel: openai/gpt-4o\nconfig:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1..<12 {
            yaml += "  a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "---\nHello\n"
        try tree.write("bomb.prompt", yaml)
        try check(tree, expected: ["bomb.prompt", "aliases are not supported"])
    }

    func testPartialCycleIsCircularPartial() throws {
        let tree = try TemporaryTree("cycle")
        try tree.write("_a.prompt", "A {{> b}}\n")
        try tree.write("_b.prompt", "B {{> a}}\n")
        try tree.write("_self.prompt", "S {{> self}}\n")
        try tree.write("main.prompt", "---\nmodel: openai/gpt-4o\n---\nStart {{> a}} and {{> self}}\n")
        try check(tree, expected: ["main.prompt", "circular-partial"], statuses: [1])
    }

    func testPartialDepthLimitIsReported() throws {
        let tree = try TemporaryTree("depth")
        for level in 0..<30 { try tree.write("_p\(level).prompt", "level \(level) {{> p\(level + 1)}}\n") }
        try tree.write("_p30.prompt", "bottom\n")
        try tree.write("main.prompt", "---\nmodel: openai/gpt-4o\n---\n{{> p0}}\n")
        try check(tree, expected: ["main.prompt", "deeper than 16"], statuses: [0, 1])
    }

    /// Partials that leave the workspace (a `../` path, an absolute-looking path, a symlinked partial, a
    /// symlinked prompt) are refused: the outside file's marker must not appear in any output format,
    /// and its 5,000 words must not be counted.
    func testPathsEscapingTheWorkspaceAreNeverRead() throws {
        let outer = try TemporaryTree("escape")
        let marker = "MARKER-\(UInt64.random(in: 0...UInt64.max))"
        let secret = Array(repeating: marker, count: 5_000).joined(separator: " ") + "\n"
        let secretPath = try outer.write("outside/_secret.prompt", secret)
        try outer.write("ws/main.prompt", "---\nmodel: openai/gpt-4o\n---\nA {{> ../outside/secret}} B {{> ../../etc/passwd}} C {{> link}} D {{> /etc/passwd}}\n")
        try outer.link("ws/_link.prompt", to: secretPath)
        try outer.link("ws/evil.prompt", to: secretPath)
        let workspace = outer.path("ws")
        let before = outer.digest()
        for format in ["text", "json", "sarif", "github"] {
            let run = try Tokenmin.run(["check", "--format", format, "."], in: workspace, timeout: Self.maximumSeconds)
            print("hostile escape (\(format)): \(run)")
            XCTAssertNil(run.signal)
            XCTAssertFalse(run.output.contains(marker), "the outside file was read (\(format)):\n\(run.output.prefix(3_000))")
            if format == "json" {
                XCTAssertTrue(run.output.contains("main.prompt"))
                XCTAssertTrue(run.output.contains("outside the workspace") || run.output.contains("leaves the workspace"), run.output)
                let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
                let tokens = inputTokens(in: json)
                XCTAssertFalse(tokens.isEmpty, "no token counts in the JSON report")
                XCTAssertTrue(tokens.allSatisfy { $0 < 1_000 }, "the outside partial's tokens were counted: \(tokens)")
            }
        }
        let dryRun = try Tokenmin.run(["check", "--fix", "--dry-run", "."], in: workspace, timeout: Self.maximumSeconds)
        XCTAssertFalse(dryRun.output.contains(marker))
        XCTAssertEqual(outer.digest(), before, "check changed files")
    }

    func testSymlinkLoopsInDiscovery() throws {
        let tree = try TemporaryTree("loops")
        try tree.write("a/one.prompt", "Hello {{name}}\n")
        try tree.link("a/loop", to: "..")
        try tree.link("a/b/up", to: "../../a")
        try tree.link("self", to: "self")
        try tree.link("dangling.prompt", to: "missing.prompt")
        // The real file is found once (not again through `a/b/up` or `a/loop`), every loop is reported.
        let run = try check(tree, ["--format", "json"], expected: ["one.prompt"], statuses: [0, 1, 2])
        XCTAssertEqual(run.stdout.components(separatedBy: "one.prompt").count - 1, 1, run.stdout)
        try check(tree, expected: ["1 prompt,", "a/loop: error: skipped: symlink loop", "a/b/up: error: skipped: symlink loop",
                                   "dangling.prompt: error: broken symbolic link"], statuses: [0, 1, 2])
    }

    /// All of the above in one tree: one bad file never stops the run; the others are still reported.
    func testOneHostileFileDoesNotStopTheRun() throws {
        let tree = try TemporaryTree("mixed")
        try tree.write("a-bad.prompt", Data([0xFF, 0xFE, 0x00]))
        try tree.write("b-good.prompt", "---\nmodel: openai/gpt-4o\n---\nPlease summarize {{text}}.\n")
        try tree.write("c-deep.prompt", String(repeating: "{{#if a}}\n", count: 10_000))
        try check(tree, ["--format", "json"], expected: ["a-bad.prompt", "b-good.prompt", "c-deep.prompt", "politeness"], statuses: [1])
    }

    private func inputTokens(in json: Any) -> [Int] {
        var found: [Int] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, member) in object {
                    if key == "inputTokens", let number = member as? Int { found.append(number) }
                    walk(member)
                }
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(json)
        return found
    }
}

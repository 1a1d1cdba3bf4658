import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Nothing lost: `check --fix` keeps permissions, and killing it (SIGKILL, no chance to clean up) at
/// any point leaves every file either exactly as it was or exactly as a complete fix run leaves it —
/// never truncated or half-written. Temporary files a kill can leave behind are dot-files named
/// `.NAME.tokenmin-PID.tmp`, which `check` never picks up.
final class FixInterruptTests: XCTestCase {
    static let copies = 150

    private func examples() throws -> [(name: String, text: String)] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".prompt") }.sorted()
        XCTAssertFalse(names.isEmpty, "no fixtures in \(folder.path)")
        return try names.map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// A tree of `copies` × examples with varied permissions; returns relative path → (text, mode).
    private func makeTree(_ tree: TemporaryTree) throws -> [String: (text: String, mode: Int)] {
        var files: [String: (String, Int)] = [:]
        let modes = [0o644, 0o600, 0o640, 0o755, 0o664]
        for copy in 0..<Self.copies {
            for (index, example) in try examples().enumerated() {
                let relative = "set\(copy % 10)/copy\(copy)-\(example.name)"
                let path = try tree.write(relative, example.text)
                let mode = modes[(copy + index) % modes.count]
                XCTAssertEqual(chmod(path, mode_t(mode)), 0)
                files[relative] = (example.text, mode)
            }
        }
        return files
    }

    /// What a kill between writing the temporary file and renaming it leaves: the leftover is ignored.
    func testLeftoverTemporaryFilesAreIgnoredByCheck() throws {
        let tree = try TemporaryTree("fix-leftover")
        try tree.write("a.prompt", "Summarize {{text}}.\n")
        try tree.write(".a.prompt.tokenmin-4242.tmp", "Please kindly summarize {{text}}.\n")
        let run = try Tokenmin.run(["check", "--format", "json", "."], in: tree.root, timeout: 60)
        XCTAssertTrue(run.output.contains("a.prompt"))
        XCTAssertFalse(run.output.contains("tokenmin-4242"), run.output)
    }

    private func mode(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1 }

    func testFixKeepsPermissionsAndAKilledFixLeavesEveryFileWholeOrFixed() throws {
        // The reference: a complete fix run.
        let reference = try TemporaryTree("fix-reference")
        let originals = try makeTree(reference)
        let start = Date()
        let complete = try Tokenmin.run(["check", "--fix", "."], in: reference.root, timeout: 120)
        let fullSeconds = Date().timeIntervalSince(start)
        XCTAssertNil(complete.signal)
        var fixed: [String: String] = [:]
        var changed = 0
        for (relative, original) in originals {
            let path = reference.path(relative)
            fixed[relative] = try String(contentsOfFile: path, encoding: .utf8)
            if fixed[relative] != original.text { changed += 1 }
            XCTAssertEqual(mode(path), original.mode, "--fix changed the permissions of \(relative)")
        }
        XCTAssertGreaterThan(changed, originals.count / 2, "the fixtures should have safe fixes")
        XCTAssertEqual(Set(reference.digest().keys.filter { $0.hasSuffix(".prompt") }), Set(originals.keys))

        // Kill runs at spread-out moments of the run, including inside the writing phase.
        var outcomes: [String] = []
        for fraction in [0.2, 0.5, 0.7, 0.8, 0.9, 0.95] {
            let tree = try TemporaryTree("fix-kill")
            _ = try makeTree(tree)
            let prefix = tree.path("../\(UUID().uuidString)")
            let pid = try Tokenmin.spawn(["check", "--fix", "."], in: tree.root, outputPrefix: prefix)
            usleep(useconds_t(fullSeconds * fraction * 1_000_000))
            kill(pid, SIGKILL)
            _ = Tokenmin.wait(pid, timeout: 30)
            try? FileManager.default.removeItem(atPath: prefix + ".out")
            try? FileManager.default.removeItem(atPath: prefix + ".err")

            var asOriginal = 0
            var asFixed = 0
            for (relative, original) in originals {
                let path = tree.path(relative)
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    XCTFail("\(relative) is missing or unreadable after a kill at \(fraction)")
                    continue
                }
                if text == original.text {
                    asOriginal += 1
                } else if text == fixed[relative] {
                    asFixed += 1
                } else {
                    XCTFail("\(relative) is neither the original nor the fixed text after a kill at \(fraction): \(text.utf8.count) bytes")
                }
                XCTAssertEqual(mode(path), original.mode, "permissions of \(relative) after a kill")
            }
            let strays = tree.digest().filter { !$0.value.hasPrefix("folder") && originals[$0.key] == nil }.keys.sorted()
            for stray in strays {
                let name = String(stray.split(separator: "/").last!)
                XCTAssertTrue(name.hasPrefix(".") && name.hasSuffix(".tmp") && name.contains(".tokenmin-"), "unexpected file \(stray)")
            }
            // Leftover temporary files are ignored by discovery: a check lists only the prompts.
            if !strays.isEmpty {
                let after = try Tokenmin.run(["check", "--format", "json", "."], in: tree.root, timeout: 120)
                XCTAssertFalse(after.output.contains(".tmp"), "check picked up a temporary file")
            }
            outcomes.append("kill at \(Int(fraction * 100))%: \(asOriginal) original, \(asFixed) fixed, \(strays.count) temp files left")
        }
        print(
            "fix interrupt: \(originals.count) files (\(changed) fixable), full run \(String(format: "%.2f", fullSeconds)) s; "
                + outcomes.joined(separator: "; "))
    }
}

import XCTest

@testable import PromptCheck

final class UnifiedDiffTests: XCTestCase {
    /// Applies a unified diff to `old` (test-side patcher): context and deletions must match exactly.
    private func patch(_ old: String, with diff: String) -> String? {
        var oldLines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if oldLines.last == "" { oldLines.removeLast() }
        var result: [String] = []
        var cursor = 0
        var lines = diff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropFirst(2)
        while let line = lines.first {
            lines = lines.dropFirst()
            if line.hasPrefix("@@") {
                let oldStart = Int(line.split(separator: " ")[1].dropFirst().split(separator: ",")[0])!
                let target = max(0, oldStart - 1)
                while cursor < target { result.append(oldLines[cursor]); cursor += 1 }
            } else if line.hasPrefix(" ") || line.hasPrefix("-") {
                guard cursor < oldLines.count, oldLines[cursor] == String(line.dropFirst()) else { return nil }
                if line.hasPrefix(" ") { result.append(oldLines[cursor]) }
                cursor += 1
            } else if line.hasPrefix("+") {
                result.append(String(line.dropFirst()))
            }
        }
        while cursor < oldLines.count { result.append(oldLines[cursor]); cursor += 1 }
        return result.map { $0 + "\n" }.joined()
    }

    func testDiffAppliesBack() {
        var generator = SystemRandomNumberGenerator()
        let vocabulary = ["alpha", "beta", "gamma", "delta", "Please summarize.", "{{x}}", ""]
        for _ in 0..<300 {
            let old = (0..<Int.random(in: 0...30, using: &generator)).map { _ in vocabulary.randomElement(using: &generator)! }
            var new = old
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                switch Int.random(in: 0...2, using: &generator) {
                case 0 where !new.isEmpty: new.remove(at: Int.random(in: 0..<new.count, using: &generator))
                case 1: new.insert(vocabulary.randomElement(using: &generator)!, at: Int.random(in: 0...new.count, using: &generator))
                default: if !new.isEmpty { new[Int.random(in: 0..<new.count, using: &generator)] = "changed" }
                }
            }
            let oldText = old.map { $0 + "\n" }.joined()
            let newText = new.map { $0 + "\n" }.joined()
            let diff = unifiedDiff(old: oldText, new: newText, path: "p.prompt")
            XCTAssertEqual(diff.isEmpty, oldText == newText)
            if !diff.isEmpty { XCTAssertEqual(patch(oldText, with: diff), newText, diff) }
        }
    }

    func testFormat() {
        XCTAssertEqual(unifiedDiff(old: "a\nPlease go.\nb\n", new: "a\nGo.\nb\n", path: "x.prompt"),
                       "--- a/x.prompt\n+++ b/x.prompt\n@@ -1,3 +1,3 @@\n a\n-Please go.\n+Go.\n b\n")
    }
}

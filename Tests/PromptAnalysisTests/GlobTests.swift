import XCTest

@testable import PromptAnalysis

final class GlobTests: XCTestCase {
    /// One row per (pattern, path, isDirectory, expected).
    private func check(_ rows: [(String, String, Bool, Bool)], file: StaticString = #filePath, line: UInt = #line) {
        for (pattern, path, isDirectory, expected) in rows {
            XCTAssertEqual(Glob(pattern).matches(path, isDirectory: isDirectory), expected, "\(pattern) ~ \(path)",
                           file: file, line: line)
        }
    }

    func testPatterns() {
        check([
            ("*.prompt", "a.prompt", false, true),
            ("*.prompt", "deep/dir/a.prompt", false, true),
            ("*.draft.prompt", "x/a.draft.prompt", false, true),
            ("*.draft.prompt", "x/a.prompt", false, false),
            ("node_modules", "web/node_modules", true, true),
            ("build/", "build", true, true),
            ("build/", "build", false, false),
            ("prompts/legacy/**", "prompts/legacy/a/b.prompt", false, true),
            ("prompts/legacy/**", "other/prompts/legacy/a.prompt", false, false),
            ("/prompts/*.prompt", "prompts/a.prompt", false, true),
            ("/prompts/*.prompt", "prompts/sub/a.prompt", false, false),
            ("**/fixtures/*", "a/b/fixtures/x.prompt", false, true),
            ("**/fixtures/*", "fixtures/x.prompt", false, true),
            ("a?c.prompt", "abc.prompt", false, true),
            ("a?c.prompt", "ac.prompt", false, false),
            ("[ab]*.prompt", "b1.prompt", false, true),
            ("[!ab]*.prompt", "b1.prompt", false, false),
            ("v[0-9].prompt", "v7.prompt", false, true),
            ("v[0-9].prompt", "vx.prompt", false, false),
            ("*", "anything", false, true),
            ("a*b*c", "aXbYbZc", false, true),
            ("a*b*c", "aXbYbZ", false, false),
            ("[unterminated", "[unterminated", false, true),
        ])
    }
}

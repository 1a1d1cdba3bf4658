import PromptSyntax
import PromptText
import XCTest

@testable import PromptAnalysis

final class ChunkingTests: XCTestCase {
    /// A one-line edit changes one prose chunk; every other chunk keeps its text (so its memoized
    /// results are reused), and chunks cover the text node exactly.
    func testEditChangesOneChunk() {
        let line = "Section 1.2: Deployments roll back automatically when health checks fail 3 times.\n"
        let body = String(repeating: line, count: 400)
        let original = "{{role \"system\"}}\n" + body
        let target = original.range(of: "fail 3 times.", range: original.index(original.startIndex, offsetBy: 9000)..<original.endIndex)!
        let edited = original.replacingCharacters(in: target, with: "fail 3 timesx.")
        let before = makeTemplateView(parsePromptDocument(original)).prose
        let after = makeTemplateView(parsePromptDocument(edited)).prose
        XCTAssertGreaterThan(before.count, 10)
        XCTAssertEqual(before.count, after.count)
        XCTAssertEqual(zip(before, after).filter { $0.text != $1.text }.count, 1)
        // Without frontmatter Dotprompt compiles the whole file untrimmed: chunks cover it exactly.
        XCTAssertEqual(before.map(\.text).joined(), "\n" + body)
    }
}

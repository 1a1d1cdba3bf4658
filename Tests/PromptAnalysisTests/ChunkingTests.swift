import PromptSyntax
import PromptText
import XCTest

@testable import PromptAnalysis

final class ChunkingTests: XCTestCase {
    /// Reference lines that differ in their numbers, like the material pasted into real prompts.
    private let body = (0..<200).map { index in
        "Section \(index / 50 + 1).\(index % 50): Deployments roll back when health checks fail \(index % 7 + 2) times.\n"
    }.joined()

    /// A one-line edit changes at most the chunks around the edited line; every other chunk keeps its
    /// text (so its memoized results are reused), and chunks cover the text node exactly.
    func testEditChangesOnlyTheEditedChunks() {
        let original = "{{role \"system\"}}\n" + body
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Every line edited inside, and at its end (the line no longer ends a sentence: never a boundary).
        for index in stride(from: 1, to: lines.count - 1, by: 2) {
            var inside = lines
            inside[index] = inside[index].replacingOccurrences(of: "Deployments", with: "New deployments")
            check(original, edited: inside.joined(separator: "\n"))
            var atEnd = lines
            atEnd[index] += "x"
            check(original, edited: atEnd.joined(separator: "\n"))
        }
        // Without frontmatter Dotprompt compiles the whole file untrimmed: chunks cover it exactly.
        XCTAssertEqual(makeTemplateView(parsePromptDocument(original)).prose.map(\.text).joined(), "\n" + body)
    }

    /// Checks that an edited text keeps all but at most two of the original's chunks.
    private func check(_ original: String, edited: String, file: StaticString = #filePath, line: UInt = #line) {
        let before = makeTemplateView(parsePromptDocument(original)).prose.map(\.text)
        let after = makeTemplateView(parsePromptDocument(edited)).prose.map(\.text)
        XCTAssertGreaterThan(before.count, 10, file: file, line: line)
        let kept = Set(before)
        XCTAssertLessThanOrEqual(after.filter { !kept.contains($0) }.count, 2, "chunks changed by one edit", file: file, line: line)
        XCTAssertEqual(after.joined(), "\n" + edited.dropFirst("{{role \"system\"}}\n".count), file: file, line: line)
    }
}

import Foundation
import XCTest

@testable import PromptAnalysis

/// Runs detection over the bodies of the shared Dotprompt samples: records what is flagged (a
/// careful reviewer would flag these two: both restate the frontmatter schema in prose, with words
/// the schema cannot hold) and checks structural invariants on every file.
final class SampleCorpusTests: XCTestCase {
    private let expectedFlags: [String: [String]] = [
        "02-schema-and-config.prompt": [
            "‹Return a JSON response with title, content, wordCount, and relevant tags.›"
        ],
        "09-complex-schema.prompt": [
            "‹Provide a JSON summary with total orders, pending count, and recommended actions.›"
        ],
    ]

    func testSamples() throws {
        let folder = repositoryRoot().appendingPathComponent("../shared/dotprompt-samples").standardized
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            return XCTFail("Dotprompt samples missing: expected \(folder.path)")
        }
        let prompts = names.filter { $0.hasSuffix(".prompt") }.sorted()
        XCTAssertGreaterThanOrEqual(prompts.count, 10)
        for name in prompts {
            let text = try String(contentsOfFile: folder.appendingPathComponent(name).path, encoding: .utf8)
            // The samples open with `#` license lines, then `---` frontmatter `---`: the body follows
            // the second delimiter (the real split lives in PromptSyntax).
            let parts = text.components(separatedBy: "\n---\n")
            guard parts.count >= 3 else {
                XCTFail("\(name): no frontmatter")
                continue
            }
            let body = parts.dropFirst(2).joined(separator: "\n---\n")
            let base = text.utf8.count - body.utf8.count
            let sentences = instructionSentences(in: body, baseOffset: base)
            checkInvariants(sentences, documentLength: text.utf8.count, name: name)
            let extraction = extractOutputSchema(from: sentences)
            let flagged =
                extraction.converted.map { "«" + $0.text + "»" }
                + extraction.partial.map { "‹" + $0.text + "›" }
            XCTAssertEqual(flagged, expectedFlags[name] ?? [], name)
        }
    }

    private func checkInvariants(_ sentences: [Sentence], documentLength: Int, name: String) {
        var previousEnd = 0
        for sentence in sentences {
            XCTAssertGreaterThanOrEqual(
                sentence.utf8Range.start, previousEnd, "\(name): overlap at \(sentence.text)")
            XCTAssertLessThanOrEqual(sentence.utf8Range.end, documentLength, name)
            XCTAssertFalse(sentence.text.isEmpty, name)
            previousEnd = sentence.utf8Range.end
        }
    }

    func testGarbageNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aJSON{}[]\"'`.:,!?-*#\n\r 1“”—éof with keys must be true or false 0 and 9 ```")
        for _ in 0..<300 {
            let length = Int.random(in: 0..<120, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let sentences = instructionSentences(in: text, baseOffset: 3)
            checkInvariants(sentences, documentLength: text.utf8.count + 3, name: text)
            let extraction = extractOutputSchema(from: sentences)
            XCTAssertTrue(Set(extraction.converted).isDisjoint(with: extraction.partial), text)
            _ = deletionRanges(removing: extraction.converted.map(\.utf8Range), in: text, baseOffset: 3)
            if let schema = extraction.schema { checkRoundTrip(schema, name: text) }
        }
    }
}

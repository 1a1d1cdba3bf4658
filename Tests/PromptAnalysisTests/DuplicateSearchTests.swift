import XCTest

@testable import PromptAnalysis

/// `duplicate-instruction` finds near-duplicates with prefix filtering; these tests hold it to the
/// rule's definition, computed pairwise: a sentence repeats the first earlier sentence with the same
/// words, or else the earlier sentence most similar to it (Jaccard ≥ 0.8, first on ties) among those
/// sharing a word that is in at most `candidateWordLimit` sentences.
final class DuplicateSearchTests: XCTestCase {
    func testPrefixFilteringEqualsThePairwiseDefinition() {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % bound
        }
        var nearDuplicates = 0
        for round in 0..<40 {
            // Small vocabularies make near-duplicates common; word 0–2 are in most sentences.
            let vocabulary = 8 + round * 2
            let count = 20 + next(120)
            var contents: [[UInt64]] = []
            var keys: [UInt64] = []
            for _ in 0..<count {
                var words = Set<UInt64>()
                if next(3) > 0, !contents.isEmpty {
                    let earlier = contents[next(contents.count)]
                    // A near copy of an earlier sentence: drop or add a word or two.
                    words = Set(earlier)
                    for _ in 0..<next(3) { if !words.isEmpty, next(2) == 0 { words.remove(words.first!) } else { words.insert(UInt64(next(vocabulary))) } }
                } else {
                    for _ in 0..<(2 + next(10)) { words.insert(UInt64(next(vocabulary))) }
                }
                if next(4) == 0 { words.formUnion([0, 1, 2]) }
                let sorted = words.sorted()
                contents.append(sorted)
                keys.append(next(5) == 0 ? 999 : UInt64(bitPattern: Int64(sorted.hashValue)))
            }
            nearDuplicates += check(keys: keys, contents: contents, round: round)
        }
        // The generated sentences do exercise the near-duplicate search.
        XCTAssertGreaterThan(nearDuplicates, 200)
    }

    /// Checks one set of sentences; returns how many near-duplicates (not exact repeats) it holds.
    @discardableResult
    private func check(keys: [UInt64], contents: [[UInt64]], round: Int, file: StaticString = #filePath, line: UInt = #line) -> Int {
        var frequency: [UInt64: Int] = [:]
        for words in contents { for word in words { frequency[word, default: 0] += 1 } }
        var expected: [DuplicateInstruction.Repeat] = []
        for index in keys.indices {
            if let first = keys[..<index].firstIndex(of: keys[index]) {
                expected.append(.init(index: index, original: first, exact: true))
                continue
            }
            guard contents[index].count >= DuplicateInstruction.minimumWords else { continue }
            var best: (index: Int, similarity: Double)?
            for other in 0..<index where contents[other].contains(where: { word in
                contents[index].contains(word) && frequency[word]! <= DuplicateInstruction.candidateWordLimit
            }) {
                let similarity = DuplicateInstruction.jaccard(contents[index], contents[other])
                if similarity >= DuplicateInstruction.nearDuplicateSimilarity, similarity > (best?.similarity ?? 0) { best = (other, similarity) }
            }
            if let best { expected.append(.init(index: index, original: best.index, exact: false)) }
        }
        XCTAssertEqual(DuplicateInstruction.repeats(keys: keys, contents: contents), expected, "round \(round)", file: file, line: line)
        return expected.filter { !$0.exact }.count
    }
}

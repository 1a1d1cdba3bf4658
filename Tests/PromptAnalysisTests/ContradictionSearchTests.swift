import PromptText
import XCTest

@testable import PromptAnalysis

/// `contradiction` finds, for each sentence, the earliest earlier directive it conflicts with, using
/// indexes instead of comparing all pairs. These tests hold it to the pairwise definition (every later
/// directive against every earlier one in the same role and another sentence; first conflict wins; one
/// finding per sentence) on random directive sequences drawn from small vocabularies, so that repeats,
/// opposite polarities, exclusive and non-exclusive formats and crossing limits are all common.
final class ContradictionSearchTests: XCTestCase {
    func testIndexedSearchEqualsThePairwiseDefinition() {
        var state: UInt64 = 11
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % bound
        }
        let formats = ["JSON", "YAML", "markdown", "a table", "prose", "HTML"]
        func randomKind() -> DirectiveKind {
            switch next(7) {
            case 0: return .length(next(2) == 0 ? .short : .long)
            case 1, 2: return .limit(unit: ["words", "sentences"][next(2)], bound: next(2) == 0 ? .atMost : .atLeast, value: next(12))
            case 3: return .format(formats[next(formats.count)], positive: next(3) > 0)
            case 4: return .always(["cite", "guess", "ask"][next(3)], positive: next(2) == 0)
            case 5: return .language(["english", "french", "german"][next(3)])
            default: return .tone(next(2) == 0 ? "formal" : "casual")
            }
        }
        var conflicts = 0
        for _ in 0..<300 {
            var found: [Directive] = []
            var offset = 0
            for _ in 0..<(1 + next(40)) {
                // A sentence: one to three directives sharing its range.
                let range = UTF8Range(start: offset, end: offset + 10)
                offset += 11
                let role = next(5) == 0 ? "user" : "system"
                for _ in 0..<(1 + next(3)) { found.append(Directive(kind: randomKind(), range: range, role: role)) }
            }
            let expected = pairwise(found)
            let actual = firstConflicts(in: found).map { Pair(earlier: $0.earlier, later: $0.later, conflict: $0.conflict) }
            XCTAssertEqual(actual, expected, "\(found)")
            conflicts += expected.count
        }
        XCTAssertGreaterThan(conflicts, 500, "the generated sequences exercise conflicts")
    }

    private struct Pair: Equatable {
        var earlier: Directive
        var later: Directive
        var conflict: String
    }

    /// The rule's definition, every pair compared (quadratic, for reference only).
    private func pairwise(_ found: [Directive]) -> [Pair] {
        var pairs: [Pair] = []
        var reported: Set<UTF8Range> = []
        for (index, later) in found.enumerated() {
            for earlier in found[..<index] where earlier.role == later.role && earlier.range != later.range {
                guard !reported.contains(later.range), let conflict = conflict(earlier.kind, later.kind) else { continue }
                reported.insert(later.range)
                pairs.append(Pair(earlier: earlier, later: later, conflict: conflict))
                break
            }
        }
        return pairs
    }

    /// Thousands of sentences that do not conflict, and thousands that all conflict with the first:
    /// the search stays fast (it was quadratic).
    func testManySentencesStayLinear() {
        func sentences(_ count: Int, _ kind: (Int) -> DirectiveKind) -> [Directive] {
            (0..<count).map { Directive(kind: kind($0), range: UTF8Range(start: $0 * 10, end: $0 * 10 + 9), role: "system") }
        }
        let brief = sentences(40_000) { _ in .length(.short) }
        XCTAssertTrue(firstConflicts(in: brief).isEmpty)
        let limits = sentences(40_000) { .limit(unit: "words", bound: $0 % 2 == 0 ? .atLeast : .atMost, value: $0) }
        // Each "at most v" (odd v) conflicts with the earliest "at least w", w > v, before it: none, as
        // every earlier "at least" is smaller; each "at least v" with the first "at most" (1) when v > 1.
        let found = firstConflicts(in: limits)
        XCTAssertEqual(found.count, 19_999)
        XCTAssertTrue(found.allSatisfy { $0.earlier.range.start == 10 })
    }
}

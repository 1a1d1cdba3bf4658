import Foundation
import PromptAnalysis
import XCTest

@testable import PromptCheck

/// Rule documentation is tested: every rule's example (what `tokenmin explain` shows) is written to a
/// workspace of its own and checked as `tokenmin check` would: the flagged file is reported by that
/// rule, the fixed one is not.
final class RuleExampleTests: XCTestCase {
    func testEveryRuleExampleFiresWhenFlaggedAndNotWhenFixed() throws {
        XCTAssertEqual(RuleRegistry.descriptors.count, Set(RuleRegistry.descriptors.map(\.id)).count, "a rule id is defined twice")
        for descriptor in RuleRegistry.descriptors {
            XCTAssertNotEqual(descriptor.example.flagged, "", "\(descriptor.id) has no flagged example")
            try check(descriptor, flagged: true)
            try check(descriptor, flagged: false)
        }
    }

    /// Runs `check` over the example's workspace and compares whether the rule reports the example file.
    private func check(_ descriptor: RuleDescriptor, flagged: Bool, file: StaticString = #filePath, line: UInt = #line) throws {
        let example = descriptor.example
        let tree = try TemporaryTree("example-\(descriptor.id)")
        for extra in example.workspace { try tree.write(extra.path, extra.text) }
        let text = flagged ? example.flagged : example.fixed
        let data = flagged && example.flaggedIsLatin1 ? text.data(using: .isoLatin1)! : Data(text.utf8)
        let path = try tree.write(example.fileName, data)
        let run = runCheck(CheckRequest(paths: [tree.root], makeModelResolver: { catalogModelResolver(for: $0) }, roots: [tree.root]))
        let findings = run.result.reports.filter { canonicalPath($0.path) == canonicalPath(path) }.flatMap(\.findings)
        let reported = findings.filter { $0.ruleID == descriptor.id }
        XCTAssertEqual(!reported.isEmpty, flagged,
                       "\(descriptor.id): the \(flagged ? "flagged" : "fixed") example \(flagged ? "is not" : "is") reported\n\(text)\n"
                           + findings.map { "  \($0.ruleID): \($0.message)" }.joined(separator: "\n"),
                       file: file, line: line)
    }
}

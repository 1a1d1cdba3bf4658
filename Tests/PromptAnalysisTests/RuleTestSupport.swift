import PromptText
import XCTest

@testable import PromptAnalysis

/// A stand-in token counter for rule tests: one token per word. Rule tests check which text a fix
/// removes; exact counts with the real encodings are tested where the analysis wires the tokenizer in.
func wordTokenCount(_ text: String) -> Int { scanWords(text).count }

/// Runs `rule` over one prose segment made from `marked` and checks the flagged ranges, then applies
/// every fix and compares with `fixed` (nil: no fix expected), and checks that fixing twice is a no-op.
func checkRule(
    _ rule: Rule, _ marked: String, fixed: String? = nil, role: String = "user", isExample: Bool = false,
    boundedTask: String? = nil, reasoningModel: Bool = false, file: StaticString = #filePath, line: UInt = #line
) {
    let fixture = MarkedFixture(marked)
    func run(_ text: String) -> [Finding] {
        let context = RuleContext(
            text: text,
            prose: proseSegments(text).map {
                ProseSegment(text: $0.text, utf8Start: $0.start, role: role, isExample: isExample)
            },
            countTokens: wordTokenCount, boundedTaskReason: boundedTask, isReasoningModel: reasoningModel)
        return RuleRegistry.run(context, rules: [rule])
    }
    let findings = run(fixture.text)
    XCTAssertEqual(findings.map(\.range), fixture.expectedRanges, "flagged ranges", file: file, line: line)
    for finding in findings {
        XCTAssertEqual(finding.ruleID, rule.descriptor.id, file: file, line: line)
        XCTAssertFalse(finding.message.isEmpty, file: file, line: line)
    }
    let edits = findings.flatMap { $0.fixes.filter(\.isSafe).flatMap(\.edits) }
    guard let fixed else {
        XCTAssertTrue(edits.isEmpty, "unexpected fix: \(edits)", file: file, line: line)
        return
    }
    do {
        let result = try TextEdit.apply(edits, to: fixture.text)
        XCTAssertEqual(result, fixed, "fixed text", file: file, line: line)
        let again = run(result).flatMap { $0.fixes.filter(\.isSafe).flatMap(\.edits) }
        XCTAssertEqual(try TextEdit.apply(again, to: result), result, "fix is idempotent", file: file, line: line)
        for finding in findings where !finding.fixes.isEmpty {
            XCTAssertNotNil(finding.tokenSavings, "a fixable finding states its savings", file: file, line: line)
        }
    } catch {
        XCTFail("fix edits do not apply: \(error)", file: file, line: line)
    }
}

/// The text between Handlebars mustaches (`{{…}}`, `{{!-- … --}}`), as prose segments with their offsets:
/// enough template awareness for wording-rule tests (the analysis itself uses the real parser).
func proseSegments(_ text: String) -> [(text: String, start: Int)] {
    let bytes = Array(text.utf8)
    var segments: [(String, Int)] = []
    var start = 0
    var index = 0
    func close(_ end: Int) {
        if end > start { segments.append((String(decoding: bytes[start..<end], as: UTF8.self), start)) }
    }
    while index + 1 < bytes.count {
        guard bytes[index] == 0x7B, bytes[index + 1] == 0x7B else { index += 1; continue }
        close(index)
        let long = bytes[index...].starts(with: Array("{{!--".utf8))
        let terminator = Array((long ? "--}}" : "}}").utf8)
        var end = index + 2
        while end + terminator.count <= bytes.count, !bytes[end...].starts(with: terminator) { end += 1 }
        index = min(bytes.count, end + terminator.count)
        start = index
    }
    close(bytes.count)
    return segments
}

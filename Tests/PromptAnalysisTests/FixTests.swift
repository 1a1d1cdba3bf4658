import Foundation
import PromptSyntax
import PromptText
import XCTest

@testable import PromptAnalysis

/// Fix fixtures live in Golden/fixes: `NAME.prompt` is the input, `NAME.ACTION.expected` the text after
/// the action (regenerated with TOKENMIN_UPDATE_GOLDENS=1, reviewed before commit).
final class FixTests: XCTestCase {
    private let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/fixes")

    private func analyze(_ text: String) -> DocumentAnalysis { analyzeDocument(AnalysisInput(text: text)) }

    /// Applies `edits` to `text` and checks: the result matches the golden, it parses with no new
    /// errors, and running `action` again changes nothing more.
    private func check(_ name: String, action: String, edits: (DocumentAnalysis) -> [TextEdit]?,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let text = try String(contentsOf: folder.appendingPathComponent("\(name).prompt"), encoding: .utf8)
        let before = analyze(text)
        guard let firstEdits = edits(before) else {
            assertAnalysisGolden("fixes/\(name).\(action).expected", "(no action)\n", file: file, line: line)
            return
        }
        let fixed = try TextEdit.apply(firstEdits, to: text)
        assertAnalysisGolden("fixes/\(name).\(action).expected", fixed, file: file, line: line)
        let after = analyze(fixed)
        let errorsBefore = before.document.diagnostics.filter { $0.severity == .error }.count
        XCTAssertLessThanOrEqual(after.document.diagnostics.filter { $0.severity == .error }.count, errorsBefore,
                                 "the fix introduced syntax errors", file: file, line: line)
        let again = edits(after).map { try? TextEdit.apply($0, to: fixed) } ?? fixed
        XCTAssertEqual(again, fixed, "applying \(action) twice changes more", file: file, line: line)
    }

    func testSchemaRefactor() throws {
        for name in ["schema-no-frontmatter", "schema-with-frontmatter", "schema-merge-output", "schema-existing"] {
            try check(name, action: "schema", edits: { schemaRefactor($0)?.edits })
            try checkCRLF(name, action: "schema", edits: { schemaRefactor($0)?.edits })
        }
    }

    /// The fixture with CRLF line breaks gives the golden with CRLF line breaks: no lone LF is inserted.
    private func checkCRLF(_ name: String, action: String, edits: (DocumentAnalysis) -> [TextEdit]?,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let text = try String(contentsOf: folder.appendingPathComponent("\(name).prompt"), encoding: .utf8)
        let expected = try String(contentsOf: folder.appendingPathComponent("\(name).\(action).expected"), encoding: .utf8)
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        let fixed = try edits(analyze(crlf)).map { try TextEdit.apply($0, to: crlf) } ?? "(no action)\r\n"
        XCTAssertEqual(fixed, expected.replacingOccurrences(of: "\n", with: "\r\n"), "\(name) in CRLF", file: file, line: line)
    }

    func testFixAllOnExamples() throws {
        let examples = repositoryRoot.appendingPathComponent("Tests/Fixtures/examples")
        for url in promptFiles(in: examples) {
            let name = url.deletingPathExtension().lastPathComponent
            let target = folder.appendingPathComponent("\(name).prompt")
            if !FileManager.default.fileExists(atPath: target.path) { try FileManager.default.copyItem(at: url, to: target) }
            try check(name, action: "fix-all", edits: { analysis in
                minimalEdit(from: analysis.text, to: fixAll(analysis, reanalyze: self.analyze)).map { [$0] } ?? []
            })
        }
    }

    /// `check --fix` over prompts with examples of every kind (labelled records, example sections and
    /// lists, `<example>` tags, quoted text, code) and sentences a careless removal would break:
    /// every line listed in `NAME.keep` (example data) is still there as often as before, the result
    /// matches its reviewed golden, and no sentence is left without its head.
    func testFixAllNeverTouchesExamplesOrBreaksSentences() throws {
        let folder = repositoryRoot.appendingPathComponent("Tests/Fixtures/fix-safety")
        let analyzeWithCatalog = { (text: String) in
            analyzeDocument(AnalysisInput(text: text, resolveModel: catalogModelResolver(for: Configuration())))
        }
        let files = promptFiles(in: folder)
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for url in files {
            let name = url.deletingPathExtension().lastPathComponent
            let text = try String(contentsOf: url, encoding: .utf8)
            let fixed = fixAll(analyzeWithCatalog(text), reanalyze: analyzeWithCatalog)
            XCTAssertNotEqual(fixed, text, "\(name): the fixture has waste outside its examples to fix")
            assertAnalysisGolden("fixes/safety-\(name).fix-all.expected", fixed)
            let keep = try String(contentsOf: folder.appendingPathComponent("\(name).keep"), encoding: .utf8)
            let before = text.split(separator: "\n", omittingEmptySubsequences: false)
            let after = fixed.split(separator: "\n", omittingEmptySubsequences: false)
            for line in keep.split(separator: "\n") {
                XCTAssertEqual(after.filter { $0 == line }.count, before.filter { $0 == line }.count,
                               "\(name): example line changed or removed: \(line)")
            }
            for problem in brokenSentences(in: fixed, comparedWith: text) {
                XCTFail("\(name): \(problem)")
            }
        }
    }

    /// Signs of a sentence a fix broke, in lines the fix changed: a sentence that starts with a word that
    /// needs a subject ("that", "who", "and"…), one word alone as a sentence, a space before
    /// punctuation, or a governing word stranded before punctuation ("Let me :").
    private func brokenSentences(in fixed: String, comparedWith original: String) -> [String] {
        let originalLines = Set(original.split(separator: "\n").map(String.init))
        var problems: [String] = []
        for line in fixed.split(separator: "\n").map(String.init) where !originalLines.contains(line) {
            let prose = line.replacingOccurrences(of: #"\{\{![^}]*\}\}"#, with: "", options: .regularExpression)
            for sentence in prose.split(whereSeparator: { ".!?".contains($0) }) {
                let words = sentence.split(whereSeparator: { !$0.isLetter && $0 != "'" }).map { $0.lowercased() }
                guard let first = words.first else { continue }
                if ["that", "who", "which", "whose", "and", "or", "but", "with", "is", "are"].contains(first) {
                    problems.append("sentence starts with “\(first)”: \(line)")
                }
                if words.count == 1, sentence.trimmingCharacters(in: .whitespaces).first?.isUppercase == true {
                    problems.append("one-word sentence “\(sentence)”: \(line)")
                }
            }
            for pattern in [" .", " ,", " :", "me :", "to :", "  "] where prose.contains(pattern) {
                problems.append("“\(pattern)” in: \(line)")
            }
        }
        return problems
    }

    /// Both suppression actions silence the finding they are offered for, in LF and CRLF files and in
    /// a file without frontmatter, and the inserted line ends with the file's own line break.
    func testSuppressionActionsSilenceTheFinding() throws {
        let shapes = [
            "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 50\n---\nPlease summarize.\n  You are a helpful assistant. Be brief.\n",
            "Please summarize.\n  You are a helpful assistant. Be brief.",
        ]
        for shape in shapes {
            for lineBreak in ["\n", "\r\n"] {
                let text = shape.replacingOccurrences(of: "\n", with: lineBreak)
                let analysis = analyze(text)
                XCTAssertEqual(Set(analysis.findings.map(\.ruleID)), ["politeness", "scaffolding"], text)
                for finding in analysis.findings {
                    check(suppressionsOf: finding, in: analysis, lineBreak: lineBreak)
                }
            }
        }
    }

    private func check(suppressionsOf finding: Finding, in analysis: DocumentAnalysis, lineBreak: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        let actions = codeActions(for: analysis, in: finding.range).filter { $0.kind == .suppression && $0.findings.contains(finding) }
        XCTAssertEqual(actions.map(\.title), ["Suppress \(finding.ruleID) on this line", "Suppress \(finding.ruleID) in this file"],
                       file: file, line: line)
        for action in actions {
            guard let edited = try? TextEdit.apply(action.edits, to: analysis.text) else {
                XCTFail("\(action.title): edits do not apply", file: file, line: line)
                continue
            }
            XCTAssertTrue(action.edits.allSatisfy { $0.newText.hasSuffix(lineBreak) }, "\(action.title) in a \(lineBreak.debugDescription) file",
                          file: file, line: line)
            if lineBreak == "\r\n" {
                XCTAssertFalse(edited.replacingOccurrences(of: "\r\n", with: "").utf8.contains(0x0A), "lone LF after \(action.title)",
                               file: file, line: line)
            }
            let suppressed = analyze(edited)
            XCTAssertFalse(suppressed.findings.contains { $0.ruleID == finding.ruleID && $0.message == finding.message },
                           "\(action.title) left \(finding.ruleID)", file: file, line: line)
            XCTAssertFalse(suppressed.findings.contains { $0.ruleID == "invalid-suppression" }, file: file, line: line)
        }
    }
}

final class MinimalEditTests: XCTestCase {
    func testMinimalEdit() throws {
        let rows: [(String, String)] = [("abc", "abXc"), ("Please go.", "Go."), ("日本語", "日語"), ("x😀y", "x😁y"), ("", "new"), ("same", "same")]
        for (old, new) in rows {
            let edit = minimalEdit(from: old, to: new)
            XCTAssertEqual(try edit.map { try TextEdit.apply([$0], to: old) } ?? old, new, "\(old) → \(new)")
        }
    }
}

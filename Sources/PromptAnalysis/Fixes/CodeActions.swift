import PromptText

/// A code action as the editor and `check --fix` see it: a titled set of edits to one document.
public struct CodeActionItem: Sendable, Hashable {
    public var title: String
    public var kind: Fix.Kind
    public var edits: [TextEdit]
    /// The findings it resolves (their rule ids and ranges), for LSP's `diagnostics` field.
    public var findings: [Finding]
    public var isPreferred: Bool
}

/// Every action for the findings on the lines `range` touches (a cursor anywhere on a flagged line
/// gets the line's actions): their fixes, "suppress on this line" and "suppress in this file", plus the
/// prose → schema refactor when a `prose-format` finding is among them.
public func codeActions(for analysis: DocumentAnalysis, in range: UTF8Range) -> [CodeActionItem] {
    var actions: [CodeActionItem] = []
    let lines = linesRange(of: range, in: analysis.lineIndex)
    let touching = analysis.findings.filter { $0.range.overlaps(lines) || lines.touches($0.range.start) || lines.contains($0.range) }
    for finding in touching {
        for (index, fix) in finding.fixes.enumerated() {
            actions.append(CodeActionItem(title: fix.title, kind: fix.kind, edits: fix.edits, findings: [finding],
                                          isPreferred: index == 0 && fix.isSafe))
        }
    }
    if touching.contains(where: { $0.ruleID == "prose-format" }), let refactor = schemaRefactor(analysis).flatMap({ frontmatterSafe($0, analysis) }) {
        actions.append(CodeActionItem(title: refactor.title, kind: .refactor, edits: refactor.edits,
                                      findings: touching.filter { $0.ruleID == "prose-format" }, isPreferred: false))
    }
    var suppressed: Set<String> = []
    // Suppression comments must not change how Dotprompt reads the file: a comment above a header
    // line or an ignored `---` would turn frontmatter into text or the other way round. Where no
    // place is safe, the action is not offered.
    for finding in touching where suppressed.insert(finding.ruleID).inserted {
        if let edit = suppressLineEdit(finding, analysis), keepsFrontmatter([edit], in: analysis.text, document: analysis.document) {
            actions.append(CodeActionItem(title: "Suppress \(finding.ruleID) on this line", kind: .suppression,
                                          edits: [edit], findings: [finding], isPreferred: false))
        }
        if let edit = suppressFileEdit(finding.ruleID, analysis), keepsFrontmatter([edit], in: analysis.text, document: analysis.document) {
            actions.append(CodeActionItem(title: "Suppress \(finding.ruleID) in this file", kind: .suppression,
                                          edits: [edit], findings: [finding], isPreferred: false))
        }
    }
    return actions
}

/// From the start of the first line `range` touches to the end of its last line (line break excluded).
func linesRange(of range: UTF8Range, in lineIndex: LineIndex) -> UTF8Range {
    let first = lineIndex.utf8Range(ofLine: lineIndex.line(containingUTF8Offset: range.start))
    var lastLine = lineIndex.line(containingUTF8Offset: range.end)
    // A selection that ends at the start of a line (a whole line selected) does not include that line.
    if range.end > range.start, lastLine > 0, lineIndex.utf8RangeIncludingTerminator(ofLine: lastLine).start == range.end { lastLine -= 1 }
    let last = lineIndex.utf8Range(ofLine: max(lastLine, lineIndex.line(containingUTF8Offset: range.start)))
    return UTF8Range(start: first.start, end: max(first.start, last.end))
}

/// `fix` when its frontmatter edits keep the frontmatter valid (see `frontmatterSafeFixes`).
func frontmatterSafe(_ fix: Fix, _ analysis: DocumentAnalysis) -> Fix? {
    let probe = Finding(ruleID: "", severity: .info, message: "", range: .empty(at: 0), fixes: [fix])
    return frontmatterSafeFixes([probe], document: analysis.document, text: analysis.text).first?.fixes.first
}

/// `{{! tokenmin-disable-next-line ID }}` on its own line above the finding, indented like it. A
/// Handlebars comment alone on a line is removed with its line when rendered, so the prompt sent does
/// not change. In frontmatter it is a YAML comment, offered only where a comment line leaves the YAML
/// value unchanged (not inside a block scalar or a multi-line flow collection).
func suppressLineEdit(_ finding: Finding, _ analysis: DocumentAnalysis) -> TextEdit? {
    let line = analysis.lineIndex.line(containingUTF8Offset: finding.range.start)
    let lineRange = analysis.lineIndex.utf8Range(ofLine: line)
    let bytes = analysis.lineIndex.utf8
    var indentEnd = lineRange.start
    while indentEnd < lineRange.end, bytes[indentEnd] == 0x20 || bytes[indentEnd] == 0x09 { indentEnd += 1 }
    let indent = String(decoding: bytes[lineRange.start..<indentEnd], as: UTF8.self)
    // Inside frontmatter a YAML comment is the right form (Handlebars comments are not YAML).
    if let frontmatter = analysis.document.frontmatter, frontmatter.contentRange.contains(finding.range.start) {
        let edit = TextEdit.insert("\(indent)# tokenmin-disable-next-line \(finding.ruleID)\(frontmatterLineBreak(frontmatter, bytes: bytes))",
                                   at: lineRange.start)
        let unchanged = frontmatterValue(after: [edit], in: analysis.text, frontmatter: frontmatter)
            .map { sameYAMLData($0, frontmatterValue(frontmatter)) } ?? false
        return unchanged ? edit : nil
    }
    let lineBreak = analysis.lineIndex.lineBreak(nearLine: line)
    return .insert("\(indent){{! tokenmin-disable-next-line \(finding.ruleID) }}\(lineBreak)", at: lineRange.start)
}

/// `{{! tokenmin-disable ID }}` at the start of the template (after frontmatter that Dotprompt
/// ignores, so the file keeps its shape).
func suppressFileEdit(_ id: String, _ analysis: DocumentAnalysis) -> TextEdit? {
    let lineIndex = analysis.lineIndex
    func comment(at offset: Int) -> TextEdit {
        .insert("{{! tokenmin-disable \(id) }}\(lineIndex.lineBreak(nearLine: lineIndex.line(containingUTF8Offset: offset)))", at: offset)
    }
    if let fallback = analysis.document.frontmatterFallback {
        guard let ignored = fallback.ignoredFrontmatter else { return nil }
        return comment(at: ignored.blockRange.end)
    }
    return comment(at: analysis.document.body.start)
}

/// The safe fixes of every finding, without overlaps (the first fix to claim bytes wins, in document
/// order): what `source.fixAll.tokenmin` and `check --fix` apply in one pass.
public func fixAllEdits(_ analysis: DocumentAnalysis) -> [TextEdit] {
    var chosen: [TextEdit] = []
    for finding in analysis.findings {
        guard let fix = finding.fixes.first(where: \.isSafe) else { continue }
        let clashes = fix.edits.contains { edit in
            chosen.contains { other in
                edit.range.overlaps(other.range) || (edit.range.isEmpty && other.range.contains(edit.range.start))
                    || (other.range.isEmpty && edit.range.contains(other.range.start))
            }
        }
        if !clashes { chosen += fix.edits }
    }
    return chosen
}

/// Applies safe fixes until none is left (a fix may only become possible once an overlapping one is
/// applied, like "Please" inside a repeated sentence), at most `passes` times. Returns the fixed text.
public func fixAll(_ analysis: DocumentAnalysis, passes: Int = 5, reanalyze: (String) -> DocumentAnalysis) -> String {
    var current = analysis
    for _ in 0..<passes {
        let edits = fixAllEdits(current)
        guard !edits.isEmpty, let fixed = try? TextEdit.apply(edits, to: current.text), fixed != current.text else { break }
        current = reanalyze(fixed)
    }
    return current.text
}

/// One edit turning `old` into `new`: the changed middle, with the common prefix and suffix kept
/// (so editors keep cursors and folds outside it).
public func minimalEdit(from old: String, to new: String) -> TextEdit? {
    guard old != new else { return nil }
    let a = Array(old.utf8)
    let b = Array(new.utf8)
    var prefix = 0
    while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
    // Never split a scalar: back up to a scalar boundary.
    while prefix > 0, prefix < a.count, a[prefix] & 0xC0 == 0x80 { prefix -= 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
    while suffix > 0, a.count - suffix < a.count, a[a.count - suffix] & 0xC0 == 0x80 { suffix -= 1 }
    return TextEdit(range: UTF8Range(start: prefix, end: a.count - suffix),
                    newText: String(decoding: b[prefix..<(b.count - suffix)], as: UTF8.self))
}

import PromptSyntax
import PromptText

/// The signature refactor: output-format rules written in prose become `output: {format, schema}` in
/// the frontmatter (Picoschema by default, JSON Schema when configured or when a limit needs it), and
/// the sentences the schema fully represents are deleted. Sentences it cannot fully convert stay.
/// Returns nil when nothing converts, when the prompt already has an output schema, or when Dotprompt
/// ignores the frontmatter (editing it would change nothing).
public func schemaRefactor(_ analysis: DocumentAnalysis) -> Fix? {
    let document = analysis.document
    guard document.frontmatterFallback == nil else { return nil }
    let sentences = analysis.proseSegmentsForFixes.flatMap { instructionSentences(in: $0.text, baseOffset: $0.utf8Start) }
    let extraction = extractOutputSchema(from: sentences)
    guard !extraction.converted.isEmpty, extraction.schema != nil || extraction.format != nil else { return nil }
    let style = analysis.configuration.schemaStyle

    var edits: [TextEdit] = []
    if let frontmatter = document.frontmatter {
        let root = frontmatter.root
        let bytes = analysis.lineIndex.utf8
        let br = frontmatterLineBreak(frontmatter, bytes: bytes)
        let old = frontmatterValue(frontmatter)
        // Every candidate is checked by parsing the result: the keys other than `output` keep their
        // values, and `output` gains its schema (see FrontmatterEdits).
        func withoutOutput(_ value: PlainValue) -> PlainValue {
            if case .object(let members) = value { return .object(members.filter { $0.key != "output" }) }
            return value
        }
        func accept(_ edit: TextEdit) -> Bool {
            guard let value = frontmatterValue(after: [edit], in: analysis.text, frontmatter: frontmatter) else { return false }
            return sameYAMLData(withoutOutput(value), withoutOutput(old)) && value["output"]?["schema"] != nil
        }
        if let output = root?.pair("output") {
            // Merge into an existing block mapping that has no schema yet (and no conflicting format).
            guard output.value["schema"] == nil, let pairs = output.value.pairs, !output.value.isFlow else { return nil }
            if let format = output.value["format"]?.string, let wanted = extraction.format, format != wanted.rawValue { return nil }
            let indent = pairs.first.map { columnOf($0.range.start, in: analysis) } ?? 2
            var entry = ""
            if output.value["format"] == nil, let format = extraction.format { entry += String(repeating: " ", count: indent) + "format: \(format.rawValue)\n" }
            if let schema = extraction.schema { entry += outputSchemaYAML(schema, style: style, indent: indent + 2).entry(indent: indent) }
            let edit = TextEdit.insert(entry.replacingOccurrences(of: "\n", with: br), at: lineEnd(after: output.range.end, in: analysis))
            guard accept(edit) else { return nil }
            edits.append(edit)
        } else {
            // At the start of the closing `---` line (the delimiter's range may begin with the line break
            // that ends the last YAML line); else before the first key, at its indentation (a block
            // scalar that ends the frontmatter would gain a line break if the block came after it).
            var at = frontmatter.closingDelimiter.start
            while at < bytes.count, bytes[at] == 0x0A || bytes[at] == 0x0D { at += 1 }
            var candidates = [TextEdit.insert(
                outputBlockYAML(format: extraction.format, schema: extraction.schema, style: style).replacingOccurrences(of: "\n", with: br), at: at)]
            if let first = root?.pairs?.first {
                let column = columnOf(first.key.range.start, in: analysis)
                candidates.append(.insert(
                    outputBlockYAML(format: extraction.format, schema: extraction.schema, style: style, indent: column)
                        .replacingOccurrences(of: "\n", with: br),
                    at: first.key.range.start - column))
            }
            guard let edit = candidates.first(where: accept) else { return nil }
            edits.append(edit)
        }
    } else {
        let block = "---\n" + outputBlockYAML(format: extraction.format, schema: extraction.schema, style: style) + "---\n"
        let br = analysis.lineIndex.lineBreak(nearLine: analysis.lineIndex.line(containingUTF8Offset: document.header.end))
        edits.append(.insert(block.replacingOccurrences(of: "\n", with: br), at: document.header.end))
    }
    let deletions = deletionRanges(removing: extraction.converted.map(\.utf8Range), in: analysis.text)
    edits += deletions.map(TextEdit.delete)
    let saved = deletions.reduce(0) { $0 + analysis.countTokens(analysis.text.utf8Slice($1)) }
    let rules = extraction.converted.count
    return Fix(
        title: "Move \(rules) format rule\(rules == 1 ? "" : "s") to an output schema (saves \(analysis.model.isExactTokenizer ? "" : "≈")\(saved) tokens per call)",
        kind: .refactor, edits: edits, isSafe: false)
}

/// The offset just after the line containing `offset` (including its line break).
private func lineEnd(after offset: Int, in analysis: DocumentAnalysis) -> Int {
    let bytes = analysis.lineIndex.utf8
    var end = max(0, offset)
    if end > 0, end <= bytes.count, bytes[end - 1] == 0x0A { return end }
    while end < bytes.count, bytes[end] != 0x0A { end += 1 }
    return min(bytes.count, end + 1)
}

private func columnOf(_ offset: Int, in analysis: DocumentAnalysis) -> Int {
    analysis.lineIndex.position(ofUTF8Offset: offset, in: .utf8).column
}

import PromptSyntax
import PromptText

/// The outcome of formatting one `.prompt` file.
public struct FormatResult: Hashable, Sendable {
    /// The formatted text (the input itself when nothing changed or the file was skipped).
    public var text: String
    /// Why the file was left as it is without formatting (syntax errors, ignored frontmatter).
    public var skippedReason: String?
    public var changed: Bool
}

/// Formats a `.prompt` file (see `formatPromptFile`); returns the input unchanged when it cannot be
/// formatted safely.
public func formatPrompt(_ text: String) -> String { formatPromptFile(text).text }

/// Formats a `.prompt` file without changing what it renders:
/// - frontmatter: nested keys indented by two spaces per level, keys in the order written, trailing
///   whitespace removed (not inside block or quoted scalars), comments aligned with the next key;
/// - tags: `{{ name }}` → `{{name}}`, one space between arguments, `{{> partial}}` and `{{else if x}}`
///   keep one space after the keyword; comments and raw blocks are never touched;
/// - trailing whitespace removed where Handlebars would remove it anyway (standalone tag lines, `~`);
/// - exactly one final newline when that cannot reach the model (always after frontmatter).
///
/// Every candidate is re-parsed and its `renderingSignature` compared with the original's, so the
/// result renders identically for every input; when a step would change the rendering it is dropped.
/// Files with syntax errors or ignored frontmatter are returned unchanged with the reason.
public func formatPromptFile(_ text: String) -> FormatResult {
    let document = parsePromptDocument(text)
    if let error = document.diagnostics.first(where: { $0.severity == .error }) {
        return FormatResult(text: text, skippedReason: "syntax error: \(error.message)", changed: false)
    }
    if let fallback = document.frontmatterFallback {
        return FormatResult(text: text, skippedReason: fallback.message, changed: false)
    }
    let signature = renderingSignature(document)
    if compileTemplate(document.template, bytes: Array(text.utf8)).tooDeep != nil {
        return FormatResult(
            text: text, skippedReason: "blocks nest more than \(maximumBlockNesting) levels deep",
            changed: false)
    }
    for level in FormatLevel.allCases {
        let candidate = FormatBuilder(document: document, level: level).build()
        if candidate == text { return FormatResult(text: text, skippedReason: nil, changed: false) }
        let reparsed = parsePromptDocument(candidate)
        if !reparsed.hasErrors && reparsed.frontmatterFallback == nil
            && renderingSignature(reparsed) == signature
        {
            return FormatResult(text: candidate, skippedReason: nil, changed: true)
        }
    }
    return FormatResult(text: text, skippedReason: nil, changed: false)
}

/// Successively more careful sets of changes; the first whose rendering is unchanged wins.
private enum FormatLevel: CaseIterable {
    case everything
    case keepFileEnd
    case keepTemplateWhitespace
    case frontmatterOnly
}

private struct FormatBuilder {
    let document: PromptDocument
    let level: FormatLevel
    let bytes: [UInt8]
    let lineEnding: String

    init(document: PromptDocument, level: FormatLevel) {
        self.document = document
        self.level = level
        bytes = Array(document.text.utf8)
        if let newline = bytes.firstIndex(of: 0x0A), newline > 0, bytes[newline - 1] == 0x0D {
            lineEnding = "\r\n"
        } else {
            lineEnding = "\n"
        }
    }

    func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    func build() -> String {
        var edits: [(range: UTF8Range, text: String)] = []
        if let frontmatter = document.frontmatter {
            edits += trailingSpaceEdits(in: UTF8Range(start: 0, end: frontmatter.contentRange.start))
            if let yaml = formattedYAML(frontmatter) {
                edits.append((frontmatter.contentRange, yaml))
            } else {
                edits += trailingSpaceEdits(in: frontmatter.contentRange, keeping: scalarLines(frontmatter))
            }
            edits += trailingSpaceEdits(in: frontmatter.closingDelimiter)
        }
        if level != .frontmatterOnly { edits += tagEdits() }
        if level == .everything || level == .keepFileEnd { edits += templateTrailingSpaceEdits() }
        if level == .everything { edits += fileEndEdits() }
        edits.sort { $0.range.start < $1.range.start }
        var out = ""
        var position = 0
        for edit in edits where edit.range.start >= position {
            out += string(position..<edit.range.start) + edit.text
            position = edit.range.end
        }
        return out + string(position..<bytes.count)
    }

    // MARK: Whitespace

    /// Removes spaces and tabs before each line break (and at the end) of `range`, except on the lines
    /// starting at the offsets in `keeping`.
    func trailingSpaceEdits(in range: UTF8Range, keeping: Set<Int> = []) -> [(range: UTF8Range, text: String)]
    {
        var edits: [(range: UTF8Range, text: String)] = []
        var lineStart = range.start
        var index = range.start
        while index <= range.end {
            let atEnd = index == range.end
            if atEnd || bytes[index] == 0x0A || bytes[index] == 0x0D {
                var runStart = index
                while runStart > lineStart && (bytes[runStart - 1] == 0x20 || bytes[runStart - 1] == 0x09) {
                    runStart -= 1
                }
                if runStart < index && !keeping.contains(lineStart) {
                    edits.append((UTF8Range(start: runStart, end: index), ""))
                }
                if atEnd { break }
                if bytes[index] == 0x0D && index + 1 < range.end && bytes[index + 1] == 0x0A { index += 1 }
                lineStart = index + 1
            }
            index += 1
        }
        return edits
    }

    /// Trailing spaces in template text that whitespace control removes anyway (standalone lines, `~`).
    func templateTrailingSpaceEdits() -> [(range: UTF8Range, text: String)] {
        // Kept ranges sorted by start with the running maximum of their ends: "does any kept range
        // overlap this edit" is one binary search (asking every kept range for every edit was
        // quadratic on a long line of variables).
        let kept = keptTextRanges(document).sorted { $0.start < $1.start }
        var maximumEnd: [Int] = []
        maximumEnd.reserveCapacity(kept.count)
        for range in kept { maximumEnd.append(max(maximumEnd.last ?? Int.min, range.end)) }
        func overlapsKept(_ range: UTF8Range) -> Bool {
            // Kept ranges starting before the edit ends: `kept[..<low]`.
            var low = 0
            var high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if kept[middle].start < range.end { low = middle + 1 } else { high = middle }
            }
            return low > 0 && maximumEnd[low - 1] > range.start
        }
        var edits: [(range: UTF8Range, text: String)] = []
        for node in document.template.nodes {
            guard case .text = node.content else { continue }
            for edit in trailingSpaceEdits(in: node.range) where !overlapsKept(edit.range) {
                // A run at the very end of a text node only counts when a line break follows it.
                if edit.range.end == node.range.end, edit.range.end < bytes.count,
                    bytes[edit.range.end] != 0x0A, bytes[edit.range.end] != 0x0D
                {
                    continue
                }
                edits.append(edit)
            }
        }
        return edits
    }

    /// Exactly one line break at the end of the file.
    func fileEndEdits() -> [(range: UTF8Range, text: String)] {
        let template = document.templateRange
        if document.frontmatter != nil {
            // Dotprompt trims the body, so whatever follows the template is never sent.
            if template.isEmpty { return [(UTF8Range(start: document.body.start, end: bytes.count), "")] }
            return [(UTF8Range(start: template.end, end: bytes.count), lineEnding)]
        }
        var end = bytes.count
        while end > 0 && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[end - 1]) { end -= 1 }
        return end == 0 ? [] : [(UTF8Range(start: end, end: bytes.count), lineEnding)]
    }

    // MARK: Tags

    func tagEdits() -> [(range: UTF8Range, text: String)] {
        var edits: [(range: UTF8Range, text: String)] = []
        func add(
            _ range: UTF8Range, _ sigil: String, _ tokens: [UTF8Range], spaced: Bool = false,
            triple: Bool = false
        ) {
            if let text = rebuiltTag(range, sigil: sigil, tokens: tokens, spaced: spaced, triple: triple),
                text != string(range.range)
            {
                edits.append((range, text))
            }
        }
        for node in document.template.nodes {
            switch node.content {
            case .mustache(let mustache):
                let sigil = mustache.form == .triple ? "{" : mustache.form == .ampersand ? "&" : ""
                add(node.range, sigil, callTokens(mustache.call), triple: mustache.form == .triple)
            case .partial(let partial):
                add(
                    node.range, ">",
                    [partial.name.range] + (partial.context.map { [$0.range] } ?? [])
                        + partial.hash.map(\.range), spaced: true)
            case .block(let block):
                switch block.kind {
                case .normal:
                    add(
                        block.open.range, "#",
                        callTokens(block.open.call) + blockParameterTail(block.open.call, block.open.range))
                case .inverted:
                    add(
                        block.open.range, "^",
                        callTokens(block.open.call) + blockParameterTail(block.open.call, block.open.range))
                case .partialBlock: add(block.open.range, "#>", callTokens(block.open.call), spaced: true)
                case .decorator: continue
                }
                for branch in block.elseBranches {
                    switch branch.form {
                    case .else: add(branch.tagRange, "else", [])
                    case .caret: add(branch.tagRange, "^", [])
                    case .chained:
                        if let call = branch.call {
                            add(
                                branch.tagRange, "else",
                                callTokens(call) + blockParameterTail(call, branch.tagRange), spaced: true)
                        }
                    }
                }
                if let close = block.close, let name = close.name { add(close.range, "/", [name.range]) }
            default: continue
            }
        }
        return edits
    }

    func callTokens(_ call: Call) -> [UTF8Range] {
        [call.callee.range] + call.params.map(\.range) + call.hash.map(\.range)
    }

    /// `as |a b|` after a block's arguments, as one token.
    func blockParameterTail(_ call: Call, _ tag: UTF8Range) -> [UTF8Range] {
        let start = callTokens(call).map(\.end).max() ?? call.range.end
        var end = tag.end - 2
        if end > start && bytes[end - 1] == UInt8(ascii: "~") { end -= 1 }
        var trimmedStart = start
        while trimmedStart < end && isSpace(bytes[trimmedStart]) { trimmedStart += 1 }
        while end > trimmedStart && isSpace(bytes[end - 1]) { end -= 1 }
        return trimmedStart < end ? [UTF8Range(start: trimmedStart, end: end)] : []
    }

    func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    /// `{{~ sigil token token ~}}` with the spacing normalised, or nil when the tag does not have the
    /// expected shape (then it is left alone).
    func rebuiltTag(_ range: UTF8Range, sigil: String, tokens: [UTF8Range], spaced: Bool, triple: Bool)
        -> String?
    {
        var index = range.start
        guard range.length >= 4, bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "{")
        else { return nil }
        index += 2
        var opener = "{{"
        if bytes[index] == UInt8(ascii: "~") {
            opener += "~"
            index += 1
        }
        if sigil == "else" { while index < range.end && isSpace(bytes[index]) { index += 1 } }
        for byte in sigil.utf8 {
            guard index < range.end, bytes[index] == byte else { return nil }
            index += 1
        }
        opener += sigil
        var closerStart = range.end - 2
        guard bytes[closerStart] == UInt8(ascii: "}"), bytes[closerStart + 1] == UInt8(ascii: "}") else {
            return nil
        }
        var closer = "}}"
        if closerStart > index && bytes[closerStart - 1] == UInt8(ascii: "~") {
            closerStart -= 1
            closer = "~" + closer
        }
        if triple {
            guard closerStart > index && bytes[closerStart - 1] == UInt8(ascii: "}") else { return nil }
            closerStart -= 1
            closer = "}" + closer
        }
        // Only whitespace may separate the tokens; anything else means the shape is not understood.
        var position = index
        for token in tokens {
            guard token.start >= position, token.end <= closerStart else { return nil }
            for offset in position..<token.start where !isSpace(bytes[offset]) { return nil }
            position = token.end
        }
        for offset in position..<max(position, closerStart) where !isSpace(bytes[offset]) { return nil }
        let inner = tokens.map { string($0.range) }.joined(separator: " ")
        return opener + (spaced && !inner.isEmpty ? " " : "") + inner + closer
    }

    // MARK: Frontmatter

    /// Lines of the frontmatter inside block or quoted scalars, by start offset (their trailing
    /// whitespace may be content).
    func scalarLines(_ frontmatter: Frontmatter) -> Set<Int> {
        var starts = Set<Int>()
        let lines = lineStarts(frontmatter.contentRange)
        func visit(_ node: YAMLNode) {
            switch node.content {
            case .scalar(let scalar) where scalar.style != .plain:
                for start in lines where start > node.range.start && start <= node.range.end {
                    starts.insert(start)
                }
                if let first = lines.last(where: { $0 <= node.range.start }) { starts.insert(first) }
            case .scalar: break
            case .mapping(let pairs): for pair in pairs { visit(pair.value) }
            case .sequence(let items): for item in items { visit(item) }
            }
        }
        if let root = frontmatter.root { visit(root) }
        return starts
    }

    func lineStarts(_ range: UTF8Range) -> [Int] {
        var starts = [range.start]
        for index in range.start..<range.end where bytes[index] == 0x0A && index + 1 <= range.end {
            starts.append(index + 1)
        }
        return starts
    }

    /// The frontmatter re-indented by two spaces per level, or nil when that is not safe (tabs,
    /// unsupported YAML, a shape this does not model) or changes the data.
    func formattedYAML(_ frontmatter: Frontmatter) -> String? {
        guard let root = frontmatter.root,
            !frontmatter.yaml.diagnostics.contains(where: { $0.code == SyntaxCode.unsupportedYAML })
        else { return nil }
        let range = frontmatter.contentRange
        let starts = lineStarts(range)
        func line(of offset: Int) -> Int {
            var low = 0
            var high = starts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if starts[middle] <= offset { low = middle } else { high = middle - 1 }
            }
            return low
        }
        func column(of offset: Int) -> Int { offset - starts[line(of: offset)] }
        func isFirstOnLine(_ offset: Int) -> Bool {
            (starts[line(of: offset)]..<offset).allSatisfy { bytes[$0] == 0x20 }
        }
        var anchors: [Int: Int] = [:]
        var continuation = Set<Int>()
        var keepTrailing = Set<Int>()
        var understood = true

        func markScalar(_ node: YAMLNode) {
            let first = line(of: node.range.start)
            let last = line(of: max(node.range.start, node.range.end - 1))
            if last > first { for index in (first + 1)...last { continuation.insert(index) } }
            if case .scalar(let scalar) = node.content, scalar.style == .plain {
            } else {
                for index in first...last { keepTrailing.insert(index) }
            }
        }
        func isBlockCollection(_ node: YAMLNode) -> Bool {
            if node.isFlow { return false }
            if case .scalar = node.content { return false }
            return true
        }
        func walk(_ node: YAMLNode, _ desired: Int) {
            switch node.content {
            case .mapping(let pairs) where !node.isFlow:
                for pair in pairs {
                    if isFirstOnLine(pair.key.range.start) {
                        anchors[line(of: pair.key.range.start)] = desired
                    }
                    if isBlockCollection(pair.value) {
                        if line(of: pair.value.range.start) > line(of: pair.key.range.start) {
                            walk(pair.value, desired + 2)
                        } else {
                            understood = false
                        }
                    } else {
                        markScalar(pair.value)
                    }
                }
            case .sequence(let items) where !node.isFlow:
                for item in items {
                    var dash = item.range.start - 1
                    while dash >= range.start && isSpace(bytes[dash]) { dash -= 1 }
                    guard dash >= range.start, bytes[dash] == UInt8(ascii: "-") else {
                        understood = false
                        return
                    }
                    if isFirstOnLine(dash) { anchors[line(of: dash)] = desired }
                    if isBlockCollection(item) {
                        if line(of: item.range.start) == line(of: dash) {
                            walk(item, desired + column(of: item.range.start) - column(of: dash))
                        } else {
                            walk(item, desired + 2)
                        }
                    } else {
                        markScalar(item)
                    }
                }
            default:
                markScalar(node)
            }
        }
        walk(root, 0)
        guard understood else { return nil }

        var lines: [String] = []
        var delta = 0
        for (index, start) in starts.enumerated() {
            var end = index + 1 < starts.count ? starts[index + 1] - 1 : range.end
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            let text = Array(bytes[start..<max(start, end)])
            let indent = text.prefix { $0 == 0x20 }.count
            if text.prefix(while: { $0 == 0x20 || $0 == 0x09 }).contains(0x09) { return nil }
            let rest = String(decoding: text[indent...], as: UTF8.self)
            var body = rest
            if !keepTrailing.contains(index) {
                while body.hasSuffix(" ") || body.hasSuffix("\t") { body.removeLast() }
            }
            if let desired = anchors[index] {
                delta = desired - indent
                lines.append(String(repeating: " ", count: desired) + body)
            } else if continuation.contains(index) {
                if body.isEmpty && !keepTrailing.contains(index) {
                    lines.append("")
                } else {
                    lines.append(String(repeating: " ", count: max(0, indent + delta)) + body)
                }
            } else if body.isEmpty {
                lines.append("")
            } else if body.hasPrefix("#") {
                // A comment line sits with the key after it.
                let next = anchors.keys.filter { $0 > index }.min().flatMap { anchors[$0] } ?? 0
                lines.append(String(repeating: " ", count: next) + body)
            } else {
                lines.append(String(repeating: " ", count: max(0, indent + delta)) + body)
            }
        }
        let formatted = lines.joined(separator: lineEnding)
        let reparsed = parseYAML(formatted)
        guard !reparsed.hasErrors, reparsed.root?.plainValue == root.plainValue else { return nil }
        return formatted
    }
}

import PromptSyntax
import PromptText

// Edits to the YAML frontmatter that keep the file meaning what it meant, plus the intended change.
//
// A fix that edits frontmatter is built as one or more candidate edits; each is applied to a copy of
// the frontmatter, parsed again, and kept only when the YAML still parses, Dotprompt still reads it
// as frontmatter, and its value equals the value before with exactly the intended change. The first
// candidate that passes wins (the natural place first, a safe fallback after), and no fix is offered
// when none does. Shapes the construction did not foresee (flow maps, comments, CRLF, block scalars
// at the end, a `config:` with no value) can therefore cost a fix, never break a file.

/// The line break the frontmatter uses: the one before the closing `---` (`\r\n` in CRLF files).
func frontmatterLineBreak(_ frontmatter: Frontmatter, bytes: [UInt8]) -> String {
    let at = frontmatter.closingDelimiter.start
    guard at < bytes.count else { return "\n" }
    if bytes[at] == 0x0D { return at + 1 < bytes.count && bytes[at + 1] == 0x0A ? "\r\n" : "\r" }
    return "\n"
}

/// The parsed frontmatter after applying `edits` (which must lie inside the frontmatter block), or nil
/// when the result is not frontmatter Dotprompt reads: invalid YAML, ignored, or not a mapping.
/// A comment-only frontmatter parses as an empty mapping.
func frontmatterValue(after edits: [TextEdit], in text: String, frontmatter: Frontmatter) -> PlainValue? {
    let prefixEnd = frontmatter.blockRange.end
    // Only the text up to the body is copied and parsed again (the body may be large).
    guard prefixEnd <= text.utf8.count,
          edits.allSatisfy({ $0.range.start >= frontmatter.blockRange.start && $0.range.end <= prefixEnd }),
          let prefix = try? TextEdit.apply(edits, to: String(decoding: text.utf8.prefix(prefixEnd), as: UTF8.self))
    else { return nil }
    let split = splitPromptSource(prefix)
    guard split.fallback == nil, let edited = split.frontmatter, !edited.yaml.hasErrors, split.body.isEmpty else { return nil }
    guard let root = edited.root else { return .object([]) }
    guard root.pairs != nil else { return nil }
    return root.plainValue
}

/// The frontmatter's value as it is now (an empty mapping for a comment-only frontmatter).
func frontmatterValue(_ frontmatter: Frontmatter) -> PlainValue {
    frontmatter.root?.plainValue ?? .object([])
}

/// Whether two YAML values are the same data: mappings compare without regard to key order.
func sameYAMLData(_ lhs: PlainValue, _ rhs: PlainValue) -> Bool {
    switch (lhs, rhs) {
    case (.object(let a), .object(let b)):
        guard a.count == b.count else { return false }
        let byKey = Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        guard byKey.count == b.count else { return false }
        return a.allSatisfy { member in byKey[member.key].map { sameYAMLData(member.value, $0) } ?? false }
    case (.array(let a), .array(let b)):
        return a.count == b.count && zip(a, b).allSatisfy { sameYAMLData($0, $1) }
    default:
        return lhs == rhs
    }
}

/// The first candidate whose result parses to `expected` (see the file comment).
func firstValidEdit(_ candidates: [[TextEdit]], text: String, frontmatter: Frontmatter, expected: PlainValue) -> [TextEdit]? {
    candidates.first { edits in
        frontmatterValue(after: edits, in: text, frontmatter: frontmatter).map { sameYAMLData($0, expected) } ?? false
    }
}

extension PlainValue {
    /// The value with `value` stored at `path` (mappings created or replaced as needed; a null on the
    /// way becomes a mapping).
    func setting(_ value: PlainValue, at path: [String]) -> PlainValue {
        guard let key = path.first else { return value }
        var members: [Member]
        switch self {
        case .object(let existing): members = existing
        default: members = []
        }
        if let index = members.lastIndex(where: { $0.key == key }) {
            members[index].value = members[index].value.setting(value, at: Array(path.dropFirst()))
        } else {
            members.append(Member(key: key, value: PlainValue.null.setting(value, at: Array(path.dropFirst()))))
        }
        return .object(members)
    }
}

/// `config.<key>: <value>` added to the frontmatter: into an existing block or flow `config`, or as a
/// new `config:` block (after the last top-level entry, else before the first). Nil when no candidate
/// keeps the file valid, or when `config` is not a mapping (a string, a list: nothing safe to do).
func configEntryEdit(key: String, value: String, document: PromptDocument, text: String) -> TextEdit? {
    guard let frontmatter = document.frontmatter else { return nil }
    // Every offset used below lies in the frontmatter block (the body is not copied).
    let bytes = Array(text.utf8.prefix(frontmatter.blockRange.end))
    let br = frontmatterLineBreak(frontmatter, bytes: bytes)
    let entry = "\(key): \(value)"
    let typed = YAMLNode(content: .scalar(YAMLScalar(text: value, style: .plain, value: resolvePlainScalar(value))), range: .empty(at: 0)).plainValue
    let expected = frontmatterValue(frontmatter).setting(typed, at: ["config", key])
    var candidates: [TextEdit] = []

    if let root = frontmatter.root, let pairs = root.pairs {
        if let config = root.pair("config") {
            let node = config.value
            if node.isFlow, node.pairs != nil {
                // `config: {temperature: 0.2}`: before the closing brace.
                let close = node.range.end - 1
                if close >= 0, close < bytes.count, bytes[close] == UInt8(ascii: "}") {
                    candidates.append(.insert(node.pairs!.isEmpty ? entry : ", \(entry)", at: close))
                }
            } else if let entries = node.pairs, let first = entries.first {
                let indent = String(repeating: " ", count: column(of: first.key.range.start, bytes))
                // After the last entry's line, else before the first entry's line.
                candidates.append(.insert(br + indent + entry, at: yamlLineEnd(of: node.range.end, bytes)))
                candidates.append(.insert(indent + entry + br, at: yamlLineStart(of: first.key.range.start, bytes)))
            } else if node.isNull {
                let indent = String(repeating: " ", count: column(of: config.key.range.start, bytes) + 2)
                if node.range.isEmpty {
                    candidates.append(.insert(br + indent + entry, at: yamlLineEnd(of: config.key.range.end, bytes)))
                }
                // `config: ~`, `config: null`, or an empty value: the value becomes a flow mapping (the
                // edit runs from the end of the key, so it reads as a new value, not an edited scalar).
                candidates.append(TextEdit(range: UTF8Range(start: config.key.range.end, end: max(config.key.range.end, node.range.end)),
                                           newText: ": {\(entry)}"))
            }
        } else if root.isFlow {
            let close = root.range.end - 1
            if close >= 0, close < bytes.count, bytes[close] == UInt8(ascii: "}") {
                candidates.append(.insert((pairs.isEmpty ? "" : ", ") + "config: {\(entry)}", at: close))
            }
        } else if let first = pairs.first, let last = pairs.last {
            let indent = String(repeating: " ", count: column(of: first.key.range.start, bytes))
            let block = indent + "config:" + br + indent + "  " + entry
            candidates.append(.insert(br + block, at: yamlLineEnd(of: last.range.end, bytes)))
            candidates.append(.insert(block + br, at: yamlLineStart(of: first.key.range.start, bytes)))
        }
    } else if frontmatter.root == nil {
        // Comments only: the new block after them.
        candidates.append(.insert(br + "config:" + br + "  " + entry, at: frontmatter.contentRange.end))
    }
    return firstValidEdit(candidates.map { [$0] }, text: text, frontmatter: frontmatter, expected: expected)?.first
}

/// Keeps every fix safe for the frontmatter: a fix with edits inside the frontmatter block is kept
/// when the edited frontmatter still parses (Dotprompt still reads it) and, for edits inside
/// single-line plain scalars (a model id, a key, a secret in a value), when each such scalar now reads
/// as its edited text. An edit that fails that (a `{{variable}}` replacing a secret reads as a flow
/// mapping; an id with YAML punctuation) is rewritten to replace the whole scalar with a double-quoted
/// one. Fixes that still fail are dropped. Body-only fixes are untouched.
func frontmatterSafeFixes(_ findings: [Finding], document: PromptDocument, text: String) -> [Finding] {
    guard let frontmatter = document.frontmatter else { return findings }
    let block = frontmatter.blockRange
    func inFrontmatter(_ edit: TextEdit) -> Bool { edit.range.start >= block.start && edit.range.start < block.end }
    guard findings.contains(where: { $0.fixes.contains { $0.edits.contains(where: inFrontmatter) } }) else { return findings }
    let bytes = Array(text.utf8.prefix(block.end))
    return findings.map { finding in
        guard finding.fixes.contains(where: { $0.edits.contains(where: inFrontmatter) }) else { return finding }
        var checked = finding
        checked.fixes = finding.fixes.compactMap { fix in
            let inside = fix.edits.filter(inFrontmatter)
            guard !inside.isEmpty else { return fix }
            let expected = valueAfterScalarEdits(inside, frontmatter: frontmatter, bytes: bytes)
            func acceptable(_ edits: [TextEdit]) -> Bool {
                guard let value = frontmatterValue(after: edits, in: text, frontmatter: frontmatter) else { return false }
                return expected.map { sameYAMLData(value, $0) } ?? true
            }
            if acceptable(inside) { return fix }
            // Rewrite edits inside plain scalars as quoted scalars, then check again.
            let repaired = inside.map { quotedScalarEdit($0, frontmatter: frontmatter, bytes: bytes) ?? $0 }
            guard repaired != inside, acceptable(repaired) else { return nil }
            var safe = fix
            safe.edits = fix.edits.filter { !inFrontmatter($0) } + repaired
            return safe
        }
        return checked
    }
}

/// The frontmatter's value once `edits` are applied to the single-line plain scalars containing them
/// (each scalar reads as its edited text; keys included). Nil when an edit is not inside such a
/// scalar: those edits are only checked to keep the YAML valid.
private func valueAfterScalarEdits(_ edits: [TextEdit], frontmatter: Frontmatter, bytes: [UInt8]) -> PlainValue? {
    guard let root = frontmatter.root else { return nil }
    var replacements: [UTF8Range: PlainValue] = [:]
    for edit in edits {
        guard let node = innermostScalar(containing: edit.range, in: root), node.scalar?.style == .plain,
              !bytes[node.range.start..<node.range.end].contains(where: { $0 == 0x0A || $0 == 0x0D }),
              replacements[node.range] == nil
        else { return nil }
        let edited = String(decoding: bytes[node.range.start..<edit.range.start], as: UTF8.self) + edit.newText
            + String(decoding: bytes[edit.range.end..<node.range.end], as: UTF8.self)
        replacements[node.range] = YAMLNode(content: .scalar(YAMLScalar(text: edited, style: .plain, value: resolvePlainScalar(edited))),
                                            range: node.range).plainValue
    }
    func value(_ node: YAMLNode) -> PlainValue {
        if let replaced = replacements[node.range], node.scalar != nil { return replaced }
        switch node.content {
        case .scalar: return node.plainValue
        case .sequence(let items): return .array(items.map(value))
        case .mapping(let pairs):
            return .object(pairs.map { pair in
                let key: String
                if case .string(let text)? = replacements[pair.key.range], pair.key.scalar != nil { key = text } else { key = pair.keyText }
                return PlainValue.Member(key: key, value: value(pair.value))
            })
        }
    }
    return value(root)
}

/// `edit` as the replacement of the whole single-line plain scalar that contains it, double-quoted
/// (nil when the edit is not inside one).
private func quotedScalarEdit(_ edit: TextEdit, frontmatter: Frontmatter, bytes: [UInt8]) -> TextEdit? {
    guard let root = frontmatter.root, let node = innermostScalar(containing: edit.range, in: root),
          node.scalar?.style == .plain, !bytes[node.range.start..<node.range.end].contains(where: { $0 == 0x0A || $0 == 0x0D })
    else { return nil }
    let before = String(decoding: bytes[node.range.start..<edit.range.start], as: UTF8.self)
    let after = String(decoding: bytes[edit.range.end..<node.range.end], as: UTF8.self)
    return TextEdit(range: node.range, newText: yamlDoubleQuoted(before + edit.newText + after))
}

private func innermostScalar(containing range: UTF8Range, in node: YAMLNode) -> YAMLNode? {
    switch node.content {
    case .scalar:
        // An insertion at either end of a scalar is beside it, not in it (a new line after a value).
        if range.isEmpty { return node.range.start < range.start && range.start < node.range.end ? node : nil }
        return node.range.start <= range.start && range.end <= node.range.end ? node : nil
    case .sequence(let items):
        return items.lazy.compactMap { innermostScalar(containing: range, in: $0) }.first
    case .mapping(let pairs):
        return pairs.lazy.compactMap { innermostScalar(containing: range, in: $0.key) ?? innermostScalar(containing: range, in: $0.value) }.first
    }
}

/// The offset of the line break ending the line that contains `offset` (or the end of the text).
private func yamlLineEnd(of offset: Int, _ bytes: [UInt8]) -> Int {
    var end = min(max(0, offset), bytes.count)
    // An offset just after a line break belongs to the line it ends.
    if end > 0, end <= bytes.count, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D {
        end -= 1
        if end > 0, bytes[end] == 0x0A, bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }
    while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
    return end
}

/// The offset where the line containing `offset` starts.
private func yamlLineStart(of offset: Int, _ bytes: [UInt8]) -> Int {
    var start = min(max(0, offset), bytes.count)
    while start > 0, bytes[start - 1] != 0x0A, bytes[start - 1] != 0x0D { start -= 1 }
    return start
}

/// The column (in bytes) of `offset` on its line.
private func column(of offset: Int, _ bytes: [UInt8]) -> Int { offset - yamlLineStart(of: offset, bytes) }

/// Whether `edits` leave Dotprompt's reading of the file's frontmatter as it was: still read (or
/// still ignored for the same reason), with the same YAML value. For edits meant to change nothing
/// in the frontmatter (suppression comments).
func keepsFrontmatter(_ edits: [TextEdit], in text: String, document: PromptDocument) -> Bool {
    guard let after = try? TextEdit.apply(edits, to: text) else { return false }
    let split = splitPromptSource(after)
    guard (split.frontmatter == nil) == (document.frontmatter == nil), split.fallback?.reason == document.frontmatterFallback?.reason
    else { return false }
    if let old = document.frontmatter, let new = split.frontmatter {
        return sameYAMLData(frontmatterValue(old), frontmatterValue(new))
    }
    return true
}

import PromptText

/// Parses the YAML in `range` of `bytes`; ranges in the result are absolute offsets into `bytes`.
func parseYAML(bytes: [UInt8], range: UTF8Range) -> YAMLDocument {
    var parser = YAMLParser(bytes: bytes, start: range.start, end: range.end)
    let root = parser.parseDocument()
    return YAMLDocument(root: root, diagnostics: parser.diagnostics, range: range)
}

/// A recursive-descent parser for the block and flow YAML that frontmatter uses. Nesting deeper than
/// `maximumDepth` is reported rather than followed, so hostile input cannot exhaust the stack.
private struct YAMLParser {
    let bytes: [UInt8]
    let start: Int
    let end: Int
    var position: Int
    var diagnostics: [SyntaxDiagnostic] = []
    var depth = 0
    var reportedTabLines: Set<Int> = []
    static let maximumDepth = 100

    init(bytes: [UInt8], start: Int, end: Int) {
        self.bytes = bytes
        self.start = start
        self.end = end
        self.position = start
    }

    /// Where a node starts relative to the indicator that introduces it; decides what YAML allows.
    enum Context {
        case document
        /// On its own line(s) below a key or dash.
        case ownLine
        /// On the same line as `key:` (nested mappings and sequences are not allowed there).
        case afterKey
        /// On the same line as `- ` (compact nested mappings and sequences are allowed).
        case afterDash
    }

    // MARK: Diagnostics

    mutating func error(_ message: String, _ range: UTF8Range, related: [RelatedLocation] = []) {
        diagnostics.append(
            SyntaxDiagnostic(code: SyntaxCode.invalidYAML, message: message, range: range, related: related))
    }

    mutating func unsupported(_ message: String, _ range: UTF8Range) {
        diagnostics.append(
            SyntaxDiagnostic(code: SyntaxCode.unsupportedYAML, message: message, severity: .warning, range: range))
    }

    // MARK: Line geometry

    func byte(_ offset: Int) -> UInt8? { offset < end ? bytes[offset] : nil }

    func lineStart(of offset: Int) -> Int {
        var scan = offset
        while scan > start && !isLineBreak(bytes[scan - 1]) { scan -= 1 }
        return scan
    }

    func column(of offset: Int) -> Int { offset - lineStart(of: offset) }

    func lineEnd(from offset: Int) -> Int {
        var scan = offset
        while scan < end && !isLineBreak(bytes[scan]) { scan += 1 }
        return scan
    }

    func lineStart(afterLineEnd lineEnd: Int) -> Int {
        guard lineEnd < end else { return end }
        if bytes[lineEnd] == ASCII.carriageReturn && lineEnd + 1 < end && bytes[lineEnd + 1] == ASCII.newline {
            return lineEnd + 2
        }
        return lineEnd + 1
    }

    func isAtLineStart(_ offset: Int) -> Bool { offset == start || isLineBreak(bytes[offset - 1]) }

    func isBlank(_ byte: UInt8) -> Bool { byte == ASCII.space || byte == ASCII.tab }

    /// Whether `offset` is end of input, a line break, or a space/tab (what must follow `-`, `:`, `?`).
    func isSeparator(at offset: Int) -> Bool {
        guard let byte = byte(offset) else { return true }
        return isBlank(byte) || isLineBreak(byte)
    }

    func isDocumentMarker(at offset: Int) -> Bool {
        guard isAtLineStart(offset) else { return false }
        return (bytes.matches("---", at: offset) || bytes.matches("...", at: offset)) && offset + 3 <= end
            && isSeparator(at: offset + 3)
    }

    struct ContentLine {
        var lineStart: Int
        var indent: Int
        var contentStart: Int
    }

    /// The next line at or after `offset` (a line start) that holds more than whitespace or a comment.
    mutating func nextContentLine(from offset: Int) -> ContentLine? {
        var lineStart = offset
        while lineStart < end {
            var spaces = lineStart
            while spaces < end && bytes[spaces] == ASCII.space { spaces += 1 }
            var content = spaces
            while content < end && isBlank(bytes[content]) { content += 1 }
            if content >= end || isLineBreak(bytes[content]) || bytes[content] == ASCII.hash {
                lineStart = self.lineStart(afterLineEnd: lineEnd(from: content))
                continue
            }
            if content > spaces && !reportedTabLines.contains(lineStart) {
                reportedTabLines.insert(lineStart)
                error(
                    "tab characters must not be used for indentation",
                    UTF8Range(start: spaces, end: content))
            }
            return ContentLine(lineStart: lineStart, indent: content - lineStart, contentStart: content)
        }
        return nil
    }

    /// After an inline node: allows only a comment until the end of the line, then moves to the next line.
    mutating func finishLine() {
        if position >= end { return }
        if isAtLineStart(position) { return }
        while position < end && isBlank(bytes[position]) { position += 1 }
        let lineEnd = self.lineEnd(from: position)
        if position < lineEnd && bytes[position] != ASCII.hash {
            error("unexpected text after a value", UTF8Range(start: position, end: lineEnd))
        }
        position = lineStart(afterLineEnd: lineEnd)
    }

    func nullNode(at offset: Int) -> YAMLNode {
        YAMLNode(content: .scalar(YAMLScalar(text: "", style: .plain, value: .null)), range: .empty(at: offset))
    }

    // MARK: Document

    mutating func parseDocument() -> YAMLNode? {
        var root: YAMLNode?
        var reportedExtraContent = false
        while let line = nextContentLine(from: position) {
            let first = line.contentStart
            if line.indent == 0 && bytes[first] == ASCII.percent {
                unsupported("YAML directives are not supported", UTF8Range(start: first, end: lineEnd(from: first)))
                position = lineStart(afterLineEnd: lineEnd(from: first))
                continue
            }
            if isDocumentMarker(at: first) {
                let markerEnd = first + 3
                if bytes[first] == ASCII.dot || root != nil {
                    // The JavaScript loader refuses a source with several documents, so Dotprompt falls back.
                    error(
                        "a second YAML document ('\(bytes.string(first..<markerEnd))') is not allowed in frontmatter",
                        UTF8Range(start: first, end: markerEnd))
                    position = end
                    break
                }
                // A leading `---` starts the (only) document explicitly.
                position = markerEnd
                var afterMarker = markerEnd
                while afterMarker < end && isBlank(bytes[afterMarker]) { afterMarker += 1 }
                if afterMarker < end && !isLineBreak(bytes[afterMarker]) && bytes[afterMarker] != ASCII.hash {
                    position = afterMarker
                    root = parseNode(parentIndent: -1, context: .afterDash)
                }
                finishLine()
                continue
            }
            if root != nil {
                if !reportedExtraContent {
                    error(
                        "unexpected content after the end of the document",
                        UTF8Range(start: first, end: lineEnd(from: first)))
                    reportedExtraContent = true
                }
                position = lineStart(afterLineEnd: lineEnd(from: first))
                continue
            }
            position = first
            root = parseNode(parentIndent: -1, context: .document)
            finishLine()
        }
        position = end
        return root
    }

    // MARK: Block nodes

    /// Parses the node at `position` (its first byte). `parentIndent` is the indentation its continuation
    /// lines must exceed.
    mutating func parseNode(parentIndent: Int, context: Context) -> YAMLNode {
        guard depth < Self.maximumDepth else {
            error("nesting is too deep", UTF8Range(start: position, end: lineEnd(from: position)))
            let here = position
            position = end
            return nullNode(at: here)
        }
        depth += 1
        defer { depth -= 1 }
        let first = bytes[position]
        let column = self.column(of: position)
        switch first {
        case ASCII.minus where isSeparator(at: position + 1):
            if context == .afterKey {
                error("a sequence cannot start on the same line as its key", UTF8Range(start: position, end: position + 1))
            }
            return parseBlockSequence(indent: column)
        case ASCII.openBracket, ASCII.openBrace:
            let node = parseFlowNode()
            return node
        case ASCII.pipe, ASCII.greaterThan:
            return parseBlockScalar(parentIndent: parentIndent)
        case ASCII.ampersand, 0x21:  // `&anchor`, `!tag`
            let tokenStart = position
            while position < end && !isSeparator(at: position) { position += 1 }
            let what = first == ASCII.ampersand ? "anchors" : "tags"
            unsupported("YAML \(what) are not supported", UTF8Range(start: tokenStart, end: position))
            while position < end && isBlank(bytes[position]) { position += 1 }
            if position >= end || isLineBreak(bytes[position]) || bytes[position] == ASCII.hash {
                return parseValue(parentIndent: parentIndent, afterKey: true)
            }
            return parseNode(parentIndent: parentIndent, context: context)
        case ASCII.asterisk:
            let tokenStart = position
            while position < end && !isSeparator(at: position) { position += 1 }
            unsupported("YAML aliases are not supported", UTF8Range(start: tokenStart, end: position))
            return YAMLNode(
                content: .scalar(YAMLScalar(text: "", style: .plain, value: .null)),
                range: UTF8Range(start: tokenStart, end: position))
        case ASCII.question where isSeparator(at: position + 1):
            let lineEnd = self.lineEnd(from: position)
            unsupported("explicit '?' mapping keys are not supported", UTF8Range(start: position, end: lineEnd))
            let here = position
            position = lineEnd
            return nullNode(at: here)
        case ASCII.doubleQuote, ASCII.singleQuote:
            let scalarStart = position
            let quoted = parseQuotedScalar()
            var scan = position
            while scan < end && isBlank(bytes[scan]) { scan += 1 }
            if byte(scan) == ASCII.colon && isSeparator(at: scan + 1) && lineStart(of: scan) == lineStart(of: scalarStart) {
                position = scalarStart
                return parseBlockMapping(indent: column, context: context)
            }
            return quoted
        default:
            if findKeyColon(from: position) != nil {
                return parseBlockMapping(indent: column, context: context)
            }
            return parsePlainScalar(parentIndent: parentIndent)
        }
    }

    /// The offset of the `:` that ends a plain key on this line, if any (`: `, or `:` at line end).
    func findKeyColon(from offset: Int) -> Int? {
        var scan = offset
        while scan < end && !isLineBreak(bytes[scan]) {
            let byte = bytes[scan]
            if byte == ASCII.hash && scan > offset && isBlank(bytes[scan - 1]) { return nil }
            if byte == ASCII.colon && isSeparator(at: scan + 1) { return scan }
            scan += 1
        }
        return nil
    }

    /// The value after `key:` or `- `: on the same line, on the following more-indented lines, or null.
    mutating func parseValue(parentIndent: Int, afterKey: Bool) -> YAMLNode {
        let here = position
        while position < end && isBlank(bytes[position]) { position += 1 }
        if position < end && !isLineBreak(bytes[position]) && bytes[position] != ASCII.hash {
            return parseNode(parentIndent: parentIndent, context: afterKey ? .afterKey : .afterDash)
        }
        let nextLine = lineStart(afterLineEnd: lineEnd(from: position))
        guard let line = nextContentLine(from: nextLine), !isDocumentMarker(at: line.contentStart) else {
            position = here
            return nullNode(at: here)
        }
        let isDash = bytes[line.contentStart] == ASCII.minus && isSeparator(at: line.contentStart + 1)
        if line.indent > parentIndent || (afterKey && line.indent == parentIndent && isDash) {
            // Any comment on the key's line is skipped along with it.
            position = line.contentStart
            return parseNode(parentIndent: parentIndent, context: .ownLine)
        }
        position = here
        return nullNode(at: here)
    }

    mutating func parseMappingKey() -> (node: YAMLNode, colon: Int)? {
        let keyStart = position
        if bytes[position] == ASCII.doubleQuote || bytes[position] == ASCII.singleQuote {
            let key = parseQuotedScalar()
            var scan = position
            while scan < end && isBlank(bytes[scan]) { scan += 1 }
            guard byte(scan) == ASCII.colon else {
                position = keyStart
                return nil
            }
            position = scan + 1
            return (key, scan)
        }
        guard let colon = findKeyColon(from: position) else { return nil }
        var keyEnd = colon
        while keyEnd > keyStart && isBlank(bytes[keyEnd - 1]) { keyEnd -= 1 }
        let text = bytes.string(keyStart..<keyEnd)
        if let first = bytes[keyStart..<keyEnd].first, [ASCII.openBracket, ASCII.openBrace].contains(first) {
            unsupported("flow collections as mapping keys are not supported", UTF8Range(start: keyStart, end: keyEnd))
        }
        position = colon + 1
        let key = YAMLNode(
            content: .scalar(YAMLScalar(text: text, style: .plain, value: resolvePlainScalar(text))),
            range: UTF8Range(start: keyStart, end: keyEnd))
        return (key, colon)
    }

    mutating func parseBlockMapping(indent: Int, context: Context) -> YAMLNode {
        let mappingStart = position
        if context == .afterKey {
            error(
                "a nested mapping cannot start on the same line as its key; put it on the next line, indented",
                UTF8Range(start: position, end: lineEnd(from: position)))
        }
        var pairs: [YAMLPair] = []
        var seen: [String: UTF8Range] = [:]
        var rangeEnd = mappingStart
        while true {
            if let (key, _) = parseMappingKey() {
                let value = parseValue(parentIndent: indent, afterKey: true)
                let keyText = key.scalar?.text ?? ""
                if let previous = seen[keyText] {
                    error(
                        "duplicate key '\(keyText)' (YAML loaders used by Dotprompt reject it)", key.range,
                        related: [RelatedLocation(range: previous, message: "first definition of '\(keyText)'")])
                } else {
                    seen[keyText] = key.range
                }
                let pairEnd = max(value.range.end, key.range.end)
                pairs.append(YAMLPair(key: key, value: value, range: UTF8Range(start: key.range.start, end: pairEnd)))
                rangeEnd = max(rangeEnd, pairEnd)
            } else if bytes[position] == ASCII.question && isSeparator(at: position + 1) {
                let lineEnd = self.lineEnd(from: position)
                unsupported("explicit '?' mapping keys are not supported", UTF8Range(start: position, end: lineEnd))
                position = lineEnd
            } else {
                let lineEnd = self.lineEnd(from: position)
                error("expected 'key: value'", UTF8Range(start: position, end: lineEnd))
                position = lineEnd
            }
            finishLine()
            // Find the next entry at this indentation.
            var next: ContentLine?
            while let line = nextContentLine(from: position) {
                if isDocumentMarker(at: line.contentStart) || line.indent < indent { break }
                if line.indent > indent {
                    error(
                        "bad indentation: expected \(indent) spaces like the keys above",
                        UTF8Range(start: line.contentStart, end: lineEnd(from: line.contentStart)))
                    position = lineStart(afterLineEnd: lineEnd(from: line.contentStart))
                    continue
                }
                if bytes[line.contentStart] == ASCII.minus && isSeparator(at: line.contentStart + 1) {
                    error(
                        "a sequence item cannot follow a mapping entry at the same indentation",
                        UTF8Range(start: line.contentStart, end: lineEnd(from: line.contentStart)))
                    position = lineStart(afterLineEnd: lineEnd(from: line.contentStart))
                    continue
                }
                next = line
                break
            }
            guard let next else { break }
            position = next.contentStart
        }
        return YAMLNode(content: .mapping(pairs), range: UTF8Range(start: mappingStart, end: rangeEnd))
    }

    mutating func parseBlockSequence(indent: Int) -> YAMLNode {
        let sequenceStart = position
        var items: [YAMLNode] = []
        var rangeEnd = position + 1
        while true {
            let dash = position
            position += 1
            let item = parseValue(parentIndent: indent, afterKey: false)
            items.append(item)
            rangeEnd = max(rangeEnd, item.range.end, dash + 1)
            finishLine()
            var next: ContentLine?
            while let line = nextContentLine(from: position) {
                if isDocumentMarker(at: line.contentStart) || line.indent < indent { break }
                if line.indent > indent {
                    error(
                        "bad indentation: expected \(indent) spaces like the items above",
                        UTF8Range(start: line.contentStart, end: lineEnd(from: line.contentStart)))
                    position = lineStart(afterLineEnd: lineEnd(from: line.contentStart))
                    continue
                }
                if bytes[line.contentStart] == ASCII.minus && isSeparator(at: line.contentStart + 1) { next = line }
                break
            }
            guard let next else { break }
            position = next.contentStart
        }
        return YAMLNode(content: .sequence(items), range: UTF8Range(start: sequenceStart, end: rangeEnd))
    }

    // MARK: Scalars

    /// A plain scalar, possibly continued on more-indented lines (folded with spaces; blank lines give
    /// line breaks). A comment ends it.
    mutating func parsePlainScalar(parentIndent: Int) -> YAMLNode {
        let scalarStart = position
        let first = bytes[position]
        if [ASCII.percent, ASCII.at, ASCII.backtick].contains(first) {
            error(
                "a plain value cannot start with '\(Character(Unicode.Scalar(first)))'; quote it",
                UTF8Range(start: position, end: position + 1))
        } else if [ASCII.comma, ASCII.closeBracket, ASCII.closeBrace].contains(first) {
            error(
                "unexpected '\(Character(Unicode.Scalar(first)))'; quote the value",
                UTF8Range(start: position, end: position + 1))
        }
        var (contentEnd, sawComment) = scanPlainLine(from: position)
        var text = bytes.string(position..<contentEnd)
        var scalarEnd = contentEnd
        position = contentEnd
        while !sawComment {
            var lineStart = self.lineStart(afterLineEnd: lineEnd(from: position))
            var emptyLines = 0
            var continuation: Int?
            while lineStart < end {
                var content = lineStart
                while content < end && isBlank(bytes[content]) { content += 1 }
                if content >= end { break }
                if isLineBreak(bytes[content]) {
                    emptyLines += 1
                    lineStart = self.lineStart(afterLineEnd: content)
                    continue
                }
                var spaces = lineStart
                while bytes[spaces] == ASCII.space { spaces += 1 }
                if bytes[content] != ASCII.hash && spaces - lineStart > parentIndent && !isDocumentMarker(at: lineStart) {
                    continuation = content
                }
                break
            }
            guard let continuation else { break }
            let (lineContentEnd, comment) = scanPlainLine(from: continuation)
            if let colon = findKeyColon(from: continuation), colon < lineContentEnd || colon == lineContentEnd - 1 {
                error(
                    "a ':' followed by a space is not allowed inside a multi-line value; quote the value or fix the indentation",
                    UTF8Range(start: colon, end: colon + 1))
            }
            text += emptyLines == 0 ? " " : String(repeating: "\n", count: emptyLines)
            text += bytes.string(continuation..<lineContentEnd)
            scalarEnd = lineContentEnd
            position = lineContentEnd
            sawComment = comment
        }
        return YAMLNode(
            content: .scalar(YAMLScalar(text: text, style: .plain, value: resolvePlainScalar(text))),
            range: UTF8Range(start: scalarStart, end: scalarEnd))
    }

    /// The end of a plain scalar's text on this line (before ` #` and trailing blanks).
    func scanPlainLine(from offset: Int) -> (contentEnd: Int, sawComment: Bool) {
        var scan = offset
        var sawComment = false
        while scan < end && !isLineBreak(bytes[scan]) {
            if bytes[scan] == ASCII.hash && scan > offset && isBlank(bytes[scan - 1]) {
                sawComment = true
                break
            }
            scan += 1
        }
        while scan > offset && isBlank(bytes[scan - 1]) { scan -= 1 }
        return (scan, sawComment)
    }

    /// A single- or double-quoted scalar starting at `position`; may span lines (folded).
    mutating func parseQuotedScalar() -> YAMLNode {
        let quote = bytes[position]
        let isDouble = quote == ASCII.doubleQuote
        let scalarStart = position
        var scan = position + 1
        var output: [UInt8] = []
        // Bytes up to this length are protected from the trailing-whitespace trim at a line fold.
        var protectedLength = 0
        var closed = false
        while scan < end {
            let byte = bytes[scan]
            if byte == quote {
                if !isDouble && scan + 1 < end && bytes[scan + 1] == ASCII.singleQuote {
                    output.append(ASCII.singleQuote)
                    protectedLength = output.count
                    scan += 2
                    continue
                }
                closed = true
                scan += 1
                break
            }
            if isDouble && byte == ASCII.backslash {
                scan = decodeEscape(at: scan, into: &output)
                protectedLength = output.count
                continue
            }
            if isLineBreak(byte) {
                output.removeLast(output.count - protectedLength)
                var emptyLines = 0
                var lineStart = lineStart(afterLineEnd: scan)
                while true {
                    var content = lineStart
                    while content < end && isBlank(bytes[content]) { content += 1 }
                    if content < end && isLineBreak(bytes[content]) {
                        emptyLines += 1
                        lineStart = self.lineStart(afterLineEnd: content)
                        continue
                    }
                    scan = content
                    break
                }
                if emptyLines == 0 {
                    output.append(ASCII.space)
                } else {
                    output.append(contentsOf: repeatElement(ASCII.newline, count: emptyLines))
                }
                protectedLength = output.count
                continue
            }
            output.append(byte)
            if !isBlank(byte) { protectedLength = output.count }
            scan += 1
        }
        if !closed {
            let lineEnd = self.lineEnd(from: scalarStart)
            error(
                "missing closing \(isDouble ? "double" : "single") quote",
                UTF8Range(start: scalarStart, end: lineEnd))
            position = lineEnd
            let text = bytes.string(min(scalarStart + 1, lineEnd)..<lineEnd)
            return YAMLNode(
                content: .scalar(YAMLScalar(text: text, style: isDouble ? .doubleQuoted : .singleQuoted, value: .string(text))),
                range: UTF8Range(start: scalarStart, end: lineEnd))
        }
        position = scan
        let text = String(decoding: output, as: UTF8.self)
        return YAMLNode(
            content: .scalar(YAMLScalar(text: text, style: isDouble ? .doubleQuoted : .singleQuoted, value: .string(text))),
            range: UTF8Range(start: scalarStart, end: scan))
    }

    /// Decodes the escape at `offset` (a backslash) into `output`; returns the offset after it.
    mutating func decodeEscape(at offset: Int, into output: inout [UInt8]) -> Int {
        guard offset + 1 < end else {
            error("a backslash at the end of the text", UTF8Range(start: offset, end: offset + 1))
            return offset + 1
        }
        let code = bytes[offset + 1]
        func append(_ scalar: UInt32) {
            let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            output.append(contentsOf: Array(String(Character(value)).utf8))
        }
        let simple: [UInt8: UInt32] = [
            0x30: 0, 0x61: 7, 0x62: 8, 0x74: 9, 0x09: 9, 0x6E: 10, 0x76: 11, 0x66: 12, 0x72: 13, 0x65: 27,
            0x20: 32, 0x22: 34, 0x2F: 47, 0x5C: 92, 0x4E: 0x85, 0x5F: 0xA0, 0x4C: 0x2028, 0x50: 0x2029,
        ]
        if let scalar = simple[code] {
            append(scalar)
            return offset + 2
        }
        if isLineBreak(code) {
            // An escaped line break joins the lines without a space.
            var scan = lineStart(afterLineEnd: offset + 1)
            while scan < end && isBlank(bytes[scan]) { scan += 1 }
            return scan
        }
        let hexDigits: Int? = code == 0x78 ? 2 : code == 0x75 ? 4 : code == 0x55 ? 8 : nil
        if let hexDigits {
            let digitsStart = offset + 2
            let digitsEnd = min(digitsStart + hexDigits, end)
            if digitsEnd - digitsStart == hexDigits,
                let value = UInt32(bytes.string(digitsStart..<digitsEnd), radix: 16),
                Unicode.Scalar(value) != nil
            {
                append(value)
                return digitsEnd
            }
            error("invalid hexadecimal escape", UTF8Range(start: offset, end: digitsEnd))
            return digitsEnd
        }
        let length = bytes.scalarLength(at: offset + 1)
        error(
            "unknown escape '\\\(bytes.string(offset + 1..<offset + 1 + length))'",
            UTF8Range(start: offset, end: offset + 1 + length))
        output.append(contentsOf: bytes[offset + 1..<offset + 1 + length])
        return offset + 1 + length
    }

    /// A `|` or `>` block scalar with optional chomping (`+`, `-`) and indentation (`1`–`9`) indicators.
    mutating func parseBlockScalar(parentIndent: Int) -> YAMLNode {
        let indicatorStart = position
        let isLiteral = bytes[position] == ASCII.pipe
        position += 1
        enum Chomping { case clip, strip, keep }
        var chomping = Chomping.clip
        var explicitIndent: Int?
        for _ in 0..<2 {
            guard let byte = byte(position) else { break }
            if byte == ASCII.plus || byte == ASCII.minus {
                chomping = byte == ASCII.plus ? .keep : .strip
                position += 1
            } else if byte > ASCII.zero && byte <= ASCII.nine {
                explicitIndent = Int(byte - ASCII.zero)
                position += 1
            }
        }
        let headerEnd = position
        while position < end && isBlank(bytes[position]) { position += 1 }
        let headerLineEnd = lineEnd(from: position)
        if position < headerLineEnd && !(bytes[position] == ASCII.hash && position > headerEnd) {
            error(
                "unexpected text after the block scalar indicator",
                UTF8Range(start: position, end: headerLineEnd))
        }
        var lineStart = self.lineStart(afterLineEnd: headerLineEnd)
        // Content indentation: explicit, or that of the first non-blank line.
        var contentIndent: Int
        if let explicitIndent {
            contentIndent = max(parentIndent, 0) + explicitIndent
        } else {
            contentIndent = parentIndent + 1
            var scan = lineStart
            while scan < end {
                var spaces = scan
                while spaces < end && bytes[spaces] == ASCII.space { spaces += 1 }
                if spaces < end && isLineBreak(bytes[spaces]) {
                    scan = self.lineStart(afterLineEnd: spaces)
                    continue
                }
                if spaces < end { contentIndent = max(spaces - scan, parentIndent + 1) }
                break
            }
        }
        // Lines: nil for empty lines, else the content range after the indentation.
        var lines: [Range<Int>?] = []
        var lastContentEnd = headerEnd
        while lineStart < end {
            let lineEnd = self.lineEnd(from: lineStart)
            var spaces = lineStart
            while spaces < lineEnd && bytes[spaces] == ASCII.space { spaces += 1 }
            let indent = spaces - lineStart
            if indent >= contentIndent && lineEnd > lineStart + contentIndent {
                if contentIndent == 0 && isDocumentMarker(at: lineStart) { break }
                lines.append((lineStart + contentIndent)..<lineEnd)
                lastContentEnd = lineEnd
            } else if spaces == lineEnd {
                lines.append(nil)
            } else {
                break
            }
            lineStart = self.lineStart(afterLineEnd: lineEnd)
        }
        // Trailing empty lines belong to chomping, not content; they are consumed either way.
        var trailingEmpty = 0
        while let last = lines.last, last == nil {
            lines.removeLast()
            trailingEmpty += 1
        }
        var text = ""
        if isLiteral {
            text = lines.map { $0.map { bytes.string($0) } ?? "" }.joined(separator: "\n")
        } else {
            var emptyCount = 0
            var started = false
            var previousMoreIndented = false
            for line in lines {
                guard let line else {
                    emptyCount += 1
                    continue
                }
                let moreIndented = isBlank(bytes[line.lowerBound])
                if !started {
                    text += String(repeating: "\n", count: emptyCount)
                } else if !previousMoreIndented && !moreIndented {
                    text += emptyCount == 0 ? " " : String(repeating: "\n", count: emptyCount)
                } else {
                    text += String(repeating: "\n", count: emptyCount + 1)
                }
                text += bytes.string(line)
                started = true
                previousMoreIndented = moreIndented
                emptyCount = 0
            }
        }
        // The final line break exists when the last content line is followed by one.
        let hasFinalBreak = !lines.isEmpty && lastContentEnd < end
        switch chomping {
        case .strip: break
        case .clip: if hasFinalBreak { text += "\n" }
        case .keep:
            if hasFinalBreak { text += "\n" }
            text += String(repeating: "\n", count: lines.isEmpty ? trailingEmpty : max(trailingEmpty, 0))
        }
        position = lineStart
        let style: YAMLScalarStyle = isLiteral ? .literal : .folded
        return YAMLNode(
            content: .scalar(YAMLScalar(text: text, style: style, value: .string(text))),
            range: UTF8Range(start: indicatorStart, end: max(lastContentEnd, headerEnd)))
    }

    // MARK: Flow collections

    mutating func skipFlowSpace() {
        while position < end {
            let byte = bytes[position]
            if isBlank(byte) || isLineBreak(byte) {
                position += 1
            } else if byte == ASCII.hash && (position == start || isBlank(bytes[position - 1]) || isLineBreak(bytes[position - 1])) {
                position = lineEnd(from: position)
            } else {
                break
            }
        }
    }

    func isFlowIndicator(_ byte: UInt8) -> Bool {
        byte == ASCII.comma || byte == ASCII.openBracket || byte == ASCII.closeBracket
            || byte == ASCII.openBrace || byte == ASCII.closeBrace
    }

    /// Whether a `:` at `offset` separates a key from its value inside a flow collection.
    func isFlowColon(at offset: Int) -> Bool {
        guard byte(offset) == ASCII.colon else { return false }
        guard let next = byte(offset + 1) else { return true }
        return isBlank(next) || isLineBreak(next) || isFlowIndicator(next)
    }

    mutating func parseFlowNode() -> YAMLNode {
        skipFlowSpace()
        guard position < end else { return nullNode(at: position) }
        guard depth < Self.maximumDepth else {
            error("nesting is too deep", UTF8Range(start: position, end: lineEnd(from: position)))
            let here = position
            position = end
            return nullNode(at: here)
        }
        depth += 1
        defer { depth -= 1 }
        switch bytes[position] {
        case ASCII.openBracket: return parseFlowCollection(isMapping: false)
        case ASCII.openBrace: return parseFlowCollection(isMapping: true)
        case ASCII.doubleQuote, ASCII.singleQuote: return parseQuotedScalar()
        case ASCII.ampersand, 0x21:
            let tokenStart = position
            while position < end && !isSeparator(at: position) && !isFlowIndicator(bytes[position]) { position += 1 }
            unsupported(
                "YAML \(bytes[tokenStart] == ASCII.ampersand ? "anchors" : "tags") are not supported",
                UTF8Range(start: tokenStart, end: position))
            return parseFlowNode()
        case ASCII.asterisk:
            let tokenStart = position
            while position < end && !isSeparator(at: position) && !isFlowIndicator(bytes[position]) { position += 1 }
            unsupported("YAML aliases are not supported", UTF8Range(start: tokenStart, end: position))
            return YAMLNode(
                content: .scalar(YAMLScalar(text: "", style: .plain, value: .null)),
                range: UTF8Range(start: tokenStart, end: position))
        default:
            return parseFlowPlainScalar()
        }
    }

    mutating func parseFlowPlainScalar() -> YAMLNode {
        let scalarStart = position
        var text = ""
        var scalarEnd = position
        var pendingSeparator = false
        while position < end {
            let byte = bytes[position]
            if isFlowIndicator(byte) || isFlowColon(at: position) { break }
            if byte == ASCII.hash && position > scalarStart && isBlank(bytes[position - 1]) { break }
            if isBlank(byte) || isLineBreak(byte) {
                pendingSeparator = true
                position += 1
                continue
            }
            if pendingSeparator && !text.isEmpty { text += " " }
            pendingSeparator = false
            let length = bytes.scalarLength(at: position)
            text += bytes.string(position..<position + length)
            position += length
            scalarEnd = position
        }
        position = scalarEnd
        if scalarEnd == scalarStart {
            let length = position < end ? bytes.scalarLength(at: position) : 0
            error(
                position < end ? "unexpected '\(bytes.string(position..<position + length))'" : "missing value",
                UTF8Range(start: position, end: position + length))
            position += length
            return nullNode(at: scalarStart)
        }
        return YAMLNode(
            content: .scalar(YAMLScalar(text: text, style: .plain, value: resolvePlainScalar(text))),
            range: UTF8Range(start: scalarStart, end: scalarEnd))
    }

    mutating func parseFlowCollection(isMapping: Bool) -> YAMLNode {
        let open = position
        let closer = isMapping ? ASCII.closeBrace : ASCII.closeBracket
        position += 1
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var seen: [String: UTF8Range] = [:]
        var closed = false
        while true {
            skipFlowSpace()
            guard position < end else { break }
            let current = bytes[position]
            if current == closer {
                position += 1
                closed = true
                break
            }
            if current == ASCII.comma {
                error("unexpected ','", UTF8Range(start: position, end: position + 1))
                position += 1
                continue
            }
            if current == ASCII.closeBracket || current == ASCII.closeBrace {
                error(
                    "expected '\(Character(Unicode.Scalar(closer)))' but found '\(Character(Unicode.Scalar(current)))'",
                    UTF8Range(start: position, end: position + 1),
                    related: [RelatedLocation(range: UTF8Range(start: open, end: open + 1), message: "opened here")])
                position += 1
                closed = true
                break
            }
            let before = position
            let first = parseFlowNode()
            skipFlowSpace()
            if isFlowColon(at: position) || (isMapping && byte(position) == ASCII.colon) {
                position += 1
                skipFlowSpace()
                let value: YAMLNode
                if let next = self.byte(position), next == ASCII.comma || next == closer {
                    value = nullNode(at: position)
                } else {
                    value = parseFlowNode()
                }
                let pair = YAMLPair(
                    key: first, value: value,
                    range: UTF8Range(start: first.range.start, end: max(first.range.end, value.range.end)))
                if isMapping {
                    let keyText = first.scalar?.text ?? ""
                    if let previous = seen[keyText] {
                        error(
                            "duplicate key '\(keyText)'", first.range,
                            related: [RelatedLocation(range: previous, message: "first definition")])
                    } else {
                        seen[keyText] = first.range
                    }
                    pairs.append(pair)
                } else {
                    items.append(YAMLNode(content: .mapping([pair]), range: pair.range, isFlow: true))
                }
            } else if isMapping {
                pairs.append(YAMLPair(key: first, value: nullNode(at: first.range.end), range: first.range))
            } else {
                items.append(first)
            }
            skipFlowSpace()
            if byte(position) == ASCII.comma {
                position += 1
            } else if let next = byte(position), next != closer, next != ASCII.closeBracket, next != ASCII.closeBrace {
                error(
                    "expected ',' or '\(Character(Unicode.Scalar(closer)))'",
                    UTF8Range(start: position, end: position + bytes.scalarLength(at: position)))
                if position == before { position += 1 }
            }
        }
        if !closed {
            error(
                "missing '\(Character(Unicode.Scalar(closer)))' for this '\(Character(Unicode.Scalar(bytes[open])))'",
                UTF8Range(start: open, end: open + 1))
        }
        let range = UTF8Range(start: open, end: position)
        return YAMLNode(content: isMapping ? .mapping(pairs) : .sequence(items), range: range, isFlow: true)
    }
}

/// Types a plain scalar by the YAML 1.2 core schema (as the JavaScript `yaml` package does; PyYAML follows
/// YAML 1.1, where `yes`/`no` are booleans and `1_000` is an integer).
public func resolvePlainScalar(_ text: String) -> YAMLScalarValue {
    switch text {
    case "", "~", "null", "Null", "NULL": return .null
    case "true", "True", "TRUE": return .bool(true)
    case "false", "False", "FALSE": return .bool(false)
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
    case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
    case ".nan", ".NaN", ".NAN": return .float(.nan)
    default: break
    }
    let utf8 = Array(text.utf8)
    func allDigits(_ slice: ArraySlice<UInt8>, _ accept: (UInt8) -> Bool) -> Bool {
        !slice.isEmpty && slice.allSatisfy(accept)
    }
    if utf8.count > 2 && utf8[0] == ASCII.zero && (utf8[1] == 0x6F || utf8[1] == 0x78) {
        let isOctal = utf8[1] == 0x6F
        let digits = utf8[2...]
        let valid = allDigits(digits) { byte in
            isOctal ? (byte >= ASCII.zero && byte <= 0x37) : (isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66))
        }
        if valid, let value = Int(String(decoding: digits, as: UTF8.self), radix: isOctal ? 8 : 16) {
            return .int(value)
        }
        return .string(text)
    }
    let signed = utf8.first == ASCII.plus || utf8.first == ASCII.minus ? utf8[1...] : utf8[...]
    if allDigits(signed, isDigit) {
        if let value = Int(text) { return .int(value) }
        return .float(Double(text) ?? .nan)
    }
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    var index = signed.startIndex
    var mantissaDigits = 0
    while index < signed.endIndex && isDigit(signed[index]) {
        index += 1
        mantissaDigits += 1
    }
    if index < signed.endIndex && signed[index] == ASCII.dot {
        index += 1
        var fraction = 0
        while index < signed.endIndex && isDigit(signed[index]) {
            index += 1
            fraction += 1
        }
        if mantissaDigits == 0 && fraction == 0 { return .string(text) }
        mantissaDigits += fraction
    }
    guard mantissaDigits > 0 else { return .string(text) }
    if index < signed.endIndex && (signed[index] == 0x65 || signed[index] == 0x45) {
        index += 1
        if index < signed.endIndex && (signed[index] == ASCII.plus || signed[index] == ASCII.minus) { index += 1 }
        var exponentDigits = 0
        while index < signed.endIndex && isDigit(signed[index]) {
            index += 1
            exponentDigits += 1
        }
        if exponentDigits == 0 { return .string(text) }
    }
    guard index == signed.endIndex else { return .string(text) }
    var normalized = text
    if normalized.hasSuffix(".") { normalized += "0" }
    if let dot = normalized.firstIndex(of: "."), normalized[..<dot].allSatisfy({ $0 == "+" || $0 == "-" }) {
        normalized.insert("0", at: dot)
    }
    if let eIndex = normalized.firstIndex(where: { $0 == "e" || $0 == "E" }),
        normalized[normalized.index(before: eIndex)] == "."
    {
        normalized.insert("0", at: eIndex)
    }
    return .float(Double(normalized) ?? .nan)
}

import PromptText

/// Parses a Handlebars template on its own (a partial, or a body without frontmatter).
public func parseTemplate(_ text: String) -> Template {
    let bytes = Array(text.utf8)
    return parseTemplate(bytes: bytes, range: UTF8Range(start: 0, end: bytes.count))
}

/// Parses `range` of `bytes` as a Handlebars template; ranges are absolute offsets into `bytes`.
func parseTemplate(bytes: [UInt8], range: UTF8Range) -> Template {
    var parser = TemplateParser(bytes: bytes, start: range.start, end: range.end)
    parser.parse()
    return Template(range: range, nodes: parser.nodes, rootNodes: parser.roots, diagnostics: parser.diagnostics)
}

/// A single pass over the text with an explicit stack of open blocks (no recursion over blocks). Only
/// sub-expressions recurse, and their depth is capped.
private struct TemplateParser {
    let bytes: [UInt8]
    let start: Int
    let end: Int
    var nodes: [TemplateNode] = []
    var roots: [TemplateNodeID] = []
    var diagnostics: [SyntaxDiagnostic] = []
    var stack: [OpenBlock] = []
    /// The last search for `}}` by `recover`: where it started and what it found. Failed tags come in
    /// order, and without a `}}` ahead each search ran to the end of the text (quadratic on a line of
    /// thousands of unclosed `{{`); a later search that starts inside the one before reuses its answer.
    var lastCloseSearch: (from: Int, found: Int?)?
    static let maximumExpressionDepth = 64

    struct OpenBlock {
        var id: TemplateNodeID
        var block: BlockNode
        /// What a closing tag must repeat (`if`, `each`, the partial's name).
        var closingName: String
    }

    init(bytes: [UInt8], start: Int, end: Int) {
        self.bytes = bytes
        self.start = start
        self.end = end
    }

    // MARK: Tree building

    mutating func report(
        _ code: String, _ message: String, _ range: UTF8Range, severity: SyntaxSeverity = .error,
        related: [RelatedLocation] = []
    ) {
        diagnostics.append(
            SyntaxDiagnostic(code: code, message: message, severity: severity, range: range, related: related))
    }

    @discardableResult
    mutating func append(_ content: TemplateNode.Content, _ range: UTF8Range) -> TemplateNodeID {
        let id = TemplateNodeID(nodes.count)
        nodes.append(TemplateNode(range: range, parent: stack.last?.id, content: content))
        if stack.isEmpty {
            roots.append(id)
        } else if stack[stack.count - 1].block.elseBranches.isEmpty {
            stack[stack.count - 1].block.body.append(id)
        } else {
            let last = stack[stack.count - 1].block.elseBranches.count - 1
            stack[stack.count - 1].block.elseBranches[last].body.append(id)
        }
        return id
    }

    mutating func appendText(_ range: UTF8Range, removedBackslash: UTF8Range? = nil) {
        guard !range.isEmpty else { return }
        append(.text(TextNode(removedBackslash: removedBackslash)), range)
        checkText(range)
    }

    /// Reports NUL bytes (Handlebars' lexer refuses them) and stray `}}` that no single `{` in the same
    /// text opened (JSON examples such as `{"a": {"b": 1}}` stay quiet).
    mutating func checkText(_ range: UTF8Range) {
        var balance = 0
        var index = range.start
        var reportedNul = false
        while index < range.end {
            let byte = bytes[index]
            if byte == 0 && !reportedNul {
                report(
                    SyntaxCode.invalidCharacter, "a NUL character; Handlebars refuses to compile templates containing it",
                    UTF8Range(start: index, end: index + 1))
                reportedNul = true
            } else if byte == ASCII.openBrace {
                balance += 1
            } else if byte == ASCII.closeBrace {
                if balance == 0 && index + 1 < range.end && bytes[index + 1] == ASCII.closeBrace {
                    report(
                        SyntaxCode.unbalancedBrace, "'}}' without a matching '{{'; it is rendered as text",
                        UTF8Range(start: index, end: index + 2), severity: .warning)
                    index += 2
                    continue
                }
                balance = max(balance - 1, 0)
            }
            index += 1
        }
    }

    mutating func finishBlock(_ open: OpenBlock, close: BlockCloseTag?, rangeEnd: Int) {
        var block = open.block
        block.close = close
        nodes[open.id.index].content = .block(block)
        nodes[open.id.index].range = UTF8Range(start: nodes[open.id.index].range.start, end: max(rangeEnd, nodes[open.id.index].range.end))
    }

    /// The end of the last node in the tree so far (for the range of an unclosed block).
    var lastNodeEnd: Int { nodes.last?.range.end ?? start }

    // MARK: Main loop

    mutating func parse() {
        var textStart = start
        var scan = start
        while scan < end {
            guard let open = find("{{", from: scan) else { break }
            // Backslash escapes, as Handlebars' lexer applies them to the text before `{{`.
            if open - 1 >= textStart && bytes[open - 1] == ASCII.backslash {
                if open - 2 >= textStart && bytes[open - 2] == ASCII.backslash {
                    // `\\{{x}}`: one backslash is dropped and the mustache is live.
                    appendText(UTF8Range(start: textStart, end: open), removedBackslash: UTF8Range(start: open - 1, end: open))
                } else {
                    // `\{{x}}`: the backslash is dropped and text continues up to the next `{{`, `\{{`
                    // or `\\{{` (at least two characters on).
                    var stop = end
                    if let next = find("{{", from: open + 2) {
                        stop = next
                        var backslashes = 0
                        while backslashes < 2 && stop - 1 >= open + 2 && bytes[stop - 1] == ASCII.backslash {
                            stop -= 1
                            backslashes += 1
                        }
                    }
                    appendText(UTF8Range(start: textStart, end: stop), removedBackslash: UTF8Range(start: open - 1, end: open))
                    textStart = stop
                    scan = stop
                    continue
                }
            } else {
                appendText(UTF8Range(start: textStart, end: open))
            }
            let tagEnd = parseTag(at: open)
            textStart = tagEnd
            scan = tagEnd
        }
        appendText(UTF8Range(start: textStart, end: end))
        defer { diagnostics.sort { $0.range.start < $1.range.start } }
        // Whatever is still open at the end is unclosed.
        while let open = stack.popLast() {
            let name = open.closingName
            let opener = open.block.open.range
            report(
                SyntaxCode.unclosedBlock, "'\(bytes.string(opener.range))' is never closed; add '{{/\(name)}}'", opener,
                related: [RelatedLocation(range: .empty(at: end), message: "the template ends here")])
            finishBlock(open, close: nil, rangeEnd: max(lastNodeEnd, opener.end))
        }
    }

    func find(_ pattern: StaticString, from offset: Int) -> Int? {
        var scan = offset
        let first = pattern.utf8Start.pointee
        while scan < end {
            if bytes[scan] == first && bytes.matches(pattern, at: scan) && scan + pattern.utf8CodeUnitCount <= end {
                return scan
            }
            scan += 1
        }
        return nil
    }

    // MARK: Tags

    /// A failed tag: what went wrong and where, so that recovery can report it and skip the tag.
    struct Failure: Error {
        var code: String
        var message: String
        var range: UTF8Range
        /// Where to continue when the tag is known to end early (a lone `}` that was meant as `}}`).
        var resume: Int? = nil
    }

    /// Parses the tag at `open` (a `{{`) and returns the offset after it.
    mutating func parseTag(at open: Int) -> Int {
        if bytes.matches("{{{{", at: open) && open + 4 <= end {
            return parseRawBlock(at: open)
        }
        var position = open + 2
        var strip = WhitespaceStrip()
        if position < end && bytes[position] == ASCII.tilde {
            strip.before = true
            position += 1
        }
        guard position < end else {
            return recover(open: open, Failure(code: SyntaxCode.unbalancedBrace, message: "'{{' at the end of the text is never closed", range: UTF8Range(start: open, end: end)))
        }
        switch bytes[position] {
        case ASCII.exclamation:
            return parseComment(open: open, bang: position, strip: strip)
        default:
            break
        }
        do throws(Failure) {
            var lexer = Lexer(bytes: bytes, position: position, end: end)
            switch bytes[position] {
            case ASCII.greaterThan:
                lexer.position += 1
                return try parsePartial(open: open, lexer: &lexer, strip: strip)
            case ASCII.hash:
                lexer.position += 1
                var kind = BlockKind.normal
                if lexer.position < end && bytes[lexer.position] == ASCII.greaterThan {
                    kind = .partialBlock
                    lexer.position += 1
                } else if lexer.position < end && bytes[lexer.position] == ASCII.asterisk {
                    kind = .decorator
                    lexer.position += 1
                }
                return try parseBlockOpen(open: open, kind: kind, lexer: &lexer, strip: strip)
            case ASCII.slash:
                lexer.position += 1
                return try parseBlockClose(open: open, lexer: &lexer, strip: strip)
            case ASCII.caret:
                lexer.position += 1
                let afterCaret = lexer.position
                lexer.skipWhitespace()
                if let close = lexer.closeTag() {
                    return addElse(form: .caret, open: open, end: close.end, strip: WhitespaceStrip(before: strip.before, after: close.strip), call: nil, parameters: [])
                }
                lexer.position = afterCaret
                return try parseBlockOpen(open: open, kind: .inverted, lexer: &lexer, strip: strip)
            case ASCII.openBrace:
                lexer.position += 1
                return try parseMustache(open: open, form: .triple, lexer: &lexer, strip: strip)
            case ASCII.ampersand:
                lexer.position += 1
                return try parseMustache(open: open, form: .ampersand, lexer: &lexer, strip: strip)
            case ASCII.asterisk:
                report(SyntaxCode.unsupportedSyntax, "Handlebars decorators are not supported by Dotprompt", UTF8Range(start: open, end: position + 1))
                lexer.position += 1
                return try parseMustache(open: open, form: .escaped, lexer: &lexer, strip: strip)
            default:
                let beforeWhitespace = lexer.position
                lexer.skipWhitespace()
                if bytes.matches("else", at: lexer.position) && lexer.position + 4 <= end {
                    let afterElse = lexer.position + 4
                    lexer.position = afterElse
                    lexer.skipWhitespace()
                    if let close = lexer.closeTag() {
                        return addElse(form: .else, open: open, end: close.end, strip: WhitespaceStrip(before: strip.before, after: close.strip), call: nil, parameters: [])
                    }
                    // `{{else helper ...}}`: Handlebars' lexer takes `else` here without a word boundary.
                    lexer.position = afterElse
                    return try parseElseChain(open: open, lexer: &lexer, strip: strip)
                }
                lexer.position = beforeWhitespace
                return try parseMustache(open: open, form: .escaped, lexer: &lexer, strip: strip)
            }
        } catch {
            return recover(open: open, error)
        }
    }

    /// Reports a failed tag and skips it: up to its `}}` when one comes before the next `{{`, otherwise up
    /// to that next `{{` (the tag was never closed).
    mutating func recover(open: Int, _ failure: Failure) -> Int {
        let nextOpen = find("{{", from: open + 2)
        let nextClose: Int?
        if let last = lastCloseSearch, last.from <= open + 2, last.found.map({ $0 >= open + 2 }) ?? true {
            nextClose = last.found
        } else {
            nextClose = find("}}", from: open + 2)
            lastCloseSearch = (open + 2, nextClose)
        }
        var resume: Int
        var code = failure.code
        var message = failure.message
        var range = failure.range
        if let early = failure.resume {
            resume = early
        } else if let nextClose, nextOpen.map({ nextClose < $0 }) ?? true {
            resume = nextClose + 2
            if resume < end && bytes[resume] == ASCII.closeBrace && bytes.matches("{{{", at: open) { resume += 1 }
        } else {
            resume = nextOpen ?? end
            code = SyntaxCode.unbalancedBrace
            message = "'\(bytes.string(open..<min(open + 3, end)).trimmingSuffix())' is never closed with '}}'"
            // From the tag's start to where parsing stopped, within the skipped text.
            range = UTF8Range(start: open, end: min(max(failure.range.end, min(open + 2, end)), max(resume, open + 2)))
        }
        report(code, message, range)
        append(.invalid(InvalidNode(code: code)), UTF8Range(start: open, end: resume))
        return resume
    }

    mutating func parseComment(open: Int, bang: Int, strip: WhitespaceStrip) -> Int {
        var strip = strip
        if bytes.matches("!--", at: bang) && bang + 3 <= end {
            var scan = bang + 3
            while let dashes = find("--", from: scan) {
                var close = dashes + 2
                var stripAfter = false
                if close < end && bytes[close] == ASCII.tilde {
                    stripAfter = true
                    close += 1
                }
                if bytes.matches("}}", at: close) && close + 2 <= end {
                    strip.after = stripAfter
                    append(
                        .comment(CommentNode(isLong: true, contentRange: UTF8Range(start: bang + 3, end: dashes), strip: strip)),
                        UTF8Range(start: open, end: close + 2))
                    return close + 2
                }
                scan = dashes + 1
            }
            report(SyntaxCode.unclosedComment, "'{{!--' is never closed with '--}}'", UTF8Range(start: open, end: bang + 3),
                   related: [RelatedLocation(range: .empty(at: end), message: "the template ends here")])
            append(.comment(CommentNode(isLong: true, contentRange: UTF8Range(start: bang + 3, end: end), strip: strip)), UTF8Range(start: open, end: end))
            return end
        }
        guard let close = find("}}", from: bang + 1) else {
            report(SyntaxCode.unclosedComment, "'{{!' is never closed with '}}'", UTF8Range(start: open, end: bang + 1),
                   related: [RelatedLocation(range: .empty(at: end), message: "the template ends here")])
            append(.comment(CommentNode(isLong: false, contentRange: UTF8Range(start: bang + 1, end: end), strip: strip)), UTF8Range(start: open, end: end))
            return end
        }
        var contentEnd = close
        if close > bang + 1 && bytes[close - 1] == ASCII.tilde {
            strip.after = true
            contentEnd -= 1
        }
        append(.comment(CommentNode(isLong: false, contentRange: UTF8Range(start: bang + 1, end: contentEnd), strip: strip)), UTF8Range(start: open, end: close + 2))
        return close + 2
    }

    mutating func parseMustache(open: Int, form: MustacheForm, lexer: inout Lexer, strip: WhitespaceStrip) throws(Failure) -> Int {
        let call = try parseCall(&lexer, depth: 0, context: "mustache")
        let close = try expectClose(&lexer, open: open, triple: form == .triple)
        append(.mustache(MustacheNode(form: form, call: call, strip: WhitespaceStrip(before: strip.before, after: close.strip))), UTF8Range(start: open, end: close.end))
        return close.end
    }

    mutating func parsePartial(open: Int, lexer: inout Lexer, strip: WhitespaceStrip) throws(Failure) -> Int {
        let call = try parseCall(&lexer, depth: 0, context: "partial")
        let close = try expectClose(&lexer, open: open, triple: false)
        if call.params.count > 1 {
            report(
                SyntaxCode.invalidExpression, "a partial takes at most one context argument (found \(call.params.count))",
                UTF8Range(start: call.params[1].range.start, end: call.params.last!.range.end))
        }
        append(
            .partial(PartialNode(name: call.callee, context: call.params.first, hash: call.hash, strip: WhitespaceStrip(before: strip.before, after: close.strip))),
            UTF8Range(start: open, end: close.end))
        return close.end
    }

    mutating func parseBlockParameters(_ lexer: inout Lexer) throws(Failure) -> [BlockParameter] {
        guard lexer.peek().kind == .openBlockParameters else { return [] }
        let opener = lexer.next()
        var parameters: [BlockParameter] = []
        while true {
            let token = lexer.next()
            switch token.kind {
            case .identifier:
                parameters.append(BlockParameter(name: token.text, range: token.range))
            case .pipe:
                if parameters.isEmpty {
                    throw Failure(code: SyntaxCode.invalidExpression, message: "'as | |' needs at least one name", range: UTF8Range(start: opener.range.start, end: token.range.end))
                }
                return parameters
            default:
                throw Failure(code: SyntaxCode.invalidExpression, message: "expected a block parameter name or '|'", range: token.range)
            }
        }
    }

    mutating func parseBlockOpen(open: Int, kind: BlockKind, lexer: inout Lexer, strip: WhitespaceStrip) throws(Failure) -> Int {
        if kind == .decorator {
            report(SyntaxCode.unsupportedSyntax, "Handlebars decorator blocks are not supported by Dotprompt", UTF8Range(start: open, end: lexer.position))
        }
        let call = try parseCall(&lexer, depth: 0, context: kind == .partialBlock ? "partial" : "block")
        let parameters = kind == .partialBlock ? [] : try parseBlockParameters(&lexer)
        let close = try expectClose(&lexer, open: open, triple: false)
        let tag = BlockOpenTag(range: UTF8Range(start: open, end: close.end), call: call, blockParameters: parameters, strip: WhitespaceStrip(before: strip.before, after: close.strip))
        let block = BlockNode(kind: kind, open: tag, body: [], elseBranches: [], close: nil)
        let id = append(.block(block), tag.range)
        stack.append(OpenBlock(id: id, block: block, closingName: closingName(of: call.callee)))
        return close.end
    }

    func closingName(of expression: Expression) -> String {
        switch expression {
        case .path(let path): return path.original
        case .literal: return bytes.string(expression.range.range)
        case .subExpression: return bytes.string(expression.range.range)
        }
    }

    mutating func parseElseChain(open: Int, lexer: inout Lexer, strip: WhitespaceStrip) throws(Failure) -> Int {
        let call = try parseCall(&lexer, depth: 0, context: "else")
        let parameters = try parseBlockParameters(&lexer)
        let close = try expectClose(&lexer, open: open, triple: false)
        return addElse(form: .chained, open: open, end: close.end, strip: WhitespaceStrip(before: strip.before, after: close.strip), call: call, parameters: parameters)
    }

    mutating func addElse(form: ElseForm, open: Int, end tagEnd: Int, strip: WhitespaceStrip, call: Call?, parameters: [BlockParameter]) -> Int {
        let range = UTF8Range(start: open, end: tagEnd)
        let spelling = bytes.string(range.range)
        guard !stack.isEmpty else {
            report(SyntaxCode.invalidExpression, "'\(spelling)' outside a block", range)
            append(.invalid(InvalidNode(code: SyntaxCode.invalidExpression)), range)
            return tagEnd
        }
        let top = stack.count - 1
        if let previous = stack[top].block.elseBranches.last, previous.form != .chained {
            report(
                SyntaxCode.invalidExpression, "'\(spelling)' after the block's final '{{else}}'", range,
                related: [RelatedLocation(range: previous.tagRange, message: "the final else branch starts here")])
        }
        if stack[top].block.kind == .partialBlock || stack[top].block.kind == .decorator {
            report(SyntaxCode.invalidExpression, "'\(spelling)' is not allowed in a partial block", range)
        }
        stack[top].block.elseBranches.append(ElseBranch(form: form, tagRange: range, call: call, blockParameters: parameters, strip: strip, body: []))
        return tagEnd
    }

    mutating func parseBlockClose(open: Int, lexer: inout Lexer, strip: WhitespaceStrip) throws(Failure) -> Int {
        let name = try parseExpression(&lexer, depth: 0, allowSubExpression: false)
        let close = try expectClose(&lexer, open: open, triple: false)
        let range = UTF8Range(start: open, end: close.end)
        let tag = BlockCloseTag(range: range, name: name, strip: WhitespaceStrip(before: strip.before, after: close.strip))
        let spelled = closingName(of: name)
        if let matchIndex = stack.lastIndex(where: { $0.closingName == spelled }) {
            // Blocks opened inside the matching one and still open are unclosed.
            while stack.count - 1 > matchIndex {
                let inner = stack.removeLast()
                report(
                    SyntaxCode.unclosedBlock, "'\(bytes.string(inner.block.open.range.range))' is never closed; add '{{/\(inner.closingName)}}'",
                    inner.block.open.range,
                    related: [RelatedLocation(range: range, message: "the enclosing '\(spelled)' block closes here")])
                finishBlock(inner, close: nil, rangeEnd: open)
            }
            let matched = stack.removeLast()
            finishBlock(matched, close: tag, rangeEnd: close.end)
            return close.end
        }
        var related: [RelatedLocation] = []
        var message = "'\(bytes.string(range.range))' has no matching '{{#\(spelled)}}'"
        if let top = stack.last {
            related.append(RelatedLocation(range: top.block.open.range, message: "the open block is '\(top.closingName)'"))
            message += "; the open block is '\(top.closingName)'"
        }
        report(SyntaxCode.unmatchedClosingBlock, message, range, related: related)
        append(.invalid(InvalidNode(code: SyntaxCode.unmatchedClosingBlock)), range)
        return close.end
    }

    mutating func parseRawBlock(at open: Int) -> Int {
        var lexer = Lexer(bytes: bytes, position: open + 4, end: end)
        let call: Call
        do throws(Failure) {
            call = try parseCall(&lexer, depth: 0, context: "raw block")
            lexer.skipWhitespace()
            guard bytes.matches("}}}}", at: lexer.position) && lexer.position + 4 <= end else {
                throw Failure(code: SyntaxCode.unbalancedBrace, message: "a raw block's opening tag must end with '}}}}'", range: UTF8Range(start: open, end: min(lexer.position + 1, end)))
            }
        } catch {
            return recover(open: open, error)
        }
        let openEnd = lexer.position + 4
        let name = closingName(of: call.callee)
        var depth = 1
        var scan = openEnd
        while let next = find("{{{{", from: scan) {
            if next + 4 < end && bytes[next + 4] == ASCII.slash {
                var nameEnd = next + 5
                while nameEnd < end && !bytes.matches("}}}}", at: nameEnd) && !isLineBreak(bytes[nameEnd]) { nameEnd += 1 }
                if bytes.matches("}}}}", at: nameEnd) && nameEnd + 4 <= end {
                    depth -= 1
                    if depth == 0 {
                        let closeName = bytes.string(next + 5..<nameEnd).trimmingSuffix()
                        let closeRange = UTF8Range(start: next, end: nameEnd + 4)
                        if closeName != name {
                            report(SyntaxCode.unmatchedClosingBlock, "'\(bytes.string(closeRange.range))' does not match the raw block '\(name)'", closeRange,
                                   related: [RelatedLocation(range: UTF8Range(start: open, end: openEnd), message: "the raw block opens here")])
                        }
                        append(.rawBlock(RawBlockNode(call: call, openRange: UTF8Range(start: open, end: openEnd), contentRange: UTF8Range(start: openEnd, end: next), closeRange: closeRange)), UTF8Range(start: open, end: closeRange.end))
                        return closeRange.end
                    }
                }
            } else {
                depth += 1
            }
            scan = next + 4
        }
        report(SyntaxCode.unclosedBlock, "'\(bytes.string(open..<openEnd))' is never closed; add '{{{{/\(name)}}}}'", UTF8Range(start: open, end: openEnd),
               related: [RelatedLocation(range: .empty(at: end), message: "the template ends here")])
        append(.rawBlock(RawBlockNode(call: call, openRange: UTF8Range(start: open, end: openEnd), contentRange: UTF8Range(start: openEnd, end: end), closeRange: nil)), UTF8Range(start: open, end: end))
        return end
    }

    // MARK: Expressions

    /// Expects `}}` (or `}}}` for triple mustaches); reports a wrong or missing closer as unbalanced.
    func expectClose(_ lexer: inout Lexer, open: Int, triple: Bool) throws(Failure) -> (end: Int, strip: Bool) {
        let token = lexer.next()
        switch token.kind {
        case .close where !triple, .closeTriple where triple:
            return (token.range.end, token.strip)
        case .close, .closeTriple:
            let expected = triple ? "}}}" : "}}"
            throw Failure(
                code: SyntaxCode.unbalancedBrace,
                message: "'\(bytes.string(open..<min(open + (triple ? 3 : 2), end)))' must be closed with '\(expected)', not '\(bytes.string(token.range.range))'",
                range: UTF8Range(start: open, end: token.range.end))
        case .end:
            throw Failure(code: SyntaxCode.unbalancedBrace, message: "never closed", range: UTF8Range(start: open, end: token.range.end))
        case .invalid where bytes[token.range.start] == ASCII.closeBrace:
            throw Failure(
                code: SyntaxCode.unbalancedBrace,
                message: "'\(bytes.string(open..<token.range.end))' is closed with a single '}'; use '\(triple ? "}}}" : "}}")'",
                range: UTF8Range(start: open, end: token.range.end), resume: token.range.end)
        default:
            throw Failure(code: SyntaxCode.invalidExpression, message: "unexpected '\(bytes.string(token.range.range))'; expected '\(triple ? "}}}" : "}}")'", range: token.range)
        }
    }

    /// `helperName param* hash?`.
    func parseCall(_ lexer: inout Lexer, depth: Int, context: String) throws(Failure) -> Call {
        let callee = try parseExpression(&lexer, depth: depth, allowSubExpression: context == "partial")
        var params: [Expression] = []
        var hash: [HashPair] = []
        while true {
            let token = lexer.peek()
            switch token.kind {
            case .identifier where lexer.peekSecond().kind == .equals:
                _ = lexer.next()
                _ = lexer.next()
                let value = try parseExpression(&lexer, depth: depth, allowSubExpression: true)
                hash.append(HashPair(key: token.text, keyRange: token.range, value: value, range: UTF8Range(start: token.range.start, end: value.range.end)))
            case .identifier, .data, .string, .number, .boolean, .null, .undefined, .openParen:
                if !hash.isEmpty {
                    throw Failure(code: SyntaxCode.invalidExpression, message: "positional arguments must come before 'key=value' arguments", range: token.range)
                }
                params.append(try parseExpression(&lexer, depth: depth, allowSubExpression: true))
            default:
                let rangeEnd = max(callee.range.end, params.last?.range.end ?? 0, hash.last?.range.end ?? 0)
                return Call(range: UTF8Range(start: callee.range.start, end: rangeEnd), callee: callee, params: params, hash: hash)
            }
        }
    }

    /// A path, data path, literal, or (when allowed) a sub-expression.
    func parseExpression(_ lexer: inout Lexer, depth: Int, allowSubExpression: Bool) throws(Failure) -> Expression {
        let token = lexer.next()
        switch token.kind {
        case .string: return .literal(LiteralExpression(range: token.range, value: .string(token.text)))
        case .number: return .literal(LiteralExpression(range: token.range, value: .number(Double(token.text) ?? 0)))
        case .boolean: return .literal(LiteralExpression(range: token.range, value: .boolean(token.text == "true")))
        case .null: return .literal(LiteralExpression(range: token.range, value: .null))
        case .undefined: return .literal(LiteralExpression(range: token.range, value: .undefined))
        case .openParen:
            guard allowSubExpression else {
                throw Failure(code: SyntaxCode.invalidExpression, message: "a sub-expression is not allowed here", range: token.range)
            }
            guard depth < Self.maximumExpressionDepth else {
                throw Failure(code: SyntaxCode.invalidExpression, message: "sub-expressions are nested too deeply", range: token.range)
            }
            let call = try parseCall(&lexer, depth: depth + 1, context: "sub-expression")
            let close = lexer.next()
            guard close.kind == .closeParen else {
                throw Failure(code: SyntaxCode.invalidExpression, message: "expected ')' to close the sub-expression", range: UTF8Range(start: token.range.start, end: close.range.end))
            }
            return .subExpression(Call(range: UTF8Range(start: token.range.start, end: close.range.end), callee: call.callee, params: call.params, hash: call.hash))
        case .data:
            let first = lexer.next()
            guard first.kind == .identifier else {
                throw Failure(code: SyntaxCode.invalidExpression, message: "expected a name after '@'", range: UTF8Range(start: token.range.start, end: first.range.end))
            }
            return .path(try parsePath(first: first, lexer: &lexer, data: token))
        case .identifier:
            return .path(try parsePath(first: token, lexer: &lexer, data: nil))
        case .end, .close, .closeTriple:
            throw Failure(code: SyntaxCode.invalidExpression, message: "expected an expression", range: token.range)
        default:
            throw Failure(code: SyntaxCode.invalidExpression, message: "unexpected '\(bytes.string(token.range.range))'", range: token.range)
        }
    }

    /// `ID (SEP ID)*`, with Handlebars' rules for `this`, `.` and `..`.
    func parsePath(first: Token, lexer: inout Lexer, data: Token?) throws(Failure) -> PathExpression {
        var tokens = [first]
        while lexer.peek().kind == .separator {
            let separator = lexer.next()
            let segment = lexer.next()
            guard segment.kind == .identifier else {
                throw Failure(code: SyntaxCode.invalidExpression, message: "expected a name after '\(bytes.string(separator.range.range))'", range: UTF8Range(start: separator.range.start, end: segment.range.end))
            }
            tokens.append(separator)
            tokens.append(segment)
        }
        let start = data?.range.start ?? first.range.start
        let end = tokens.last!.range.end
        var original = data == nil ? "" : "@"
        var segments: [PathSegment] = []
        var parentDepth = 0
        var isThis = false
        for token in tokens {
            original += bytes.string(token.range.range)
            guard token.kind == .identifier else { continue }
            let special = !token.isBracketed && (token.text == ".." || token.text == "." || token.text == "this")
            if special {
                if !segments.isEmpty {
                    throw Failure(code: SyntaxCode.invalidExpression, message: "invalid path '\(bytes.string(start..<end))': '\(token.text)' must come first", range: UTF8Range(start: start, end: end))
                }
                if token.text == ".." { parentDepth += 1 } else { isThis = true }
            } else {
                segments.append(PathSegment(name: token.text, range: token.range, isBracketed: token.isBracketed))
            }
        }
        return PathExpression(range: UTF8Range(start: start, end: end), original: original, isData: data != nil, parentDepth: parentDepth, isThis: isThis, segments: segments)
    }
}

// MARK: Lexer

private struct Token {
    enum Kind {
        case openParen, closeParen, equals, identifier, separator, data, string, number, boolean, null, undefined
        case openBlockParameters, pipe, close, closeTriple, invalid, end
    }
    var kind: Kind
    var range: UTF8Range
    /// Identifier name (brackets removed), string value, number or keyword text.
    var text: String = ""
    var isBracketed = false
    /// `~` before a closing `}}`.
    var strip = false
}

/// Handlebars' `mu` lexer state, one token at a time.
private struct Lexer {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(bytes: [UInt8], position: Int, end: Int) {
        self.bytes = bytes
        self.position = position
        self.end = end
    }

    mutating func skipWhitespace() {
        while position < end {
            let length = bytes.javaScriptWhitespaceLength(at: position)
            if length == 0 { return }
            position += length
        }
    }

    /// `~?}}` at the current position (after whitespace), consumed.
    mutating func closeTag() -> (end: Int, strip: Bool)? {
        var scan = position
        var strip = false
        if scan < end && bytes[scan] == ASCII.tilde {
            strip = true
            scan += 1
        }
        guard bytes.matches("}}", at: scan) && scan + 2 <= end else { return nil }
        position = scan + 2
        return (scan + 2, strip)
    }

    func peek() -> Token {
        var copy = self
        return copy.next()
    }

    func peekSecond() -> Token {
        var copy = self
        _ = copy.next()
        return copy.next()
    }

    /// Characters that cannot appear in a Handlebars identifier.
    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        if byte >= 0x80 { return true }
        switch byte {
        case 0...0x20, 0x21, 0x22, 0x23, 0x25...0x2C, 0x2E, 0x2F, 0x3B...0x3E, 0x40, 0x5B...0x5E, 0x60, 0x7B...0x7E, 0x7F:
            return false
        default:
            return true
        }
    }

    /// `[=~}\s\/.)|]` or end of text.
    func isIdentifierLookahead(_ offset: Int) -> Bool {
        guard offset < end else { return true }
        let byte = bytes[offset]
        return byte == ASCII.equals || byte == ASCII.tilde || byte == ASCII.closeBrace || byte == ASCII.slash
            || byte == ASCII.dot || byte == ASCII.closeParen || byte == ASCII.pipe
            || bytes.javaScriptWhitespaceLength(at: offset) > 0
    }

    /// `[~}\s)]` or end of text.
    func isLiteralLookahead(_ offset: Int) -> Bool {
        guard offset < end else { return true }
        let byte = bytes[offset]
        return byte == ASCII.tilde || byte == ASCII.closeBrace || byte == ASCII.closeParen
            || bytes.javaScriptWhitespaceLength(at: offset) > 0
    }

    mutating func token(_ kind: Token.Kind, _ length: Int, text: String = "") -> Token {
        let token = Token(kind: kind, range: UTF8Range(start: position, end: position + length), text: text)
        position += length
        return token
    }

    mutating func next() -> Token {
        skipWhitespace()
        guard position < end else { return Token(kind: .end, range: .empty(at: end)) }
        let byte = bytes[position]
        switch byte {
        case ASCII.openParen: return token(.openParen, 1)
        case ASCII.closeParen: return token(.closeParen, 1)
        case ASCII.equals: return token(.equals, 1)
        case ASCII.at: return token(.data, 1)
        case ASCII.pipe: return token(.pipe, 1)
        case ASCII.closeBrace:
            // `}~}}` and `}}}` close triple mustaches; Handlebars tries them before `}}`.
            if bytes.matches("}~}}", at: position) && position + 4 <= end {
                var result = token(.closeTriple, 4)
                result.strip = true
                return result
            }
            if bytes.matches("}}}", at: position) && position + 3 <= end { return token(.closeTriple, 3) }
            if bytes.matches("}}", at: position) && position + 2 <= end { return token(.close, 2) }
            return token(.invalid, 1)
        case ASCII.tilde:
            if bytes.matches("~}}", at: position) && position + 3 <= end {
                var result = token(.close, 3)
                result.strip = true
                return result
            }
            return token(.invalid, 1)
        case ASCII.dot:
            if bytes.matches("..", at: position) && position + 2 <= end { return token(.identifier, 2, text: "..") }
            if isIdentifierLookahead(position + 1) { return token(.identifier, 1, text: ".") }
            return token(.separator, 1)
        case ASCII.slash:
            return token(.separator, 1)
        case ASCII.doubleQuote, ASCII.singleQuote:
            var scan = position + 1
            var value: [UInt8] = []
            while scan < end && bytes[scan] != byte {
                if bytes[scan] == ASCII.backslash && scan + 1 < end && bytes[scan + 1] == byte {
                    value.append(byte)
                    scan += 2
                    continue
                }
                value.append(bytes[scan])
                scan += 1
            }
            guard scan < end else { return token(.invalid, 1) }
            return token(.string, scan + 1 - position, text: String(decoding: value, as: UTF8.self))
        case ASCII.openBracket:
            var scan = position + 1
            while scan < end && bytes[scan] != ASCII.closeBracket {
                if bytes[scan] == ASCII.backslash && scan + 1 < end && bytes[scan + 1] == ASCII.closeBracket { scan += 1 }
                scan += 1
            }
            guard scan < end else { return token(.invalid, 1) }
            var nameBytes: [UInt8] = []
            var index = position + 1
            while index < scan {
                if bytes[index] == ASCII.backslash && index + 1 < scan && bytes[index + 1] == ASCII.closeBracket { index += 1 }
                nameBytes.append(bytes[index])
                index += 1
            }
            let name = String(decoding: nameBytes, as: UTF8.self)
            var result = token(.identifier, scan + 1 - position, text: name)
            result.isBracketed = true
            return result
        default:
            break
        }
        for (keyword, kind) in [("true", Token.Kind.boolean), ("false", .boolean), ("undefined", .undefined), ("null", .null)] {
            let length = keyword.utf8.count
            if position + length <= end && bytes[position..<position + length].elementsEqual(keyword.utf8) && isLiteralLookahead(position + length) {
                return token(kind, length, text: keyword)
            }
        }
        // `as |` opens block parameters.
        if bytes.matches("as", at: position) {
            var scan = position + 2
            var sawSpace = false
            while scan < end, bytes.javaScriptWhitespaceLength(at: scan) > 0 {
                scan += bytes.javaScriptWhitespaceLength(at: scan)
                sawSpace = true
            }
            if sawSpace && scan < end && bytes[scan] == ASCII.pipe { return token(.openBlockParameters, scan + 1 - position) }
        }
        // Numbers: -?[0-9]+(\.[0-9]+)? followed by a literal lookahead.
        var scan = position
        if scan < end && bytes[scan] == ASCII.minus { scan += 1 }
        let digitsStart = scan
        while scan < end && isDigit(bytes[scan]) { scan += 1 }
        if scan > digitsStart {
            if scan + 1 < end && bytes[scan] == ASCII.dot && isDigit(bytes[scan + 1]) {
                scan += 1
                while scan < end && isDigit(bytes[scan]) { scan += 1 }
            }
            if isLiteralLookahead(scan) { return token(.number, scan - position, text: bytes.string(position..<scan)) }
        }
        scan = position
        while scan < end && Self.isIdentifierByte(bytes[scan]) { scan += bytes.scalarLength(at: scan) }
        if scan > position {
            if isIdentifierLookahead(scan) { return token(.identifier, scan - position, text: bytes.string(position..<scan)) }
            return Token(kind: .invalid, range: UTF8Range(start: scan, end: scan + bytes.scalarLength(at: scan)))
        }
        return token(.invalid, bytes.scalarLength(at: position))
    }
}

extension String {
    func trimmingSuffix() -> String {
        var result = self
        while let last = result.last, last.isWhitespace || last == "}" { result.removeLast() }
        return result
    }
}

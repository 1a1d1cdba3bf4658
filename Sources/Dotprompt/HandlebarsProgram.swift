import PromptSyntax
import PromptText

// The PromptSyntax tree is lossless and flat; Handlebars evaluates a nested tree of programs whose text
// nodes have already been trimmed by its whitespace-control pass (`~` and standalone lines). This file
// builds that nested tree with the same shape Handlebars' parser produces (including how `{{else if}}`
// chains nest and which strip flags each level carries), then applies the pass exactly as
// `compiler/whitespace-control.js` does.

/// A run of literal text. `keptStart..<keptEnd` is what survives whitespace control (Handlebars' `value`);
/// the whole of `bytes` is the `original` the standalone tests look at.
final class ContentNode {
    let bytes: [UInt8]
    /// Where `bytes` starts in the template source (for the formatter's kept-range analysis).
    let sourceOffset: Int
    var keptStart: Int
    var keptEnd: Int
    var leftStripped = false
    var rightStripped = false

    init(bytes: [UInt8], sourceOffset: Int) {
        self.bytes = bytes
        self.sourceOffset = sourceOffset
        keptStart = 0
        keptEnd = bytes.count
    }

    var value: String { String(decoding: bytes[keptStart..<keptEnd], as: UTF8.self) }
    var keptRange: UTF8Range { UTF8Range(start: sourceOffset + keptStart, end: sourceOffset + keptEnd) }
}

/// A list of statements (Handlebars' `Program`).
final class ProgramNode {
    var body: [Statement]
    var blockParameters: [String]
    /// The inverse of a block whose `{{else}}` is `{{else helper ...}}`: its body is that one block.
    var chained: Bool

    init(body: [Statement], blockParameters: [String] = [], chained: Bool = false) {
        self.body = body
        self.blockParameters = blockParameters
        self.chained = chained
    }
}

/// `{{#helper}}...{{/helper}}`, a raw block, or a partial block `{{#> name}}...{{/name}}`.
final class BlockStatement {
    enum Kind { case helper, raw, partialBlock }
    let kind: Kind
    let call: Call
    var program: ProgramNode?
    var inverse: ProgramNode?
    let openStrip: WhitespaceStrip
    var inverseStrip: WhitespaceStrip
    var closeStrip: WhitespaceStrip
    /// The opening tag, for diagnostics.
    let range: UTF8Range

    init(
        kind: Kind, call: Call, program: ProgramNode?, inverse: ProgramNode?, openStrip: WhitespaceStrip,
        inverseStrip: WhitespaceStrip, closeStrip: WhitespaceStrip, range: UTF8Range
    ) {
        self.kind = kind
        self.call = call
        self.program = program
        self.inverse = inverse
        self.openStrip = openStrip
        self.inverseStrip = inverseStrip
        self.closeStrip = closeStrip
        self.range = range
    }
}

/// `{{> name context key=value}}`. `indent` is set when the tag stands alone on its line.
final class PartialStatement {
    let node: PartialNode
    let range: UTF8Range
    var indent = ""

    init(node: PartialNode, range: UTF8Range) {
        self.node = node
        self.range = range
    }
}

enum Statement {
    case content(ContentNode)
    case comment(WhitespaceStrip)
    case mustache(MustacheNode, UTF8Range)
    case block(BlockStatement)
    case partial(PartialStatement)
    /// Decorators and unparsable tags: no output, no whitespace effect.
    case unsupported(UTF8Range, String)
}

/// A template ready to evaluate: its source bytes (literal expressions and diagnostics refer to them)
/// and its root program after whitespace control.
struct CompiledTemplate {
    let bytes: [UInt8]
    let root: ProgramNode
    /// Set when blocks nest deeper than `maximumBlockNesting`: the program is then empty.
    var tooDeep: UTF8Range? = nil
}

/// Compiling and evaluating recurse once per block level; deeper templates are reported instead of
/// risking the stack (the parser accepts any depth; real prompts nest a handful of levels).
let maximumBlockNesting = 48

/// The deepest block nesting of `template` and the node where it occurs (nodes are stored parents first).
private func deepestBlock(_ template: Template) -> (depth: Int, range: UTF8Range) {
    var depths = [Int](repeating: 0, count: template.nodes.count)
    var deepest = (depth: 0, range: UTF8Range.empty(at: template.range.start))
    for (index, node) in template.nodes.enumerated() {
        depths[index] = node.parent.map { depths[$0.index] + 1 } ?? 0
        if depths[index] > deepest.depth { deepest = (depths[index], node.range) }
    }
    return deepest
}

/// Builds the Handlebars program tree of `template` (whose ranges index `bytes`) and applies whitespace
/// control.
func compileTemplate(_ template: Template, bytes: [UInt8]) -> CompiledTemplate {
    let deepest = deepestBlock(template)
    if deepest.depth > maximumBlockNesting {
        return CompiledTemplate(bytes: bytes, root: ProgramNode(body: []), tooDeep: deepest.range)
    }
    let builder = ProgramBuilder(template: template, bytes: bytes)
    let root = ProgramNode(body: builder.statements(template.rootNodes))
    var control = WhitespaceControl()
    control.program(root)
    return CompiledTemplate(bytes: bytes, root: root)
}

private struct ProgramBuilder {
    let template: Template
    let bytes: [UInt8]

    func statements(_ ids: [TemplateNodeID]) -> [Statement] {
        var out: [Statement] = []
        for id in ids { append(id, to: &out) }
        return out
    }

    func content(_ range: UTF8Range) -> Statement? {
        guard !range.isEmpty else { return nil }
        return .content(ContentNode(bytes: Array(bytes[range.start..<range.end]), sourceOffset: range.start))
    }

    func append(_ id: TemplateNodeID, to out: inout [Statement]) {
        let node = template[id]
        switch node.content {
        case .text(let text):
            guard let removed = text.removedBackslash else {
                if let statement = content(node.range) { out.append(statement) }
                return
            }
            if removed.end == node.range.end {
                // `\\{{x}}`: the text loses its last backslash and the mustache is live.
                if let statement = content(UTF8Range(start: node.range.start, end: removed.start)) {
                    out.append(statement)
                }
            } else {
                // `\{{x}}`: Handlebars' lexer emits the text before the backslash and the escaped text as
                // two separate content nodes, which matters for the standalone tests.
                if let statement = content(UTF8Range(start: node.range.start, end: removed.start)) {
                    out.append(statement)
                }
                if let statement = content(UTF8Range(start: removed.end, end: node.range.end)) {
                    out.append(statement)
                }
            }
        case .comment(let comment):
            out.append(.comment(comment.strip))
        case .mustache(let mustache):
            out.append(.mustache(mustache, node.range))
        case .partial(let partial):
            out.append(.partial(PartialStatement(node: partial, range: node.range)))
        case .rawBlock(let raw):
            let body = content(raw.contentRange).map { [$0] } ?? []
            out.append(
                .block(
                    BlockStatement(
                        kind: .raw, call: raw.call, program: ProgramNode(body: body), inverse: nil,
                        openStrip: .init(),
                        inverseStrip: .init(), closeStrip: .init(), range: raw.openRange)))
        case .block(let block):
            switch block.kind {
            case .decorator:
                out.append(.unsupported(block.open.range, "decorator blocks are not supported by Dotprompt"))
            case .partialBlock:
                out.append(
                    .block(
                        BlockStatement(
                            kind: .partialBlock, call: block.open.call,
                            program: ProgramNode(body: statements(block.body)), inverse: nil,
                            openStrip: block.open.strip,
                            inverseStrip: .init(), closeStrip: block.close?.strip ?? .init(),
                            range: block.open.range)))
            case .normal, .inverted:
                out.append(.block(helperBlock(block)))
            }
        case .invalid(let invalid):
            out.append(.unsupported(node.range, invalid.code))
        }
    }

    /// A block with its else branches nested the way Handlebars' grammar nests them: `{{else if b}}`
    /// opens an inner block inside a chained inverse program; each chained block's close strip is the
    /// real closing tag's for the first one and, as `prepareBlock` leaves it, its own tag's for later ones.
    func helperBlock(_ block: BlockNode) -> BlockStatement {
        let program = ProgramNode(
            body: statements(block.body), blockParameters: block.open.blockParameters.map(\.name))
        let branches = block.elseBranches
        let closeStrip = block.close?.strip ?? WhitespaceStrip()

        // The inverse program that starts at branch `index`, or nil past the end.
        func inverse(from index: Int) -> ProgramNode? {
            guard index < branches.count else { return nil }
            let branch = branches[index]
            let body = ProgramNode(
                body: statements(branch.body), blockParameters: branch.blockParameters.map(\.name))
            guard branch.form == .chained, let call = branch.call else { return body }
            let next = index + 1 < branches.count ? branches[index + 1] : nil
            let inner = BlockStatement(
                kind: .helper, call: call, program: body, inverse: inverse(from: index + 1),
                openStrip: branch.strip,
                inverseStrip: next?.strip ?? WhitespaceStrip(),
                closeStrip: index == 0 ? closeStrip : branch.strip, range: branch.tagRange)
            return ProgramNode(body: [.block(inner)], chained: true)
        }

        var main: ProgramNode? = program
        var alternative = inverse(from: 0)
        if block.kind == .inverted { swap(&main, &alternative) }
        return BlockStatement(
            kind: .helper, call: block.open.call, program: main, inverse: alternative,
            openStrip: block.open.strip,
            inverseStrip: branches.first?.strip ?? WhitespaceStrip(), closeStrip: closeStrip,
            range: block.open.range)
    }
}

// MARK: - Whitespace control

private struct StripResult {
    var open = false
    var close = false
    var openStandalone = false
    var closeStandalone = false
    var inlineStandalone = false
}

private struct WhitespaceControl {
    var isRootSeen = false

    mutating func program(_ program: ProgramNode) {
        let isRoot = !isRootSeen
        isRootSeen = true
        let body = program.body
        for index in body.indices {
            guard let strip = accept(body[index]) else { continue }
            let previousIsWhitespace = isPreviousWhitespace(body, index, isRoot: isRoot)
            let nextIsWhitespace = isNextWhitespace(body, index, isRoot: isRoot)
            let openStandalone = strip.openStandalone && previousIsWhitespace
            let closeStandalone = strip.closeStandalone && nextIsWhitespace
            let inlineStandalone = strip.inlineStandalone && previousIsWhitespace && nextIsWhitespace

            if strip.close { omitRight(body, index, multiple: true) }
            if strip.open { omitLeft(body, index, multiple: true) }
            if inlineStandalone {
                omitRight(body, index)
                if omitLeft(body, index), case .partial(let partial) = body[index],
                    case .content(let previous) = body[index - 1]
                {
                    // The partial's output is indented like the tag was.
                    var start = previous.bytes.count
                    while start > 0
                        && (previous.bytes[start - 1] == 0x20 || previous.bytes[start - 1] == 0x09)
                    { start -= 1 }
                    partial.indent = String(decoding: previous.bytes[start...], as: UTF8.self)
                }
            }
            if openStandalone, case .block(let block) = body[index],
                let inner = block.program ?? block.inverse
            {
                omitRight(inner.body, nil)
                omitLeft(body, index)
            }
            if closeStandalone, case .block(let block) = body[index] {
                omitRight(body, index)
                if let inner = block.inverse ?? block.program { omitLeft(inner.body, nil) }
            }
        }
    }

    mutating func accept(_ statement: Statement) -> StripResult? {
        switch statement {
        case .content, .unsupported: return nil
        case .mustache(let mustache, _):
            return StripResult(open: mustache.strip.before, close: mustache.strip.after)
        case .comment(let strip):
            return StripResult(open: strip.before, close: strip.after, inlineStandalone: true)
        case .partial(let partial):
            return StripResult(
                open: partial.node.strip.before, close: partial.node.strip.after, inlineStandalone: true)
        case .block(let block): return self.block(block)
        }
    }

    mutating func block(_ block: BlockStatement) -> StripResult? {
        if let program = block.program { self.program(program) }
        if let inverse = block.inverse { self.program(inverse) }
        guard let program = block.program ?? block.inverse else { return nil }
        let inverse = block.program != nil ? block.inverse : nil
        var firstInverse = inverse
        var lastInverse = inverse
        if let chainedInverse = inverse, chainedInverse.chained {
            firstInverse = chainedProgram(chainedInverse.body.first)
            // As Handlebars walks it: the last chained block's *program*, not its final else.
            var walk: ProgramNode? = chainedInverse
            while let current = walk, current.chained { walk = chainedProgram(current.body.last) }
            lastInverse = walk
        }
        let strip = StripResult(
            open: block.openStrip.before, close: block.closeStrip.after,
            openStandalone: isNextWhitespace(program.body, nil, isRoot: false),
            closeStandalone: isPreviousWhitespace((firstInverse ?? program).body, nil, isRoot: false))
        if block.openStrip.after { omitRight(program.body, nil, multiple: true) }
        if let firstInverse {
            if block.inverseStrip.before { omitLeft(program.body, nil, multiple: true) }
            if block.inverseStrip.after { omitRight(firstInverse.body, nil, multiple: true) }
            if block.closeStrip.before, let lastInverse { omitLeft(lastInverse.body, nil, multiple: true) }
            // A standalone `{{else}}`.
            if isPreviousWhitespace(program.body, nil, isRoot: false)
                && isNextWhitespace(firstInverse.body, nil, isRoot: false)
            {
                omitLeft(program.body, nil)
                omitRight(firstInverse.body, nil)
            }
        } else if block.closeStrip.before {
            omitLeft(program.body, nil, multiple: true)
        }
        return strip
    }

    func chainedProgram(_ statement: Statement?) -> ProgramNode? {
        if case .block(let block)? = statement { return block.program }
        return nil
    }
}

/// `isPrevWhitespace`: the text before `index` ends with a line break followed only by whitespace (or,
/// for the first node of the root, is all whitespace). `index == nil` means "after the last node".
private func isPreviousWhitespace(_ body: [Statement], _ index: Int?, isRoot: Bool) -> Bool {
    let position = index ?? body.count
    guard position - 1 >= 0 else { return isRoot }
    guard case .content(let previous) = body[position - 1] else { return false }
    let hasSibling = position - 2 >= 0
    let run = trailingWhitespace(previous.bytes, from: 0, to: previous.bytes.count)
    if run.containsLineFeed { return true }
    return !hasSibling && isRoot && run.length == previous.bytes.count
}

/// `isNextWhitespace`: the text after `index` starts with whitespace up to a line break (or, for the
/// last node of the root, is all whitespace). `index == nil` means "before the first node".
private func isNextWhitespace(_ body: [Statement], _ index: Int?, isRoot: Bool) -> Bool {
    let position = (index ?? -1) + 1
    guard position < body.count else { return isRoot }
    guard case .content(let next) = body[position] else { return false }
    let hasSibling = position + 1 < body.count
    let run = leadingWhitespace(next.bytes, from: 0, to: next.bytes.count)
    if run.containsLineFeed { return true }
    return !hasSibling && isRoot && run.length == next.bytes.count
}

/// `omitRight`: trims the start of the text after `index` (`nil`: the first node): all whitespace when
/// `multiple`, otherwise spaces and tabs up to and including one line break.
private func omitRight(_ body: [Statement], _ index: Int?, multiple: Bool = false) {
    let position = index.map { $0 + 1 } ?? 0
    guard position < body.count, case .content(let node) = body[position] else { return }
    if !multiple && node.rightStripped { return }
    let before = node.keptStart
    if multiple {
        node.keptStart += leadingWhitespace(node.bytes, from: node.keptStart, to: node.keptEnd).length
    } else {
        var scan = node.keptStart
        while scan < node.keptEnd && (node.bytes[scan] == 0x20 || node.bytes[scan] == 0x09) { scan += 1 }
        if scan < node.keptEnd && node.bytes[scan] == 0x0D { scan += 1 }
        if scan < node.keptEnd && node.bytes[scan] == 0x0A { scan += 1 }
        node.keptStart = scan
    }
    node.rightStripped = node.keptStart != before
}

/// `omitLeft`: trims the end of the text before `index` (`nil`: the last node): all whitespace when
/// `multiple`, otherwise trailing spaces and tabs. Returns whether it removed anything.
@discardableResult
private func omitLeft(_ body: [Statement], _ index: Int?, multiple: Bool = false) -> Bool {
    let position = index.map { $0 - 1 } ?? body.count - 1
    guard position >= 0, position < body.count, case .content(let node) = body[position] else { return false }
    if !multiple && node.leftStripped { return false }
    let before = node.keptEnd
    if multiple {
        node.keptEnd -= trailingWhitespace(node.bytes, from: node.keptStart, to: node.keptEnd).length
    } else {
        while node.keptEnd > node.keptStart
            && (node.bytes[node.keptEnd - 1] == 0x20 || node.bytes[node.keptEnd - 1] == 0x09)
        {
            node.keptEnd -= 1
        }
    }
    node.leftStripped = node.keptEnd != before
    return node.leftStripped
}

// MARK: - JavaScript whitespace (`\s`)

struct WhitespaceRun {
    var length: Int
    var containsLineFeed: Bool
}

/// Whether `scalar` matches JavaScript's `\s`.
func isJavaScriptWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
        return true
    default: return false
    }
}

/// The byte length of the UTF-8 scalar starting at `index`, if it is JavaScript whitespace.
private func whitespaceLength(_ bytes: [UInt8], at index: Int, end: Int) -> Int {
    let lead = bytes[index]
    if lead < 0x80 { return (0x09...0x0D).contains(lead) || lead == 0x20 ? 1 : 0 }
    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    guard index + length <= end else { return 0 }
    let text = String(decoding: bytes[index..<index + length], as: UTF8.self)
    guard let scalar = text.unicodeScalars.first, text.unicodeScalars.count == 1 else { return 0 }
    return isJavaScriptWhitespace(scalar) ? length : 0
}

func leadingWhitespace(_ bytes: [UInt8], from start: Int, to end: Int) -> WhitespaceRun {
    var scan = start
    var lineFeed = false
    while scan < end {
        let length = whitespaceLength(bytes, at: scan, end: end)
        if length == 0 { break }
        if bytes[scan] == 0x0A { lineFeed = true }
        scan += length
    }
    return WhitespaceRun(length: scan - start, containsLineFeed: lineFeed)
}

func trailingWhitespace(_ bytes: [UInt8], from start: Int, to end: Int) -> WhitespaceRun {
    var scan = end
    var lineFeed = false
    while scan > start {
        // Step back to the start of the previous scalar.
        var lead = scan - 1
        while lead > start && bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        let length = whitespaceLength(bytes, at: lead, end: scan)
        if length != scan - lead { break }
        if bytes[lead] == 0x0A { lineFeed = true }
        scan = lead
    }
    return WhitespaceRun(length: end - scan, containsLineFeed: lineFeed)
}

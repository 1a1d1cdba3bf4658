/// A small backtracking regular-expression engine for pre-tokenizer split patterns, over UTF-8
/// bytes, with the semantics of the two engines those patterns are written for: Oniguruma (what
/// Hugging Face `tokenizers` compiles `Split` patterns with) and fancy-regex (tiktoken).
///
/// Supported: literals and escapes (`\n \r \t \f \v \e \0 \xHH \x{H…} \uHHHH`, escaped
/// punctuation), `.`, classes (`[…]`, `[^…]`, ranges, nested escapes), `\s \S \d \D \w \W`,
/// `\p{…}`/`\P{…}`/`\pL` with general categories, alternation, groups (`(…)`, `(?:…)`, `(?i:…)`,
/// `(?i)`, `(?-i)`, atomic `(?>…)`), lookahead `(?=…)`/`(?!…)`, quantifiers `? * + {n} {n,}
/// {n,m}` with lazy (`?`) and possessive (`+`) forms, anchors `^ $ \A \z \Z \b \B`. Anything else
/// (lookbehind, back-references, POSIX brackets, class set operations) is a `RegexSyntaxError`,
/// never a silent approximation.
///
/// Matching is leftmost-first with backtracking, which is what both engines compute for these
/// patterns. Invalid UTF-8 is read one byte at a time as a character outside every class.
package struct SplitRegex: Sendable {
    /// What differs between the two reference engines.
    package enum Dialect: Sendable {
        /// Oniguruma with Ruby syntax (Hugging Face `tokenizers`): `^` and `$` match at line
        /// boundaries, `\Z` before a final newline.
        case oniguruma
        /// fancy-regex / Rust `regex` (tiktoken): `^` and `$` match at the ends of the text only.
        case fancyRegex
    }

    let program: RegexProgram
    /// The pattern as given.
    package let source: String
    package let dialect: Dialect

    /// Compiles `pattern`; throws for syntax the engine does not implement.
    package init(_ pattern: String, dialect: Dialect) throws(RegexSyntaxError) {
        var parser = RegexParser(pattern: pattern, dialect: dialect)
        program = try parser.parse()
        source = pattern
        self.dialect = dialect
    }

    /// The leftmost match starting at or after `from` in `text` (whose ends are the ends the
    /// anchors and lookarounds see), or nil.
    package func firstMatch(in text: UnsafeBufferPointer<UInt8>, from: Int) -> Range<Int>? {
        program.withMatcher(text) { matcher in
            var start = from
            while start <= text.count {
                if matcher.canStart(at: start), let end = matcher.matchRoot(at: start) { return start..<end }
                if start == text.count { break }
                start += matcher.characterLength(at: start)
            }
            return nil
        }
    }

    /// Every non-overlapping match, leftmost first, as `find_iter` reports them (an empty match
    /// moves the search on by one character).
    package func matches(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        program.withMatcher(text) { matcher in
            var start = 0
            var lastEnd = -1
            while start <= text.count {
                var found: Range<Int>?
                var s = start
                while s <= text.count {
                    if matcher.canStart(at: s), let end = matcher.matchRoot(at: s) {
                        found = s..<end
                        break
                    }
                    if s == text.count { break }
                    s += matcher.characterLength(at: s)
                }
                guard let match = found else { return }
                if match.isEmpty {
                    if match.lowerBound != lastEnd { body(match) }
                    if match.lowerBound == text.count { return }
                    start = match.lowerBound + matcher.characterLength(at: match.lowerBound)
                } else {
                    body(match)
                    start = match.upperBound
                }
                lastEnd = match.upperBound
            }
        }
    }
}

/// Why a pattern cannot be compiled, with the character offset where parsing stopped.
package struct RegexSyntaxError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var offset: Int
    package var description: String { "\(message) at character \(offset) of the pattern" }
}

// MARK: - Program

/// A compiled pattern: nodes linked by `next` (-1 ends a sequence), character sets, and the flat
/// list of each group's alternatives.
struct RegexProgram: Sendable {
    enum Kind: UInt8 {
        /// One character of `set`, repeated `min...max` times.
        case set
        /// Alternatives `alternatives[first..<first + count]`, repeated `min...max` times.
        case group
        case lookahead
        case negativeLookahead
        case textStart, textEnd, textEndBeforeNewline, lineStart, lineEnd, wordBoundary, notWordBoundary
    }

    enum Mode: UInt8 { case greedy, lazy, possessive }

    struct Node {
        var kind: Kind
        var mode: Mode = .greedy
        var min: Int32 = 1
        var max: Int32 = 1
        /// Index in `sets` (kind `set`) or the first alternative in `alternatives` (groups).
        var operand: Int32 = 0
        var alternativeCount: Int32 = 0
        var next: Int32 = -1
    }

    struct SetItem {
        var low: UInt32
        var high: UInt32
        var categories: UInt32
        var whiteSpace: Bool
        var negated: Bool
    }

    struct CharSet {
        /// Membership of each ASCII character (final: negation applied).
        var ascii: (UInt64, UInt64)
        var firstItem: Int32
        var itemCount: Int32
        var negated: Bool
    }

    var nodes: [Node] = []
    var sets: [CharSet] = []
    var items: [SetItem] = []
    var alternatives: [Int32] = []
    /// The root alternation (a group node matched once).
    var root: Int32 = 0
    /// Characters a match can start with (nil: any, including an empty match).
    var firstSet: Int32 = -1

    func withMatcher<Result>(_ text: UnsafeBufferPointer<UInt8>, _ body: (inout RegexMatcher) -> Result) -> Result {
        nodes.withUnsafeBufferPointer { nodes in
            sets.withUnsafeBufferPointer { sets in
                items.withUnsafeBufferPointer { items in
                    alternatives.withUnsafeBufferPointer { alternatives in
                        let categories = ScalarCategories.table
                        return categories.withUnsafeBufferPointer { categories in
                            var matcher = RegexMatcher(
                                nodes: nodes, sets: sets, items: items, alternatives: alternatives,
                                categories: categories, text: text, root: root, firstSet: firstSet)
                            return body(&matcher)
                        }
                    }
                }
            }
        }
    }
}

// MARK: - Matcher

struct RegexMatcher {
    let nodes: UnsafeBufferPointer<RegexProgram.Node>
    let sets: UnsafeBufferPointer<RegexProgram.CharSet>
    let items: UnsafeBufferPointer<RegexProgram.SetItem>
    let alternatives: UnsafeBufferPointer<Int32>
    let categories: UnsafeBufferPointer<UInt8>
    let base: UnsafePointer<UInt8>
    let count: Int
    let root: Int32
    let firstSet: Int32

    init(
        nodes: UnsafeBufferPointer<RegexProgram.Node>, sets: UnsafeBufferPointer<RegexProgram.CharSet>,
        items: UnsafeBufferPointer<RegexProgram.SetItem>, alternatives: UnsafeBufferPointer<Int32>,
        categories: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>, root: Int32, firstSet: Int32
    ) {
        self.nodes = nodes
        self.sets = sets
        self.items = items
        self.alternatives = alternatives
        self.categories = categories
        base = text.baseAddress ?? UnsafePointer(bitPattern: 1)!
        count = text.count
        self.root = root
        self.firstSet = firstSet
    }

    /// The scalar and UTF-8 length of the character at `i` (`i < count`); an invalid byte is
    /// returned as the value 0x110000 (outside every class), length 1.
    @inline(__always) func character(at i: Int) -> (value: UInt32, length: Int) {
        let lead = base[i]
        if lead < 0x80 { return (UInt32(lead), 1) }
        guard let (scalar, length) = UTF8Sequence.decode(base + i, available: count - i) else { return (0x110000, 1) }
        return (scalar, length)
    }

    @inline(__always) func characterLength(at i: Int) -> Int {
        i < count ? character(at: i).length : 1
    }

    /// The start of the character that ends at `i` (`i > 0`), consistent with `character(at:)`.
    @inline(__always) func characterStart(before i: Int) -> Int {
        if base[i - 1] < 0x80 { return i - 1 }
        var lead = i - 1
        while lead > 0 && i - lead < 4 && base[lead] & 0xC0 == 0x80 { lead -= 1 }
        if lead < i - 1, let (_, length) = UTF8Sequence.decode(base + lead, available: count - lead), lead + length == i {
            return lead
        }
        return i - 1
    }

    @inline(__always) func contains(_ setIndex: Int32, _ value: UInt32) -> Bool {
        let set = sets[Int(setIndex)]
        if value < 64 { return set.ascii.0 >> UInt64(value) & 1 != 0 }
        if value < 128 { return set.ascii.1 >> UInt64(value - 64) & 1 != 0 }
        let category: UInt32 = value < 0x110000 ? UInt32(categories[Int(value)]) : 31
        var found = false
        var k = Int(set.firstItem)
        let end = k + Int(set.itemCount)
        while k < end {
            let item = items[k]
            var hit = (value >= item.low && value <= item.high) || item.categories >> category & 1 != 0
            if item.whiteSpace && !hit { hit = value < 0x110000 && ScalarCategories.isWhiteSpace(value) }
            if hit != item.negated {
                found = true
                break
            }
            k += 1
        }
        return found != set.negated
    }

    @inline(__always) func canStart(at i: Int) -> Bool {
        guard firstSet >= 0 else { return true }
        return i < count && contains(firstSet, character(at: i).value)
    }

    func matchRoot(at i: Int) -> Int? {
        matchSequence(root, i) { $0 }
    }

    private func isWord(_ value: UInt32) -> Bool {
        if value < 128 {
            let byte = UInt8(value)
            return byte == UInt8(ascii: "_") || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
        }
        guard value < 0x110000 else { return false }
        let category = categories[Int(value)]
        return category <= ScalarCategories.enclosingMark || category == ScalarCategories.decimalNumber
            || category == ScalarCategories.connectorPunctuation
    }

    private func wordBefore(_ i: Int) -> Bool { i > 0 && isWord(character(at: characterStart(before: i)).value) }
    private func wordAt(_ i: Int) -> Bool { i < count && isWord(character(at: i).value) }

    /// Matches the sequence starting at node `index` from `position`, then the continuation.
    func matchSequence(_ index: Int32, _ position: Int, _ continuation: (Int) -> Int?) -> Int? {
        if index < 0 { return continuation(position) }
        let node = nodes[Int(index)]
        switch node.kind {
        case .set:
            return matchSet(node, position, continuation)
        case .group:
            return matchGroup(node, position, iteration: 0, continuation)
        case .lookahead, .negativeLookahead:
            var found = false
            let first = Int(node.operand)
            for k in first..<first + Int(node.alternativeCount) where matchSequence(alternatives[k], position, { $0 }) != nil {
                found = true
                break
            }
            guard found == (node.kind == .lookahead) else { return nil }
            return matchSequence(node.next, position, continuation)
        case .textStart:
            return position == 0 ? matchSequence(node.next, position, continuation) : nil
        case .textEnd:
            return position == count ? matchSequence(node.next, position, continuation) : nil
        case .textEndBeforeNewline:
            let ok = position == count || (position == count - 1 && base[position] == 0x0A)
            return ok ? matchSequence(node.next, position, continuation) : nil
        case .lineStart:
            let ok = position == 0 || base[position - 1] == 0x0A
            return ok ? matchSequence(node.next, position, continuation) : nil
        case .lineEnd:
            let ok = position == count || base[position] == 0x0A
            return ok ? matchSequence(node.next, position, continuation) : nil
        case .wordBoundary, .notWordBoundary:
            let boundary = wordBefore(position) != wordAt(position)
            return boundary == (node.kind == .wordBoundary) ? matchSequence(node.next, position, continuation) : nil
        }
    }

    @inline(__always) private func matchSet(_ node: RegexProgram.Node, _ position: Int, _ continuation: (Int) -> Int?)
        -> Int?
    {
        let minimum = Int(node.min)
        let maximum = Int(node.max)
        if node.mode == .lazy {
            var p = position
            var n = 0
            while true {
                if n >= minimum, let result = matchSequence(node.next, p, continuation) { return result }
                guard n < maximum, p < count else { return nil }
                let (value, length) = character(at: p)
                guard contains(node.operand, value) else { return nil }
                p += length
                n += 1
            }
        }
        var p = position
        var n = 0
        while n < maximum && p < count {
            let (value, length) = character(at: p)
            guard contains(node.operand, value) else { break }
            p += length
            n += 1
        }
        if n < minimum { return nil }
        if node.mode == .possessive { return matchSequence(node.next, p, continuation) }
        while true {
            if let result = matchSequence(node.next, p, continuation) { return result }
            if n == minimum { return nil }
            p = characterStart(before: p)
            n -= 1
        }
    }

    private func matchGroup(
        _ node: RegexProgram.Node, _ position: Int, iteration: Int, _ continuation: (Int) -> Int?
    ) -> Int? {
        let first = Int(node.operand)
        let alternativesRange = first..<first + Int(node.alternativeCount)
        let minimum = Int(node.min)
        let maximum = Int(node.max)
        if node.mode == .possessive {
            // Atomic: each iteration keeps its first match; no backtracking into the group.
            var p = position
            var n = 0
            while n < maximum {
                var end: Int?
                for k in alternativesRange {
                    if let e = matchSequence(alternatives[k], p, { $0 }) {
                        end = e
                        break
                    }
                }
                guard let e = end, !(e == p && n >= minimum) else { break }
                p = e
                n += 1
            }
            return n >= minimum ? matchSequence(node.next, p, continuation) : nil
        }
        func more(_ limitReached: Bool) -> Int? {
            guard !limitReached else { return nil }
            for k in alternativesRange {
                let result = matchSequence(alternatives[k], position) { end in
                    // An empty iteration past the minimum cannot make progress: stop looping.
                    if end == position && iteration >= minimum { return nil }
                    return matchGroup(node, end, iteration: iteration + 1, continuation)
                }
                if let result { return result }
            }
            return nil
        }
        if node.mode == .lazy {
            if iteration >= minimum, let result = matchSequence(node.next, position, continuation) { return result }
            return more(iteration >= maximum)
        }
        if let result = more(iteration >= maximum) { return result }
        return iteration >= minimum ? matchSequence(node.next, position, continuation) : nil
    }
}

// MARK: - Parser

private struct RegexParser {
    let scalars: [Unicode.Scalar]
    let dialect: SplitRegex.Dialect
    var offset = 0
    var program = RegexProgram()
    var caseInsensitive = false

    init(pattern: String, dialect: SplitRegex.Dialect) {
        scalars = Array(pattern.unicodeScalars)
        self.dialect = dialect
    }

    func failure(_ message: String) -> RegexSyntaxError { RegexSyntaxError(message: message, offset: offset) }

    var atEnd: Bool { offset >= scalars.count }
    func peek(_ k: Int = 0) -> Unicode.Scalar? { offset + k < scalars.count ? scalars[offset + k] : nil }

    mutating func parse() throws(RegexSyntaxError) -> RegexProgram {
        let first = try parseAlternatives()
        if !atEnd { throw failure("unbalanced ')'") }
        var root = RegexProgram.Node(kind: .group)
        root.operand = first.start
        root.alternativeCount = first.count
        program.nodes.append(root)
        program.root = Int32(program.nodes.count - 1)
        program.firstSet = firstSet()
        return program
    }

    /// Parses `a|b|…` up to `)` or the end; returns the alternatives' range in `alternatives`.
    mutating func parseAlternatives() throws(RegexSyntaxError) -> (start: Int32, count: Int32) {
        let savedFlags = caseInsensitive
        defer { caseInsensitive = savedFlags }
        var heads: [Int32] = []
        while true {
            heads.append(try parseSequence())
            if peek() == "|" {
                offset += 1
                continue
            }
            break
        }
        let start = Int32(program.alternatives.count)
        program.alternatives.append(contentsOf: heads)
        return (start, Int32(heads.count))
    }

    /// Parses one alternative; returns its first node (-1 when empty).
    mutating func parseSequence() throws(RegexSyntaxError) -> Int32 {
        var nodeIndices: [Int32] = []
        while let c = peek(), c != "|", c != ")" {
            guard var node = try parseAtom() else { continue }
            try parseQuantifier(&node)
            program.nodes.append(node)
            nodeIndices.append(Int32(program.nodes.count - 1))
        }
        for k in 0..<max(0, nodeIndices.count - 1) { program.nodes[Int(nodeIndices[k])].next = nodeIndices[k + 1] }
        return nodeIndices.first ?? -1
    }

    mutating func parseQuantifier(_ node: inout RegexProgram.Node) throws(RegexSyntaxError) {
        guard let c = peek() else { return }
        var minimum: Int32
        var maximum: Int32
        switch c {
        case "?": (minimum, maximum) = (0, 1)
        case "*": (minimum, maximum) = (0, Int32.max)
        case "+": (minimum, maximum) = (1, Int32.max)
        case "{":
            guard let bounds = try parseBraces() else { return }
            (minimum, maximum) = bounds
            offset -= 1
        default: return
        }
        offset += 1
        switch node.kind {
        case .set, .group: break
        default: throw failure("quantifier after an assertion")
        }
        if node.min != 1 || node.max != 1 {
            // `(?:x{2}){3}`-style nesting is written as a group; a bare `x??`/`x*+` is a mode below.
            throw failure("nested quantifier")
        }
        node.min = minimum
        node.max = maximum
        if peek() == "?" {
            node.mode = .lazy
            offset += 1
        } else if peek() == "+" {
            node.mode = .possessive
            offset += 1
        }
    }

    /// `{n}`, `{n,}`, `{n,m}` (with `{` at `offset`); leaves `offset` just past `}`. A brace that
    /// does not start a valid quantifier is a literal in both engines: nil then.
    mutating func parseBraces() throws(RegexSyntaxError) -> (Int32, Int32)? {
        var k = offset + 1
        func number() -> Int32? {
            var value: Int32 = 0
            var digits = 0
            while k < scalars.count, scalars[k].isASCII, let d = Int32(String(scalars[k])) {
                value = value * 10 + d
                digits += 1
                k += 1
                if value > 100_000 { return nil }
            }
            return digits > 0 ? value : nil
        }
        let low = number()
        var high = low
        if k < scalars.count && scalars[k] == "," {
            k += 1
            high = number() ?? Int32.max
            if low == nil { return nil }
        }
        guard let low, let high, k < scalars.count, scalars[k] == "}" else { return nil }
        if high < low { throw failure("quantifier range out of order") }
        offset = k + 1
        return (low, high)
    }

    mutating func parseAtom() throws(RegexSyntaxError) -> RegexProgram.Node? {
        let c = scalars[offset]
        offset += 1
        switch c {
        case "(":
            return try parseGroup()
        case "[":
            return setNode(try parseClass())
        case ".":
            var items = [item(0x0A, 0x0A)]
            items[0].negated = false
            return setNode(makeSet(items: items, negated: true))
        case "^":
            return RegexProgram.Node(kind: dialect == .oniguruma ? .lineStart : .textStart)
        case "$":
            return RegexProgram.Node(kind: dialect == .oniguruma ? .lineEnd : .textEnd)
        case "\\":
            return try parseEscape()
        case "*", "+", "?":
            throw failure("quantifier without anything to repeat")
        case "{":
            offset -= 1
            if try parseBraces() != nil { throw failure("quantifier without anything to repeat") }
            offset += 1
            return setNode(literalSet(c.value))
        default:
            return setNode(literalSet(c.value))
        }
    }

    mutating func parseGroup() throws(RegexSyntaxError) -> RegexProgram.Node? {
        var kind = RegexProgram.Kind.group
        var mode = RegexProgram.Mode.greedy
        let savedFlags = caseInsensitive
        if peek() == "?" {
            offset += 1
            switch peek() {
            case ":": offset += 1
            case "=":
                offset += 1
                kind = .lookahead
            case "!":
                offset += 1
                kind = .negativeLookahead
            case ">":
                offset += 1
                mode = .possessive
            case "<":
                if peek(1) == "=" || peek(1) == "!" { throw failure("lookbehind is not supported") }
                // A named group: skip the name.
                while let n = peek(), n != ">" { offset += 1 }
                if atEnd { throw failure("unterminated group name") }
                offset += 1
            default:
                // Flags: (?i) (?-i) (?i:…) (?i-s:…)
                var on = true
                var flag = caseInsensitive
                while let f = peek(), f != ")" && f != ":" {
                    switch f {
                    case "-": on = false
                    case "i": flag = on
                    case "m", "s", "x", "u", "U": throw failure("flag '\(f)' is not supported")
                    default: throw failure("unknown group flag '\(f)'")
                    }
                    offset += 1
                }
                guard let end = peek() else { throw failure("unterminated group") }
                offset += 1
                if end == ")" {
                    // Applies to the rest of the enclosing group (restored by parseAlternatives).
                    caseInsensitive = flag
                    return nil
                }
                caseInsensitive = flag
            }
        }
        let range = try parseAlternatives()
        caseInsensitive = savedFlags
        guard peek() == ")" else { throw failure("missing ')'") }
        offset += 1
        var node = RegexProgram.Node(kind: kind)
        node.mode = mode
        node.operand = range.start
        node.alternativeCount = range.count
        return node
    }

    mutating func parseEscape() throws(RegexSyntaxError) -> RegexProgram.Node? {
        guard let c = peek() else { throw failure("trailing backslash") }
        switch c {
        case "A":
            offset += 1
            return RegexProgram.Node(kind: .textStart)
        case "z":
            offset += 1
            return RegexProgram.Node(kind: .textEnd)
        case "Z":
            offset += 1
            return RegexProgram.Node(kind: dialect == .oniguruma ? .textEndBeforeNewline : .textEnd)
        case "b":
            offset += 1
            return RegexProgram.Node(kind: .wordBoundary)
        case "B":
            offset += 1
            return RegexProgram.Node(kind: .notWordBoundary)
        default:
            let items = try parseEscapeInClass(inClass: false)
            return setNode(makeSet(items: items, negated: false))
        }
    }

    /// An escape after `\` (at `offset`) as set items.
    mutating func parseEscapeInClass(inClass: Bool) throws(RegexSyntaxError) -> [RegexProgram.SetItem] {
        guard let c = peek() else { throw failure("trailing backslash") }
        offset += 1
        switch c {
        case "s", "S":
            var whiteSpace = item(1, 0)
            whiteSpace.whiteSpace = true
            whiteSpace.negated = c == "S"
            return [whiteSpace]
        case "d", "D":
            var digits = item(1, 0)
            digits.categories = 1 << UInt32(ScalarCategories.decimalNumber)
            digits.negated = c == "D"
            return [digits]
        case "w", "W":
            var word = item(0x5F, 0x5F)
            word.categories = ScalarCategories.masksByName["L"]! | ScalarCategories.masksByName["M"]!
                | 1 << UInt32(ScalarCategories.decimalNumber) | 1 << UInt32(ScalarCategories.connectorPunctuation)
            word.negated = c == "W"
            return [word]
        case "p", "P":
            var name: String
            var negated = c == "P"
            if peek() == "{" {
                offset += 1
                name = ""
                while let n = peek(), n != "}" {
                    name.unicodeScalars.append(n)
                    offset += 1
                }
                if atEnd { throw failure("unterminated \\p{") }
                offset += 1
            } else if let n = peek() {
                name = String(n)
                offset += 1
            } else {
                throw failure("incomplete \\p")
            }
            if name.hasPrefix("^") {
                negated.toggle()
                name.removeFirst()
            }
            name = name.replacingOccurrences(of: " ", with: "_")
            if name.hasPrefix("gc=") || name.hasPrefix("General_Category=") {
                name = String(name[name.index(after: name.firstIndex(of: "=")!)...])
            }
            var property = item(1, 0)
            if let mask = ScalarCategories.masksByName[name] {
                property.categories = mask
            } else if name == "Any" {
                property = item(0, 0x10FFFF)
            } else if name == "White_Space" || name == "Space" {
                property.whiteSpace = true
            } else {
                offset -= 1
                throw failure("unsupported Unicode property '\(name)'")
            }
            property.negated = negated
            return [property]
        case "x":
            var value: UInt32 = 0
            if peek() == "{" {
                offset += 1
                var digits = 0
                while let h = peek(), h != "}" {
                    guard h.isASCII, let d = UInt32(String(h), radix: 16) else { throw failure("bad hexadecimal escape") }
                    value = value * 16 + d
                    digits += 1
                    offset += 1
                    if digits > 8 { throw failure("bad hexadecimal escape") }
                }
                if atEnd || digits == 0 { throw failure("bad hexadecimal escape") }
                offset += 1
            } else {
                value = try hexDigits(2)
            }
            return caseItems(value)
        case "u":
            return caseItems(try hexDigits(4))
        case "n": return [item(0x0A, 0x0A)]
        case "r": return [item(0x0D, 0x0D)]
        case "t": return [item(0x09, 0x09)]
        case "f": return [item(0x0C, 0x0C)]
        case "v": return [item(0x0B, 0x0B)]
        case "a": return [item(0x07, 0x07)]
        case "e": return [item(0x1B, 0x1B)]
        case "0": return [item(0, 0)]
        default:
            if c.properties.isAlphabetic || ("1"..."9").contains(c) {
                offset -= 1
                throw failure("unsupported escape '\\\(c)'")
            }
            return caseItems(c.value)
        }
    }

    mutating func hexDigits(_ n: Int) throws(RegexSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<n {
            guard let h = peek(), h.isASCII, let d = UInt32(String(h), radix: 16) else {
                throw failure("bad hexadecimal escape")
            }
            value = value * 16 + d
            offset += 1
        }
        return value
    }

    /// A bracketed class (after `[`).
    mutating func parseClass() throws(RegexSyntaxError) -> Int32 {
        var negated = false
        if peek() == "^" {
            negated = true
            offset += 1
        }
        var items: [RegexProgram.SetItem] = []
        var first = true
        while true {
            guard let c = peek() else { throw failure("unterminated character class") }
            if c == "]" && !first {
                offset += 1
                break
            }
            first = false
            if c == "[" {
                if peek(1) == ":" { throw failure("POSIX bracket expressions are not supported") }
                offset += 1
                let nested = try parseClass()
                // A nested class is a union member: expand it by reference to its items.
                let set = program.sets[Int(nested)]
                if set.negated { throw failure("negated nested classes are not supported") }
                items.append(contentsOf: program.items[Int(set.firstItem)..<Int(set.firstItem + set.itemCount)])
                items.append(contentsOf: asciiItems(set.ascii))
                continue
            }
            if c == "&" && peek(1) == "&" { throw failure("class intersection is not supported") }
            var low: UInt32
            if c == "\\" {
                offset += 1
                let escaped = try parseEscapeInClass(inClass: true)
                guard escaped.count == 1, let single = singleScalar(escaped[0]) else {
                    items.append(contentsOf: escaped)
                    continue
                }
                low = single
            } else {
                offset += 1
                low = c.value
            }
            if peek() == "-", let after = peek(1), after != "]" {
                offset += 1
                var high: UInt32
                if after == "\\" {
                    offset += 1
                    let escaped = try parseEscapeInClass(inClass: true)
                    guard escaped.count >= 1, let single = singleScalar(escaped[0]) else {
                        throw failure("bad class range")
                    }
                    high = single
                } else {
                    offset += 1
                    high = after.value
                }
                if high < low { throw failure("class range out of order") }
                items.append(item(low, high))
                if caseInsensitive { items.append(contentsOf: caseVariants(low, high)) }
            } else {
                items.append(contentsOf: caseItems(low))
            }
        }
        return makeSet(items: items, negated: negated)
    }

    /// The scalar of a one-scalar item (a literal), or nil.
    func singleScalar(_ item: RegexProgram.SetItem) -> UInt32? {
        item.low == item.high && item.categories == 0 && !item.whiteSpace && !item.negated ? item.low : nil
    }

    func item(_ low: UInt32, _ high: UInt32) -> RegexProgram.SetItem {
        RegexProgram.SetItem(low: low, high: high, categories: 0, whiteSpace: false, negated: false)
    }

    func asciiItems(_ ascii: (UInt64, UInt64)) -> [RegexProgram.SetItem] {
        var result: [RegexProgram.SetItem] = []
        for value in 0..<UInt32(128) {
            let bit = value < 64 ? ascii.0 >> UInt64(value) & 1 : ascii.1 >> UInt64(value - 64) & 1
            if bit != 0 { result.append(item(value, value)) }
        }
        return result
    }

    /// A literal scalar, with its simple case variants when case-insensitive.
    func caseItems(_ value: UInt32) -> [RegexProgram.SetItem] {
        var result = [item(value, value)]
        if caseInsensitive { result += caseVariants(value, value) }
        return result
    }

    /// The scalars that match `low...high` case-insensitively under simple case folding (both
    /// engines fold `s` with U+017F LONG S and `k` with U+212A KELVIN SIGN).
    func caseVariants(_ low: UInt32, _ high: UInt32) -> [RegexProgram.SetItem] {
        var result: [RegexProgram.SetItem] = []
        guard high - low < 0x3000 else { return result }
        var seen = Set<UInt32>()
        for value in low...high {
            guard let scalar = Unicode.Scalar(value) else { continue }
            var variants: [UInt32] = []
            for mapped in [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping, scalar.properties.titlecaseMapping] {
                let mappedScalars = Array(mapped.unicodeScalars)
                if mappedScalars.count == 1 { variants.append(mappedScalars[0].value) }
            }
            for folded in variants + [value] {
                if let extra = RegexParser.foldPartners[folded] { variants += extra }
            }
            for variant in variants where (variant < low || variant > high) && seen.insert(variant).inserted {
                result.append(item(variant, variant))
            }
        }
        return result
    }

    /// Case-fold partners that are not simple case mappings of each other.
    static let foldPartners: [UInt32: [UInt32]] = [
        0x73: [0x17F], 0x53: [0x17F], 0x17F: [0x73, 0x53],
        0x6B: [0x212A], 0x4B: [0x212A], 0x212A: [0x6B, 0x4B],
        0xE5: [0x212B], 0xC5: [0x212B], 0x212B: [0xE5, 0xC5],
        0x3C9: [0x2126], 0x3A9: [0x2126], 0x2126: [0x3C9, 0x3A9],
    ]

    func literalSet(_ value: UInt32) -> [RegexProgram.SetItem] { caseItems(value) }

    mutating func makeSet(items: [RegexProgram.SetItem], negated: Bool) -> Int32 {
        var ascii: (UInt64, UInt64) = (0, 0)
        for value in 0..<UInt32(128) {
            var found = false
            for item in items {
                var hit = (value >= item.low && value <= item.high)
                    || item.categories >> UInt32(ScalarCategories.category(of: value)) & 1 != 0
                if item.whiteSpace && !hit { hit = ScalarCategories.isWhiteSpace(value) }
                if hit != item.negated {
                    found = true
                    break
                }
            }
            if found != negated {
                if value < 64 { ascii.0 |= 1 << UInt64(value) } else { ascii.1 |= 1 << UInt64(value - 64) }
            }
        }
        // Items that only cover ASCII are fully answered by the bitmap.
        let nonASCII = items.filter { $0.high >= 128 || $0.categories != 0 || $0.whiteSpace || $0.negated }
        let set = RegexProgram.CharSet(
            ascii: ascii, firstItem: Int32(program.items.count), itemCount: Int32(nonASCII.count), negated: negated)
        program.items.append(contentsOf: nonASCII)
        program.sets.append(set)
        return Int32(program.sets.count - 1)
    }

    mutating func setNode(_ items: [RegexProgram.SetItem]) -> RegexProgram.Node {
        setNode(makeSet(items: items, negated: false))
    }

    func setNode(_ set: Int32) -> RegexProgram.Node {
        var node = RegexProgram.Node(kind: .set)
        node.operand = set
        return node
    }

    // MARK: First characters

    /// A set containing every character a match can start with, or -1 when a match may be empty
    /// or start with anything (then every position is tried).
    mutating func firstSet() -> Int32 {
        var items: [RegexProgram.SetItem] = []
        var asciiUnion: (UInt64, UInt64) = (0, 0)
        var sets: [Int32] = []
        guard collectFirst(alternativesOf: program.nodes[Int(program.root)], into: &sets) else { return -1 }
        for set in sets {
            let s = program.sets[Int(set)]
            if s.negated { return -1 }
            asciiUnion.0 |= s.ascii.0
            asciiUnion.1 |= s.ascii.1
            items.append(contentsOf: program.items[Int(s.firstItem)..<Int(s.firstItem + s.itemCount)])
        }
        let index = Int32(program.sets.count)
        program.sets.append(
            RegexProgram.CharSet(ascii: asciiUnion, firstItem: Int32(program.items.count), itemCount: Int32(items.count), negated: false))
        program.items.append(contentsOf: items)
        return index
    }

    /// Collects the first sets of a group's alternatives; false when some alternative can match
    /// empty or starts with something other than a character set.
    func collectFirst(alternativesOf group: RegexProgram.Node, into sets: inout [Int32]) -> Bool {
        for k in Int(group.operand)..<Int(group.operand + group.alternativeCount) {
            let head = program.alternatives[k]
            guard head >= 0 else { return false }
            let node = program.nodes[Int(head)]
            switch node.kind {
            case .set where node.min >= 1:
                sets.append(node.operand)
            case .set:
                // `x?y…`: x or whatever follows it.
                sets.append(node.operand)
                guard node.next >= 0 else { return false }
                if !collectFirst(sequence: node.next, into: &sets) { return false }
            case .group where node.min >= 1 && node.mode != .lazy:
                if !collectFirst(alternativesOf: node, into: &sets) { return false }
            default:
                return false
            }
        }
        return true
    }

    func collectFirst(sequence head: Int32, into sets: inout [Int32]) -> Bool {
        let node = program.nodes[Int(head)]
        switch node.kind {
        case .set:
            sets.append(node.operand)
            if node.min >= 1 { return true }
            return node.next >= 0 && collectFirst(sequence: node.next, into: &sets)
        case .group where node.min >= 1 && node.mode != .lazy:
            return collectFirst(alternativesOf: node, into: &sets)
        default:
            return false
        }
    }
}

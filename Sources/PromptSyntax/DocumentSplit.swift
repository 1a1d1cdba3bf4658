import PromptText

/// Where the reference implementations' frontmatter regular expression splits a file. All four reference
/// implementations (JavaScript, Python, Go, Rust) use the same expression:
///
///     ^(?:(?:#[^\n]*|[ \t]*)\n)*---\s*(?:\r\n|\r|\n)([\s\S]*?)(?:\r\n|\r|\n)---\s*(?:\r\n|\r|\n)([\s\S]*)$
///
/// This is a hand-written, linear-time equivalent of a backtracking match of it (with JavaScript's `\s`),
/// including its less obvious consequences: the greedy `\s*` after each `---` swallows blank lines, header
/// lines must end in a bare `\n` unless they start with `#`, and the lazy frontmatter group closes at the
/// first line that is exactly `---` plus whitespace.
struct ReferenceFrontmatterMatch: Hashable {
    /// The `#` and blank lines before the opening `---`.
    var header: UTF8Range
    /// The opening `---`, whitespace after it and the line break(s) the regex consumes.
    var openingDelimiter: UTF8Range
    /// Capture group 1: the YAML text.
    var content: UTF8Range
    /// The line break before the closing `---`, the `---`, and the whitespace and line breaks after it.
    var closingDelimiter: UTF8Range
    /// Capture group 2: everything after the closing delimiter.
    var body: UTF8Range
}

/// Runs the reference frontmatter regex over `bytes`. Returns nil where the regex does not match.
func matchReferenceFrontmatter(_ bytes: [UInt8], from start: Int = 0) -> ReferenceFrontmatterMatch? {
    let count = bytes.count
    // Header lines: each `#...\n` or `[ \t]*\n`. The repetition is deterministic because `---` can never
    // begin a header line, so backtracking into it cannot help.
    var position = start
    headerLoop: while position < count {
        if bytes[position] == ASCII.hash {
            var scan = position
            while scan < count && bytes[scan] != ASCII.newline { scan += 1 }
            if scan == count { return nil }
            position = scan + 1
            continue headerLoop
        }
        var scan = position
        while scan < count && (bytes[scan] == ASCII.space || bytes[scan] == ASCII.tab) { scan += 1 }
        if scan < count && bytes[scan] == ASCII.newline {
            position = scan + 1
            continue headerLoop
        }
        break
    }
    guard bytes.matches("---", at: position) else { return nil }
    let openingStart = position
    // The whitespace run after the opening `---`; the content may start after any line break in it.
    var runEnd = openingStart + 3
    var lineBreaks: [Int] = []
    while true {
        let length = bytes.javaScriptWhitespaceLength(at: runEnd)
        if length == 0 { break }
        if isLineBreak(bytes[runEnd]) { lineBreaks.append(runEnd) }
        runEnd += length
    }
    guard let lastBreak = lineBreaks.last else { return nil }

    func match(contentStart: Int, lineBreakBeforeClosing: Int, bodyStart: Int)
        -> ReferenceFrontmatterMatch
    {
        ReferenceFrontmatterMatch(
            header: UTF8Range(start: start, end: openingStart),
            openingDelimiter: UTF8Range(start: openingStart, end: contentStart),
            content: UTF8Range(start: contentStart, end: lineBreakBeforeClosing),
            closingDelimiter: UTF8Range(start: lineBreakBeforeClosing, end: bodyStart),
            body: UTF8Range(start: bodyStart, end: count))
    }

    // Longest `\s*` first: content starts after the last line break of the run.
    let longestStart = lastBreak + 1
    var scan = longestStart
    while scan < count {
        let byte = bytes[scan]
        if byte == ASCII.newline || byte == ASCII.carriageReturn {
            let dashes =
                byte == ASCII.carriageReturn && scan + 1 < count && bytes[scan + 1] == ASCII.newline
                ? scan + 2 : scan + 1
            if let bodyStart = closingBodyStart(bytes, dashes: dashes) {
                return match(
                    contentStart: longestStart, lineBreakBeforeClosing: scan,
                    bodyStart: bodyStart)
            }
        }
        scan += 1
    }
    // Backtracking into `\s*`: a shorter run leaves a line break for the closing delimiter only when the
    // run itself ends in a line break directly followed by the closing `---`. The content is then the
    // (whitespace-only, possibly empty) text between the two last line breaks of the run.
    if lineBreaks.count >= 2, lastBreak == runEnd - 1,
        let bodyStart = closingBodyStart(bytes, dashes: runEnd)
    {
        let contentStart = lineBreaks[lineBreaks.count - 2] + 1
        return match(
            contentStart: contentStart, lineBreakBeforeClosing: lastBreak,
            bodyStart: bodyStart)
    }
    return nil
}

/// Where the body starts if a closing `---\s*(?:\r\n|\r|\n)` sits at `dashes`: after the last line break
/// of the whitespace run (the greedy `\s*` keeps all but one line break).
private func closingBodyStart(_ bytes: [UInt8], dashes: Int) -> Int? {
    guard bytes.matches("---", at: dashes) else { return nil }
    var position = dashes + 3
    var lastBreak: Int?
    while true {
        let length = bytes.javaScriptWhitespaceLength(at: position)
        if length == 0 { break }
        if isLineBreak(bytes[position]) { lastBreak = position }
        position += length
    }
    return lastBreak.map { $0 + 1 }
}

/// Why Dotprompt reads a file's frontmatter as template text (or, for `frontmatterNotMapping`, why some
/// reference implementations do). Every case is reported, because the file then renders its YAML to the
/// model and silently loses its model, config and schemas.
public enum FrontmatterFallbackReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The file starts with a UTF-8 byte-order mark, so `---` is not at the start.
    case byteOrderMark = "byte-order-mark"
    /// The opening `---` is indented.
    case indentedOpeningDelimiter = "indented-opening-delimiter"
    /// A blank line before the opening `---` contains a carriage return (CRLF file) or whitespace other
    /// than spaces and tabs; only `#` lines may end in `\r\n` there.
    case unrecognizedBlankLine = "unrecognized-blank-line"
    /// Text follows the opening `---` on its line.
    case textAfterOpeningDelimiter = "text-after-opening-delimiter"
    /// No closing `---` line.
    case unclosedFrontmatter = "unclosed-frontmatter"
    /// The closing `---` is indented.
    case indentedClosingDelimiter = "indented-closing-delimiter"
    /// Text follows the closing `---` on its line.
    case textAfterClosingDelimiter = "text-after-closing-delimiter"
    /// The closing `---` is the last line and has no line break after it.
    case noLineBreakAfterClosingDelimiter = "no-line-break-after-closing-delimiter"
    /// Nothing between the delimiters (`---` directly followed by `---`).
    case emptyFrontmatter = "empty-frontmatter"
    /// The YAML does not parse.
    case invalidYAML = "invalid-yaml"
    /// The YAML is a scalar or a sequence rather than a mapping (Python and Go fall back; JavaScript
    /// ignores it).
    case frontmatterNotMapping = "frontmatter-not-mapping"
}

/// A case where Dotprompt treats the would-be frontmatter as template text.
public struct FrontmatterFallback: Sendable, Hashable {
    public var reason: FrontmatterFallbackReason
    /// The part of the file responsible (the delimiter line, the byte-order mark, the frontmatter block).
    public var range: UTF8Range
    public var message: String
    /// The frontmatter the reference regex found but Dotprompt then ignored (empty, invalid YAML, not a
    /// mapping), kept so that editors can show its YAML errors; nil when the regex did not match.
    public var ignoredFrontmatter: Frontmatter?

    public init(
        reason: FrontmatterFallbackReason, range: UTF8Range, message: String, ignoredFrontmatter: Frontmatter? = nil
    ) {
        self.reason = reason
        self.range = range
        self.message = message
        self.ignoredFrontmatter = ignoredFrontmatter
    }
}

/// Explains why the reference regex did not match a file that seems to start with frontmatter, or
/// returns nil when the file simply has none (no `---` line after the header).
func diagnoseUnmatchedFrontmatter(_ bytes: [UInt8]) -> FrontmatterFallback? {
    let count = bytes.count
    var lineStart = 0
    var sawUnrecognizedBlankLine: UTF8Range?
    let hasByteOrderMark = bytes.matches("\u{FEFF}", at: 0)
    if hasByteOrderMark { lineStart = 3 }

    /// The line starting at `start`: (content end, next line start).
    func line(at start: Int) -> (end: Int, next: Int) {
        var end = start
        while end < count && !isLineBreak(bytes[end]) { end += 1 }
        var next = end
        if next < count {
            next += bytes[next] == ASCII.carriageReturn && next + 1 < count && bytes[next + 1] == ASCII.newline ? 2 : 1
        }
        return (end, next)
    }
    func trimmed(_ start: Int, _ end: Int) -> UTF8Range {
        bytes.javaScriptTrimmed(UTF8Range(start: start, end: end))
    }
    /// Whether the line is a delimiter candidate: `---` alone or followed by whitespace and text.
    func delimiterShape(_ start: Int, _ end: Int) -> (isDelimiter: Bool, indented: Bool, trailingText: Bool) {
        let core = trimmed(start, end)
        guard bytes.matches("---", at: core.start), core.length >= 3 else { return (false, false, false) }
        let afterDashes = core.start + 3
        let trailingText = afterDashes < core.end
        if trailingText && bytes.javaScriptWhitespaceLength(at: afterDashes) == 0 { return (false, false, false) }
        return (true, core.start > start, trailingText)
    }

    // Skip the header zone: `#` lines and whitespace-only lines.
    var opening: (start: Int, end: Int, next: Int)?
    while lineStart < count {
        let (end, next) = line(at: lineStart)
        let core = trimmed(lineStart, end)
        if bytes[lineStart] == ASCII.hash {
            lineStart = next
            continue
        }
        if core.isEmpty {
            let plain = bytes[lineStart..<end].allSatisfy { $0 == ASCII.space || $0 == ASCII.tab }
            let bareNewline = end < count && bytes[end] == ASCII.newline
            if !(plain && bareNewline) && sawUnrecognizedBlankLine == nil && next > lineStart {
                sawUnrecognizedBlankLine = UTF8Range(start: lineStart, end: next)
            }
            if next == lineStart { break }
            lineStart = next
            continue
        }
        opening = (lineStart, end, next)
        break
    }
    guard let opening else { return nil }
    let shape = delimiterShape(opening.start, opening.end)
    guard shape.isDelimiter else { return nil }
    let openingRange = UTF8Range(start: opening.start, end: opening.end)

    if hasByteOrderMark {
        return FrontmatterFallback(
            reason: .byteOrderMark, range: UTF8Range(start: 0, end: 3),
            message:
                "the file starts with a UTF-8 byte-order mark, so Dotprompt does not see the frontmatter and sends it to the model as text; save the file without a BOM"
        )
    }
    if shape.indented {
        return FrontmatterFallback(
            reason: .indentedOpeningDelimiter, range: openingRange,
            message: "the opening '---' is indented, so Dotprompt reads the frontmatter as template text")
    }
    if let blank = sawUnrecognizedBlankLine {
        let crlf = bytes[blank.range].contains(ASCII.carriageReturn)
        return FrontmatterFallback(
            reason: .unrecognizedBlankLine, range: blank,
            message: crlf
                ? "a blank line before the opening '---' ends in CRLF; Dotprompt only accepts '#' lines and LF blank lines there, so it reads the frontmatter as template text"
                : "a line before the opening '---' contains unusual whitespace; Dotprompt only accepts '#' lines and blank lines of spaces and tabs there, so it reads the frontmatter as template text"
        )
    }
    if shape.trailingText {
        return FrontmatterFallback(
            reason: .textAfterOpeningDelimiter, range: openingRange,
            message: "text follows the opening '---' on its line, so Dotprompt reads the frontmatter as template text")
    }
    // Look for the closing delimiter line.
    var scan = opening.next
    while scan < count {
        let (end, next) = line(at: scan)
        let candidate = delimiterShape(scan, end)
        if candidate.isDelimiter {
            let range = UTF8Range(start: scan, end: end)
            if candidate.indented {
                return FrontmatterFallback(
                    reason: .indentedClosingDelimiter, range: range,
                    message: "the closing '---' is indented, so Dotprompt reads the frontmatter as template text")
            }
            if candidate.trailingText {
                return FrontmatterFallback(
                    reason: .textAfterClosingDelimiter, range: range,
                    message: "text follows the closing '---' on its line, so Dotprompt reads the frontmatter as template text")
            }
            if next == end {
                return FrontmatterFallback(
                    reason: .noLineBreakAfterClosingDelimiter, range: range,
                    message:
                        "the closing '---' is the last line and has no line break after it, so Dotprompt reads the frontmatter as template text; end the line with a newline"
                )
            }
            return FrontmatterFallback(
                reason: .emptyFrontmatter, range: UTF8Range(start: opening.start, end: next),
                message: "the frontmatter is empty, so Dotprompt reads the '---' lines as template text; remove them")
        }
        if next == scan { break }
        scan = next
    }
    return FrontmatterFallback(
        reason: .unclosedFrontmatter, range: openingRange,
        message: "the frontmatter has no closing '---' line, so Dotprompt reads the whole file as template text")
}

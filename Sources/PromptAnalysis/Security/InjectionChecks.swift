import Foundation
import PromptText

/// One piece of a template body in source order, as the injection checks need it: the rule layer
/// fills these from the syntax tree, so the checks stay independent of the parser.
package struct TemplatePiece: Hashable, Sendable {
    package enum Kind: Hashable, Sendable {
        /// Literal prompt text.
        case text(String)
        /// An interpolated expression `{{name}}` (or `{{{name}}}` when `raw`); `name` is the path as
        /// written (`user.question`, `@root.topic`, `this`).
        case variable(name: String, raw: Bool)
        /// Anything else: block helpers, comments, partials, `{{role}}` and `{{media}}` markers.
        case other
    }

    package var kind: Kind
    /// Where the piece is in the document (for a variable, the whole `{{…}}`).
    package var range: UTF8Range
    /// The role of the message the piece belongs to (`system`, `user`, `model`…).
    package var role: String
    /// Distinguishes consecutive messages with the same role; pieces of one message share it.
    package var messageIndex: Int

    package init(_ kind: Kind, range: UTF8Range, role: String, messageIndex: Int = 0) {
        self.kind = kind
        self.range = range
        self.role = role
        self.messageIndex = messageIndex
    }
}

/// A free-text input inserted with no delimiter while instructions follow it, and the fix that wraps it
/// in tags named after the variable.
package struct UnfencedInput: Hashable, Sendable {
    /// An insertion (or replacement) of `replacement` at `range`.
    package struct Edit: Hashable, Sendable {
        package var range: UTF8Range
        package var replacement: String
    }

    package var variableName: String
    /// The variable's `{{…}}` in the document.
    package var range: UTF8Range
    /// The tag the fix uses: the variable name made a valid XML name (`user.question` → `user_question`).
    package var tagName: String
    /// `<tag>\n` before the variable and `\n</tag>` after it, in document order; they do not overlap.
    package var edits: [Edit]
}

/// Variables interpolated into `system` messages, where whoever controls the input can rewrite the
/// instructions. Names in `trustedVariables` (matched by full path or by root: `config` trusts
/// `config.tone`), Dotprompt data variables (`@root`, `@index`, `@key`…) and `this` (whose source is
/// the enclosing block, not known here) are skipped. Returns the ranges of the offending `{{…}}`.
package func findUntrustedInputInSystem(pieces: [TemplatePiece], trustedVariables: Set<String>) -> [UTF8Range]
{
    pieces.compactMap { piece in
        guard case .variable(let name, _) = piece.kind, piece.role.lowercased() == "system" else {
            return nil
        }
        let root = rootName(of: name)
        guard !name.hasPrefix("@"), root != "this", !trustedVariables.contains(name),
            !trustedVariables.contains(root)
        else { return nil }
        return piece.range
    }
}

/// Free-text variables (named in `freeTextVariables`, by full path or root) inserted with no delimiter
/// around them while instruction text (anything containing a letter) follows in the same message.
///
/// A variable counts as delimited when it sits inside an XML-style element (`<doc>…{{text}}…</doc>`,
/// tags on their own lines or not), inside a `"""`/`'''` pair, inside a fenced ``` or `~~~` block, or
/// directly between matching quotes (`"{{text}}"`, `“{{text}}”`, `«{{text}}»`). Other pieces of the
/// message count as neither text nor delimiters.
package func findUnfencedInputs(pieces: [TemplatePiece], freeTextVariables: Set<String>) -> [UnfencedInput] {
    var results: [UnfencedInput] = []
    var messageStart = 0
    while messageStart < pieces.count {
        var messageEnd = messageStart + 1
        while messageEnd < pieces.count, pieces[messageEnd].role == pieces[messageStart].role,
            pieces[messageEnd].messageIndex == pieces[messageStart].messageIndex
        {
            messageEnd += 1
        }
        let message = pieces[messageStart..<messageEnd]
        for index in message.indices {
            guard case .variable(let name, _) = message[index].kind,
                freeTextVariables.contains(name) || freeTextVariables.contains(rootName(of: name))
            else { continue }
            let before = message[messageStart..<index].map(textOrMarker).joined()
            let after = message[(index + 1)..<messageEnd].map(textOrMarker).joined()
            guard hasInstructions(after), !isDelimited(before: before, after: after) else {
                continue
            }
            let range = message[index].range
            let tag = fenceTagName(for: name)
            results.append(
                UnfencedInput(
                    variableName: name, range: range, tagName: tag,
                    edits: [
                        .init(range: .empty(at: range.start), replacement: "<\(tag)>\n"),
                        .init(range: .empty(at: range.end), replacement: "\n</\(tag)>"),
                    ]))
        }
        messageStart = messageEnd
    }
    return results
}

/// Whether `text` (what follows an input in its message) holds an instruction: a line with letters
/// that is not a field label. `Answer:`, `### Reference Answer: {{reference}}`, `The rating is:` only
/// mark where the next field goes; text inside the input cannot be mistaken for an instruction that
/// is not there.
private func hasInstructions(_ text: String) -> Bool {
    for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
        let content = line.replacingOccurrences(of: "\u{FFFC}", with: " ").trimmingCharacters(in: .whitespaces)
        guard content.contains(where: \.isLetter) else { continue }
        if !isFieldLabel(content) { return true }
    }
    return false
}

/// A field label: optional heading or list markers, at most six words, and a colon at the end (what
/// followed it, a variable, was replaced by spaces).
private func isFieldLabel(_ line: String) -> Bool {
    var text = Substring(line)
    while let first = text.first, first == "#" || first == "-" || first == "*" || first == " " { text = text.dropFirst() }
    while let last = text.last, last == "*" || last == " " { text = text.dropLast() }
    guard text.hasSuffix(":") else { return false }
    return text.split(separator: " ").count <= 6
}

/// `user.question` → `user`, `items[0]` → `items`, `this.name` → `this`.
private func rootName(of name: String) -> String {
    String(name.prefix { $0 != "." && $0 != "[" && $0 != "/" })
}

/// Non-text pieces become U+FFFC so they separate text without reading as text or delimiters.
private func textOrMarker(_ piece: TemplatePiece) -> String {
    if case .text(let text) = piece.kind { return text }
    return "\u{FFFC}"
}

private let quotePairs: [Character: Character] = [
    "\"": "\"", "'": "'", "`": "`", "\u{201C}": "\u{201D}", "\u{2018}": "\u{2019}", "«": "»",
    "\u{201E}": "\u{201C}",
    "「": "」", "『": "』",
]

private func isDelimited(before: String, after: String) -> Bool {
    if let opening = before.last, let closing = quotePairs[opening], after.first == closing { return true }
    for fence in ["\"\"\"", "'''", "```", "~~~"]
    where occurrences(of: fence, in: before) % 2 == 1 && after.contains(fence) {
        return true
    }
    // Open elements before the variable, innermost last; any of them closed after it encloses it.
    let lowercasedAfter = after.lowercased()
    for tag in openTags(in: before).reversed() where lowercasedAfter.contains("</\(tag.lowercased())") {
        return true
    }
    return false
}

private func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

/// The XML-style elements left open at the end of `text`: `<name …>` pushes, `</name>` pops back to
/// the matching name, `<name/>` and anything that is not a tag (`a < b`, `<3`) are ignored.
private func openTags(in text: String) -> [String] {
    var stack: [String] = []
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count {
        guard bytes[index] == UInt8(ascii: "<") else {
            index += 1
            continue
        }
        var cursor = index + 1
        let closing = cursor < bytes.count && bytes[cursor] == UInt8(ascii: "/")
        if closing { cursor += 1 }
        let nameStart = cursor
        guard cursor < bytes.count, isASCIILetter(bytes[cursor]) || bytes[cursor] == UInt8(ascii: "_") else {
            index += 1
            continue
        }
        while cursor < bytes.count, isTagNameByte(bytes[cursor]) { cursor += 1 }
        let name = String(decoding: bytes[nameStart..<cursor], as: UTF8.self)
        // The tag must end on the same line without another `<` in between.
        var end = cursor
        while end < bytes.count, bytes[end] != UInt8(ascii: ">"), bytes[end] != UInt8(ascii: "<"),
            bytes[end] != 0x0A
        {
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: ">") else {
            index += 1
            continue
        }
        if closing {
            if let match = stack.lastIndex(of: name) { stack.removeSubrange(match...) }
        } else if bytes[end - 1] != UInt8(ascii: "/") {
            stack.append(name)
        }
        index = end + 1
    }
    return stack
}

private func isTagNameByte(_ byte: UInt8) -> Bool {
    isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        || byte == UInt8(ascii: ".")
        || byte == UInt8(ascii: ":")
}

/// A valid, readable XML name for `variable`: `@root.user.question` → `user_question`, `2nd` →
/// `input_2nd`, `ñame` → `ame`, and `input` when nothing usable is left.
package func fenceTagName(for variable: String) -> String {
    var name = variable
    if name.hasPrefix("@root.") { name.removeFirst(6) }
    if name.hasPrefix("this.") { name.removeFirst(5) }
    var result = ""
    for scalar in name.unicodeScalars {
        if scalar.isASCII, isASCIIAlphanumeric(UInt8(scalar.value)) || scalar == "-" {
            result.unicodeScalars.append(scalar)
        } else if scalar == "_" || scalar == "." || scalar == "/" || scalar == "[" || scalar == " " {
            if !result.isEmpty, !result.hasSuffix("_") { result.append("_") }
        }
    }
    while result.hasSuffix("_") || result.hasSuffix("-") { result.removeLast() }
    guard let first = result.unicodeScalars.first else { return "input" }
    if !(first.properties.isAlphabetic || first == "_") || result.lowercased().hasPrefix("xml") {
        result = "input_" + result
    }
    return result
}

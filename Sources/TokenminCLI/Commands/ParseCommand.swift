import Dotprompt
import Foundation
import PromptSyntax
import PromptText

/// `tokenmin parse FILE [--format json|text]`: prints the syntax tree with ranges, for debugging.
let parseCommand = Subcommand(
    name: "parse",
    summary: "Print a .prompt file's syntax tree (split, frontmatter YAML, template, messages) with ranges",
    help: """
        Usage: tokenmin parse FILE [--format text|json]

        Parses FILE (or - for standard input) the way Dotprompt splits it: header lines, frontmatter,
        template body; then the YAML and Handlebars trees and the message segments. Every range is shown
        as UTF-8 byte offsets and as line:column (1-based, columns in Unicode scalars). Invalid UTF-8 is
        replaced with U+FFFD before parsing. Cases where Dotprompt silently reads the frontmatter as
        template text (byte-order mark, CRLF blank line before '---', invalid YAML, ...) are reported.

        Options:
          --format text|json  Output format (default: text)

        Example:
          tokenmin parse prompts/summarize.prompt --format json

        Exit codes: 0 no syntax errors, 1 syntax errors, 2 usage or I/O error.

        """,
    spec: ArgumentSpec(options: ["--format"], aliases: ["-f": "--format"]),
    run: { arguments, console in
        let format = try arguments.choice("--format", of: ["text", "json"], default: "text")
        guard arguments.positionals.count == 1 else {
            throw UsageError(arguments.positionals.isEmpty ? "missing FILE" : "expected one FILE")
        }
        let path = arguments.positionals[0]
        let data = try readInput(path, console: console)
        let text = String(decoding: data, as: UTF8.self)
        let document = parsePromptDocument(text)
        let printer = ParsePrinter(document: document, lineIndex: document.makeLineIndex(), path: path)
        console.writeOut(format == "json" ? indentedJSON(printer.json()) : printer.text())
        return document.hasErrors ? ExitStatus.findings : ExitStatus.ok
    })

/// `compact` JSON indented by two spaces, keys in the order written (as `render` prints JSON).
private func indentedJSON(_ compact: String) -> String {
    guard case .success(let value) = parsePlainJSON(compact) else { return compact }
    return value.jsonText(pretty: true) + "\n"
}

private struct ParsePrinter {
    let document: PromptDocument
    let lineIndex: LineIndex
    let path: String

    /// `12..20 (2:3-2:11)`.
    func describe(_ range: UTF8Range) -> String {
        let start = lineIndex.position(ofUTF8Offset: range.start, in: .utf32)
        let end = lineIndex.position(ofUTF8Offset: range.end, in: .utf32)
        return "\(range.start)..\(range.end) (\(start.line + 1):\(start.column + 1)-\(end.line + 1):\(end.column + 1))"
    }

    func jsonRange(_ range: UTF8Range) -> String {
        let start = lineIndex.position(ofUTF8Offset: range.start, in: .utf32)
        let end = lineIndex.position(ofUTF8Offset: range.end, in: .utf32)
        return "{\"start\":\(range.start),\"end\":\(range.end),\"startLine\":\(start.line + 1),\"startColumn\":\(start.column + 1),\"endLine\":\(end.line + 1),\"endColumn\":\(end.column + 1)}"
    }

    func text() -> String {
        var lines: [String] = ["file: \(path)", "header: \(describe(document.header))"]
        if let frontmatter = document.frontmatter {
            lines.append("frontmatter: \(describe(frontmatter.blockRange)) yaml \(describe(frontmatter.contentRange))")
            lines.append(dumpYAML(frontmatter.yaml).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        } else {
            lines.append("frontmatter: none")
        }
        if let fallback = document.frontmatterFallback {
            lines.append("frontmatter ignored (\(fallback.reason.rawValue)) at \(describe(fallback.range)): \(fallback.message)")
        }
        lines.append("body: \(describe(document.body))")
        lines.append("template: \(describe(document.templateRange))")
        lines.append(dumpTemplate(document.template, text: document.text).split(separator: "\n").filter { !$0.hasPrefix("error ") && !$0.hasPrefix("warning ") }.map { "  " + $0 }.joined(separator: "\n"))
        lines.append("messages:")
        for message in document.messages {
            let role = message.isHistory ? "history" : message.role ?? "(dynamic role)"
            lines.append("  \(role) \(describe(message.contentRange))")
        }
        lines.append("diagnostics: \(document.diagnostics.count)")
        for diagnostic in document.diagnostics {
            let start = lineIndex.position(ofUTF8Offset: diagnostic.range.start, in: .utf32)
            lines.append("  \(path):\(start.line + 1):\(start.column + 1): \(diagnostic.severity.rawValue)[\(diagnostic.code)] \(diagnostic.message)")
            for related in diagnostic.related {
                lines.append("    related \(describe(related.range)): \(related.message)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func yamlJSON(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let scalar):
            return "{\"kind\":\"scalar\",\"range\":\(jsonRange(node.range)),\"style\":\(jsonQuoted(scalar.style.rawValue)),\"text\":\(jsonQuoted(scalar.text)),\"value\":\(jsonQuoted(dumpYAMLScalar(scalar)))}"
        case .sequence(let items):
            return "{\"kind\":\"sequence\",\"range\":\(jsonRange(node.range)),\"flow\":\(node.isFlow),\"items\":[\(items.map(yamlJSON).joined(separator: ","))]}"
        case .mapping(let pairs):
            let entries = pairs.map { pair in
                "{\"key\":\(jsonQuoted(pair.keyText)),\"keyRange\":\(jsonRange(pair.key.range)),\"value\":\(yamlJSON(pair.value))}"
            }
            return "{\"kind\":\"mapping\",\"range\":\(jsonRange(node.range)),\"flow\":\(node.isFlow),\"pairs\":[\(entries.joined(separator: ","))]}"
        }
    }

    func nodeJSON(_ id: TemplateNodeID) -> String {
        let node = document.template[id]
        let kind: String
        var details = ""
        switch node.content {
        case .text: kind = "text"
        case .comment: kind = "comment"
        case .mustache(let mustache):
            kind = "mustache"
            details = ",\"form\":\(jsonQuoted(mustache.form.rawValue)),\"call\":\(jsonQuoted(dumpCall(mustache.call)))"
        case .block(let block):
            kind = "block"
            details = ",\"blockKind\":\(jsonQuoted(block.kind.rawValue)),\"call\":\(jsonQuoted(dumpCall(block.open.call))),\"closed\":\(block.close != nil),\"children\":[\(block.body.map { String($0.index) }.joined(separator: ","))],\"elseBranches\":[\(block.elseBranches.map { branch in "{\"form\":\(jsonQuoted(branch.form.rawValue)),\"range\":\(jsonRange(branch.tagRange)),\"children\":[\(branch.body.map { String($0.index) }.joined(separator: ","))]}" }.joined(separator: ","))]"
        case .partial(let partial):
            kind = "partial"
            details = ",\"name\":\(jsonQuoted(dumpExpression(partial.name)))"
        case .rawBlock: kind = "rawBlock"
        case .invalid(let invalid):
            kind = "invalid"
            details = ",\"code\":\(jsonQuoted(invalid.code))"
        }
        let parent = node.parent.map { String($0.index) } ?? "null"
        return "{\"id\":\(id.index),\"kind\":\"\(kind)\",\"parent\":\(parent),\"range\":\(jsonRange(node.range))\(details)}"
    }

    func json() -> String {
        var fields: [String] = []
        fields.append("\"file\":\(jsonQuoted(path))")
        fields.append("\"header\":\(jsonRange(document.header))")
        if let frontmatter = document.frontmatter {
            let root = frontmatter.root.map(yamlJSON) ?? "null"
            fields.append("\"frontmatter\":{\"block\":\(jsonRange(frontmatter.blockRange)),\"content\":\(jsonRange(frontmatter.contentRange)),\"yaml\":\(root)}")
        } else {
            fields.append("\"frontmatter\":null")
        }
        if let fallback = document.frontmatterFallback {
            fields.append("\"frontmatterFallback\":{\"reason\":\(jsonQuoted(fallback.reason.rawValue)),\"range\":\(jsonRange(fallback.range)),\"message\":\(jsonQuoted(fallback.message))}")
        } else {
            fields.append("\"frontmatterFallback\":null")
        }
        fields.append("\"body\":\(jsonRange(document.body))")
        let roots = document.template.rootNodes.map { String($0.index) }.joined(separator: ",")
        fields.append("\"template\":{\"range\":\(jsonRange(document.templateRange)),\"roots\":[\(roots)],\"nodes\":[\(document.template.ids.map(nodeJSON).joined(separator: ","))]}")
        let messages = document.messages.map { message in
            "{\"role\":\(message.role.map(jsonQuoted) ?? "null"),\"history\":\(message.isHistory),\"marker\":\(message.markerRange.map(jsonRange) ?? "null"),\"content\":\(jsonRange(message.contentRange))}"
        }
        fields.append("\"messages\":[\(messages.joined(separator: ","))]")
        let diagnostics = document.diagnostics.map { diagnostic in
            let related = diagnostic.related.map { "{\"range\":\(jsonRange($0.range)),\"message\":\(jsonQuoted($0.message))}" }
            return "{\"code\":\(jsonQuoted(diagnostic.code)),\"severity\":\(jsonQuoted(diagnostic.severity.rawValue)),\"message\":\(jsonQuoted(diagnostic.message)),\"range\":\(jsonRange(diagnostic.range)),\"related\":[\(related.joined(separator: ","))]}"
        }
        fields.append("\"diagnostics\":[\(diagnostics.joined(separator: ","))]")
        return "{" + fields.joined(separator: ",") + "}\n"
    }
}

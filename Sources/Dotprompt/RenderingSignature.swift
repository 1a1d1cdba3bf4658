import PromptSyntax
import PromptText

/// A canonical description of everything that decides how `document` renders, for any input: the
/// frontmatter data, and the Handlebars program after whitespace control (literal text as it will be
/// emitted, every expression by meaning, never by spelling or position). Two documents with equal
/// signatures render identically for all data, which is how the formatter proves it changed nothing.
public func renderingSignature(_ document: PromptDocument) -> String {
    var out = ""
    if let frontmatter = document.frontmatter {
        out += "F" + (frontmatter.root?.plainValue.jsonText() ?? "null") + "\n"
    } else {
        out += "F-\n"
    }
    out += "R\(document.frontmatterFallback?.reason.rawValue ?? "-")\n"
    let compiled = compileTemplate(document.template, bytes: Array(document.text.utf8))
    if compiled.tooDeep != nil { out += "too deep\n" }
    let writer = SignatureWriter(bytes: compiled.bytes)
    writer.program(compiled.root, into: &out)
    return out
}

private struct SignatureWriter {
    let bytes: [UInt8]

    func program(_ program: ProgramNode?, into out: inout String) {
        guard let program else {
            out += "-"
            return
        }
        out +=
            "{" + program.blockParameters.joined(separator: ",") + (program.chained ? "|chained" : "") + "\n"
        for statement in program.body {
            switch statement {
            case .content(let content):
                // Empty text emits nothing; whitespace control has already run, so it affects nothing.
                if content.keptStart < content.keptEnd { out += "T" + jsonQuoted(content.value) + "\n" }
            case .comment: out += "C\n"
            case .unsupported(_, let reason): out += "U" + reason + "\n"
            case .mustache(let mustache, _): out += "M" + call(mustache.call) + "\n"
            case .partial(let partial):
                out +=
                    "P" + expression(partial.node.name) + "(" + (partial.node.context.map(expression) ?? "")
                    + ")"
                out += partial.node.hash.map { $0.key + "=" + expression($0.value) }.joined(separator: " ")
                out += " indent=" + jsonQuoted(partial.indent) + "\n"
            case .block(let block):
                out += "B\(block.kind)" + call(block.call)
                self.program(block.program, into: &out)
                self.program(block.inverse, into: &out)
                out += "\n"
            }
        }
        out += "}"
    }

    func call(_ call: Call) -> String {
        "("
            + ([expression(call.callee)] + call.params.map(expression)
            + call.hash.map { $0.key + "=" + expression($0.value) })
            .joined(separator: " ") + ")"
    }

    func expression(_ expression: Expression) -> String {
        switch expression {
        case .path(let path):
            let names = path.segments.map {
                ($0.isBracketed ? "[" : "") + $0.name + ($0.isBracketed ? "]" : "")
            }
            return "p\(path.isData ? "@" : "")\(path.parentDepth)\(path.isThis ? "t" : "")"
                + jsonQuoted(path.original)
                + names.joined(separator: "/")
        case .literal(let literal):
            switch literal.value {
            case .string(let text): return "s" + jsonQuoted(text)
            case .number(let number): return "n" + javaScriptNumberText(number)
            case .boolean(let flag): return flag ? "true" : "false"
            case .null: return "null"
            case .undefined: return "undefined"
            }
        case .subExpression(let inner): return "x" + call(inner)
        }
    }
}

/// The byte ranges of the document's template text that reach the output, after whitespace control
/// (what is outside them is removed by `~` or by standalone-line stripping).
func keptTextRanges(_ document: PromptDocument) -> [UTF8Range] {
    let compiled = compileTemplate(document.template, bytes: Array(document.text.utf8))
    var ranges: [UTF8Range] = []
    func visit(_ program: ProgramNode?) {
        guard let program else { return }
        for statement in program.body {
            switch statement {
            case .content(let content): ranges.append(content.keptRange)
            case .block(let block):
                visit(block.program)
                visit(block.inverse)
            default: break
            }
        }
    }
    visit(compiled.root)
    return ranges.sorted { $0.start < $1.start }
}

import PromptText

/// A line-per-node, offset-annotated rendering of YAML nodes, stable enough for golden fixtures.
public func dumpYAML(_ document: YAMLDocument) -> String {
    var lines: [String] = []
    if let root = document.root {
        dumpYAMLNode(root, prefix: "", indent: "", into: &lines)
    } else {
        lines.append("(empty)")
    }
    for diagnostic in document.diagnostics { lines.append(dumpDiagnostic(diagnostic)) }
    return lines.joined(separator: "\n") + "\n"
}

/// `int 3`, `str(literal) "text"`: a scalar's typed value and style.
public func dumpYAMLScalar(_ scalar: YAMLScalar) -> String {
    let style = scalar.style == .plain ? "" : "(\(scalar.style.rawValue))"
    switch scalar.value {
    case .null: return "null\(style)"
    case .bool(let value): return "bool\(style) \(value)"
    case .int(let value): return "int\(style) \(value)"
    case .float(let value): return "float\(style) \(value)"
    case .string(let value): return "str\(style) \(jsonQuoted(value))"
    }
}

private func dumpYAMLNode(_ node: YAMLNode, prefix: String, indent: String, into lines: inout [String]) {
    let range = "@\(node.range.start)..\(node.range.end)"
    switch node.content {
    case .scalar(let scalar):
        lines.append(indent + prefix + dumpYAMLScalar(scalar) + " " + range)
    case .mapping(let pairs):
        lines.append(indent + prefix + (node.isFlow ? "flow-map " : "map ") + range)
        for pair in pairs {
            let key = pair.key.scalar.map { jsonQuoted($0.text) } ?? "?"
            dumpYAMLNode(
                pair.value, prefix: "\(key)@\(pair.key.range.start)..\(pair.key.range.end) = ",
                indent: indent + "  ", into: &lines)
        }
    case .sequence(let items):
        lines.append(indent + prefix + (node.isFlow ? "flow-seq " : "seq ") + range)
        for item in items { dumpYAMLNode(item, prefix: "- ", indent: indent + "  ", into: &lines) }
    }
}

/// `error invalid-yaml @3..5: message (related @0..1: message)`.
public func dumpDiagnostic(_ diagnostic: SyntaxDiagnostic) -> String {
    var line =
        "\(diagnostic.severity.rawValue) \(diagnostic.code) @\(diagnostic.range.start)..\(diagnostic.range.end): \(diagnostic.message)"
    for related in diagnostic.related {
        line += " (related @\(related.range.start)..\(related.range.end): \(related.message))"
    }
    return line
}

/// `path a.b @3..6`, `str "x" @1..4`, `(helper a key=b) @0..9`.
public func dumpExpression(_ expression: Expression) -> String {
    let range = "@\(expression.range.start)..\(expression.range.end)"
    switch expression {
    case .path(let path):
        var flags: [String] = []
        if path.isData { flags.append("data") }
        if path.isThis { flags.append("this") }
        if path.parentDepth > 0 { flags.append("up=\(path.parentDepth)") }
        let segments = path.segments.map { $0.isBracketed ? "[\($0.name)]" : $0.name }.joined(separator: ",")
        return "path \(path.original) {\(flags.joined(separator: " "))}[\(segments)] \(range)"
    case .literal(let literal):
        switch literal.value {
        case .string(let value): return "str \(jsonQuoted(value)) \(range)"
        case .number(let value): return "num \(value) \(range)"
        case .boolean(let value): return "bool \(value) \(range)"
        case .null: return "null \(range)"
        case .undefined: return "undefined \(range)"
        }
    case .subExpression(let call): return "(\(dumpCall(call))) \(range)"
    }
}

/// The callee, then `| param` and `| key=value` parts.
public func dumpCall(_ call: Call) -> String {
    var parts = [dumpExpression(call.callee)]
    parts += call.params.map { "| " + dumpExpression($0) }
    parts += call.hash.map { "| \($0.key)@\($0.keyRange.start)..\($0.keyRange.end)=" + dumpExpression($0.value) }
    return parts.joined(separator: " ")
}

private func dumpStrip(_ strip: WhitespaceStrip) -> String {
    strip.before || strip.after ? " strip[\(strip.before ? "~" : "")|\(strip.after ? "~" : "")]" : ""
}

/// A line-per-node rendering of a template with offsets, text excerpts and diagnostics; iterative, so
/// any nesting depth is fine.
public func dumpTemplate(_ template: Template, text: String) -> String {
    let bytes = Array(text.utf8)
    func excerpt(_ range: UTF8Range) -> String { jsonQuoted(String(decoding: bytes[range.range], as: UTF8.self)) }
    enum Work {
        case node(TemplateNodeID, String)
        case line(String)
    }
    var lines: [String] = []
    var work: [Work] = template.rootNodes.reversed().map { .node($0, "") }
    while let item = work.popLast() {
        switch item {
        case .line(let line): lines.append(line)
        case .node(let id, let indent):
            let node = template[id]
            let range = "@\(node.range.start)..\(node.range.end)"
            switch node.content {
            case .text(let text):
                let removed = text.removedBackslash.map { " removed-backslash@\($0.start)" } ?? ""
                lines.append(indent + "text \(range) \(excerpt(node.range))\(removed)")
            case .comment(let comment):
                lines.append(indent + "comment\(comment.isLong ? "(long)" : "") \(range) \(excerpt(comment.contentRange))\(dumpStrip(comment.strip))")
            case .mustache(let mustache):
                lines.append(indent + "mustache(\(mustache.form.rawValue)) \(range)\(dumpStrip(mustache.strip)) \(dumpCall(mustache.call))")
            case .partial(let partial):
                var parts = ["partial \(range)\(dumpStrip(partial.strip)) \(dumpExpression(partial.name))"]
                if let context = partial.context { parts.append("| " + dumpExpression(context)) }
                parts += partial.hash.map { "| \($0.key)=" + dumpExpression($0.value) }
                lines.append(indent + parts.joined(separator: " "))
            case .rawBlock(let raw):
                lines.append(indent + "raw-block \(range) \(dumpCall(raw.call)) content=\(excerpt(raw.contentRange))\(raw.closeRange == nil ? " UNCLOSED" : "")")
            case .invalid(let invalid):
                lines.append(indent + "invalid(\(invalid.code)) \(range) \(excerpt(node.range))")
            case .block(let block):
                let parameters = block.open.blockParameters.isEmpty ? "" : " as |\(block.open.blockParameters.map(\.name).joined(separator: " "))|"
                lines.append(indent + "block(\(block.kind.rawValue)) \(range)\(dumpStrip(block.open.strip)) \(dumpCall(block.open.call))\(parameters)")
                // Indentation stops growing past 100 levels, so deep nesting dumps in linear size.
                let inner = indent.count < 200 ? indent + "  " : indent
                var pending: [Work] = block.body.map { .node($0, inner) }
                for branch in block.elseBranches {
                    let call = branch.call.map { " " + dumpCall($0) } ?? ""
                    let parameters = branch.blockParameters.isEmpty ? "" : " as |\(branch.blockParameters.map(\.name).joined(separator: " "))|"
                    pending.append(.line(indent + "else(\(branch.form.rawValue)) @\(branch.tagRange.start)..\(branch.tagRange.end)\(dumpStrip(branch.strip))\(call)\(parameters)"))
                    pending += branch.body.map { .node($0, inner) }
                }
                if let close = block.close {
                    pending.append(.line(indent + "close @\(close.range.start)..\(close.range.end)\(dumpStrip(close.strip))"))
                } else {
                    pending.append(.line(indent + "UNCLOSED"))
                }
                work += pending.reversed()
            }
        }
    }
    for diagnostic in template.diagnostics { lines.append(dumpDiagnostic(diagnostic)) }
    return lines.joined(separator: "\n") + "\n"
}

import PromptText

/// Quotes `text` as a JSON string literal (used by the dumps and the JSON output of `tokenmin parse`).
public func jsonQuoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
            let hex = String(scalar.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}

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

func dumpYAMLScalar(_ scalar: YAMLScalar) -> String {
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

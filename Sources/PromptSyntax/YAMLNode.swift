import PromptText

/// How a YAML scalar was written.
public enum YAMLScalarStyle: String, Sendable, Hashable, Codable {
    case plain
    case singleQuoted = "single-quoted"
    case doubleQuoted = "double-quoted"
    /// `|` block scalar.
    case literal
    /// `>` block scalar.
    case folded
}

/// A scalar's typed value under the YAML 1.2 core schema (what the JavaScript `yaml` package uses).
/// Only plain scalars are typed; quoted and block scalars are always strings.
public enum YAMLScalarValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
}

/// A YAML scalar: its interpreted text (escapes resolved, lines folded, block chomping applied) and its
/// typed value. The raw source is the node's `range`.
public struct YAMLScalar: Sendable, Hashable {
    public var text: String
    public var style: YAMLScalarStyle
    public var value: YAMLScalarValue

    public init(text: String, style: YAMLScalarStyle, value: YAMLScalarValue) {
        self.text = text
        self.style = style
        self.value = value
    }
}

/// One `key: value` entry of a mapping, with the key's and the whole entry's ranges.
public struct YAMLPair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode
    /// From the key's first byte to the value's last byte.
    public var range: UTF8Range

    public init(key: YAMLNode, value: YAMLNode, range: UTF8Range) {
        self.key = key
        self.value = value
        self.range = range
    }

    /// The key's text (`keyNode.scalar?.text`), which is how Dotprompt sees it.
    public var keyText: String { key.scalar?.text ?? "" }
}

/// A YAML node with its exact source range. A missing value (`key:` with nothing after it) is a plain
/// null scalar with an empty range where the value would be.
public struct YAMLNode: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        /// Entries in source order (duplicates are reported as errors and kept).
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    public var content: Content
    public var range: UTF8Range
    /// Whether the collection was written in flow style (`{}` / `[]`).
    public var isFlow: Bool

    public init(content: Content, range: UTF8Range, isFlow: Bool = false) {
        self.content = content
        self.range = range
        self.isFlow = isFlow
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    public var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    public var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var isNull: Bool { scalar?.value == .null }

    /// The scalar's text when the node is a scalar (null scalars give nil).
    public var string: String? {
        guard let scalar, scalar.value != .null else { return nil }
        return scalar.text
    }

    /// The entry for `key` in a mapping (the last one, as YAML loaders keep, when a key repeats).
    public func pair(_ key: String) -> YAMLPair? { pairs?.last { $0.keyText == key } }

    /// The value for `key` in a mapping: `node["config"]?["maxOutputTokens"]`.
    public subscript(key: String) -> YAMLNode? { pair(key)?.value }

    /// The item at `index` in a sequence.
    public subscript(index: Int) -> YAMLNode? {
        guard let items, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// Follows mapping keys from this node: `node.value(at: ["input", "schema"])`. Keys are matched
    /// literally, so a dotted key such as `ext.foo` is one path element.
    public func value(at path: [String]) -> YAMLNode? {
        var node: YAMLNode? = self
        for key in path { node = node?[key] }
        return node
    }

    /// The node as plain data, for rendering and JSON (mapping order kept; later duplicates win).
    public var plainValue: PlainValue {
        // Frontmatter nesting is bounded by the parser's depth limit, so recursion is safe here.
        switch content {
        case .scalar(let scalar):
            switch scalar.value {
            case .null: return .null
            case .bool(let value): return .bool(value)
            case .int(let value): return .int(value)
            case .float(let value): return .double(value)
            case .string(let value): return .string(value)
            }
        case .sequence(let items): return .array(items.map(\.plainValue))
        case .mapping(let pairs):
            var members: [PlainValue.Member] = []
            var positions: [String: Int] = [:]
            for pair in pairs {
                let member = PlainValue.Member(key: pair.keyText, value: pair.value.plainValue)
                if let existing = positions[member.key] {
                    members[existing] = member
                } else {
                    positions[member.key] = members.count
                    members.append(member)
                }
            }
            return .object(members)
        }
    }
}

/// JSON-like data with ordered object members: the value of frontmatter, of `input.default`, etc.
public enum PlainValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([PlainValue])
    case object([Member])

    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: PlainValue

        public init(key: String, value: PlainValue) {
            self.key = key
            self.value = value
        }
    }

    public subscript(key: String) -> PlainValue? {
        if case .object(let members) = self { return members.last { $0.key == key }?.value }
        return nil
    }
}

/// The result of parsing YAML text: the root node (nil for an empty or comment-only document) and every
/// error with its position. `hasErrors` means a YAML loader would reject the text; `unsupported-yaml`
/// diagnostics mean valid YAML that this parser does not model (anchors, aliases, tags, directives,
/// several documents) and are not counted as errors.
public struct YAMLDocument: Sendable, Hashable {
    public var root: YAMLNode?
    public var diagnostics: [SyntaxDiagnostic]
    /// The text that was parsed.
    public var range: UTF8Range

    public init(root: YAMLNode?, diagnostics: [SyntaxDiagnostic], range: UTF8Range) {
        self.root = root
        self.diagnostics = diagnostics
        self.range = range
    }

    /// Whether a YAML loader would reject the text (so Dotprompt falls back to plain text).
    public var hasErrors: Bool { diagnostics.contains { $0.code == SyntaxCode.invalidYAML } }
}

/// Parses YAML text on its own (ranges are offsets into `text`).
public func parseYAML(_ text: String) -> YAMLDocument {
    let bytes = Array(text.utf8)
    return parseYAML(bytes: bytes, range: UTF8Range(start: 0, end: bytes.count))
}

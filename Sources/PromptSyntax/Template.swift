import PromptText

/// The index of a node in `Template.nodes`.
public struct TemplateNodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (lhs: TemplateNodeID, rhs: TemplateNodeID) -> Bool { lhs.index < rhs.index }
    public var description: String { "#\(index)" }
}

/// A parsed Handlebars template. Nodes live in one flat array in source (pre-order) order; blocks refer
/// to their children by id. The flat layout keeps walking, comparing and freeing the tree free of
/// recursion, so 10,000 nested blocks cannot overflow the stack.
public struct Template: Sendable, Hashable {
    /// The text that was parsed.
    public var range: UTF8Range
    /// Every node, parents before children, in source order.
    public var nodes: [TemplateNode]
    /// The top-level statements.
    public var rootNodes: [TemplateNodeID]
    public var diagnostics: [SyntaxDiagnostic]

    public subscript(id: TemplateNodeID) -> TemplateNode { nodes[id.index] }

    public var ids: [TemplateNodeID] { nodes.indices.map(TemplateNodeID.init) }

    /// The blocks enclosing `id`, innermost first.
    public func ancestors(of id: TemplateNodeID) -> [TemplateNodeID] {
        var result: [TemplateNodeID] = []
        var current = nodes[id.index].parent
        while let parent = current {
            result.append(parent)
            current = nodes[parent.index].parent
        }
        return result
    }
}

/// Whitespace control: `{{~` strips whitespace before the tag, `~}}` after it.
public struct WhitespaceStrip: Sendable, Hashable {
    public var before: Bool
    public var after: Bool
    public init(before: Bool = false, after: Bool = false) {
        self.before = before
        self.after = after
    }
}

/// One node of a template.
public struct TemplateNode: Sendable, Hashable {
    public var range: UTF8Range
    /// The enclosing block, nil at top level.
    public var parent: TemplateNodeID?
    public var content: Content

    public enum Content: Sendable, Hashable {
        case text(TextNode)
        case comment(CommentNode)
        case mustache(MustacheNode)
        case block(BlockNode)
        case partial(PartialNode)
        case rawBlock(RawBlockNode)
        /// A tag that could not be parsed or a closing tag without a block; kept so that the tree
        /// covers the whole text.
        case invalid(InvalidNode)
    }

    public init(range: UTF8Range, parent: TemplateNodeID?, content: Content) {
        self.range = range
        self.parent = parent
        self.content = content
    }
}

/// Literal text. Handlebars drops one backslash before an escaped `{{` (`\{{x}}` renders `{{x}}`,
/// `\\{{x}}` renders `\` and then the value); `removedBackslash` is that byte.
public struct TextNode: Sendable, Hashable {
    public var removedBackslash: UTF8Range?
    public init(removedBackslash: UTF8Range? = nil) { self.removedBackslash = removedBackslash }
}

/// `{{! ... }}` or `{{!-- ... --}}` (only the long form may contain `}}`).
public struct CommentNode: Sendable, Hashable {
    public var isLong: Bool
    /// The comment's text between the markers.
    public var contentRange: UTF8Range
    public var strip: WhitespaceStrip
}

/// How a mustache was written.
public enum MustacheForm: String, Sendable, Hashable {
    /// `{{x}}` (Handlebars would HTML-escape; Dotprompt renders with `noEscape`).
    case escaped
    /// `{{{x}}}`.
    case triple
    /// `{{&x}}`.
    case ampersand
}

/// `{{expression}}`, `{{{expression}}}` or `{{&expression}}`.
public struct MustacheNode: Sendable, Hashable {
    public var form: MustacheForm
    public var call: Call
    public var strip: WhitespaceStrip
}

/// What opened a block.
public enum BlockKind: String, Sendable, Hashable {
    /// `{{#name}}`.
    case normal
    /// `{{^name}}`: the first body renders when the value is falsy.
    case inverted
    /// `{{#> partial}}`: the body is the fallback content when the partial is missing.
    case partialBlock = "partial-block"
    /// `{{#*inline}}` and other decorator blocks (reported as unsupported).
    case decorator
}

/// `as |item index|`.
public struct BlockParameter: Sendable, Hashable {
    public var name: String
    public var range: UTF8Range
}

/// An opening tag `{{#helper params hash as |x|}}`.
public struct BlockOpenTag: Sendable, Hashable {
    public var range: UTF8Range
    public var call: Call
    public var blockParameters: [BlockParameter]
    public var strip: WhitespaceStrip
}

/// How an else branch was written.
public enum ElseForm: String, Sendable, Hashable {
    /// `{{else}}`.
    case `else`
    /// `{{^}}`.
    case caret
    /// `{{else if cond}}`, `{{else each items}}`: a chained block sharing the closing tag.
    case chained
}

/// A `{{else}}`, `{{^}}` or `{{else helper args}}` branch and the nodes after it.
public struct ElseBranch: Sendable, Hashable {
    public var form: ElseForm
    public var tagRange: UTF8Range
    /// The helper call of a chained branch (`if cond` in `{{else if cond}}`).
    public var call: Call?
    public var blockParameters: [BlockParameter]
    public var strip: WhitespaceStrip
    public var body: [TemplateNodeID]
}

/// `{{/name}}`.
public struct BlockCloseTag: Sendable, Hashable {
    public var range: UTF8Range
    public var name: Expression?
    public var strip: WhitespaceStrip
}

/// A block: opening tag, body, else branches (flattened from Handlebars' nested inverse chains), and
/// the closing tag (nil when unclosed; an `unclosed-block` error is reported).
public struct BlockNode: Sendable, Hashable {
    public var kind: BlockKind
    public var open: BlockOpenTag
    public var body: [TemplateNodeID]
    public var elseBranches: [ElseBranch]
    public var close: BlockCloseTag?

    /// The helper or partial name (`if`, `each`, `layout`), when it is a simple path or string.
    public var name: String? { open.call.callee.name }
}

/// `{{> name context key=value}}` or `{{> (dynamicName) }}`.
public struct PartialNode: Sendable, Hashable {
    /// The partial's name: a path or string literal, or a sub-expression for dynamic partials.
    public var name: Expression
    /// At most one context argument (Handlebars rejects more; extra ones are reported).
    public var context: Expression?
    public var hash: [HashPair]
    public var strip: WhitespaceStrip

    /// The static partial name, nil for dynamic partials.
    public var staticName: String? { name.name }
}

/// `{{{{raw}}}} ... {{{{/raw}}}}`: the content is not parsed.
public struct RawBlockNode: Sendable, Hashable {
    public var call: Call
    public var openRange: UTF8Range
    public var contentRange: UTF8Range
    /// nil when unclosed.
    public var closeRange: UTF8Range?
}

/// A tag that failed to parse or does not belong where it is.
public struct InvalidNode: Sendable, Hashable {
    /// The diagnostic code reported for it.
    public var code: String
}

/// A helper invocation or a plain value: `callee params... key=value...`. `{{name}}` is a call with no
/// arguments; whether `name` is a helper or a variable depends on the registered helpers.
public struct Call: Sendable, Hashable {
    public var range: UTF8Range
    public var callee: Expression
    public var params: [Expression]
    public var hash: [HashPair]

    public var hasArguments: Bool { !params.isEmpty || !hash.isEmpty }
}

/// `key=value`.
public struct HashPair: Sendable, Hashable {
    public var key: String
    public var keyRange: UTF8Range
    public var value: Expression
    public var range: UTF8Range
}

/// A Handlebars expression. Sub-expression nesting is capped by the parser (deeper nesting is an error),
/// so recursive algorithms over expressions are safe.
public indirect enum Expression: Sendable, Hashable {
    case path(PathExpression)
    case literal(LiteralExpression)
    case subExpression(Call)

    public var range: UTF8Range {
        switch self {
        case .path(let path): return path.range
        case .literal(let literal): return literal.range
        case .subExpression(let call): return call.range
        }
    }

    /// A simple name: a path's original text or a string literal's value.
    public var name: String? {
        switch self {
        case .path(let path): return path.original
        case .literal(let literal):
            if case .string(let value) = literal.value { return value }
            return nil
        case .subExpression: return nil
        }
    }

    public var path: PathExpression? {
        if case .path(let path) = self { return path }
        return nil
    }
}

/// One segment of a path; `[literal segment]` may contain any characters.
public struct PathSegment: Sendable, Hashable {
    public var name: String
    public var range: UTF8Range
    public var isBracketed: Bool
}

/// `a.b`, `a/b`, `this.x`, `./x`, `../x`, `@index`, `@root.x`, `[odd name].x`.
public struct PathExpression: Sendable, Hashable {
    public var range: UTF8Range
    /// The source text (Handlebars' `original`), used to match closing tags.
    public var original: String
    /// `@`-prefixed (`@index`, `@root`, `@key`, `@first`, `@last`, `@metadata`...).
    public var isData: Bool
    /// The number of leading `../`.
    public var parentDepth: Int
    /// Starts with `this` or `.` (the current context).
    public var isThis: Bool
    /// The remaining segments (without `this`, `.` and `..`).
    public var segments: [PathSegment]

    /// The first segment's name, if any.
    public var head: String? { segments.first?.name }
}

/// A literal argument.
public struct LiteralExpression: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case string(String)
        case number(Double)
        case boolean(Bool)
        case null
        case undefined
    }

    public var range: UTF8Range
    public var value: Value
}

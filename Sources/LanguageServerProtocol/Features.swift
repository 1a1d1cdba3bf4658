// Request and result types of the editor features (inlay hints, hover, code actions, completion,
// symbols, formatting, semantic tokens).

// MARK: Inlay hints

public struct InlayHintParams: Codable, Hashable, Sendable {
    public var textDocument: TextDocumentIdentifier
    public var range: LSPRange

    public init(textDocument: TextDocumentIdentifier, range: LSPRange) {
        self.textDocument = textDocument
        self.range = range
    }
}

public struct InlayHintKind: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let type = InlayHintKind(rawValue: 1)
    public static let parameter = InlayHintKind(rawValue: 2)
}

public struct InlayHintLabelPart: Codable, Hashable, Sendable {
    public var value: String
    public var tooltip: MarkupContent?
    public var location: Location?
    public var command: Command?

    public init(
        value: String, tooltip: MarkupContent? = nil, location: Location? = nil, command: Command? = nil
    ) {
        self.value = value
        self.tooltip = tooltip
        self.location = location
        self.command = command
    }
}

/// `string | InlayHintLabelPart[]`.
public enum InlayHintLabel: Codable, Hashable, Sendable {
    case string(String)
    case parts([InlayHintLabelPart])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else {
            self = .parts(try container.decode([InlayHintLabelPart].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .parts(let parts): try container.encode(parts)
        }
    }
}

public struct InlayHint: Codable, Hashable, Sendable {
    public var position: Position
    public var label: InlayHintLabel
    public var kind: InlayHintKind?
    public var textEdits: [TextEdit]?
    public var tooltip: MarkupContent?
    public var paddingLeft: Bool?
    public var paddingRight: Bool?
    /// Kept by the client and sent back on resolve (tokenmin puts the document version here).
    public var data: LSPAny?

    public init(
        position: Position, label: InlayHintLabel, kind: InlayHintKind? = nil, textEdits: [TextEdit]? = nil,
        tooltip: MarkupContent? = nil, paddingLeft: Bool? = nil, paddingRight: Bool? = nil,
        data: LSPAny? = nil
    ) {
        self.position = position
        self.label = label
        self.kind = kind
        self.textEdits = textEdits
        self.tooltip = tooltip
        self.paddingLeft = paddingLeft
        self.paddingRight = paddingRight
        self.data = data
    }
}

public struct InlayHintOptions: Codable, Hashable, Sendable {
    public var resolveProvider: Bool?
    public init(resolveProvider: Bool? = nil) { self.resolveProvider = resolveProvider }
}

// MARK: Hover

public struct Hover: Codable, Hashable, Sendable {
    public var contents: MarkupContent
    public var range: LSPRange?

    public init(contents: MarkupContent, range: LSPRange? = nil) {
        self.contents = contents
        self.range = range
    }
}

// MARK: Code actions

public struct CodeActionKind: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let quickFix = CodeActionKind(rawValue: "quickfix")
    public static let refactor = CodeActionKind(rawValue: "refactor")
    public static let refactorRewrite = CodeActionKind(rawValue: "refactor.rewrite")
    public static let source = CodeActionKind(rawValue: "source")
    public static let sourceFixAll = CodeActionKind(rawValue: "source.fixAll")
}

public struct CodeActionTriggerKind: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let invoked = CodeActionTriggerKind(rawValue: 1)
    public static let automatic = CodeActionTriggerKind(rawValue: 2)
}

public struct CodeActionContext: Codable, Hashable, Sendable {
    public var diagnostics: [Diagnostic]
    public var only: [CodeActionKind]?
    public var triggerKind: CodeActionTriggerKind?

    public init(
        diagnostics: [Diagnostic], only: [CodeActionKind]? = nil, triggerKind: CodeActionTriggerKind? = nil
    ) {
        self.diagnostics = diagnostics
        self.only = only
        self.triggerKind = triggerKind
    }
}

public struct CodeActionParams: Codable, Hashable, Sendable {
    public var textDocument: TextDocumentIdentifier
    public var range: LSPRange
    public var context: CodeActionContext

    public init(textDocument: TextDocumentIdentifier, range: LSPRange, context: CodeActionContext) {
        self.textDocument = textDocument
        self.range = range
        self.context = context
    }
}

public struct CodeAction: Codable, Hashable, Sendable {
    public struct Disabled: Codable, Hashable, Sendable {
        public var reason: String
        public init(reason: String) { self.reason = reason }
    }
    public var title: String
    public var kind: CodeActionKind?
    public var diagnostics: [Diagnostic]?
    public var isPreferred: Bool?
    public var disabled: Disabled?
    public var edit: WorkspaceEdit?
    public var command: Command?
    public var data: LSPAny?

    public init(
        title: String, kind: CodeActionKind? = nil, diagnostics: [Diagnostic]? = nil,
        isPreferred: Bool? = nil,
        disabled: Disabled? = nil, edit: WorkspaceEdit? = nil, command: Command? = nil, data: LSPAny? = nil
    ) {
        self.title = title
        self.kind = kind
        self.diagnostics = diagnostics
        self.isPreferred = isPreferred
        self.disabled = disabled
        self.edit = edit
        self.command = command
        self.data = data
    }
}

/// An element of a `textDocument/codeAction` result: `Command | CodeAction`.
public enum CommandOrCodeAction: Codable, Hashable, Sendable {
    case command(Command)
    case codeAction(CodeAction)

    public init(from decoder: any Decoder) throws {
        // A Command has a string `command` member; a CodeAction's `command` is an object.
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        if (try? container.decode(String.self, forKey: AnyCodingKey("command"))) != nil {
            self = .command(try Command(from: decoder))
        } else {
            self = .codeAction(try CodeAction(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .command(let command): try command.encode(to: encoder)
        case .codeAction(let action): try action.encode(to: encoder)
        }
    }
}

public struct CodeActionOptions: Codable, Hashable, Sendable {
    public var codeActionKinds: [CodeActionKind]?
    public var resolveProvider: Bool?

    public init(codeActionKinds: [CodeActionKind]? = nil, resolveProvider: Bool? = nil) {
        self.codeActionKinds = codeActionKinds
        self.resolveProvider = resolveProvider
    }
}

// MARK: Completion

public struct CompletionTriggerKind: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let invoked = CompletionTriggerKind(rawValue: 1)
    public static let triggerCharacter = CompletionTriggerKind(rawValue: 2)
    public static let triggerForIncompleteCompletions = CompletionTriggerKind(rawValue: 3)
}

public struct CompletionContext: Codable, Hashable, Sendable {
    public var triggerKind: CompletionTriggerKind
    public var triggerCharacter: String?

    public init(triggerKind: CompletionTriggerKind, triggerCharacter: String? = nil) {
        self.triggerKind = triggerKind
        self.triggerCharacter = triggerCharacter
    }
}

public struct CompletionParams: Codable, Hashable, Sendable {
    public var textDocument: TextDocumentIdentifier
    public var position: Position
    public var context: CompletionContext?

    public init(textDocument: TextDocumentIdentifier, position: Position, context: CompletionContext? = nil) {
        self.textDocument = textDocument
        self.position = position
        self.context = context
    }
}

public struct CompletionItemKind: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let text = CompletionItemKind(rawValue: 1)
    public static let function = CompletionItemKind(rawValue: 3)
    public static let variable = CompletionItemKind(rawValue: 6)
    public static let property = CompletionItemKind(rawValue: 10)
    public static let value = CompletionItemKind(rawValue: 12)
    public static let keyword = CompletionItemKind(rawValue: 14)
    public static let snippet = CompletionItemKind(rawValue: 15)
    public static let file = CompletionItemKind(rawValue: 17)
    public static let constant = CompletionItemKind(rawValue: 21)
}

public struct InsertTextFormat: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let plainText = InsertTextFormat(rawValue: 1)
    public static let snippet = InsertTextFormat(rawValue: 2)
}

/// `string | MarkupContent` (completion documentation).
public enum StringOrMarkupContent: Codable, Hashable, Sendable {
    case string(String)
    case markup(MarkupContent)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else {
            self = .markup(try container.decode(MarkupContent.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .markup(let markup): try container.encode(markup)
        }
    }
}

public struct CompletionItemLabelDetails: Codable, Hashable, Sendable {
    public var detail: String?
    public var description: String?

    public init(detail: String? = nil, description: String? = nil) {
        self.detail = detail
        self.description = description
    }
}

public struct CompletionItem: Codable, Hashable, Sendable {
    public var label: String
    public var labelDetails: CompletionItemLabelDetails?
    public var kind: CompletionItemKind?
    public var detail: String?
    public var documentation: StringOrMarkupContent?
    public var sortText: String?
    public var filterText: String?
    public var insertText: String?
    public var insertTextFormat: InsertTextFormat?
    public var textEdit: TextEdit?
    public var data: LSPAny?

    public init(
        label: String, labelDetails: CompletionItemLabelDetails? = nil, kind: CompletionItemKind? = nil,
        detail: String? = nil, documentation: StringOrMarkupContent? = nil, sortText: String? = nil,
        filterText: String? = nil, insertText: String? = nil, insertTextFormat: InsertTextFormat? = nil,
        textEdit: TextEdit? = nil, data: LSPAny? = nil
    ) {
        self.label = label
        self.labelDetails = labelDetails
        self.kind = kind
        self.detail = detail
        self.documentation = documentation
        self.sortText = sortText
        self.filterText = filterText
        self.insertText = insertText
        self.insertTextFormat = insertTextFormat
        self.textEdit = textEdit
        self.data = data
    }
}

public struct CompletionList: Codable, Hashable, Sendable {
    public var isIncomplete: Bool
    public var items: [CompletionItem]

    public init(isIncomplete: Bool, items: [CompletionItem]) {
        self.isIncomplete = isIncomplete
        self.items = items
    }
}

public struct CompletionOptions: Codable, Hashable, Sendable {
    public var triggerCharacters: [String]?
    public var resolveProvider: Bool?

    public init(triggerCharacters: [String]? = nil, resolveProvider: Bool? = nil) {
        self.triggerCharacters = triggerCharacters
        self.resolveProvider = resolveProvider
    }
}

// MARK: Document symbols

public struct SymbolKind: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let file = SymbolKind(rawValue: 1)
    public static let module = SymbolKind(rawValue: 2)
    public static let namespace = SymbolKind(rawValue: 3)
    public static let property = SymbolKind(rawValue: 7)
    public static let field = SymbolKind(rawValue: 8)
    public static let function = SymbolKind(rawValue: 12)
    public static let variable = SymbolKind(rawValue: 13)
    public static let string = SymbolKind(rawValue: 15)
    public static let object = SymbolKind(rawValue: 19)
    public static let key = SymbolKind(rawValue: 20)
    public static let event = SymbolKind(rawValue: 24)
}

public struct DocumentSymbol: Codable, Hashable, Sendable {
    public var name: String
    public var detail: String?
    public var kind: SymbolKind
    public var range: LSPRange
    public var selectionRange: LSPRange
    public var children: [DocumentSymbol]?

    public init(
        name: String, detail: String? = nil, kind: SymbolKind, range: LSPRange, selectionRange: LSPRange,
        children: [DocumentSymbol]? = nil
    ) {
        self.name = name
        self.detail = detail
        self.kind = kind
        self.range = range
        self.selectionRange = selectionRange
        self.children = children
    }
}

// MARK: Formatting

public struct FormattingOptions: Codable, Hashable, Sendable {
    public var tabSize: Int
    public var insertSpaces: Bool
    public var trimTrailingWhitespace: Bool?
    public var insertFinalNewline: Bool?
    public var trimFinalNewlines: Bool?

    public init(
        tabSize: Int, insertSpaces: Bool, trimTrailingWhitespace: Bool? = nil,
        insertFinalNewline: Bool? = nil,
        trimFinalNewlines: Bool? = nil
    ) {
        self.tabSize = tabSize
        self.insertSpaces = insertSpaces
        self.trimTrailingWhitespace = trimTrailingWhitespace
        self.insertFinalNewline = insertFinalNewline
        self.trimFinalNewlines = trimFinalNewlines
    }
}

public struct DocumentFormattingParams: Codable, Hashable, Sendable {
    public var textDocument: TextDocumentIdentifier
    public var options: FormattingOptions

    public init(textDocument: TextDocumentIdentifier, options: FormattingOptions) {
        self.textDocument = textDocument
        self.options = options
    }
}

// MARK: Semantic tokens

public struct SemanticTokensLegend: Codable, Hashable, Sendable {
    public var tokenTypes: [String]
    public var tokenModifiers: [String]

    public init(tokenTypes: [String], tokenModifiers: [String]) {
        self.tokenTypes = tokenTypes
        self.tokenModifiers = tokenModifiers
    }
}

public struct SemanticTokensOptions: Codable, Hashable, Sendable {
    public var legend: SemanticTokensLegend
    public var range: Bool?
    public var full: SemanticTokensFullOption?

    public init(legend: SemanticTokensLegend, range: Bool? = nil, full: SemanticTokensFullOption? = nil) {
        self.legend = legend
        self.range = range
        self.full = full
    }
}

/// Relative-encoded tokens: five integers per token (delta line, delta start, length, type, modifiers).
public struct SemanticTokens: Codable, Hashable, Sendable {
    public var resultId: String?
    public var data: [UInt32]

    public init(resultId: String? = nil, data: [UInt32]) {
        self.resultId = resultId
        self.data = data
    }
}

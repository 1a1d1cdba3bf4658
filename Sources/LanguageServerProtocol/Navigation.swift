// Navigation and workspace types: definition, references, rename (with file operations), document
// highlights, folding and selection ranges, workspace diagnostics.

// MARK: Definition and references

/// `textDocument/definition`: one location (or none).
public enum DefinitionRequest: LSPRequest {
    public typealias Params = TextDocumentPositionParams
    public typealias Result = [Location]?
    public static let method = "textDocument/definition"
}

public struct ReferenceContext: Codable, Hashable, Sendable {
    public var includeDeclaration: Bool
    public init(includeDeclaration: Bool) { self.includeDeclaration = includeDeclaration }
}

public struct ReferenceParams: Codable, Hashable, Sendable {
    public var textDocument: TextDocumentIdentifier
    public var position: Position
    public var context: ReferenceContext

    public init(textDocument: TextDocumentIdentifier, position: Position, context: ReferenceContext) {
        self.textDocument = textDocument
        self.position = position
        self.context = context
    }
}

public enum ReferencesRequest: LSPRequest {
    public typealias Params = ReferenceParams
    public typealias Result = [Location]?
    public static let method = "textDocument/references"
}

// MARK: Rename

/// The `{range, placeholder}` form of `prepareRename`'s result.
public struct PrepareRenameResult: Codable, Hashable, Sendable {
    public var range: LSPRange
    public var placeholder: String

    public init(range: LSPRange, placeholder: String) {
        self.range = range
        self.placeholder = placeholder
    }
}

public enum PrepareRenameRequest: LSPRequest {
    public typealias Params = TextDocumentPositionParams
    public typealias Result = PrepareRenameResult?
    public static let method = "textDocument/prepareRename"
}

public struct RenameParams: Codable, Hashable, Sendable {
    public var textDocument: TextDocumentIdentifier
    public var position: Position
    public var newName: String

    public init(textDocument: TextDocumentIdentifier, position: Position, newName: String) {
        self.textDocument = textDocument
        self.position = position
        self.newName = newName
    }
}

public enum RenameRequest: LSPRequest {
    public typealias Params = RenameParams
    public typealias Result = WorkspaceEdit?
    public static let method = "textDocument/rename"
}

public struct RenameOptions: Codable, Hashable, Sendable {
    public var prepareProvider: Bool?
    public init(prepareProvider: Bool? = nil) { self.prepareProvider = prepareProvider }
}

/// `renameProvider`: `true`, or options, which the specification allows only for clients that
/// declare `textDocument.rename.prepareSupport`.
public enum RenameProvider: Codable, Hashable, Sendable {
    case bool(Bool)
    case options(RenameOptions)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else {
            self = .options(try container.decode(RenameOptions.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .bool(let flag): try flag.encode(to: encoder)
        case .options(let options): try options.encode(to: encoder)
        }
    }
}

public struct RenameClientCapability: Codable, Hashable, Sendable {
    public var dynamicRegistration: Bool?
    public var prepareSupport: Bool?
    public init(dynamicRegistration: Bool? = nil, prepareSupport: Bool? = nil) {
        self.dynamicRegistration = dynamicRegistration
        self.prepareSupport = prepareSupport
    }
}

/// `{overwrite?, ignoreIfExists?}` of a create or rename file operation.
public struct FileOperationOptions: Codable, Hashable, Sendable {
    public var overwrite: Bool?
    public var ignoreIfExists: Bool?

    public init(overwrite: Bool? = nil, ignoreIfExists: Bool? = nil) {
        self.overwrite = overwrite
        self.ignoreIfExists = ignoreIfExists
    }
}

/// A `create` resource operation.
public struct CreateFile: Codable, Hashable, Sendable {
    public var kind = "create"
    public var uri: DocumentURI
    public var options: FileOperationOptions?

    public init(uri: DocumentURI, options: FileOperationOptions? = nil) {
        self.uri = uri
        self.options = options
    }
}

/// A `rename` resource operation.
public struct RenameFile: Codable, Hashable, Sendable {
    public var kind = "rename"
    public var oldUri: DocumentURI
    public var newUri: DocumentURI
    public var options: FileOperationOptions?

    public init(oldUri: DocumentURI, newUri: DocumentURI, options: FileOperationOptions? = nil) {
        self.oldUri = oldUri
        self.newUri = newUri
        self.options = options
    }
}

/// One entry of `WorkspaceEdit.documentChanges`: text edits to a document, or a file operation.
public enum DocumentChange: Codable, Hashable, Sendable {
    case edit(TextDocumentEdit)
    case create(CreateFile)
    case rename(RenameFile)

    private enum CodingKeys: String, CodingKey { case kind }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decodeIfPresent(String.self, forKey: .kind) {
        case nil: self = .edit(try TextDocumentEdit(from: decoder))
        case "create": self = .create(try CreateFile(from: decoder))
        case "rename": self = .rename(try RenameFile(from: decoder))
        case let kind?:
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: container.codingPath,
                    debugDescription: "unsupported resource operation '\(kind)'"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .edit(let edit): try edit.encode(to: encoder)
        case .create(let create): try create.encode(to: encoder)
        case .rename(let rename): try rename.encode(to: encoder)
        }
    }
}

// MARK: Document highlights

public struct DocumentHighlightKind: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let text = DocumentHighlightKind(rawValue: 1)
    public static let read = DocumentHighlightKind(rawValue: 2)
    public static let write = DocumentHighlightKind(rawValue: 3)
}

public struct DocumentHighlight: Codable, Hashable, Sendable {
    public var range: LSPRange
    public var kind: DocumentHighlightKind?

    public init(range: LSPRange, kind: DocumentHighlightKind? = nil) {
        self.range = range
        self.kind = kind
    }
}

public enum DocumentHighlightRequest: LSPRequest {
    public typealias Params = TextDocumentPositionParams
    public typealias Result = [DocumentHighlight]?
    public static let method = "textDocument/documentHighlight"
}

// MARK: Folding and selection ranges

public struct FoldingRangeKind: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let comment = FoldingRangeKind(rawValue: "comment")
    public static let imports = FoldingRangeKind(rawValue: "imports")
    public static let region = FoldingRangeKind(rawValue: "region")
}

/// A foldable line range (lines are zero-based; columns are left out: whole lines fold).
public struct FoldingRange: Codable, Hashable, Sendable {
    public var startLine: Int
    public var endLine: Int
    public var kind: FoldingRangeKind?
    public var collapsedText: String?

    public init(startLine: Int, endLine: Int, kind: FoldingRangeKind? = nil, collapsedText: String? = nil) {
        self.startLine = startLine
        self.endLine = endLine
        self.kind = kind
        self.collapsedText = collapsedText
    }
}

public enum FoldingRangeRequest: LSPRequest {
    public typealias Params = TextDocumentParams
    public typealias Result = [FoldingRange]?
    public static let method = "textDocument/foldingRange"
}

public struct SelectionRangeParams: Codable, Hashable, Sendable {
    public var textDocument: TextDocumentIdentifier
    public var positions: [Position]

    public init(textDocument: TextDocumentIdentifier, positions: [Position]) {
        self.textDocument = textDocument
        self.positions = positions
    }
}

/// A range and the range that contains it, innermost first.
public final class SelectionRange: Codable, Hashable, Sendable {
    public let range: LSPRange
    public let parent: SelectionRange?

    public init(range: LSPRange, parent: SelectionRange? = nil) {
        self.range = range
        self.parent = parent
    }

    public static func == (lhs: SelectionRange, rhs: SelectionRange) -> Bool {
        lhs.range == rhs.range && lhs.parent == rhs.parent
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(range)
        hasher.combine(parent)
    }
}

public enum SelectionRangeRequest: LSPRequest {
    public typealias Params = SelectionRangeParams
    public typealias Result = [SelectionRange]?
    public static let method = "textDocument/selectionRange"
}

// MARK: Workspace diagnostics

public struct PreviousResultId: Codable, Hashable, Sendable {
    public var uri: DocumentURI
    public var value: String
    public init(uri: DocumentURI, value: String) {
        self.uri = uri
        self.value = value
    }
}

public struct WorkspaceDiagnosticParams: Codable, Hashable, Sendable {
    public var identifier: String?
    /// Required by the specification; tolerated when missing.
    public var previousResultIds: [PreviousResultId]?

    public init(identifier: String? = nil, previousResultIds: [PreviousResultId]? = []) {
        self.identifier = identifier
        self.previousResultIds = previousResultIds
    }
}

/// The diagnostics of one file in a workspace report: `full` with its items, or `unchanged` since the
/// `resultId` the client sent. `version` is null for files the client does not have open.
public struct WorkspaceDocumentDiagnosticReport: Codable, Hashable, Sendable {
    public var kind: String
    public var resultId: String?
    public var items: [Diagnostic]?
    public var uri: DocumentURI
    public var version: Int?

    public static func full(uri: DocumentURI, version: Int?, items: [Diagnostic], resultId: String? = nil)
        -> Self
    {
        Self(kind: "full", resultId: resultId, items: items, uri: uri, version: version)
    }

    public static func unchanged(uri: DocumentURI, version: Int?, resultId: String) -> Self {
        Self(kind: "unchanged", resultId: resultId, items: nil, uri: uri, version: version)
    }

    private init(kind: String, resultId: String?, items: [Diagnostic]?, uri: DocumentURI, version: Int?) {
        self.kind = kind
        self.resultId = resultId
        self.items = items
        self.uri = uri
        self.version = version
    }

    private enum CodingKeys: String, CodingKey { case kind, resultId, items, uri, version }

    public func encode(to encoder: any Encoder) throws {
        // `version` is required on the wire, as null for unopened files.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(resultId, forKey: .resultId)
        try container.encodeIfPresent(items, forKey: .items)
        try container.encode(uri, forKey: .uri)
        try container.encode(version, forKey: .version)
    }
}

public struct WorkspaceDiagnosticReport: Codable, Hashable, Sendable {
    public var items: [WorkspaceDocumentDiagnosticReport]
    public init(items: [WorkspaceDocumentDiagnosticReport]) { self.items = items }
}

public enum WorkspaceDiagnosticRequest: LSPRequest {
    public typealias Params = WorkspaceDiagnosticParams
    public typealias Result = WorkspaceDiagnosticReport
    public static let method = "workspace/diagnostic"
}

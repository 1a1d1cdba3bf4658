/// A position encoding name (`general.positionEncodings`, `ServerCapabilities.positionEncoding`).
public struct PositionEncodingKind: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let utf8 = PositionEncodingKind(rawValue: "utf-8")
    public static let utf16 = PositionEncodingKind(rawValue: "utf-16")
    public static let utf32 = PositionEncodingKind(rawValue: "utf-32")
}

/// `$/setTrace` and `initialize`'s `trace`.
public struct TraceValue: RawRepresentable, Codable, Hashable, Sendable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let off = TraceValue(rawValue: "off")
    public static let messages = TraceValue(rawValue: "messages")
    public static let verbose = TraceValue(rawValue: "verbose")
}

public struct WorkspaceFolder: Codable, Hashable, Sendable {
    public var uri: DocumentURI
    public var name: String

    public init(uri: DocumentURI, name: String) {
        self.uri = uri
        self.name = name
    }
}

/// `{name, version?}` of the client or the server.
public struct PeerInfo: Codable, Hashable, Sendable {
    public var name: String
    public var version: String?

    public init(name: String, version: String? = nil) {
        self.name = name
        self.version = version
    }
}

public struct InitializeParams: Codable, Hashable, Sendable {
    public var processId: Int?
    public var clientInfo: PeerInfo?
    public var locale: String?
    public var rootPath: String?
    public var rootUri: DocumentURI?
    public var initializationOptions: LSPAny?
    public var capabilities: ClientCapabilities
    public var trace: TraceValue?
    public var workspaceFolders: [WorkspaceFolder]?

    public init(
        processId: Int? = nil, clientInfo: PeerInfo? = nil, locale: String? = nil, rootPath: String? = nil,
        rootUri: DocumentURI? = nil, initializationOptions: LSPAny? = nil,
        capabilities: ClientCapabilities = .init(),
        trace: TraceValue? = nil, workspaceFolders: [WorkspaceFolder]? = nil
    ) {
        self.processId = processId
        self.clientInfo = clientInfo
        self.locale = locale
        self.rootPath = rootPath
        self.rootUri = rootUri
        self.initializationOptions = initializationOptions
        self.capabilities = capabilities
        self.trace = trace
        self.workspaceFolders = workspaceFolders
    }

    public func encode(to encoder: any Encoder) throws {
        // `processId` and `rootUri` are required members that may be null.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(processId, forKey: .processId)
        try container.encodeIfPresent(clientInfo, forKey: .clientInfo)
        try container.encodeIfPresent(locale, forKey: .locale)
        try container.encodeIfPresent(rootPath, forKey: .rootPath)
        try container.encode(rootUri, forKey: .rootUri)
        try container.encodeIfPresent(initializationOptions, forKey: .initializationOptions)
        try container.encode(capabilities, forKey: .capabilities)
        try container.encodeIfPresent(trace, forKey: .trace)
        try container.encodeIfPresent(workspaceFolders, forKey: .workspaceFolders)
    }
}

/// `{dynamicRegistration?}`, the shape of many client capabilities.
public struct DynamicRegistrationCapability: Codable, Hashable, Sendable {
    public var dynamicRegistration: Bool?
    public init(dynamicRegistration: Bool? = nil) { self.dynamicRegistration = dynamicRegistration }
}

/// `{refreshSupport?}` (inlay hints, diagnostics, semantic tokens in the workspace capabilities).
public struct RefreshCapability: Codable, Hashable, Sendable {
    public var refreshSupport: Bool?
    public init(refreshSupport: Bool? = nil) { self.refreshSupport = refreshSupport }
}

/// `{properties: string[]}`: which properties the client can resolve lazily.
public struct ResolveSupport: Codable, Hashable, Sendable {
    public var properties: [String]
    public init(properties: [String]) { self.properties = properties }
}

/// The client capabilities tokenmin reads. Unknown members are ignored when decoding.
public struct ClientCapabilities: Codable, Hashable, Sendable {
    public var workspace: Workspace?
    public var textDocument: TextDocument?
    public var window: Window?
    public var general: General?
    public var experimental: LSPAny?

    public init(
        workspace: Workspace? = nil, textDocument: TextDocument? = nil, window: Window? = nil,
        general: General? = nil,
        experimental: LSPAny? = nil
    ) {
        self.workspace = workspace
        self.textDocument = textDocument
        self.window = window
        self.general = general
        self.experimental = experimental
    }

    public struct Workspace: Codable, Hashable, Sendable {
        public var applyEdit: Bool?
        public var workspaceEdit: WorkspaceEditCapability?
        public var didChangeConfiguration: DynamicRegistrationCapability?
        public var didChangeWatchedFiles: DidChangeWatchedFilesCapability?
        public var executeCommand: DynamicRegistrationCapability?
        public var workspaceFolders: Bool?
        public var configuration: Bool?
        public var semanticTokens: RefreshCapability?
        public var inlayHint: RefreshCapability?
        public var diagnostics: RefreshCapability?

        public init(
            applyEdit: Bool? = nil, workspaceEdit: WorkspaceEditCapability? = nil,
            didChangeConfiguration: DynamicRegistrationCapability? = nil,
            didChangeWatchedFiles: DidChangeWatchedFilesCapability? = nil,
            executeCommand: DynamicRegistrationCapability? = nil, workspaceFolders: Bool? = nil,
            configuration: Bool? = nil, semanticTokens: RefreshCapability? = nil,
            inlayHint: RefreshCapability? = nil,
            diagnostics: RefreshCapability? = nil
        ) {
            self.applyEdit = applyEdit
            self.workspaceEdit = workspaceEdit
            self.didChangeConfiguration = didChangeConfiguration
            self.didChangeWatchedFiles = didChangeWatchedFiles
            self.executeCommand = executeCommand
            self.workspaceFolders = workspaceFolders
            self.configuration = configuration
            self.semanticTokens = semanticTokens
            self.inlayHint = inlayHint
            self.diagnostics = diagnostics
        }
    }

    public struct WorkspaceEditCapability: Codable, Hashable, Sendable {
        public var documentChanges: Bool?
        /// The file operations the client applies in `documentChanges`: `create`, `rename`, `delete`.
        public var resourceOperations: [String]?
        public init(documentChanges: Bool? = nil, resourceOperations: [String]? = nil) {
            self.documentChanges = documentChanges
            self.resourceOperations = resourceOperations
        }
    }

    public struct DidChangeWatchedFilesCapability: Codable, Hashable, Sendable {
        public var dynamicRegistration: Bool?
        public var relativePatternSupport: Bool?

        public init(dynamicRegistration: Bool? = nil, relativePatternSupport: Bool? = nil) {
            self.dynamicRegistration = dynamicRegistration
            self.relativePatternSupport = relativePatternSupport
        }
    }

    public struct TextDocument: Codable, Hashable, Sendable {
        public var synchronization: Synchronization?
        public var completion: Completion?
        public var hover: Hover?
        public var codeAction: CodeAction?
        public var documentSymbol: DocumentSymbol?
        public var formatting: DynamicRegistrationCapability?
        public var publishDiagnostics: PublishDiagnostics?
        public var diagnostic: Diagnostic?
        public var inlayHint: InlayHint?
        public var semanticTokens: SemanticTokens?
        /// `{prepareSupport?}`: whether the client sends `textDocument/prepareRename`.
        public var rename: RenameClientCapability? = nil

        public init(
            synchronization: Synchronization? = nil, completion: Completion? = nil, hover: Hover? = nil,
            codeAction: CodeAction? = nil, documentSymbol: DocumentSymbol? = nil,
            formatting: DynamicRegistrationCapability? = nil, publishDiagnostics: PublishDiagnostics? = nil,
            diagnostic: Diagnostic? = nil, inlayHint: InlayHint? = nil, semanticTokens: SemanticTokens? = nil
        ) {
            self.synchronization = synchronization
            self.completion = completion
            self.hover = hover
            self.codeAction = codeAction
            self.documentSymbol = documentSymbol
            self.formatting = formatting
            self.publishDiagnostics = publishDiagnostics
            self.diagnostic = diagnostic
            self.inlayHint = inlayHint
            self.semanticTokens = semanticTokens
        }
    }

    public struct Synchronization: Codable, Hashable, Sendable {
        public var dynamicRegistration: Bool?
        public var willSave: Bool?
        public var willSaveWaitUntil: Bool?
        public var didSave: Bool?

        public init(
            dynamicRegistration: Bool? = nil, willSave: Bool? = nil, willSaveWaitUntil: Bool? = nil,
            didSave: Bool? = nil
        ) {
            self.dynamicRegistration = dynamicRegistration
            self.willSave = willSave
            self.willSaveWaitUntil = willSaveWaitUntil
            self.didSave = didSave
        }
    }

    public struct Completion: Codable, Hashable, Sendable {
        public var dynamicRegistration: Bool?
        public var completionItem: CompletionItemCapability?
        public var contextSupport: Bool?

        public init(
            dynamicRegistration: Bool? = nil, completionItem: CompletionItemCapability? = nil,
            contextSupport: Bool? = nil
        ) {
            self.dynamicRegistration = dynamicRegistration
            self.completionItem = completionItem
            self.contextSupport = contextSupport
        }
    }

    public struct CompletionItemCapability: Codable, Hashable, Sendable {
        public var snippetSupport: Bool?
        public var documentationFormat: [MarkupKind]?
        public var deprecatedSupport: Bool?
        public var labelDetailsSupport: Bool?
        public var resolveSupport: ResolveSupport?

        public init(
            snippetSupport: Bool? = nil, documentationFormat: [MarkupKind]? = nil,
            deprecatedSupport: Bool? = nil,
            labelDetailsSupport: Bool? = nil, resolveSupport: ResolveSupport? = nil
        ) {
            self.snippetSupport = snippetSupport
            self.documentationFormat = documentationFormat
            self.deprecatedSupport = deprecatedSupport
            self.labelDetailsSupport = labelDetailsSupport
            self.resolveSupport = resolveSupport
        }
    }

    public struct Hover: Codable, Hashable, Sendable {
        public var dynamicRegistration: Bool?
        public var contentFormat: [MarkupKind]?

        public init(dynamicRegistration: Bool? = nil, contentFormat: [MarkupKind]? = nil) {
            self.dynamicRegistration = dynamicRegistration
            self.contentFormat = contentFormat
        }
    }

    public struct CodeAction: Codable, Hashable, Sendable {
        public var dynamicRegistration: Bool?
        public var codeActionLiteralSupport: CodeActionLiteralSupport?
        public var isPreferredSupport: Bool?
        public var dataSupport: Bool?
        public var resolveSupport: ResolveSupport?

        public init(
            dynamicRegistration: Bool? = nil, codeActionLiteralSupport: CodeActionLiteralSupport? = nil,
            isPreferredSupport: Bool? = nil, dataSupport: Bool? = nil, resolveSupport: ResolveSupport? = nil
        ) {
            self.dynamicRegistration = dynamicRegistration
            self.codeActionLiteralSupport = codeActionLiteralSupport
            self.isPreferredSupport = isPreferredSupport
            self.dataSupport = dataSupport
            self.resolveSupport = resolveSupport
        }
    }

    public struct CodeActionLiteralSupport: Codable, Hashable, Sendable {
        public struct Kinds: Codable, Hashable, Sendable {
            public var valueSet: [CodeActionKind]
            public init(valueSet: [CodeActionKind]) { self.valueSet = valueSet }
        }
        public var codeActionKind: Kinds
        public init(codeActionKind: Kinds) { self.codeActionKind = codeActionKind }
    }

    public struct DocumentSymbol: Codable, Hashable, Sendable {
        public var dynamicRegistration: Bool?
        public var hierarchicalDocumentSymbolSupport: Bool?

        public init(dynamicRegistration: Bool? = nil, hierarchicalDocumentSymbolSupport: Bool? = nil) {
            self.dynamicRegistration = dynamicRegistration
            self.hierarchicalDocumentSymbolSupport = hierarchicalDocumentSymbolSupport
        }
    }

    public struct PublishDiagnostics: Codable, Hashable, Sendable {
        public var relatedInformation: Bool?
        public var versionSupport: Bool?
        public var codeDescriptionSupport: Bool?
        public var dataSupport: Bool?

        public init(
            relatedInformation: Bool? = nil, versionSupport: Bool? = nil, codeDescriptionSupport: Bool? = nil,
            dataSupport: Bool? = nil
        ) {
            self.relatedInformation = relatedInformation
            self.versionSupport = versionSupport
            self.codeDescriptionSupport = codeDescriptionSupport
            self.dataSupport = dataSupport
        }
    }

    public struct Diagnostic: Codable, Hashable, Sendable {
        public var dynamicRegistration: Bool?
        public var relatedDocumentSupport: Bool?

        public init(dynamicRegistration: Bool? = nil, relatedDocumentSupport: Bool? = nil) {
            self.dynamicRegistration = dynamicRegistration
            self.relatedDocumentSupport = relatedDocumentSupport
        }
    }

    public struct InlayHint: Codable, Hashable, Sendable {
        public var dynamicRegistration: Bool?
        public var resolveSupport: ResolveSupport?

        public init(dynamicRegistration: Bool? = nil, resolveSupport: ResolveSupport? = nil) {
            self.dynamicRegistration = dynamicRegistration
            self.resolveSupport = resolveSupport
        }
    }

    public struct SemanticTokens: Codable, Hashable, Sendable {
        public struct Requests: Codable, Hashable, Sendable {
            public var range: Bool?
            public var full: SemanticTokensFullOption?
            public init(range: Bool? = nil, full: SemanticTokensFullOption? = nil) {
                self.range = range
                self.full = full
            }

            public init(from decoder: any Decoder) throws {
                // `range` is `boolean | {}`; an object means supported.
                let container = try decoder.container(keyedBy: CodingKeys.self)
                if let flag = try? container.decodeIfPresent(Bool.self, forKey: .range) {
                    range = flag
                } else {
                    range = container.contains(.range) ? true : nil
                }
                full = try container.decodeIfPresent(SemanticTokensFullOption.self, forKey: .full)
            }
        }
        public var dynamicRegistration: Bool?
        public var requests: Requests
        public var tokenTypes: [String]
        public var tokenModifiers: [String]
        public var formats: [String]
        public var multilineTokenSupport: Bool?
        public var overlappingTokenSupport: Bool?

        public init(
            dynamicRegistration: Bool? = nil, requests: Requests, tokenTypes: [String],
            tokenModifiers: [String],
            formats: [String] = ["relative"], multilineTokenSupport: Bool? = nil,
            overlappingTokenSupport: Bool? = nil
        ) {
            self.dynamicRegistration = dynamicRegistration
            self.requests = requests
            self.tokenTypes = tokenTypes
            self.tokenModifiers = tokenModifiers
            self.formats = formats
            self.multilineTokenSupport = multilineTokenSupport
            self.overlappingTokenSupport = overlappingTokenSupport
        }
    }

    public struct Window: Codable, Hashable, Sendable {
        public var workDoneProgress: Bool?
        public var showMessage: LSPAny?
        public var showDocument: LSPAny?

        public init(workDoneProgress: Bool? = nil, showMessage: LSPAny? = nil, showDocument: LSPAny? = nil) {
            self.workDoneProgress = workDoneProgress
            self.showMessage = showMessage
            self.showDocument = showDocument
        }
    }

    public struct General: Codable, Hashable, Sendable {
        /// The encodings the client supports, most preferred first; UTF-16 is implied when absent.
        public var positionEncodings: [PositionEncodingKind]?
        public init(positionEncodings: [PositionEncodingKind]? = nil) {
            self.positionEncodings = positionEncodings
        }
    }
}

/// `boolean | {delta?: boolean}` of semantic-token `full` support.
public enum SemanticTokensFullOption: Codable, Hashable, Sendable {
    case bool(Bool)
    case delta(Bool?)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else {
            struct Options: Decodable { var delta: Bool? }
            self = .delta(try container.decode(Options.self).delta)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .delta(let delta):
            var container = encoder.container(keyedBy: AnyCodingKey.self)
            try container.encodeIfPresent(delta, forKey: AnyCodingKey("delta"))
        }
    }
}

public struct InitializeResult: Codable, Hashable, Sendable {
    public var capabilities: ServerCapabilities
    public var serverInfo: PeerInfo?

    public init(capabilities: ServerCapabilities, serverInfo: PeerInfo? = nil) {
        self.capabilities = capabilities
        self.serverInfo = serverInfo
    }
}

/// What the server offers. Each handler fills in its own member; nil members are omitted.
public struct ServerCapabilities: Codable, Hashable, Sendable {
    public var positionEncoding: PositionEncodingKind?
    public var textDocumentSync: TextDocumentSyncOptions?
    public var hoverProvider: Bool?
    public var completionProvider: CompletionOptions?
    public var documentSymbolProvider: Bool?
    public var codeActionProvider: CodeActionOptions?
    public var documentFormattingProvider: Bool?
    public var semanticTokensProvider: SemanticTokensOptions?
    public var inlayHintProvider: InlayHintOptions?
    public var diagnosticProvider: DiagnosticOptions?
    public var executeCommandProvider: ExecuteCommandOptions?
    public var definitionProvider: Bool?
    public var referencesProvider: Bool?
    public var renameProvider: RenameProvider?
    public var documentHighlightProvider: Bool?
    public var foldingRangeProvider: Bool?
    public var selectionRangeProvider: Bool?
    public var workspace: WorkspaceServerCapabilities?
    public var experimental: LSPAny?

    public init() {}
}

public struct WorkspaceServerCapabilities: Codable, Hashable, Sendable {
    public struct WorkspaceFolders: Codable, Hashable, Sendable {
        public var supported: Bool?
        public var changeNotifications: Bool?
        public init(supported: Bool? = nil, changeNotifications: Bool? = nil) {
            self.supported = supported
            self.changeNotifications = changeNotifications
        }
    }
    public var workspaceFolders: WorkspaceFolders?
    public init(workspaceFolders: WorkspaceFolders? = nil) { self.workspaceFolders = workspaceFolders }
}

public struct CancelParams: Codable, Hashable, Sendable {
    public var id: RequestID
    public init(id: RequestID) { self.id = id }
}

public struct SetTraceParams: Codable, Hashable, Sendable {
    public var value: TraceValue
    public init(value: TraceValue) { self.value = value }
}

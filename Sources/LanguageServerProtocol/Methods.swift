/// A request method: its name and the types of its params and result. Server handlers and clients
/// (the test client, server → client calls) share these descriptors, so a method's shape is written
/// once.
public protocol LSPRequest: Sendable {
    associatedtype Params: Codable & Sendable
    associatedtype Result: Codable & Sendable
    static var method: String { get }
}

/// A notification method and the type of its params.
public protocol LSPNotification: Sendable {
    associatedtype Params: Codable & Sendable
    static var method: String { get }
}

// MARK: Client → server requests

public enum InitializeRequest: LSPRequest {
    public typealias Params = InitializeParams
    public typealias Result = InitializeResult
    public static let method = "initialize"
}

public enum ShutdownRequest: LSPRequest {
    public typealias Params = NoParams
    public typealias Result = NullResult
    public static let method = "shutdown"
}

public enum DocumentDiagnosticRequest: LSPRequest {
    public typealias Params = DocumentDiagnosticParams
    public typealias Result = DocumentDiagnosticReport
    public static let method = "textDocument/diagnostic"
}

public enum InlayHintRequest: LSPRequest {
    public typealias Params = InlayHintParams
    public typealias Result = [InlayHint]?
    public static let method = "textDocument/inlayHint"
}

public enum InlayHintResolveRequest: LSPRequest {
    public typealias Params = InlayHint
    public typealias Result = InlayHint
    public static let method = "inlayHint/resolve"
}

public enum HoverRequest: LSPRequest {
    public typealias Params = TextDocumentPositionParams
    public typealias Result = Hover?
    public static let method = "textDocument/hover"
}

public enum CodeActionRequest: LSPRequest {
    public typealias Params = CodeActionParams
    public typealias Result = [CommandOrCodeAction]?
    public static let method = "textDocument/codeAction"
}

public enum CodeActionResolveRequest: LSPRequest {
    public typealias Params = CodeAction
    public typealias Result = CodeAction
    public static let method = "codeAction/resolve"
}

public enum CompletionRequest: LSPRequest {
    public typealias Params = CompletionParams
    public typealias Result = CompletionList?
    public static let method = "textDocument/completion"
}

public enum CompletionResolveRequest: LSPRequest {
    public typealias Params = CompletionItem
    public typealias Result = CompletionItem
    public static let method = "completionItem/resolve"
}

public enum DocumentSymbolRequest: LSPRequest {
    public typealias Params = TextDocumentParams
    public typealias Result = [DocumentSymbol]?
    public static let method = "textDocument/documentSymbol"
}

public enum DocumentFormattingRequest: LSPRequest {
    public typealias Params = DocumentFormattingParams
    public typealias Result = [TextEdit]?
    public static let method = "textDocument/formatting"
}

public enum SemanticTokensFullRequest: LSPRequest {
    public typealias Params = TextDocumentParams
    public typealias Result = SemanticTokens?
    public static let method = "textDocument/semanticTokens/full"
}

public enum ExecuteCommandRequest: LSPRequest {
    public typealias Params = ExecuteCommandParams
    public typealias Result = LSPAny
    public static let method = "workspace/executeCommand"
}

// MARK: Server → client requests

public enum ConfigurationRequest: LSPRequest {
    public typealias Params = ConfigurationParams
    public typealias Result = [LSPAny]
    public static let method = "workspace/configuration"
}

public enum RegisterCapabilityRequest: LSPRequest {
    public typealias Params = RegistrationParams
    public typealias Result = NullResult
    public static let method = "client/registerCapability"
}

public enum InlayHintRefreshRequest: LSPRequest {
    public typealias Params = NoParams
    public typealias Result = NullResult
    public static let method = "workspace/inlayHint/refresh"
}

public enum DiagnosticRefreshRequest: LSPRequest {
    public typealias Params = NoParams
    public typealias Result = NullResult
    public static let method = "workspace/diagnostic/refresh"
}

public enum ApplyWorkspaceEditRequest: LSPRequest {
    public typealias Params = ApplyWorkspaceEditParams
    public typealias Result = ApplyWorkspaceEditResult
    public static let method = "workspace/applyEdit"
}

// MARK: Notifications

public enum InitializedNotification: LSPNotification {
    public typealias Params = NoParams
    public static let method = "initialized"
}

public enum ExitNotification: LSPNotification {
    public typealias Params = NoParams
    public static let method = "exit"
}

public enum CancelRequestNotification: LSPNotification {
    public typealias Params = CancelParams
    public static let method = "$/cancelRequest"
}

public enum SetTraceNotification: LSPNotification {
    public typealias Params = SetTraceParams
    public static let method = "$/setTrace"
}

public enum DidOpenTextDocumentNotification: LSPNotification {
    public typealias Params = DidOpenTextDocumentParams
    public static let method = "textDocument/didOpen"
}

public enum DidChangeTextDocumentNotification: LSPNotification {
    public typealias Params = DidChangeTextDocumentParams
    public static let method = "textDocument/didChange"
}

public enum DidCloseTextDocumentNotification: LSPNotification {
    public typealias Params = DidCloseTextDocumentParams
    public static let method = "textDocument/didClose"
}

public enum DidSaveTextDocumentNotification: LSPNotification {
    public typealias Params = DidSaveTextDocumentParams
    public static let method = "textDocument/didSave"
}

public enum DidChangeConfigurationNotification: LSPNotification {
    public typealias Params = DidChangeConfigurationParams
    public static let method = "workspace/didChangeConfiguration"
}

public enum DidChangeWatchedFilesNotification: LSPNotification {
    public typealias Params = DidChangeWatchedFilesParams
    public static let method = "workspace/didChangeWatchedFiles"
}

public enum PublishDiagnosticsNotification: LSPNotification {
    public typealias Params = PublishDiagnosticsParams
    public static let method = "textDocument/publishDiagnostics"
}

public enum LogMessageNotification: LSPNotification {
    public typealias Params = MessageParams
    public static let method = "window/logMessage"
}

public enum ShowMessageNotification: LSPNotification {
    public typealias Params = MessageParams
    public static let method = "window/showMessage"
}

// MARK: tokenmin extensions

public struct DocumentTextParams: Codable, Hashable, Sendable {
    public var uri: DocumentURI
    public init(uri: DocumentURI) { self.uri = uri }
}

public struct DocumentTextResult: Codable, Hashable, Sendable {
    public var text: String
    public var version: Int

    public init(text: String, version: Int) {
        self.text = text
        self.version = version
    }
}

/// `tokenmin/documentText`: the server's copy of an open document, so tests and fuzzers can check
/// that it equals the client's after any sequence of edits.
public enum DocumentTextRequest: LSPRequest {
    public typealias Params = DocumentTextParams
    public typealias Result = DocumentTextResult
    public static let method = "tokenmin/documentText"
}

/// The server's view of the session, for tests and troubleshooting.
public struct ServerStatus: Codable, Hashable, Sendable {
    public var positionEncoding: PositionEncodingKind
    public var workspaceRoots: [DocumentURI]
    public var openDocuments: [DocumentURI]
    /// The `tokenmin` settings last received from the client (null before any).
    public var settings: LSPAny
    public var trace: TraceValue

    public init(
        positionEncoding: PositionEncodingKind, workspaceRoots: [DocumentURI], openDocuments: [DocumentURI],
        settings: LSPAny, trace: TraceValue
    ) {
        self.positionEncoding = positionEncoding
        self.workspaceRoots = workspaceRoots
        self.openDocuments = openDocuments
        self.settings = settings
        self.trace = trace
    }
}

/// `tokenmin/status`: the negotiated encoding, roots, open documents and current settings.
public enum ServerStatusRequest: LSPRequest {
    public typealias Params = NoParams
    public typealias Result = ServerStatus
    public static let method = "tokenmin/status"
}

import Foundation
import LanguageServerProtocol
import PromptText

/// `initialize`: negotiates the position encoding, records the client's capabilities, workspace
/// roots and initialization options, and answers with what every registered handler declares. The
/// session runs it inline, since it creates the state everything else reads.
enum Initialize {
    static func handle(_ params: InitializeParams, registry: HandlerRegistry, serverInfo: PeerInfo)
        -> (ServerState, InitializeResult)
    {
        var state = ServerState()
        state.clientCapabilities = params.capabilities
        state.clientInfo = params.clientInfo
        state.positionEncoding = .negotiate(clientOffers: params.capabilities.general?.positionEncodings)
        state.trace = params.trace ?? .off
        state.workspaceRoots = roots(of: params)
        // Editors without `workspace/configuration` (or before it answers) pass settings here.
        state.settings = params.initializationOptions ?? .null
        var capabilities = registry.capabilities(for: params.capabilities)
        capabilities.positionEncoding = state.positionEncoding.kind
        return (state, InitializeResult(capabilities: capabilities, serverInfo: serverInfo))
    }

    /// `workspaceFolders` when given, else `rootUri`, else the deprecated `rootPath`.
    static func roots(of params: InitializeParams) -> [URL] {
        if let folders = params.workspaceFolders, !folders.isEmpty {
            return folders.compactMap { workspaceRoot($0.uri) }
        }
        if let rootUri = params.rootUri {
            return workspaceRoot(rootUri).map { [$0] } ?? []
        }
        if let rootPath = params.rootPath, !rootPath.isEmpty {
            return [canonicalURL(URL(fileURLWithPath: rootPath, isDirectory: true))]
        }
        return []
    }
}

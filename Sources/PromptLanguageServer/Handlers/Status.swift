import LanguageServerProtocol

/// `tokenmin/status`: the negotiated encoding, workspace roots, open documents and settings.
struct Status: RequestHandler {
    typealias Request = ServerStatusRequest

    func handle(_ params: NoParams, context: RequestContext) async throws -> ServerStatus {
        let snapshot = context.snapshot
        return ServerStatus(
            positionEncoding: snapshot.positionEncoding.kind,
            workspaceRoots: snapshot.workspaceRoots.map { DocumentURI($0.absoluteString) },
            openDocuments: snapshot.documents.keys.sorted(),
            settings: snapshot.settings,
            trace: snapshot.trace)
    }
}

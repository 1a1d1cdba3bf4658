import LanguageServerProtocol

/// `textDocument/didSave`: nothing to do for the document itself (its content came with didChange).
/// A saved partial, configuration or sample (or any file another open document read) changed on
/// disk: like a watched-file change, every analysis is renewed and hints and diagnostics refreshed,
/// also for clients that do not watch files.
struct DidSave: NotificationHandler {
    typealias Notification = DidSaveTextDocumentNotification

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.updateTextDocumentSync { $0.save = SaveOptions(includeText: false) }
    }

    func handle(_ params: DidSaveTextDocumentParams, state: inout ServerState, context: NotificationContext)
        throws
        -> [StateChange]
    {
        let uri = params.textDocument.uri
        context.log.debug("saved \(uri)")
        guard isDependencyFile(uri) || !state.analyses.dependents(of: uri).isEmpty else { return [] }
        state.fileGeneration += 1
        return [.watchedFilesChanged([FileEvent(uri: uri, type: .changed)])]
    }
}

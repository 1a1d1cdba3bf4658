import LanguageServerProtocol

/// `textDocument/didSave`: nothing to do for the document itself (its content came with didChange);
/// declared so clients send it, for features that react to saves.
struct DidSave: NotificationHandler {
    typealias Notification = DidSaveTextDocumentNotification

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.updateTextDocumentSync { $0.save = SaveOptions(includeText: false) }
    }

    func handle(_ params: DidSaveTextDocumentParams, state: inout ServerState, context: NotificationContext)
        throws
        -> [StateChange]
    {
        context.log.debug("saved \(params.textDocument.uri)")
        return []
    }
}

import LanguageServerProtocol

/// `textDocument/didOpen`: the client now owns the document's content; the server keeps a copy.
struct DidOpen: NotificationHandler {
    typealias Notification = DidOpenTextDocumentNotification

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.updateTextDocumentSync { $0.openClose = true }
    }

    func handle(_ params: DidOpenTextDocumentParams, state: inout ServerState, context: NotificationContext)
        throws
        -> [StateChange]
    {
        let item = params.textDocument
        if state.documents[item.uri] != nil {
            context.log.warn("didOpen for \(item.uri), which is already open; replacing it")
        }
        state.documents[item.uri] = OpenDocument(
            uri: item.uri, languageId: item.languageId, version: item.version, text: item.text)
        return [.documentOpened(item.uri)]
    }
}

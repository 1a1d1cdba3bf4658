import LanguageServerProtocol

/// `textDocument/didClose`: the file on disk is the truth again; the server forgets its copy.
struct DidClose: NotificationHandler {
    typealias Notification = DidCloseTextDocumentNotification

    func handle(_ params: DidCloseTextDocumentParams, state: inout ServerState, context: NotificationContext)
        throws
        -> [StateChange]
    {
        let uri = params.textDocument.uri
        guard state.documents.removeValue(forKey: uri) != nil else {
            throw ResponseError.invalidParams("didClose for \(uri), which is not open")
        }
        return [.documentClosed(uri)]
    }
}

import LanguageServerProtocol
import PromptText

/// `textDocument/didChange` with incremental sync: content changes apply in order, each against the
/// text the previous one left; a change without a range replaces the whole text. Positions are in the
/// negotiated encoding and clamp when out of range.
struct DidChange: NotificationHandler {
    typealias Notification = DidChangeTextDocumentNotification

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.updateTextDocumentSync { $0.change = .incremental }
    }

    func handle(_ params: DidChangeTextDocumentParams, state: inout ServerState, context: NotificationContext)
        throws
        -> [StateChange]
    {
        let uri = params.textDocument.uri
        guard state.documents[uri] != nil else {
            throw ResponseError.invalidParams("didChange for \(uri), which is not open")
        }
        let encoding = state.positionEncoding
        let version = params.textDocument.version
        if version <= state.documents[uri]!.version {
            context.log.warn("\(uri): version \(version) after \(state.documents[uri]!.version)")
        }
        // Mutate in place so the document's storage is not copied once more than needed.
        state.documents[uri]!.document.apply(params.contentChanges.map(TextChange.init), encoding: encoding)
        state.documents[uri]!.version = version
        return [.documentChanged(uri)]
    }
}

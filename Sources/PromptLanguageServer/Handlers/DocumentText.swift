import LanguageServerProtocol

/// `tokenmin/documentText`: the server's copy of an open document and its version, so that tests and
/// fuzzers can check it equals the client's after any sequence of edits.
struct DocumentText: RequestHandler {
    typealias Request = DocumentTextRequest

    func handle(_ params: DocumentTextParams, context: RequestContext) async throws -> DocumentTextResult {
        let document = try context.document(params.uri)
        return DocumentTextResult(text: document.text, version: document.version)
    }
}

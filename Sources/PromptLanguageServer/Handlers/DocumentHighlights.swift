import LanguageServerProtocol
import PromptAnalysis
import PromptText

/// `textDocument/documentHighlight`: every occurrence of the input variable under the cursor (its
/// schema key as a write, uses as reads, default and sample keys as text), or every inclusion of the
/// partial under the cursor.
struct DocumentHighlights: RequestHandler {
    typealias Request = DocumentHighlightRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.documentHighlightProvider = true
    }

    func handle(_ params: TextDocumentPositionParams, context: RequestContext) async throws
        -> [DocumentHighlight]?
    {
        let document = try context.document(params.textDocument.uri)
        let encoding = context.snapshot.positionEncoding
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        let offset = document.utf8Offset(of: params.position, encoding: encoding)
        switch navigationTarget(at: offset, in: analysis.document) {
        case .variable(let name, _):
            return variableOccurrences(named: name, in: analysis.document).map { occurrence in
                let kind: DocumentHighlightKind =
                    switch occurrence.kind {
                    case .declaration: .write
                    case .use: .read
                    case .value, .requiredEntry: .text
                    }
                return DocumentHighlight(
                    range: document.range(of: occurrence.range, encoding: encoding), kind: kind)
            }
        case .partial(let name, _):
            return partialUses(named: name, in: analysis.document.template, text: analysis.text).map {
                DocumentHighlight(range: document.range(of: $0, encoding: encoding), kind: .text)
            }
        case .namedSchema, nil:
            return nil
        }
    }
}

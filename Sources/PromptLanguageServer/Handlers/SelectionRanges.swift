import LanguageServerProtocol
import PromptAnalysis

/// `textDocument/selectionRange`: for each position, the word, the path or YAML scalar, the tag or
/// YAML entry, enclosing blocks, the message or frontmatter, and the whole document.
struct SelectionRanges: RequestHandler {
    typealias Request = SelectionRangeRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.selectionRangeProvider = true
    }

    func handle(_ params: SelectionRangeParams, context: RequestContext) async throws -> [SelectionRange]? {
        let document = try context.document(params.textDocument.uri)
        let encoding = context.snapshot.positionEncoding
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        return params.positions.map { position in
            let offset = document.utf8Offset(of: position, encoding: encoding)
            let chain = selectionRanges(at: offset, in: analysis.document, lineIndex: analysis.lineIndex)
            var parent: SelectionRange?
            for range in chain.reversed() {
                parent = SelectionRange(range: document.range(of: range, encoding: encoding), parent: parent)
            }
            return parent ?? SelectionRange(range: LSPRange(start: position, end: position))
        }
    }
}

import LanguageServerProtocol
import PromptAnalysis

/// `textDocument/foldingRange`: the frontmatter, role sections, blocks, multi-line comments and
/// `<example>`-style records (whole lines; the closing tag of a block or record stays visible).
struct FoldingRanges: RequestHandler {
    typealias Request = FoldingRangeRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.foldingRangeProvider = true
    }

    func handle(_ params: TextDocumentParams, context: RequestContext) async throws -> [FoldingRange]? {
        let document = try context.document(params.textDocument.uri)
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        return foldingRegions(analysis.document, lineIndex: analysis.lineIndex).map { region in
            // The frontmatter is a region, not `imports`: editors that fold imports by default would
            // hide the model and config lines.
            let kind: FoldingRangeKind = region.kind == .comment ? .comment : .region
            return FoldingRange(startLine: region.startLine, endLine: region.endLine, kind: kind)
        }
    }
}

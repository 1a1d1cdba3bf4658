import LanguageServerProtocol
import PromptAnalysis
import PromptSyntax
import PromptText

/// `textDocument/documentSymbol`: the frontmatter with its top-level keys, then each message (role and
/// token count) with the partials it includes.
struct DocumentSymbols: RequestHandler {
    typealias Request = DocumentSymbolRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.documentSymbolProvider = true
    }

    func handle(_ params: TextDocumentParams, context: RequestContext) async throws -> [DocumentSymbol]? {
        let document = try context.document(params.textDocument.uri)
        let encoding = context.snapshot.positionEncoding
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        func range(_ utf8: UTF8Range) -> LSPRange { document.range(of: utf8, encoding: encoding) }
        var symbols: [DocumentSymbol] = []
        if let frontmatter = analysis.document.frontmatter {
            let keys = (frontmatter.root?.pairs ?? []).map { pair in
                DocumentSymbol(name: pair.keyText, detail: pair.value.string, kind: .property, range: range(pair.range),
                               selectionRange: range(pair.key.range))
            }
            symbols.append(DocumentSymbol(name: "frontmatter", kind: .namespace, range: range(frontmatter.blockRange),
                                          selectionRange: range(frontmatter.openingDelimiter), children: keys))
        }
        let approx = analysis.cost.isExactTokenizer ? "" : "≈"
        for report in analysis.messages {
            let message = report.message
            let full = message.markerRange.map { $0.union(message.contentRange) } ?? message.contentRange
            let children = analysis.partials.filter { full.contains($0.range) }.map { partial in
                DocumentSymbol(name: "> \(partial.name)", detail: partial.tokens.map { "\(approx)\($0) tok" }, kind: .file,
                               range: range(partial.range), selectionRange: range(partial.range))
            }
            symbols.append(DocumentSymbol(
                name: message.isHistory ? "history" : message.role,
                detail: message.isHistory ? "conversation so far" : "\(approx)\(report.tokens) tok" + (message.isExample ? " · few-shot" : ""),
                kind: message.isHistory ? .event : .module, range: range(full), selectionRange: range(message.anchorRange),
                children: children.isEmpty ? nil : children))
        }
        return symbols
    }
}

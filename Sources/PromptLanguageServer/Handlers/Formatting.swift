import Dotprompt
import LanguageServerProtocol
import PromptAnalysis
import PromptText

/// `textDocument/formatting`: Dotprompt's `formatPromptFile` (normalised frontmatter, `{{ }}`
/// spacing, trailing whitespace, final newline), which never changes the rendered prompt; files with
/// syntax errors are left alone. The edit covers only the changed middle of the document.
struct Formatting: RequestHandler {
    typealias Request = DocumentFormattingRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.documentFormattingProvider = true
    }

    func handle(_ params: DocumentFormattingParams, context: RequestContext) async throws -> [LanguageServerProtocol.TextEdit]? {
        let document = try context.document(params.textDocument.uri)
        let result = formatPromptFile(document.text)
        guard result.changed, let edit = minimalEdit(from: document.text, to: result.text) else { return [] }
        return [LanguageServerProtocol.TextEdit(range: document.range(of: edit.range, encoding: context.snapshot.positionEncoding), newText: edit.newText)]
    }
}

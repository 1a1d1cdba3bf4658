import Foundation
import LanguageServerProtocol
import PromptAnalysis
import PromptText

/// `workspace/diagnostic` (pull): the findings of every `.prompt` file under the workspace roots, so an
/// editor can list problems in files that are not open. Files are read through the workspace guard
/// (the same size limit as everywhere), open documents are reported with their editor text and
/// version, and at most `WorkspaceAccess.fileLimit` files are analysed per request (the rest are left
/// out and logged). Offered to clients that pull diagnostics.
struct WorkspaceDiagnostics: RequestHandler {
    typealias Request = WorkspaceDiagnosticRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        // Registered after `PullDiagnostics`, which declares the provider for pulling clients.
        capabilities.diagnosticProvider?.workspaceDiagnostics = true
    }

    func handle(_ params: WorkspaceDiagnosticParams, context: RequestContext) async throws -> WorkspaceDiagnosticReport {
        let state = context.snapshot
        let workspace = WorkspaceAccess(state)
        let listing = workspace.promptFiles()
        if listing.isTruncated {
            context.log.warn("workspace/diagnostic: more than \(WorkspaceAccess.fileLimit) prompt files; the rest are not reported")
        }
        var reports: [WorkspaceFullDocumentDiagnosticReport] = []
        for path in listing.paths {
            try Task.checkCancellation()
            if let open = workspace.openDocuments[path] {
                let analysis = state.analyses.analysis(of: open, in: state)
                reports.append(WorkspaceFullDocumentDiagnosticReport(
                    uri: open.uri, version: open.version, items: diagnostics(analysis, document: open, encoding: state.positionEncoding)))
                continue
            }
            guard let text = workspace.text(ofPath: path) else { continue }
            let uri = workspace.uri(ofPath: path)
            // Analysed like an open document, but not kept in the open documents' cache.
            let closed = OpenDocument(uri: uri, languageId: "dotprompt", version: -1, text: text)
            let analysis = state.analyses.analysis(of: closed, in: state)
            state.analyses.forget(uri)
            reports.append(WorkspaceFullDocumentDiagnosticReport(
                uri: uri, version: nil, items: diagnostics(analysis, document: closed, encoding: state.positionEncoding)))
        }
        return WorkspaceDiagnosticReport(items: reports)
    }
}

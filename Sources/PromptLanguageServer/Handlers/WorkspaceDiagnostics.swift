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

    func handle(_ params: WorkspaceDiagnosticParams, context: RequestContext) async throws
        -> WorkspaceDiagnosticReport
    {
        let state = context.snapshot
        let workspace = WorkspaceAccess(state)
        let listing = workspace.promptFiles()
        if listing.isTruncated {
            context.log.warn(
                "workspace/diagnostic: more than \(WorkspaceAccess.fileLimit) prompt files; the rest are not reported"
            )
        }
        let previous = Dictionary(
            (params.previousResultIds ?? []).map { ($0.uri, $0.value) }, uniquingKeysWith: { _, last in last }
        )
        var reports: [WorkspaceDocumentDiagnosticReport] = []
        for path in listing.paths {
            try Task.checkCancellation()
            let open = workspace.openDocuments[path]
            guard let text = open?.text ?? workspace.text(ofPath: path) else { continue }
            let uri = workspace.uri(ofPath: path)
            // Clients re-pull every few seconds: a file whose inputs are unchanged (text, settings,
            // watched files) is answered `unchanged` without analysing it again.
            let resultId = Self.resultId(text: text, state: state)
            if previous[uri] == resultId {
                reports.append(.unchanged(uri: uri, version: open?.version, resultId: resultId))
                continue
            }
            let document = open ?? OpenDocument(uri: uri, languageId: "dotprompt", version: -1, text: text)
            // Unopened files are analysed like open ones, but not kept in the open documents' cache.
            let analysis = open == nil
                ? state.analyses.uncachedAnalysis(of: document, in: state) : state.analyses.analysis(of: document, in: state)
            reports.append(
                .full(
                    uri: uri, version: open?.version,
                    items: diagnostics(analysis, document: document, encoding: state.positionEncoding),
                    resultId: resultId))
        }
        return WorkspaceDiagnosticReport(items: reports)
    }

    /// Identifies what a file's diagnostics depend on within this session.
    static func resultId(text: String, state: ServerState) -> String {
        var hasher = Hasher()
        hasher.combine(text)
        hasher.combine(state.settings)
        hasher.combine(state.fileGeneration)
        return "\(state.fileGeneration)-" + String(UInt64(bitPattern: Int64(hasher.finalize())), radix: 36)
    }
}

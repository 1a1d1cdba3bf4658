import Foundation
import LanguageServerProtocol
import PromptAnalysis
import PromptText

/// `textDocument/prepareRename`: the name under the cursor (an input variable or a partial) and
/// whether it can be renamed; where it cannot, a `RequestFailed` error says why (the editor shows it
/// before asking for the new name).
struct PrepareRename: RequestHandler {
    typealias Request = PrepareRenameRequest

    func handle(_ params: TextDocumentPositionParams, context: RequestContext) async throws
        -> PrepareRenameResult?
    {
        let document = try context.document(params.textDocument.uri)
        let encoding = context.snapshot.positionEncoding
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        let offset = document.utf8Offset(of: params.position, encoding: encoding)
        let plan = try RenamePlan.target(at: offset, analysis: analysis, context: context)
        switch plan {
        case .variable(let name, let range), .partial(let name, let range, _):
            return PrepareRenameResult(
                range: document.range(of: range, encoding: encoding), placeholder: name)
        }
    }
}

/// What a rename at a position renames, after the checks that do not depend on the new name.
enum RenamePlan {
    case variable(name: String, range: UTF8Range)
    /// The partial and its file (canonical path, inside the workspace).
    case partial(name: String, range: UTF8Range, path: String)

    static func target(at offset: Int, analysis: DocumentAnalysis, context: RequestContext) throws
        -> RenamePlan
    {
        let state = context.snapshot
        let workspace = WorkspaceAccess(state)
        if let path = analysis.path, !state.isInsideWorkspace(URL(fileURLWithPath: path)) {
            throw ResponseError.requestFailed(
                "rename refused: this file is outside the workspace folders, and tokenmin never edits files there"
            )
        }
        switch navigationTarget(at: offset, in: analysis.document) {
        case .variable(let name, let range):
            let readers = partialsReading(
                variable: name, in: analysis.document.template, path: analysis.path,
                resolver: workspace.partialResolver(analysis.configuration))
            if let blocker = variableRenameBlocker(name: name, document: analysis.document, readers: readers)
            {
                throw ResponseError.requestFailed("cannot rename '\(name)': \(blocker)")
            }
            return .variable(name: name, range: range)
        case .partial(let name, let range):
            // File operations travel only in `documentChanges`; a client that lists `rename` among its
            // resource operations applies them (Neovim does without declaring `documentChanges`).
            guard
                state.clientCapabilities.workspace?.workspaceEdit?.resourceOperations?.contains("rename")
                    == true
            else {
                throw ResponseError.requestFailed(
                    "cannot rename partial '\(name)': this editor does not accept file renames from a language server (workspaceEdit.resourceOperations)"
                )
            }
            guard
                case .found(let path, _) = workspace.partialResolver(analysis.configuration)(
                    name, analysis.path)
            else {
                throw ResponseError.requestFailed(
                    "cannot rename partial '\(name)': its file was not found inside the workspace")
            }
            return .partial(name: name, range: range, path: path)
        case .namedSchema(let name, _):
            throw ResponseError.requestFailed(
                "cannot rename '\(name)': only input variables and partials can be renamed")
        case nil:
            throw ResponseError.requestFailed(
                "nothing to rename here: place the cursor on an input variable or a {{> partial}}")
        }
    }
}

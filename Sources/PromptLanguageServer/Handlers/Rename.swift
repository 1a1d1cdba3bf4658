import Foundation
import LanguageServerProtocol
import PromptAnalysis
import PromptText

/// `textDocument/rename` of an input variable (its `input.schema` key, `required` entry, `input.default`
/// and `metadata.tokenmin.sample` keys, every use including `@root.` and `../` paths, and its key in
/// the sibling `NAME.sample.json`) or of a partial (every `{{> name}}` in the workspace's prompt files,
/// then a `RenameFile` of `_name.prompt`). Unsafe renames are refused with a `RequestFailed` error and
/// no edit; nothing outside the workspace roots is ever edited.
struct Rename: RequestHandler {
    typealias Request = RenameRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.renameProvider =
            client.textDocument?.rename?.prepareSupport == true
            ? .options(RenameOptions(prepareProvider: true)) : .bool(true)
    }

    func handle(_ params: RenameParams, context: RequestContext) async throws -> WorkspaceEdit? {
        let document = try context.document(params.textDocument.uri)
        let encoding = context.snapshot.positionEncoding
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        let offset = document.utf8Offset(of: params.position, encoding: encoding)
        let workspace = WorkspaceAccess(context.snapshot)
        let useDocumentChanges =
            context.snapshot.clientCapabilities.workspace?.workspaceEdit?.documentChanges == true
        let newName = params.newName
        switch try RenamePlan.target(at: offset, analysis: analysis, context: context) {
        case .variable(let name, _):
            if let problem = variableNewNameProblem(name: name, newName: newName, document: analysis.document)
            {
                throw ResponseError.requestFailed("cannot rename '\(name)' to '\(newName)': \(problem)")
            }
            guard newName != name else { return WorkspaceEdit(changes: [:]) }
            var files: [(uri: DocumentURI, version: Int?, edits: [LanguageServerProtocol.TextEdit])] = []
            let edits = variableOccurrences(named: name, in: analysis.document).map {
                LanguageServerProtocol.TextEdit(
                    range: document.range(of: $0.range, encoding: encoding), newText: newName)
            }
            files.append((document.uri, document.version, edits))
            // The sample file gives the input its value; it keeps doing so under the new name.
            if let path = analysis.path, path.hasSuffix(".prompt") {
                let samplePath = String(path.dropLast(".prompt".count)) + ".sample.json"
                if let text = workspace.text(ofPath: samplePath) {
                    let lineIndex = LineIndex(text)
                    let sampleEdits = topLevelJSONKeyRanges(named: name, in: text).map {
                        LanguageServerProtocol.TextEdit(
                            range: workspace.range($0, in: lineIndex), newText: newName)
                    }
                    if !sampleEdits.isEmpty {
                        files.append(
                            (
                                workspace.uri(ofPath: samplePath), workspace.version(ofPath: samplePath),
                                sampleEdits
                            ))
                    }
                }
            }
            if useDocumentChanges {
                return WorkspaceEdit(
                    operations: files.map {
                        .edit(
                            TextDocumentEdit(
                                textDocument: OptionalVersionedTextDocumentIdentifier(
                                    uri: $0.uri, version: $0.version), edits: $0.edits))
                    })
            }
            return WorkspaceEdit(changes: Dictionary(files.map { ($0.uri, $0.edits) }, uniquingKeysWith: +))
        case .partial(let name, _, let path):
            if let problem = partialRenameRefusal(name: name, newName: newName) {
                throw ResponseError.requestFailed(
                    "cannot rename partial '\(name)' to '\(newName)': \(problem)")
            }
            guard newName != name else { return WorkspaceEdit(operations: []) }
            let newLast = newName.split(separator: "/").last.map(String.init) ?? newName
            let newPath = (parentFolder(of: path) as NSString).appendingPathComponent(
                "_\(newLast).prompt")
            guard workspace.files.contains(newPath) else {
                throw ResponseError.requestFailed(
                    "cannot rename partial '\(name)': \(newPath) is outside the workspace")
            }
            guard !FileManager.default.fileExists(atPath: newPath) else {
                throw ResponseError.requestFailed(
                    "cannot rename partial '\(name)' to '\(newName)': \((newPath as NSString).lastPathComponent) already exists"
                )
            }
            try Task.checkCancellation()
            let found = workspace.inclusions(of: path, configurationFor: workspace.configuration(forPath:))
            guard !found.isTruncated else {
                throw ResponseError.requestFailed(
                    "cannot rename partial '\(name)': the workspace has more than \(WorkspaceAccess.fileLimit) prompt files, so not every inclusion can be found"
                )
            }
            var operations: [DocumentChange] = []
            for file in found.files {
                let lineIndex = LineIndex(file.text)
                let edits = file.ranges.map {
                    LanguageServerProtocol.TextEdit(
                        range: workspace.range($0, in: lineIndex), newText: newName)
                }
                operations.append(
                    .edit(
                        TextDocumentEdit(
                            textDocument: OptionalVersionedTextDocumentIdentifier(
                                uri: workspace.uri(ofPath: file.path),
                                version: workspace.version(ofPath: file.path)),
                            edits: edits)))
            }
            operations.append(
                .rename(
                    RenameFile(
                        oldUri: workspace.uri(ofPath: path),
                        newUri: DocumentURI(URL(fileURLWithPath: newPath).absoluteString),
                        options: FileOperationOptions(overwrite: false, ignoreIfExists: false))))
            return WorkspaceEdit(operations: operations)
        }
    }
}

import Foundation
import LanguageServerProtocol
import PromptAnalysis

/// The code action "Create NAME.sample.json from the schema": a `CreateFile` and an insert of
/// placeholder values derived from `input.schema` (defaults where given), so the preview and the
/// counts render the call with values. Offered when the prompt is a file inside the workspace with an
/// `input.schema`, has no sample file yet, and the client accepts file creation in workspace edits.
enum SampleFileAction {
    static let kind = CodeActionKind(rawValue: "source.createSample.tokenmin")

    static func action(for analysis: DocumentAnalysis, state: ServerState) -> CodeAction? {
        guard
            state.clientCapabilities.workspace?.workspaceEdit?.resourceOperations?.contains("create") == true,
            let path = analysis.path, path.hasSuffix(".prompt"),
            state.isInsideWorkspace(URL(fileURLWithPath: path))
        else { return nil }
        let samplePath = String(path.dropLast(".prompt".count)) + ".sample.json"
        guard !FileManager.default.fileExists(atPath: samplePath),
            let json = sampleInputJSON(for: analysis.document)
        else { return nil }
        let uri = DocumentURI(URL(fileURLWithPath: samplePath).absoluteString)
        let start = Position(line: 0, character: 0)
        return CodeAction(
            title: "Create \((samplePath as NSString).lastPathComponent) from the schema", kind: kind,
            edit: WorkspaceEdit(operations: [
                .create(
                    CreateFile(
                        uri: uri, options: FileOperationOptions(overwrite: false, ignoreIfExists: true))),
                .edit(
                    TextDocumentEdit(
                        textDocument: OptionalVersionedTextDocumentIdentifier(uri: uri, version: nil),
                        edits: [TextEdit(range: LSPRange(start: start, end: start), newText: json)])),
            ]))
    }
}

import Foundation
import LanguageServerProtocol
import PromptAnalysis
import PromptSyntax
import PromptText

/// `textDocument/definition`: `{{> name}}` goes to `_name.prompt` (found as rendering finds it, inside
/// the workspace only); a variable use goes to its `input.schema` key (else its `input.default` key);
/// `output.schema: Name` / `input.schema: Name` goes to `schemas.Name` in the nearest `.tokenmin.yml`.
struct Definition: RequestHandler {
    typealias Request = DefinitionRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.definitionProvider = true
    }

    func handle(_ params: TextDocumentPositionParams, context: RequestContext) async throws -> [Location]? {
        let document = try context.document(params.textDocument.uri)
        let encoding = context.snapshot.positionEncoding
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        let offset = document.utf8Offset(of: params.position, encoding: encoding)
        let workspace = WorkspaceAccess(context.snapshot)
        switch navigationTarget(at: offset, in: analysis.document) {
        case .partial(let name, _):
            guard
                case .found(let path, _) = workspace.partialResolver(analysis.configuration)(
                    name, analysis.path)
            else { return nil }
            return [workspace.fileStart(path)]
        case .variable(let name, _):
            guard let declaration = variableDeclaration(named: name, in: analysis.document) else {
                return nil
            }
            return [Location(uri: document.uri, range: document.range(of: declaration, encoding: encoding))]
        case .namedSchema(let name, _):
            guard let path = analysis.path,
                let configPath = nearestConfigurationFile(
                    from: parentFolder(of: path), files: workspace.files),
                let text = workspace.text(ofPath: configPath),
                let pair = parseYAML(text).root?["schemas"]?.pair(name)
            else { return nil }
            return [workspace.location(path: configPath, text: text, range: pair.key.range)]
        case nil:
            return nil
        }
    }
}

import Foundation
import LanguageServerProtocol
import PromptAnalysis
import PromptSyntax
import PromptText

/// `textDocument/references`: a partial's inclusions in every `.prompt` file under the workspace
/// roots (open or not, read through the workspace guard; the partial file itself as the declaration);
/// an input variable's uses in its prompt (its `input.schema` key as the declaration) and in the
/// partials that read it through the prompt's context.
struct References: RequestHandler {
    typealias Request = ReferencesRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.referencesProvider = true
    }

    func handle(_ params: ReferenceParams, context: RequestContext) async throws -> [Location]? {
        let document = try context.document(params.textDocument.uri)
        let encoding = context.snapshot.positionEncoding
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        let offset = document.utf8Offset(of: params.position, encoding: encoding)
        let workspace = WorkspaceAccess(context.snapshot)
        let includeDeclaration = params.context.includeDeclaration
        switch navigationTarget(at: offset, in: analysis.document) {
        case .partial(let name, _):
            guard
                case .found(let target, _) = workspace.partialResolver(analysis.configuration)(
                    name, analysis.path)
            else { return nil }
            try Task.checkCancellation()
            let found = workspace.inclusions(of: target, configurationFor: workspace.configuration(forPath:))
            var locations = includeDeclaration ? [workspace.fileStart(target)] : []
            for file in found.files {
                let lineIndex = LineIndex(file.text)
                locations += file.ranges.map {
                    Location(uri: workspace.uri(ofPath: file.path), range: workspace.range($0, in: lineIndex))
                }
            }
            return locations
        case .variable(let name, _):
            var locations: [Location] = []
            for occurrence in variableOccurrences(named: name, in: analysis.document) {
                guard occurrence.kind == .use || includeDeclaration && occurrence.kind == .declaration else {
                    continue
                }
                locations.append(
                    Location(
                        uri: document.uri, range: document.range(of: occurrence.range, encoding: encoding)))
            }
            let readers = partialsReading(
                variable: name, in: analysis.document.template, path: analysis.path,
                resolver: workspace.partialResolver(analysis.configuration))
            for reader in readers {
                let lineIndex = LineIndex(reader.text)
                locations += reader.uses.map {
                    Location(
                        uri: workspace.uri(ofPath: reader.path), range: workspace.range($0, in: lineIndex))
                }
            }
            return locations
        case .namedSchema, nil:
            return nil
        }
    }
}

import Foundation
import LanguageServerProtocol
import PromptAnalysis
import PromptText

/// `workspace/executeCommand` `tokenmin.preview` with `[{"uri": …}]`: the document rendered with its
/// sample values (`input.default`, `metadata.tokenmin.sample`, `NAME.sample.json`) as the model
/// receives it, each message with its exact tokens and USD, inputs without a value marked `⟨name⟩`.
/// The result carries the structured messages and `text`, the preview document editors show (the
/// contract is in editors/neovim/doc/tokenmin.txt).
struct PreviewCommand: WorkspaceCommand {
    static let command = "tokenmin.preview"

    func run(_ arguments: [LSPAny]?, context: RequestContext) async throws -> LSPAny {
        guard case .object(let argument)? = arguments?.first, case .string(let uri)? = argument["uri"] else {
            throw ResponseError.invalidParams("\(Self.command) takes [{\"uri\": …}]")
        }
        let document = try context.document(DocumentURI(uri))
        let state = context.snapshot
        let analysis = state.analyses.analysis(of: document, in: state)
        let workspace = WorkspaceAccess(state)
        let sampleName = analysis.path.map {
            (($0 as NSString).lastPathComponent as NSString).deletingPathExtension + ".sample.json"
        }
        let sample = analysis.path.flatMap { siblingSampleInput(for: $0, files: workspace.files) }
        let preview = renderPreview(
            analysis, sample: sample, sampleFileName: sampleName,
            resolvePartial: workspace.partialResolver(analysis.configuration))
        func usd(_ value: Decimal?) -> LSPAny {
            value.map { .string(NSDecimalNumber(decimal: $0).stringValue) } ?? .null
        }
        return .object([
            "uri": .string(uri), "version": .integer(Int64(document.version)),
            "model": preview.model.map(LSPAny.string) ?? .null, "encoding": .string(preview.encoding),
            "exact": .bool(preview.isExact),
            "valueSources": .array(preview.valueSources.map(LSPAny.string)),
            "unresolvedVariables": .array(preview.unresolvedVariables.map(LSPAny.string)),
            "messages": .array(
                preview.messages.map { message in
                    .object([
                        "role": .string(message.role), "text": .string(message.text),
                        "tokens": .integer(Int64(message.tokens)),
                        "usd": usd(message.usd),
                        "unresolvedVariables": .array(message.unresolvedVariables.map(LSPAny.string)),
                    ])
                }),
            "framingTokens": .integer(Int64(preview.framingTokens)),
            "inputTokens": .integer(Int64(preview.inputTokens)),
            "outputTokens": .integer(Int64(preview.outputTokens)),
            "outputIsDefault": .bool(preview.outputIsDefault),
            "usdPerCall": usd(preview.usdPerCall), "problems": .array(preview.problems.map(LSPAny.string)),
            "text": .string(preview.text),
        ])
    }
}

import LanguageServerProtocol
import PromptAnalysis
import PromptText

/// `textDocument/codeAction`: each finding's fixes, "suppress on this line / in this file", the
/// prose → schema refactor, and `source.fixAll.tokenmin` (every safe fix, to a fixed point). Edits are
/// sent as `documentChanges` (with the version) when the client supports it, else as `changes`.
struct CodeActionHandler: RequestHandler {
    typealias Request = CodeActionRequest
    static let fixAllKind = CodeActionKind(rawValue: "source.fixAll.tokenmin")

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.codeActionProvider = CodeActionOptions(codeActionKinds: [.quickFix, .refactorRewrite, Self.fixAllKind, SampleFileAction.kind])
    }

    func handle(_ params: CodeActionParams, context: RequestContext) async throws -> [CommandOrCodeAction]? {
        let document = try context.document(params.textDocument.uri)
        let encoding = context.snapshot.positionEncoding
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        let useDocumentChanges = context.snapshot.clientCapabilities.workspace?.workspaceEdit?.documentChanges == true
        func edit(_ edits: [PromptText.TextEdit]) -> WorkspaceEdit {
            let wire = edits.map { LanguageServerProtocol.TextEdit(range: document.range(of: $0.range, encoding: encoding), newText: $0.newText) }
            return useDocumentChanges
                ? WorkspaceEdit(documentChanges: [TextDocumentEdit(textDocument: OptionalVersionedTextDocumentIdentifier(uri: document.uri, version: document.version), edits: wire)])
                : WorkspaceEdit(changes: [document.uri: wire])
        }
        let only = params.context.only
        func wanted(_ kind: CodeActionKind) -> Bool {
            guard let only else { return true }
            return only.contains { kind.rawValue == $0.rawValue || kind.rawValue.hasPrefix($0.rawValue + ".") }
        }
        var actions: [CommandOrCodeAction] = []
        let range = document.utf8Range(of: params.range, encoding: encoding)
        for item in codeActions(for: analysis, in: range) {
            let kind: CodeActionKind = switch item.kind {
            case .quickFix: .quickFix
            case .refactor: .refactorRewrite
            case .suppression: CodeActionKind(rawValue: "quickfix.suppress")
            }
            guard wanted(kind) else { continue }
            actions.append(.codeAction(CodeAction(
                title: item.title, kind: kind, diagnostics: diagnostics(
                    DocumentAnalysisView(analysis, findings: item.findings), document: document, encoding: encoding),
                isPreferred: item.isPreferred ? true : nil, edit: edit(item.edits))))
        }
        // Fix-all re-analyses the document once per pass: computed when asked for (`only` names it, or
        // the user opened the actions menu), not for every automatic lightbulb request, and through
        // uncached analyses that leave the live one in place.
        let asked = params.context.only != nil || params.context.triggerKind != .automatic
        if wanted(Self.fixAllKind), asked {
            let fixed = fixAll(analysis) { text in
                var copy = document
                copy.document = TextDocument(text)
                copy.version = -1
                return context.snapshot.analyses.uncachedAnalysis(of: copy, in: context.snapshot)
            }
            if let change = minimalEdit(from: analysis.text, to: fixed) {
                actions.append(.codeAction(CodeAction(title: "Fix all safe tokenmin findings", kind: Self.fixAllKind, edit: edit([change]))))
            }
        }
        if wanted(SampleFileAction.kind), let create = SampleFileAction.action(for: analysis, state: context.snapshot) {
            actions.append(.codeAction(create))
        }
        return actions
    }
}

/// An analysis restricted to some findings (to describe the diagnostics an action resolves).
func DocumentAnalysisView(_ analysis: DocumentAnalysis, findings: [Finding]) -> DocumentAnalysis {
    analysis.with(findings: findings)
}

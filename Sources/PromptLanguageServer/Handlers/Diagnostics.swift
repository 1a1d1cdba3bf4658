import Foundation
import LanguageServerProtocol
import PromptAnalysis
import PromptText

/// `textDocument/diagnostic` (pull), offered to clients that support it; other clients get pushed
/// diagnostics from `PushDiagnostics`.
struct PullDiagnostics: RequestHandler {
    typealias Request = DocumentDiagnosticRequest

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        guard client.pullsDiagnostics else { return }
        capabilities.diagnosticProvider = DiagnosticOptions(identifier: "tokenmin", interFileDependencies: true, workspaceDiagnostics: false)
    }

    func handle(_ params: DocumentDiagnosticParams, context: RequestContext) async throws -> DocumentDiagnosticReport {
        let document = try context.document(params.textDocument.uri)
        context.snapshot.analyses.servedPulledDiagnostics.withLock { $0 = true }
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        return .full(resultId: nil, items: diagnostics(analysis, document: document, encoding: context.snapshot.positionEncoding))
    }
}

/// Pushes diagnostics on open, change and configuration changes to clients without pull support, and
/// clears them (an empty list) on close. Pull clients are asked to re-pull after configuration or
/// watched-file changes when they support `workspace/diagnostic/refresh`.
struct PushDiagnostics: StateObserver {
    /// How long diagnostics wait after an edit. While the user types, each keystroke supersedes the
    /// previous push: the editor gets diagnostics when typing pauses, not a list per keystroke (which
    /// costs encoding and client parsing on the keystroke's path). Opening a document pushes at once.
    static let settleDelay: Duration = .milliseconds(50)

    func stateDidChange(_ changes: [StateChange], snapshot: ServerState, context: NotificationContext) {
        let pulls = snapshot.clientCapabilities.pullsDiagnostics
        var uris: Set<DocumentURI> = []
        for change in changes {
            switch change {
            case .documentOpened(let uri), .documentChanged(let uri): uris.insert(uri)
            case .documentClosed(let uri):
                snapshot.analyses.forget(uri)
                _ = snapshot.analyses.latestVersions.withLock { $0.removeValue(forKey: uri) }
                if !pulls {
                    // Supersede pending pushes of the closed document, then clear its list.
                    snapshot.analyses.pushGenerations.withLock { generations in
                        generations[uri, default: 0] += 1
                        context.client.notify(PublishDiagnosticsNotification.self, PublishDiagnosticsParams(uri: uri, diagnostics: []))
                    }
                }
            case .configurationChanged, .watchedFilesChanged:
                if pulls {
                    if snapshot.clientCapabilities.workspace?.diagnostics?.refreshSupport == true,
                       snapshot.analyses.servedPulledDiagnostics.withLock({ $0 }) {
                        Task { _ = try? await context.client.request(DiagnosticRefreshRequest.self, NoParams()) }
                    }
                } else {
                    uris.formUnion(snapshot.documents.keys)
                }
            }
        }
        guard !pulls else { return }
        for uri in uris.sorted() {
            guard snapshot.documents[uri] != nil else { continue }
            snapshot.analyses.latestVersions.withLock { $0[uri] = snapshot.documents[uri]!.version }
            Self.schedule(uri, snapshot: snapshot, context: context, afterEdit: changes.contains(.documentChanged(uri)))
        }
    }

    /// Pushes the diagnostics of the open document `uri` as of `snapshot`. Analysis runs off the
    /// session; after an edit the push first waits `settleDelay`. A push is superseded only by a newer
    /// push of the same document (its own next keystroke), never by activity in other documents, so
    /// switching documents quickly loses nothing; the generation is checked again when sending, under
    /// its lock, so an older push can never arrive after a newer one.
    static func schedule(_ uri: DocumentURI, snapshot: ServerState, context: NotificationContext, afterEdit: Bool) {
        guard let document = snapshot.documents[uri] else { return }
        let generation = snapshot.analyses.pushGenerations.withLock { generations in
            generations[uri, default: 0] += 1
            return generations[uri]!
        }
        func isNewest() -> Bool { snapshot.analyses.pushGenerations.withLock { $0[uri] } == generation }
        Task.detached {
            if afterEdit {
                try? await Task.sleep(for: settleDelay)
                guard isNewest() else { return }
            }
            let analysis = snapshot.analyses.analysis(of: document, in: snapshot)
            let items = diagnostics(analysis, document: document, encoding: snapshot.positionEncoding)
            snapshot.analyses.pushGenerations.withLock { generations in
                guard generations[uri] == generation else { return }
                context.client.notify(PublishDiagnosticsNotification.self,
                                      PublishDiagnosticsParams(uri: uri, version: document.version, diagnostics: items))
            }
        }
    }
}

/// Findings as LSP diagnostics: rule id as `code`, a link to the rule's documentation, related
/// locations, and the `Unnecessary` tag for text that does nothing.
func diagnostics(_ analysis: DocumentAnalysis, document: OpenDocument, encoding: PositionEncoding) -> [Diagnostic] {
    analysis.findings.map { finding in
        let severity: DiagnosticSeverity = switch finding.severity {
        case .error: .error
        case .warning: .warning
        case .info: .information
        }
        return Diagnostic(
            range: document.range(of: finding.range, encoding: encoding), severity: severity,
            code: .string(finding.ruleID),
            codeDescription: RuleRegistry.descriptor(for: finding.ruleID).map { CodeDescription(href: $0.documentationURL) },
            source: "tokenmin", message: finding.message, tags: finding.isUnnecessary ? [.unnecessary] : nil,
            relatedInformation: finding.related.isEmpty ? nil : finding.related.map { related in
                DiagnosticRelatedInformation(
                    location: Location(uri: related.path.map { DocumentURI(URL(fileURLWithPath: $0).absoluteString) } ?? document.uri,
                                       range: document.range(of: related.range, encoding: encoding)),
                    message: related.message)
            })
    }
}

import Foundation
import LanguageServerProtocol

extension ClientCapabilities {
    /// Whether diagnostics are pulled (`textDocument/diagnostic`). Only for clients that can also be
    /// asked to pull again (`workspace/diagnostic/refresh`): otherwise a change to a partial, a config
    /// or a sample could never reach the documents that use it, and a client that pulls only for
    /// visible buffers (Neovim 0.11) would keep a buffer's old list when the user switches away right
    /// after typing. Such clients get pushed diagnostics.
    var pullsDiagnostics: Bool {
        textDocument?.diagnostic != nil && workspace?.diagnostics?.refreshSupport == true
    }
}

/// Re-analyses the open documents that use a document which changed (a partial edited, opened or
/// closed in the editor) and refreshes their diagnostics and inlay hints: pushed diagnostics for
/// each dependent, or `workspace/diagnostic/refresh`, and `workspace/inlayHint/refresh` when the
/// client supports them. Like pushed diagnostics, the refresh waits `PushDiagnostics.settleDelay`
/// after an edit; a newer refresh supersedes a pending one (it covers every dependent again).
/// Changes on disk (watched files, saves) are handled by `PushDiagnostics` and `InlayHintRefresh`
/// for every open document.
struct DependentsRefresh: StateObserver {
    func stateDidChange(_ changes: [StateChange], snapshot: ServerState, context: NotificationContext) {
        var dependents: Set<DocumentURI> = []
        for change in changes {
            switch change {
            case .documentChanged(let uri), .documentOpened(let uri), .documentClosed(let uri):
                dependents.formUnion(snapshot.analyses.dependents(of: uri))
            case .configurationChanged, .watchedFilesChanged:
                break
            }
        }
        // Documents that changed themselves get their own refresh.
        for change in changes {
            if case .documentChanged(let uri) = change { dependents.remove(uri) }
        }
        guard !dependents.isEmpty else { return }
        let generation = snapshot.analyses.dependentsRefreshGeneration.withLock { value in
            value += 1
            return value
        }
        let capabilities = snapshot.clientCapabilities
        Task.detached {
            try? await Task.sleep(for: PushDiagnostics.settleDelay)
            guard snapshot.analyses.dependentsRefreshGeneration.withLock({ $0 }) == generation else { return }
            if capabilities.pullsDiagnostics {
                if snapshot.analyses.servedPulledDiagnostics.withLock({ $0 }) {
                    _ = try? await context.client.request(DiagnosticRefreshRequest.self, NoParams())
                }
            } else {
                for uri in dependents.sorted() {
                    PushDiagnostics.schedule(uri, snapshot: snapshot, context: context, afterEdit: false)
                }
            }
            if capabilities.workspace?.inlayHint?.refreshSupport == true, snapshot.analyses.servedInlayHints.withLock({ $0 }) {
                _ = try? await context.client.request(InlayHintRefreshRequest.self, NoParams())
            }
        }
    }
}

/// Whether a saved file can change other documents' analyses: a partial (`_name.prompt`), a
/// `.tokenmin.yml`/`.tokenmin.yaml`, or a sample input (`NAME.sample.json`).
func isDependencyFile(_ uri: DocumentURI) -> Bool {
    guard let name = uri.fileURL?.lastPathComponent else { return false }
    return (name.hasPrefix("_") && name.hasSuffix(".prompt")) || name == ".tokenmin.yml" || name == ".tokenmin.yaml"
        || name.hasSuffix(".sample.json")
}

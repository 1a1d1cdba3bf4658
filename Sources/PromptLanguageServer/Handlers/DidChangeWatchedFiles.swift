import LanguageServerProtocol

/// `workspace/didChangeWatchedFiles`: partials and `.tokenmin.yml` changed on disk. Reported to
/// observers, which re-analyse dependents.
struct DidChangeWatchedFiles: NotificationHandler {
    typealias Notification = DidChangeWatchedFilesNotification

    func handle(_ params: DidChangeWatchedFilesParams, state: inout ServerState, context: NotificationContext)
        throws
        -> [StateChange]
    {
        context.log.debug("watched files changed: \(params.changes.map(\.uri.rawValue))")
        guard !params.changes.isEmpty else { return [] }
        state.fileGeneration += 1
        return [.watchedFilesChanged(params.changes)]
    }
}

import LanguageServerProtocol

/// `$/setTrace`: records the trace level the client asked for.
struct SetTrace: NotificationHandler {
    typealias Notification = SetTraceNotification

    func handle(_ params: SetTraceParams, state: inout ServerState, context: NotificationContext) throws
        -> [StateChange]
    {
        state.trace = params.value
        return []
    }
}

import LanguageServerProtocol

/// `workspace/didChangeConfiguration`: clients with `workspace/configuration` are asked for the
/// current `tokenmin` section (pull model, the notification's payload is not trusted); others push
/// the settings in the notification, either as `{tokenmin: {...}}` or as the section itself.
struct DidChangeConfiguration: NotificationHandler {
    typealias Notification = DidChangeConfigurationNotification

    func handle(
        _ params: DidChangeConfigurationParams, state: inout ServerState, context: NotificationContext
    )
        throws -> [StateChange]
    {
        if state.clientCapabilities.workspace?.configuration == true {
            Task { await pullConfiguration(context) }
            return []
        }
        let settings = params.settings ?? .null
        state.settings = settings["tokenmin"] ?? settings
        return [.configurationChanged]
    }
}

/// Asks the client for the `tokenmin` settings and stores them (in order with other state changes).
func pullConfiguration(_ context: NotificationContext) async {
    do {
        let values = try await context.client.request(
            ConfigurationRequest.self, ConfigurationParams(items: [ConfigurationItem(section: "tokenmin")]))
        let settings = values.first ?? .null
        await context.session.update([.configurationChanged]) { $0.settings = settings }
    } catch {
        context.log.warn("workspace/configuration failed: \(error)")
    }
}

import LanguageServerProtocol

/// `initialized`: the client is ready for server → client requests. Registers file watchers for
/// prompts, `.tokenmin.yml`/`.tokenmin.yaml` and sample inputs, and for configuration changes (when the client supports dynamic
/// registration), then pulls the `tokenmin` settings (when it supports `workspace/configuration`).
struct Initialized: NotificationHandler {
    typealias Notification = InitializedNotification

    static let watchedFilesRegistrationID = "tokenmin-watched-files"
    static let configurationRegistrationID = "tokenmin-configuration"
    static let watchedGlobs = ["**/*.prompt", "**/.tokenmin.yml", "**/.tokenmin.yaml", "**/*.sample.json"]

    func handle(_ params: NoParams, state: inout ServerState, context: NotificationContext) throws
        -> [StateChange]
    {
        let workspace = state.clientCapabilities.workspace
        var registrations: [Registration] = []
        if workspace?.didChangeWatchedFiles?.dynamicRegistration == true {
            let options = DidChangeWatchedFilesRegistrationOptions(
                watchers: Self.watchedGlobs.map { FileSystemWatcher(globPattern: $0) })
            registrations.append(
                Registration(
                    id: Self.watchedFilesRegistrationID, method: DidChangeWatchedFilesNotification.method,
                    registerOptions: try JSONValue(encoding: options)))
        }
        if workspace?.didChangeConfiguration?.dynamicRegistration == true {
            registrations.append(
                Registration(
                    id: Self.configurationRegistrationID, method: DidChangeConfigurationNotification.method,
                    registerOptions: ["section": "tokenmin"]))
        }
        let pullsConfiguration = workspace?.configuration == true
        guard !registrations.isEmpty || pullsConfiguration else { return [] }
        // Server → client requests are awaited in a task: the session must keep reading to see the
        // responses.
        Task {
            if !registrations.isEmpty {
                do {
                    _ = try await context.client.request(
                        RegisterCapabilityRequest.self, RegistrationParams(registrations: registrations))
                } catch {
                    context.log.warn("client/registerCapability failed: \(error)")
                }
            }
            if pullsConfiguration { await pullConfiguration(context) }
        }
        return []
    }
}

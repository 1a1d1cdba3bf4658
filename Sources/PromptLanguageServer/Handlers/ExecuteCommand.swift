import LanguageServerProtocol

/// One command of `workspace/executeCommand`.
protocol WorkspaceCommand: Sendable {
    static var command: String { get }
    func run(_ arguments: [LSPAny]?, context: RequestContext) async throws -> LSPAny
}

/// `workspace/executeCommand`: dispatches to the command named in the params. A command adds its
/// file in this folder and its value to `ExecuteCommand.standard`.
struct ExecuteCommand: RequestHandler {
    typealias Request = ExecuteCommandRequest
    let commands: [String: any WorkspaceCommand]

    static let standard = ExecuteCommand(commands: [
        TokenViewCommand.command: TokenViewCommand(),
        PreviewCommand.command: PreviewCommand(),
    ])

    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {
        capabilities.executeCommandProvider = ExecuteCommandOptions(commands: commands.keys.sorted())
    }

    func handle(_ params: ExecuteCommandParams, context: RequestContext) async throws -> LSPAny {
        guard let command = commands[params.command] else {
            throw ResponseError.invalidParams("unknown command \(params.command)")
        }
        return try await command.run(params.arguments, context: context)
    }
}

import LanguageServerProtocol

/// Handles one request method against an immutable snapshot of the session. Requests run
/// concurrently with each other and with later edits; each gets exactly one response.
///
/// To add a feature: write one file in `Handlers/` with a type conforming to this protocol, and add
/// one line to `HandlerRegistry.standard`.
protocol RequestHandler: Sendable {
    associatedtype Request: LSPRequest
    /// Advertises the handler in `initialize`'s result (default: nothing to advertise).
    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities)
    /// Computes the result. Throw a `ResponseError` to answer with a specific error; any other error
    /// becomes `InternalError`. Check `Task.isCancelled` in long loops.
    func handle(_ params: Request.Params, context: RequestContext) async throws -> Request.Result
}

/// Handles one notification method in arrival order, changing the session state synchronously.
protocol NotificationHandler: Sendable {
    associatedtype Notification: LSPNotification
    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities)
    /// Applies the notification. Returns what changed, for `StateObserver`s. Throwing only logs: a
    /// notification has no response.
    func handle(_ params: Notification.Params, state: inout ServerState, context: NotificationContext) throws
        -> [StateChange]
}

extension RequestHandler {
    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {}
}

extension NotificationHandler {
    func declare(_ capabilities: inout ServerCapabilities, for client: ClientCapabilities) {}
}

/// What a request handler may use: the snapshot taken when the request arrived, and the client.
struct RequestContext: Sendable {
    var id: RequestID
    var snapshot: ServerState
    var client: ClientConnection
    var log: ServerLog

    /// The open document `uri` in the snapshot, or a `RequestFailed` error.
    func document(_ uri: DocumentURI) throws(ResponseError) -> OpenDocument { try snapshot.openDocument(uri) }
}

/// What a notification handler may use besides the state: the client (for notifications, and for
/// requests from a `Task`) and the session (to change the state later, after an awaited response).
struct NotificationContext: Sendable {
    var client: ClientConnection
    var session: SessionHandle
    var log: ServerLog
}

/// A change a notification made, reported to observers after the state was updated.
enum StateChange: Hashable, Sendable {
    case documentOpened(DocumentURI)
    case documentChanged(DocumentURI)
    case documentClosed(DocumentURI)
    case configurationChanged
    case watchedFilesChanged([FileEvent])
}

/// Reacts to state changes after they are applied (push diagnostics, inlay-hint refresh). Runs in
/// arrival order on the session; do slow work in a `Task` with the given snapshot.
protocol StateObserver: Sendable {
    func stateDidChange(_ changes: [StateChange], snapshot: ServerState, context: NotificationContext)
}

/// Lets code outside the session (tasks started by handlers) change the state in order with
/// everything else.
struct SessionHandle: Sendable {
    let session: LanguageServerSession

    /// Applies `body` to the state on the session, then tells observers about `changes`.
    func update(_ changes: [StateChange], _ body: @escaping @Sendable (inout ServerState) -> Void) async {
        await session.update(changes, body)
    }
}

/// A request handler with its types erased: decode params, handle, encode the result.
struct AnyRequestHandler: Sendable {
    let method: String
    let declare: @Sendable (inout ServerCapabilities, ClientCapabilities) -> Void
    /// Returns the JSON of the result, or the error to answer with.
    let run: @Sendable (JSONValue?, RequestContext) async -> Result<[UInt8], ResponseError>

    init<H: RequestHandler>(_ handler: H) {
        method = H.Request.method
        declare = { capabilities, client in handler.declare(&capabilities, for: client) }
        run = { rawParams, context in
            let params: H.Request.Params
            do {
                params = try (rawParams ?? .null).decode(H.Request.Params.self)
            } catch {
                return .failure(.invalidParams(describeDecodingFailure(error)))
            }
            do {
                let result = try await handler.handle(params, context: context)
                return .success(try MessageEncoding.json(result))
            } catch let error as ResponseError {
                return .failure(error)
            } catch is CancellationError {
                return .failure(.cancelled)
            } catch {
                context.log.error("\(H.Request.method) failed: \(error)")
                return .failure(.internalError("\(H.Request.method) failed: \(error)"))
            }
        }
    }
}

/// A notification handler with its types erased.
struct AnyNotificationHandler: Sendable {
    let method: String
    let declare: @Sendable (inout ServerCapabilities, ClientCapabilities) -> Void
    let run: @Sendable (JSONValue?, inout ServerState, NotificationContext) throws -> [StateChange]

    init<H: NotificationHandler>(_ handler: H) {
        method = H.Notification.method
        declare = { capabilities, client in handler.declare(&capabilities, for: client) }
        run = { rawParams, state, context in
            let params: H.Notification.Params
            do {
                params = try (rawParams ?? .null).decode(H.Notification.Params.self)
            } catch {
                throw ResponseError.invalidParams(describeDecodingFailure(error))
            }
            return try handler.handle(params, state: &state, context: context)
        }
    }
}

/// The methods the server answers, by name. `initialize`, `shutdown`, `exit` and `$/cancelRequest`
/// are part of the session's lifecycle and are not in the registry.
struct HandlerRegistry: Sendable {
    private(set) var requests: [String: AnyRequestHandler] = [:]
    private(set) var notifications: [String: AnyNotificationHandler] = [:]
    private(set) var observers: [any StateObserver] = []
    /// Registration order, so capabilities are declared deterministically.
    private var declarations: [@Sendable (inout ServerCapabilities, ClientCapabilities) -> Void] = []

    init() {}

    mutating func add<H: RequestHandler>(_ handler: H) {
        let erased = AnyRequestHandler(handler)
        precondition(requests[erased.method] == nil, "two handlers for \(erased.method)")
        requests[erased.method] = erased
        declarations.append(erased.declare)
    }

    mutating func add<H: NotificationHandler>(_ handler: H) {
        let erased = AnyNotificationHandler(handler)
        precondition(notifications[erased.method] == nil, "two handlers for \(erased.method)")
        notifications[erased.method] = erased
        declarations.append(erased.declare)
    }

    mutating func observe(_ observer: any StateObserver) { observers.append(observer) }

    /// The capabilities every registered handler declares for this client.
    func capabilities(for client: ClientCapabilities) -> ServerCapabilities {
        var capabilities = ServerCapabilities()
        for declare in declarations { declare(&capabilities, client) }
        return capabilities
    }
}

import LanguageServerProtocol

/// Owns the session state and orders everything that happens to it.
///
/// Messages are handled in arrival order. Notifications change the state synchronously (so edits
/// apply strictly in order). Requests are answered from a snapshot of the state taken on arrival,
/// each in its own task, concurrently; `inFlight` guarantees exactly one response per request, even
/// under cancellation. `initialize` and `shutdown` change the lifecycle and run inline.
actor LanguageServerSession {
    enum Lifecycle: Sendable, Equatable {
        /// Before `initialize`: requests get `ServerNotInitialized`, notifications are dropped.
        case uninitialized
        case running
        /// After `shutdown`: requests get `InvalidRequest`; only `exit` matters.
        case shutDown
    }

    private(set) var lifecycle = Lifecycle.uninitialized
    private(set) var state = ServerState()
    /// Requests being computed, by id; removing an entry is what answers (or silences) a request.
    private var inFlight: [RequestID: Task<Void, Never>] = [:]

    let registry: HandlerRegistry
    let connection: ClientConnection
    let log: ServerLog
    let serverInfo: PeerInfo

    init(registry: HandlerRegistry, writer: MessageWriter, log: ServerLog, serverInfo: PeerInfo) {
        self.registry = registry
        self.connection = ClientConnection(writer: writer, outgoing: OutgoingRequests(), log: log)
        self.log = log
        self.serverInfo = serverInfo
    }

    private var notificationContext: NotificationContext {
        NotificationContext(client: connection, session: SessionHandle(session: self), log: log)
    }

    // MARK: Input

    private enum Item {
        case message(Message)
        case invalid(InvalidMessage)
    }

    /// Handles the events of one read. Returns the process exit code once `exit` arrives.
    func receive(_ events: [FrameEvent]) -> Int32? {
        var items: [Item] = []
        items.reserveCapacity(events.count)
        for event in events {
            switch event {
            case .message(let body):
                switch Message.decode(body) {
                case .success(let message): items.append(.message(message))
                case .failure(let invalid): items.append(.invalid(invalid))
                }
            case .skipped(let reason, let byteCount):
                log.warn("dropped \(byteCount) bytes of input: \(reason)")
            }
        }
        // A `$/cancelRequest` that arrived in the same read as its request cancels it before it runs.
        var lastCancel: [RequestID: Int] = [:]
        for (index, item) in items.enumerated() {
            if case .message(.notification(let note)) = item, note.method == CancelRequestNotification.method,
                let id = try? note.params?.decode(CancelParams.self).id
            {
                lastCancel[id] = index
            }
        }
        for (index, item) in items.enumerated() {
            switch item {
            case .message(.request(let request)):
                handle(request, cancelledInSameRead: (lastCancel[request.id] ?? -1) > index)
            case .message(.notification(let notification)):
                if let exitCode = handle(notification) { return exitCode }
            case .message(.response(let response)):
                handle(response)
            case .invalid(let invalid):
                if invalid.isResponse {
                    log.warn("ignored malformed response: \(invalid.error.message)")
                } else {
                    log.warn("invalid message: \(invalid.error.message)")
                    send(MessageEncoding.response(id: invalid.id, error: invalid.error))
                }
            }
        }
        return nil
    }

    /// The input ended without `exit`: fail requests waiting for the client, let running requests
    /// answer (so piped input still gets its responses), and end with 0 after `shutdown`, else 1.
    func endOfInput() async -> Int32 {
        connection.outgoing.failAll(
            ResponseError(code: .serverCancelled, message: "the client closed the connection"))
        await waitUntilIdle()
        return lifecycle == .shutDown ? 0 : 1
    }

    /// Waits until every request received so far has been answered.
    func waitUntilIdle() async {
        while let task = inFlight.values.first {
            await task.value
        }
    }

    // MARK: Requests

    private func handle(_ request: RequestMessage, cancelledInSameRead: Bool) {
        log.debug("→ request \(request.id) \(request.method)")
        switch lifecycle {
        case .uninitialized:
            if request.method == InitializeRequest.method {
                initialize(request)
            } else {
                respond(
                    request.id,
                    .init(code: .serverNotInitialized, message: "the server is not initialized yet"))
            }
            return
        case .shutDown:
            respond(request.id, .invalidRequest("the server is shutting down; only 'exit' is accepted"))
            return
        case .running:
            break
        }
        switch request.method {
        case InitializeRequest.method:
            respond(request.id, .invalidRequest("initialize was already received"))
            return
        case ShutdownRequest.method:
            shutDown(request.id)
            return
        default:
            break
        }
        guard inFlight[request.id] == nil else {
            respond(request.id, .invalidRequest("request id \(request.id) is already in use"))
            return
        }
        guard let handler = registry.requests[request.method] else {
            respond(request.id, .init(code: .methodNotFound, message: "unknown method '\(request.method)'"))
            return
        }
        if cancelledInSameRead {
            respond(request.id, .cancelled)
            return
        }
        let context = RequestContext(id: request.id, snapshot: state, client: connection, log: log)
        let id = request.id
        let params = request.params
        // Detached: the handler runs on the global pool, not on this actor, so requests overlap.
        inFlight[id] = Task.detached(priority: .userInitiated) { [self] in
            let result = await handler.run(params, context)
            await complete(id, result)
        }
    }

    /// `shutdown`: from now on requests are invalid; the response is sent once every request received
    /// before it has been answered, so a client that waits for it has all its responses.
    private func shutDown(_ id: RequestID) {
        lifecycle = .shutDown
        log.info("shutdown")
        let running = Array(inFlight.values)
        Task { [self] in
            for task in running { await task.value }
            send(MessageEncoding.response(id: id, resultJSON: Array("null".utf8)))
        }
    }

    private func complete(_ id: RequestID, _ result: Result<[UInt8], ResponseError>) {
        // A request that was cancelled meanwhile has been answered already.
        guard inFlight.removeValue(forKey: id) != nil else { return }
        switch result {
        case .success(let json): send(MessageEncoding.response(id: id, resultJSON: json))
        case .failure(let error): respond(id, error)
        }
    }

    private func initialize(_ request: RequestMessage) {
        let params: InitializeParams
        do {
            params = try (request.params ?? .null).decode(InitializeParams.self)
        } catch {
            respond(request.id, .invalidParams(describeDecodingFailure(error)))
            return
        }
        let (initialState, result) = Initialize.handle(params, registry: registry, serverInfo: serverInfo)
        state = initialState
        lifecycle = .running
        log.info(
            "initialize: client \(params.clientInfo?.name ?? "unknown"), position encoding \(state.positionEncoding.rawValue), "
                + "roots \(state.workspaceRoots.map(\.path))")
        do {
            send(MessageEncoding.response(id: request.id, resultJSON: try MessageEncoding.json(result)))
        } catch {
            respond(request.id, .internalError("could not encode the initialize result: \(error)"))
        }
    }

    // MARK: Notifications and responses

    private func handle(_ notification: NotificationMessage) -> Int32? {
        log.debug("→ notification \(notification.method)")
        if notification.method == ExitNotification.method {
            log.info("exit after \(lifecycle == .shutDown ? "shutdown" : "no shutdown")")
            return lifecycle == .shutDown ? 0 : 1
        }
        guard lifecycle == .running else {
            log.debug("dropped \(notification.method): the server is not running")
            return nil
        }
        if notification.method == CancelRequestNotification.method {
            cancel(notification.params)
            return nil
        }
        guard let handler = registry.notifications[notification.method] else {
            if notification.method.hasPrefix("$/") {
                log.debug("ignored \(notification.method)")
            } else {
                log.info("ignored unknown notification \(notification.method)")
            }
            return nil
        }
        // Apply to a copy so that a handler that throws leaves the state as it was.
        var next = state
        do {
            let changes = try handler.run(notification.params, &next, notificationContext)
            state = next
            notifyObservers(changes)
        } catch {
            log.warn("\(notification.method) ignored: \(error)")
        }
        return nil
    }

    private func cancel(_ params: JSONValue?) {
        guard let id = try? (params ?? .null).decode(CancelParams.self).id else {
            log.warn("$/cancelRequest without a valid id")
            return
        }
        guard let task = inFlight.removeValue(forKey: id) else {
            log.debug("$/cancelRequest for \(id), which is not running")
            return
        }
        task.cancel()
        respond(id, .cancelled)
    }

    private func handle(_ response: ResponseMessage) {
        guard let id = response.id, connection.outgoing.resume(id, with: response.result) else {
            log.warn("response to an unknown request \(response.id.map(\.description) ?? "null")")
            return
        }
    }

    /// Applies a change computed outside the session (after an awaited client response).
    func update(_ changes: [StateChange], _ body: @Sendable (inout ServerState) -> Void) {
        guard lifecycle == .running else { return }
        body(&state)
        notifyObservers(changes)
    }

    private func notifyObservers(_ changes: [StateChange]) {
        guard !changes.isEmpty else { return }
        for observer in registry.observers {
            observer.stateDidChange(changes, snapshot: state, context: notificationContext)
        }
    }

    // MARK: Output

    private func respond(_ id: RequestID, _ error: ResponseError) {
        log.debug("← error \(id) \(error)")
        send(MessageEncoding.response(id: id, error: error))
    }

    private func send(_ body: [UInt8]) { connection.writer.send(body) }
}

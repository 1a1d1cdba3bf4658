import Foundation
import XCTest

@testable import LanguageServerProtocol
@testable import PromptLanguageServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Something the test client can talk to: the real `tokenmin lsp` process, or a session in-process.
protocol ServerTransport: Sendable {
    /// Writes raw bytes to the server's input in one write (so they arrive in one read).
    func write(_ bytes: [UInt8])
    /// Closes the server's input (end of file).
    func closeInput()
    /// The exit status, once the server has ended.
    var exitStatus: Int32? { get }
    /// What the server wrote to its log (standard error).
    var log: String { get }
}

struct TestTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// A small LSP client for tests: frames and sends messages (or raw bytes), collects everything the
/// server sends, answers server → client requests from `serverRequestHandlers`, and waits with
/// deadlines so a broken server fails a test instead of hanging it.
final class TestClient: @unchecked Sendable {
    let transport: any ServerTransport
    private let lock = NSLock()
    private var inbox: [Message] = []
    private var received: [Message] = []
    private var framingProblems: [String] = []
    private var nextID: Int64 = 0
    /// Answers to server → client requests by method; requests without a handler get MethodNotFound.
    private var serverRequestHandlers: [String: @Sendable (JSONValue?) -> Result<JSONValue, ResponseError>] =
        [
            RegisterCapabilityRequest.method: { _ in .success(.null) },
            InlayHintRefreshRequest.method: { _ in .success(.null) },
        ]
    /// How long a test waits for an answer: 10 s, or 120 s under a sanitizer (ThreadSanitizer runs the
    /// server 5–15 times slower; Tests/sanitizers.sh sets TOKENMIN_SANITIZED).
    static let defaultTimeout: Duration =
        ProcessInfo.processInfo.environment["TOKENMIN_SANITIZED"] != nil ? .seconds(120) : .seconds(10)

    init(transport: any ServerTransport) { self.transport = transport }

    /// Answers the server's `method` requests with `answer`.
    func onServerRequest(
        _ method: String, _ answer: @escaping @Sendable (JSONValue?) -> Result<JSONValue, ResponseError>
    ) {
        lock.withLock { serverRequestHandlers[method] = answer }
    }

    /// Called by transports for every batch of frames the server wrote.
    func deliver(_ events: [FrameEvent]) {
        for event in events {
            switch event {
            case .skipped(let reason, let count):
                lock.withLock { framingProblems.append("\(count) bytes: \(reason)") }
            case .message(let body):
                switch Message.decode(body) {
                case .failure(let invalid):
                    lock.withLock { framingProblems.append("invalid message: \(invalid.error.message)") }
                case .success(.request(let request)):
                    lock.withLock { received.append(.request(request)) }
                    answer(request)
                case .success(let message):
                    lock.withLock {
                        received.append(message)
                        inbox.append(message)
                    }
                }
            }
        }
    }

    private func answer(_ request: RequestMessage) {
        let handler = lock.withLock { serverRequestHandlers[request.method] }
        let result =
            handler?(request.params) ?? .failure(.init(code: .methodNotFound, message: "test client"))
        send(.response(ResponseMessage(id: request.id, result: result)))
    }

    /// Output that was not a well-formed frame with a valid message (must stay empty).
    var problems: [String] { lock.withLock { framingProblems } }
    /// Every message the server sent, in order.
    var allReceived: [Message] { lock.withLock { received } }

    // MARK: Sending

    func write(_ bytes: [UInt8]) { transport.write(bytes) }
    func write(_ text: String) { transport.write(Array(text.utf8)) }

    func send(_ message: Message) { write(frame(MessageEncoding.body(of: message))) }

    func makeID() -> RequestID {
        lock.withLock {
            nextID += 1
            return .integer(nextID)
        }
    }

    /// Frames of a request (for tests that write several messages at once).
    func requestFrame<R: LSPRequest>(_ request: R.Type, _ params: R.Params, id: RequestID) throws -> [UInt8] {
        let paramsJSON = R.Params.self == NoParams.self ? nil : try JSONValue(encoding: params)
        return frame(
            MessageEncoding.body(of: .request(RequestMessage(id: id, method: R.method, params: paramsJSON))))
    }

    func notificationFrame<N: LSPNotification>(_ notification: N.Type, _ params: N.Params) throws -> [UInt8] {
        let paramsJSON = N.Params.self == NoParams.self ? nil : try JSONValue(encoding: params)
        return frame(
            MessageEncoding.body(of: .notification(NotificationMessage(method: N.method, params: paramsJSON)))
        )
    }

    @discardableResult
    func sendRequest<R: LSPRequest>(_ request: R.Type, _ params: R.Params, id: RequestID? = nil) throws
        -> RequestID
    {
        let id = id ?? makeID()
        write(try requestFrame(R.self, params, id: id))
        return id
    }

    func notify<N: LSPNotification>(_ notification: N.Type, _ params: N.Params) throws {
        write(try notificationFrame(N.self, params))
    }

    /// Sends a request and returns its decoded result; an error response is thrown.
    func request<R: LSPRequest>(_ request: R.Type, _ params: R.Params) async throws -> R.Result {
        let id = try sendRequest(R.self, params)
        let response = try await response(to: id)
        return try response.result.get().decode(R.Result.self)
    }

    // MARK: Waiting

    /// Waits for the response with `id` and removes it from the inbox.
    func response(to id: RequestID, timeout: Duration = defaultTimeout) async throws -> ResponseMessage {
        try await waitFor("the response to \(id)", timeout: timeout) {
            guard
                let index = inbox.firstIndex(where: {
                    if case .response(let r) = $0 { r.id == id } else { false }
                }),
                case .response(let response) = inbox.remove(at: index)
            else { return nil }
            return response
        }
    }

    /// Waits for the error response with `id` and returns its error.
    func error(of id: RequestID, timeout: Duration = defaultTimeout) async throws -> ResponseError {
        let response = try await response(to: id, timeout: timeout)
        guard case .failure(let error) = response.result else {
            throw TestTimeout(what: "an error response to \(id), got \(response.result)")
        }
        return error
    }

    /// Waits for a notification with `method`, removing it from the inbox.
    func notification(_ method: String, timeout: Duration = defaultTimeout) async throws
        -> NotificationMessage
    {
        try await waitFor("a \(method) notification", timeout: timeout) {
            guard
                let index = inbox.firstIndex(where: {
                    if case .notification(let n) = $0 { n.method == method } else { false }
                }),
                case .notification(let notification) = inbox.remove(at: index)
            else { return nil }
            return notification
        }
    }

    /// Waits for a server → client request with `method` (already answered by a handler).
    func serverRequest(_ method: String, timeout: Duration = defaultTimeout) async throws -> RequestMessage {
        try await waitFor("a \(method) request from the server", timeout: timeout) {
            for case .request(let request) in received where request.method == method { return request }
            return nil
        }
    }

    /// Waits for the server to end and returns its exit status.
    func exitStatus(timeout: Duration = defaultTimeout) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = transport.exitStatus { return status }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestTimeout(what: "the server to exit")
    }

    /// Messages still unclaimed in the inbox (tests assert there is no stray response).
    var unclaimed: [Message] { lock.withLock { inbox } }

    /// Responses still unclaimed (notifications such as diagnostics pushes may arrive at any time).
    var unclaimedResponses: [Message] {
        unclaimed.filter { if case .response = $0 { true } else { false } }
    }

    private func waitFor<T>(_ what: String, timeout: Duration, _ take: () -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = lock.withLock(take) { return value }
            if ContinuousClock.now >= deadline { throw TestTimeout(what: what) }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    // MARK: Session helpers

    /// `initialize` + `initialized`; returns the server's result.
    @discardableResult
    func initialize(_ params: InitializeParams = InitializeParams()) async throws -> InitializeResult {
        let result = try await request(InitializeRequest.self, params)
        try notify(InitializedNotification.self, NoParams())
        return result
    }

    func open(_ uri: DocumentURI, _ text: String, version: Int = 1) throws {
        try notify(
            DidOpenTextDocumentNotification.self,
            DidOpenTextDocumentParams(
                textDocument: TextDocumentItem(
                    uri: uri, languageId: "dotprompt", version: version, text: text)))
    }

    func change(_ uri: DocumentURI, version: Int, _ changes: [TextDocumentContentChangeEvent]) throws {
        try notify(
            DidChangeTextDocumentNotification.self,
            DidChangeTextDocumentParams(
                textDocument: VersionedTextDocumentIdentifier(uri: uri, version: version),
                contentChanges: changes))
    }

    func documentText(_ uri: DocumentURI) async throws -> DocumentTextResult {
        try await request(DocumentTextRequest.self, DocumentTextParams(uri: uri))
    }

    /// `shutdown` then `exit`; returns the exit status.
    func shutdownAndExit() async throws -> Int32 {
        _ = try await request(ShutdownRequest.self, NoParams())
        try notify(ExitNotification.self, NoParams())
        return try await exitStatus()
    }
}

// MARK: The real process

#if canImport(Glibc)
    private let posixWrite = Glibc.write
#elseif canImport(Darwin)
    private let posixWrite = Darwin.write
#endif

/// Runs the built `tokenmin` binary with `lsp` over pipes.
final class ProcessTransport: ServerTransport, @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let lock = NSLock()
    private var errorText = Data()

    /// The `tokenmin` executable next to the test bundle (or `$TOKENMIN_BIN`).
    static func binaryURL() throws -> URL {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["TOKENMIN_BIN"], !path.isEmpty {
            candidates.append(URL(fileURLWithPath: path))
        }
        for bundle in [Bundle.main, Bundle(for: ProcessTransport.self)] {
            var directory = bundle.bundleURL
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("tokenmin"))
                directory = directory.deletingLastPathComponent()
            }
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(executable.appendingPathComponent("tokenmin"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                return candidate
            }
        }
        throw CocoaError(
            .fileNoSuchFile,
            userInfo: [
                NSLocalizedDescriptionKey:
                    "the tokenmin binary was not found (build it with `swift build`, or set TOKENMIN_BIN); looked at "
                    + candidates.map(\.path).joined(separator: ", ")
            ])
    }

    init(client: @escaping @Sendable () -> TestClient?, arguments: [String]) throws {
        // Writing to a server that died must fail the test, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = try Self.binaryURL()
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.errorText.append(data) }
        }
        try process.run()
        let reader = FrameReader(fileDescriptor: output.fileHandleForReading.fileDescriptor)
        reader.start()
        Task.detached {
            for await batch in reader.batches { client()?.deliver(batch) }
        }
    }

    func write(_ bytes: [UInt8]) {
        let fileDescriptor = input.fileHandleForWriting.fileDescriptor
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = posixWrite(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    func closeInput() { try? input.fileHandleForWriting.close() }

    var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    var log: String { lock.withLock { String(decoding: errorText, as: UTF8.self) } }

    deinit {
        if process.isRunning { process.terminate() }
        errors.fileHandleForReading.readabilityHandler = nil
    }
}

extension TestClient {
    /// Starts `tokenmin lsp` (with `arguments` after `lsp`) and connects a client to it.
    static func launch(_ arguments: [String] = ["--log-level", "debug"]) throws -> TestClient {
        final class Slot: @unchecked Sendable { weak var client: TestClient? }
        let slot = Slot()
        let transport = try ProcessTransport(client: { slot.client }, arguments: ["lsp"] + arguments)
        let client = TestClient(transport: transport)
        slot.client = client
        return client
    }
}

// MARK: In-process

/// Runs a session in this process: each `write` becomes one batch of frames, as one read would.
final class InProcessTransport: ServerTransport, @unchecked Sendable {
    private let continuation: AsyncStream<[FrameEvent]>.Continuation
    private let lock = NSLock()
    private var framer = MessageFramer()
    private var status: Int32?
    private var logText = ""

    init(registry: HandlerRegistry, deliver: @escaping @Sendable ([FrameEvent]) -> Void) {
        let (batches, continuation) = AsyncStream.makeStream(of: [FrameEvent].self)
        self.continuation = continuation
        final class OutputFramer: @unchecked Sendable {
            var framer = MessageFramer()
        }
        let outputFramer = OutputFramer()
        // The writer's queue is serial, so the output framer is only touched from there.
        let writer = MessageWriter { bytes in
            deliver(outputFramer.framer.events(after: bytes))
            return true
        }
        let log = ServerLog(level: .debug) { [weak self] line in
            guard let self else { return }
            self.lock.withLock { self.logText += line }
        }
        Task.detached { [weak self] in
            let status = await LanguageServer.run(
                batches: batches, writer: writer, log: log, registry: registry,
                serverInfo: PeerInfo(name: "tokenmin", version: "test"))
            writer.flush()
            guard let self else { return }
            self.lock.withLock { self.status = status }
        }
    }

    func write(_ bytes: [UInt8]) {
        let events = lock.withLock { framer.events(after: bytes) }
        continuation.yield(events)
    }

    func closeInput() {
        if let last = lock.withLock({ framer.finish() }) { continuation.yield([last]) }
        continuation.finish()
    }

    var exitStatus: Int32? { lock.withLock { status } }
    var log: String { lock.withLock { logText } }
}

extension TestClient {
    /// A session in this process with `registry` (tests add handlers that throw or block).
    static func inProcess(registry: HandlerRegistry = .standard) -> TestClient {
        final class Slot: @unchecked Sendable { weak var client: TestClient? }
        let slot = Slot()
        let client = TestClient(
            transport: InProcessTransport(registry: registry, deliver: { slot.client?.deliver($0) }))
        slot.client = client
        return client
    }
}

/// `XCTAssertEqual` for values computed with `await` (XCTest's autoclosures cannot await).
func expect<T: Equatable>(_ value: T, _ expected: T, file: StaticString = #filePath, line: UInt = #line)
    throws
{
    XCTAssertEqual(value, expected, file: file, line: line)
}

/// Fails unless `response` is a success.
func expectSuccess(_ response: ResponseMessage, file: StaticString = #filePath, line: UInt = #line) throws {
    if case .failure(let error) = response.result {
        XCTFail("error response \(error)", file: file, line: line)
    }
}

import Foundation

@testable import LanguageServerProtocol
@testable import PromptLanguageServer

/// A latch a test opens to let a blocked handler finish; records that the handler started.
final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var open = false
    private var startedCount = 0

    func release() { lock.withLock { open = true } }
    var isOpen: Bool { lock.withLock { open } }
    func markStarted() { lock.withLock { startedCount += 1 } }
    var started: Int { lock.withLock { startedCount } }
}

/// `test/block`: waits for its gate, ignoring cancellation (like a handler stuck in a long loop),
/// then returns its params.
enum BlockRequest: LSPRequest {
    typealias Params = JSONValue
    typealias Result = JSONValue
    static let method = "test/block"
}

struct BlockingHandler: RequestHandler {
    typealias Request = BlockRequest
    let gate: Gate

    func handle(_ params: JSONValue, context: RequestContext) async throws -> JSONValue {
        gate.markStarted()
        while !gate.isOpen { try? await Task.sleep(for: .milliseconds(1)) }
        return params
    }
}

/// `test/throw`: a handler with a bug (a thrown error), or a deliberate `ResponseError` when the
/// params name a code.
enum ThrowRequest: LSPRequest {
    typealias Params = JSONValue
    typealias Result = JSONValue
    static let method = "test/throw"
}

struct ThrowingHandler: RequestHandler {
    typealias Request = ThrowRequest
    struct Bug: Error, CustomStringConvertible {
        var description: String { "index out of range in test handler" }
    }

    func handle(_ params: JSONValue, context: RequestContext) async throws -> JSONValue {
        if let code = params["code"]?.integerValue {
            throw ResponseError(code: ErrorCode(rawValue: Int(code)), message: "deliberate")
        }
        throw Bug()
    }
}

/// Records every state change reported to observers, with the snapshot's open documents.
final class RecordingObserver: StateObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(changes: [StateChange], open: [DocumentURI])] = []

    func stateDidChange(_ changes: [StateChange], snapshot: ServerState, context: NotificationContext) {
        lock.withLock { recorded.append((changes, snapshot.documents.keys.sorted())) }
    }

    var changes: [[StateChange]] { lock.withLock { recorded.map(\.changes) } }
    var openDocuments: [[DocumentURI]] { lock.withLock { recorded.map(\.open) } }
}

extension HandlerRegistry {
    /// The standard handlers plus the test ones.
    static func testing(gate: Gate, observer: RecordingObserver? = nil) -> HandlerRegistry {
        var registry = HandlerRegistry.standard
        registry.add(BlockingHandler(gate: gate))
        registry.add(ThrowingHandler())
        if let observer { registry.observe(observer) }
        return registry
    }
}

extension TestClient {
    /// How many responses carried `id` so far (must end up exactly one per request).
    func responseCount(_ id: RequestID) -> Int {
        allReceived.filter { if case .response(let response) = $0 { response.id == id } else { false } }.count
    }

    /// Waits until the gate's handler has started `count` times.
    func waitUntilStarted(_ gate: Gate, count: Int = 1) async throws {
        let deadline = ContinuousClock.now + Self.defaultTimeout
        while gate.started < count {
            if ContinuousClock.now >= deadline { throw TestTimeout(what: "the blocking handler to start") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

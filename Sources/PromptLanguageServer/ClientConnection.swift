import Foundation
import LanguageServerProtocol

/// The server's way to talk to the client: notifications, and requests whose responses are matched
/// to the caller by id. Every frame goes through the session's single `MessageWriter`.
public struct ClientConnection: Sendable {
    let writer: MessageWriter
    let outgoing: OutgoingRequests
    let log: ServerLog

    /// Sends a notification (queued; frames keep the order of `notify` calls).
    public func notify<N: LSPNotification>(_ notification: N.Type, _ params: N.Params) {
        do {
            let paramsJSON = N.Params.self == NoParams.self ? nil : try MessageEncoding.json(params)
            writer.send(MessageEncoding.notification(method: N.method, paramsJSON: paramsJSON))
        } catch {
            log.error("could not encode \(N.method): \(error)")
        }
    }

    /// Sends a request to the client and waits for its response. Throws the client's
    /// `ResponseError`, a decoding failure of its result, or `ResponseError(.serverCancelled)` when
    /// the session ends first.
    ///
    /// Never await this from a notification handler directly: the session reads the response only
    /// after the handler returns. Start a `Task` instead (see `Initialized.swift`).
    public func request<R: LSPRequest>(_ request: R.Type, _ params: R.Params) async throws -> R.Result {
        let paramsJSON = R.Params.self == NoParams.self ? nil : try MessageEncoding.json(params)
        let id = outgoing.nextID()
        let result: JSONValue = try await withCheckedThrowingContinuation { continuation in
            outgoing.register(id, continuation)
            writer.send(MessageEncoding.request(id: id, method: R.method, paramsJSON: paramsJSON))
        }
        do {
            return try result.decode(R.Result.self)
        } catch {
            throw ResponseError(
                code: .invalidParams,
                message: "\(R.method) response: \(describeDecodingFailure(error, root: "result"))")
        }
    }
}

/// Requests sent to the client and not yet answered, by id.
final class OutgoingRequests: @unchecked Sendable {
    private let lock = NSLock()
    private var counter: Int64 = 0
    private var waiting: [RequestID: CheckedContinuation<JSONValue, any Error>] = [:]

    func nextID() -> RequestID {
        lock.withLock {
            counter += 1
            // A prefix keeps server ids apart from client ids in logs and traces.
            return .string("tokenmin-\(counter)")
        }
    }

    func register(_ id: RequestID, _ continuation: CheckedContinuation<JSONValue, any Error>) {
        lock.withLock { waiting[id] = continuation }
    }

    /// Completes the request `id`; false when no request with that id is waiting.
    func resume(_ id: RequestID, with result: Result<JSONValue, ResponseError>) -> Bool {
        guard let continuation = lock.withLock({ waiting.removeValue(forKey: id) }) else { return false }
        continuation.resume(with: result.mapError { $0 as any Error })
        return true
    }

    /// Fails every waiting request (the session is ending).
    func failAll(_ error: ResponseError) {
        let all = lock.withLock {
            defer { waiting.removeAll() }
            return waiting
        }
        for continuation in all.values { continuation.resume(throwing: error) }
    }
}

import XCTest

@testable import LanguageServerProtocol
@testable import PromptLanguageServer

/// Dispatch: cancellation, concurrency, snapshots, and handler failures. Tests that need a handler
/// which blocks or throws run the session in-process with test handlers; the rest use the real binary.
final class DispatchTests: XCTestCase {
    func testCancelInTheSameWriteAnswersCancelled() async throws {
        let client = try TestClient.launch()
        try await client.initialize()
        let uri: DocumentURI = "file:///ws/a.prompt"
        try client.open(uri, "text")
        // Both frames arrive in one read, so the request is cancelled before it runs: deterministic.
        client.write(
            try client.requestFrame(DocumentTextRequest.self, .init(uri: uri), id: .integer(40))
                + client.notificationFrame(CancelRequestNotification.self, CancelParams(id: .integer(40))))
        try expect(try await client.error(of: .integer(40)).code, .requestCancelled)
        client.write(
            try client.requestFrame(ServerStatusRequest.self, NoParams(), id: .string("s-41"))
                + client.notificationFrame(CancelRequestNotification.self, CancelParams(id: .string("s-41"))))
        try expect(try await client.error(of: .string("s-41")).code, .requestCancelled)
        // Cancelling what is unknown or already answered is ignored.
        try client.notify(CancelRequestNotification.self, CancelParams(id: .integer(999)))
        try client.notify(CancelRequestNotification.self, CancelParams(id: .integer(40)))
        try expect(try await client.documentText(uri).text, "text")
        try expect(try await client.shutdownAndExit(), 0)
        XCTAssertEqual(client.responseCount(.integer(40)), 1)
        XCTAssertEqual(client.responseCount(.string("s-41")), 1)
        XCTAssertEqual(client.unclaimedResponses, [])
    }

    func testCancelOfARunningRequestAnswersOnce() async throws {
        let gate = Gate()
        let client = TestClient.inProcess(registry: .testing(gate: gate))
        try await client.initialize()
        let id = try client.sendRequest(BlockRequest.self, ["n": 1])
        try await client.waitUntilStarted(gate)
        try client.notify(CancelRequestNotification.self, CancelParams(id: id))
        try expect(try await client.error(of: id).code, .requestCancelled)
        // The handler ignores cancellation and finishes later; its result must not be sent.
        gate.release()
        _ = try await client.request(ServerStatusRequest.self, NoParams())
        try await Task.sleep(for: .milliseconds(20))
        try expect(try await client.shutdownAndExit(), 0)
        XCTAssertEqual(client.responseCount(id), 1)
    }

    func testRequestsRunConcurrently() async throws {
        let gate = Gate()
        let client = TestClient.inProcess(registry: .testing(gate: gate))
        try await client.initialize()
        let blocked = try client.sendRequest(BlockRequest.self, ["n": 2])
        try await client.waitUntilStarted(gate)
        // Answered while the first request is still running.
        _ = try await client.request(ServerStatusRequest.self, NoParams())
        XCTAssertEqual(client.responseCount(blocked), 0)
        gate.release()
        try expect(try await client.response(to: blocked).result, .success(["n": 2]))
        try expect(try await client.shutdownAndExit(), 0)
    }

    func testDuplicateIdWhileInFlightIsRejected() async throws {
        let gate = Gate()
        let client = TestClient.inProcess(registry: .testing(gate: gate))
        try await client.initialize()
        let id = try client.sendRequest(BlockRequest.self, ["first": true], id: .integer(77))
        try await client.waitUntilStarted(gate)
        try client.sendRequest(ServerStatusRequest.self, NoParams(), id: id)
        try expect(try await client.error(of: id).code, .invalidRequest)
        gate.release()
        try expect(try await client.response(to: id).result, .success(["first": true]))
        try expect(try await client.shutdownAndExit(), 0)
    }

    func testShutdownAnswersAfterRunningRequests() async throws {
        let gate = Gate()
        let client = TestClient.inProcess(registry: .testing(gate: gate))
        try await client.initialize()
        let blocked = try client.sendRequest(BlockRequest.self, ["late"])
        try await client.waitUntilStarted(gate)
        let shutdown = try client.sendRequest(ShutdownRequest.self, NoParams())
        // Requests after shutdown are refused at once, while the shutdown response waits.
        try expect(
            try await client.error(of: try client.sendRequest(ServerStatusRequest.self, NoParams())).code,
            .invalidRequest)
        XCTAssertEqual(client.responseCount(shutdown), 0)
        gate.release()
        try expect(try await client.response(to: blocked).result, .success(["late"]))
        try expect(try await client.response(to: shutdown).result, .success(.null))
        let order = client.allReceived.compactMap { message -> RequestID? in
            if case .response(let response) = message { return response.id }
            return nil
        }
        XCTAssertLessThan(
            try XCTUnwrap(order.firstIndex(of: blocked)), try XCTUnwrap(order.firstIndex(of: shutdown)))
        try client.notify(ExitNotification.self, NoParams())
        try expect(try await client.exitStatus(), 0)
    }

    func testHandlerErrors() async throws {
        let client = TestClient.inProcess(registry: .testing(gate: Gate()))
        try await client.initialize()
        let bug = try await client.error(of: try client.sendRequest(ThrowRequest.self, [:]))
        XCTAssertEqual(bug.code, .internalError)
        XCTAssertTrue(bug.message.contains("index out of range in test handler"), bug.message)
        for code in [ErrorCode.contentModified, .requestFailed] {
            let error = try await client.error(
                of: try client.sendRequest(ThrowRequest.self, ["code": .integer(Int64(code.rawValue))]))
            XCTAssertEqual(error.code, code)
        }
        // The server goes on.
        _ = try await client.request(ServerStatusRequest.self, NoParams())
        try expect(try await client.shutdownAndExit(), 0)
    }

    func testRequestsSeeTheStateAsOfTheirArrival() async throws {
        let client = try TestClient.launch()
        try await client.initialize()
        let uri: DocumentURI = "file:///ws/s.prompt"
        let open = DidOpenTextDocumentParams(
            textDocument: .init(uri: uri, languageId: "dotprompt", version: 1, text: "one"))
        let change = DidChangeTextDocumentParams(
            textDocument: .init(uri: uri, version: 2), contentChanges: [.init(text: "two")])
        client.write(
            try client.notificationFrame(DidOpenTextDocumentNotification.self, open)
                + client.requestFrame(DocumentTextRequest.self, .init(uri: uri), id: .integer(1))
                + client.notificationFrame(DidChangeTextDocumentNotification.self, change)
                + client.requestFrame(DocumentTextRequest.self, .init(uri: uri), id: .integer(2)))
        try expect(
            try await client.response(to: .integer(1)).result, .success(["text": "one", "version": 1]))
        try expect(
            try await client.response(to: .integer(2)).result, .success(["text": "two", "version": 2]))
        try expect(try await client.shutdownAndExit(), 0)
    }

    func testObserversSeeChangesInOrderWithTheUpdatedState() async throws {
        let observer = RecordingObserver()
        let client = TestClient.inProcess(registry: .testing(gate: Gate(), observer: observer))
        try await client.initialize()
        let uri: DocumentURI = "file:///ws/o.prompt"
        try client.open(uri, "a")
        try client.change(uri, version: 2, [.init(text: "b")])
        try client.notify(DidChangeConfigurationNotification.self, .init(settings: ["tokenmin": ["x": 1]]))
        try client.notify(
            DidChangeWatchedFilesNotification.self,
            .init(changes: [.init(uri: "file:///ws/p.prompt", type: .changed)]))
        try client.notify(DidCloseTextDocumentNotification.self, .init(textDocument: .init(uri: uri)))
        // A save changes nothing the observers care about.
        try client.notify(DidSaveTextDocumentNotification.self, .init(textDocument: .init(uri: uri)))
        _ = try await client.request(ServerStatusRequest.self, NoParams())
        XCTAssertEqual(
            observer.changes,
            [
                [.documentOpened(uri)], [.documentChanged(uri)], [.configurationChanged],
                [.watchedFilesChanged([.init(uri: "file:///ws/p.prompt", type: .changed)])],
                [.documentClosed(uri)],
            ])
        XCTAssertEqual(observer.openDocuments, [[uri], [uri], [uri], [uri], []])
        try expect(try await client.shutdownAndExit(), 0)
    }
}

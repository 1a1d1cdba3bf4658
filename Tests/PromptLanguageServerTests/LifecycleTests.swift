import Foundation
import XCTest

@testable import LanguageServerProtocol
@testable import PromptLanguageServer

/// Lifecycle against the real `tokenmin lsp` process: every case of the LSP state machine, with exit
/// codes.
final class LifecycleTests: XCTestCase {
    private let uri: DocumentURI = "file:///ws/a.prompt"

    /// Checks that the error answering `id` has `code` and a message containing `text`.
    private func check(
        _ client: TestClient, _ id: RequestID, _ code: ErrorCode, _ text: String,
        file: StaticString = #filePath,
        line: UInt = #line
    ) async throws {
        let error = try await client.error(of: id)
        XCTAssertEqual(error.code, code, error.message, file: file, line: line)
        XCTAssertTrue(
            error.message.contains(text), "'\(error.message)' lacks '\(text)'", file: file, line: line)
    }

    func testBeforeInitializeRequestsFailAndNotificationsAreDropped() async throws {
        let client = try TestClient.launch()
        try client.open(uri, "dropped")
        try await check(
            client, try client.sendRequest(ServerStatusRequest.self, NoParams()), .serverNotInitialized,
            "not initialized")
        try await check(
            client, try client.sendRequest(ShutdownRequest.self, NoParams()), .serverNotInitialized,
            "not initialized")
        try await client.initialize()
        // The didOpen before initialize was dropped.
        try await check(
            client, try client.sendRequest(DocumentTextRequest.self, .init(uri: uri)), .requestFailed,
            "not open")
        try expect(try await client.shutdownAndExit(), 0)
        XCTAssertEqual(client.problems, [])
    }

    func testInitializeResultAndSecondInitialize() async throws {
        let client = try TestClient.launch()
        let result = try await client.initialize()
        XCTAssertEqual(result.serverInfo?.name, "tokenmin")
        XCTAssertEqual(result.capabilities.positionEncoding, .utf16)
        XCTAssertEqual(
            result.capabilities.textDocumentSync,
            TextDocumentSyncOptions(
                openClose: true, change: .incremental, save: SaveOptions(includeText: false)))
        try await check(
            client, try client.sendRequest(InitializeRequest.self, InitializeParams()), .invalidRequest,
            "already")
        try expect(try await client.shutdownAndExit(), 0)
    }

    func testAfterShutdownRequestsAreInvalidAndExitIsZero() async throws {
        let client = try TestClient.launch()
        try await client.initialize()
        // `shutdown` has no params; its result is null.
        let shutdownID = try client.sendRequest(ShutdownRequest.self, NoParams())
        let response = try await client.response(to: shutdownID)
        XCTAssertEqual(try response.result.get(), .null)
        try await check(
            client, try client.sendRequest(ServerStatusRequest.self, NoParams()), .invalidRequest,
            "shutting down")
        try await check(
            client, try client.sendRequest(ShutdownRequest.self, NoParams()), .invalidRequest, "shutting down"
        )
        try client.notify(ExitNotification.self, NoParams())
        try expect(try await client.exitStatus(), 0)
    }

    func testExitWithoutShutdownIsOne() async throws {
        let client = try TestClient.launch()
        try await client.initialize()
        try client.notify(ExitNotification.self, NoParams())
        try expect(try await client.exitStatus(), 1)
    }

    func testExitBeforeInitializeIsOne() async throws {
        let client = try TestClient.launch()
        try client.notify(ExitNotification.self, NoParams())
        try expect(try await client.exitStatus(), 1)
    }

    func testEndOfInputExits() async throws {
        let running = try TestClient.launch()
        try await running.initialize()
        running.transport.closeInput()
        try expect(try await running.exitStatus(), 1)

        let shutDown = try TestClient.launch()
        try await shutDown.initialize()
        _ = try await shutDown.request(ShutdownRequest.self, NoParams())
        shutDown.transport.closeInput()
        try expect(try await shutDown.exitStatus(), 0)
    }

    func testPipedRequestsAreAnsweredBeforeEndOfInputExits() async throws {
        // Everything in one write, then end of file: the server still answers before exiting.
        let client = try TestClient.launch()
        var bytes = try client.requestFrame(InitializeRequest.self, InitializeParams(), id: .integer(1))
        bytes += try client.requestFrame(ServerStatusRequest.self, NoParams(), id: .integer(2))
        client.write(bytes)
        client.transport.closeInput()
        try expect(try await client.exitStatus(), 1)
        try expectSuccess(try await client.response(to: .integer(2)))
    }

    func testUnknownMethodsAndNotifications() async throws {
        let client = try TestClient.launch()
        try await client.initialize()
        client.send(.notification(NotificationMessage(method: "$/unknownNotification", params: ["x": 1])))
        client.send(.notification(NotificationMessage(method: "custom/unknown", params: nil)))
        client.send(.request(RequestMessage(id: .integer(100), method: "textDocument/unknown", params: [:])))
        try await check(client, .integer(100), .methodNotFound, "textDocument/unknown")
        client.send(.request(RequestMessage(id: .integer(101), method: "$/unknownRequest", params: nil)))
        try await check(client, .integer(101), .methodNotFound, "$/unknownRequest")
        try expect(try await client.shutdownAndExit(), 0)
        XCTAssertEqual(client.unclaimed, [])
        XCTAssertTrue(
            client.transport.log.contains("ignored unknown notification custom/unknown"), client.transport.log
        )
    }

    func testStringAndIntegerIds() async throws {
        let client = try TestClient.launch()
        client.send(
            .request(
                RequestMessage(id: .string("init-1"), method: "initialize", params: ["capabilities": [:]])))
        try expectSuccess(try await client.response(to: .string("init-1")))
        client.send(.request(RequestMessage(id: .integer(Int64.max), method: "tokenmin/status", params: nil)))
        try expectSuccess(try await client.response(to: .integer(Int64.max)))
        client.send(.request(RequestMessage(id: .integer(-3), method: "tokenmin/status", params: nil)))
        try expectSuccess(try await client.response(to: .integer(-3)))
        try expect(try await client.shutdownAndExit(), 0)
    }

    func testMalformedParamsAndMessages() async throws {
        let client = try TestClient.launch()
        // initialize with bad params fails but leaves the server uninitialized, ready for a good one.
        client.send(
            .request(RequestMessage(id: .integer(1), method: "initialize", params: ["capabilities": 5])))
        try await check(
            client, .integer(1), .invalidParams, "params.capabilities: expected object, got number")
        try await client.initialize()
        client.send(
            .request(RequestMessage(id: .integer(2), method: "tokenmin/documentText", params: ["uri": 7])))
        try await check(client, .integer(2), .invalidParams, "params.uri: expected string, got number")
        client.send(.request(RequestMessage(id: .integer(3), method: "tokenmin/documentText", params: nil)))
        try await check(client, .integer(3), .invalidParams, "params: expected object, got null")
        client.write(frame(Array(#"{"jsonrpc":"2.0","id":4,"method":"#.utf8)))
        let parseError = try await client.response(to: nil)
        XCTAssertEqual(parseError.result.errorCode, .parseError)
        client.write(frame(Array(#"{"jsonrpc":"2.0","id":5,"method":"tokenmin/status","params":"x"}"#.utf8)))
        try await check(client, .integer(5), .invalidRequest, "params must be an object or an array")
        // A notification with bad params is logged, and the server goes on.
        client.send(
            .notification(NotificationMessage(method: "textDocument/didOpen", params: ["textDocument": 1])))
        try expect(try await client.shutdownAndExit(), 0)
        XCTAssertTrue(client.transport.log.contains("textDocument/didOpen ignored"), client.transport.log)
    }
}

extension TestClient {
    /// Waits for a response with a null id (answers to unreadable messages).
    func response(to id: RequestID?) async throws -> ResponseMessage {
        if let id { return try await response(to: id, timeout: Self.defaultTimeout) }
        let deadline = ContinuousClock.now + Self.defaultTimeout
        while ContinuousClock.now < deadline {
            for case .response(let response) in allReceived where response.id == nil { return response }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw TestTimeout(what: "a response with a null id")
    }
}

extension Result<JSONValue, ResponseError> {
    var errorCode: ErrorCode? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}

/// `tokenmin lsp` argument handling (the real binary): bad arguments are usage errors, exit 2.
final class LspCommandTests: XCTestCase {
    private func run(_ arguments: [String]) throws -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = try ProcessTransport.binaryURL()
        process.arguments = ["lsp"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardInput = Pipe()
        process.standardOutput = Pipe()
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testUsageErrors() throws {
        let cases: [([String], String)] = [
            (["--log-level", "loud"], "--log-level must be one of error, warn, info, debug; got 'loud'"),
            (["extra"], "unexpected argument 'extra'"),
            (["--socket=1"], "unknown option '--socket'"),
        ]
        for (arguments, message) in cases {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            XCTAssertTrue(result.errors.contains(message), result.errors)
        }
    }
}

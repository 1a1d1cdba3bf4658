import XCTest

@testable import LanguageServerProtocol

/// Framing against the real process: how bytes arrive must not matter, and stdout carries only frames.
final class FramingTests: XCTestCase {
    private func statusFrame(_ client: TestClient, id: Int64) throws -> [UInt8] {
        try client.requestFrame(ServerStatusRequest.self, NoParams(), id: .integer(id))
    }

    func testByteByByteWrites() async throws {
        let client = try TestClient.launch()
        let bytes = try client.requestFrame(InitializeRequest.self, InitializeParams(), id: .integer(1))
        for byte in bytes { client.write([byte]) }
        try expectSuccess(try await client.response(to: .integer(1)))
        try expect(try await client.shutdownAndExit(), 0)
        XCTAssertEqual(client.problems, [])
    }

    func testTwoMessagesInOneWrite() async throws {
        let client = try TestClient.launch()
        try await client.initialize()
        client.write(try statusFrame(client, id: 10) + statusFrame(client, id: 11))
        try expectSuccess(try await client.response(to: .integer(10)))
        try expectSuccess(try await client.response(to: .integer(11)))
        try expect(try await client.shutdownAndExit(), 0)
    }

    func testHeaderCaseContentTypeAndMultibyteLength() async throws {
        let client = try TestClient.launch()
        try await client.initialize()
        let body = #"{"jsonrpc":"2.0","id":"é😀","method":"tokenmin/status"}"#
        client.write(
            "content-length: \(body.utf8.count)\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n\(body)"
        )
        try expectSuccess(try await client.response(to: .string("é😀")))
        try expect(try await client.shutdownAndExit(), 0)
    }

    func testBadHeaderThenValidMessage() async throws {
        let client = try TestClient.launch()
        try await client.initialize()
        client.write(
            Array("Content-Lenght: 12\r\n\r\n{\"broken\":1}".utf8) + (try statusFrame(client, id: 20)))
        try expectSuccess(try await client.response(to: .integer(20)))
        client.write(Array("Content-Length: x\r\n\r\n".utf8) + (try statusFrame(client, id: 21)))
        try expectSuccess(try await client.response(to: .integer(21)))
        try expect(try await client.shutdownAndExit(), 0)
        XCTAssertTrue(client.transport.log.contains("dropped"), client.transport.log)
        XCTAssertEqual(client.problems, [])
    }

    func testSplitAcrossWritesAtEveryBoundary() async throws {
        let client = try TestClient.launch()
        try await client.initialize()
        let bytes = try statusFrame(client, id: 30) + statusFrame(client, id: 31)
        for cut in [1, 10, 17, 18, 19, 20, 21, bytes.count / 2, bytes.count - 1] {
            client.write(Array(bytes[..<cut]))
            client.write(Array(bytes[cut...]))
            try expectSuccess(try await client.response(to: .integer(30)))
            try expectSuccess(try await client.response(to: .integer(31)))
        }
        try expect(try await client.shutdownAndExit(), 0)
        XCTAssertEqual(client.unclaimed, [])
        XCTAssertEqual(client.problems, [])
    }
}

import Foundation
import XCTest

@testable import LanguageServerProtocol
@testable import PromptLanguageServer

/// Server → client requests (registration, configuration pull) and workspace state, against the
/// real process.
final class ServerRequestTests: XCTestCase {
    private let pullingClient = ClientCapabilities(
        workspace: .init(
            didChangeConfiguration: .init(dynamicRegistration: true),
            didChangeWatchedFiles: .init(dynamicRegistration: true), configuration: true))

    /// Polls `tokenmin/status` until its settings equal `expected` (the server stores them after the
    /// client's response arrives, asynchronously).
    private func waitForSettings(_ client: TestClient, _ expected: JSONValue) async throws {
        let deadline = ContinuousClock.now + TestClient.defaultTimeout
        var last: JSONValue = .null
        while ContinuousClock.now < deadline {
            last = try await client.request(ServerStatusRequest.self, NoParams()).settings
            if last == expected { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        XCTFail("settings stayed \(last), expected \(expected)")
    }

    func testRegistersWatchersAndPullsConfiguration() async throws {
        let client = try TestClient.launch()
        let settings = LockedValue<JSONValue>(["inlayHints": "full"])
        client.onServerRequest(ConfigurationRequest.method) { params in
            XCTAssertEqual(params, ["items": [["section": "tokenmin"]]])
            return .success([settings.value])
        }
        try await client.initialize(InitializeParams(capabilities: pullingClient))
        let registration = try await client.serverRequest(RegisterCapabilityRequest.method)
        let registrations = try XCTUnwrap(registration.params).decode(RegistrationParams.self).registrations
        XCTAssertEqual(
            registrations.map(\.method),
            ["workspace/didChangeWatchedFiles", "workspace/didChangeConfiguration"])
        XCTAssertEqual(
            try registrations[0].registerOptions?.decode(DidChangeWatchedFilesRegistrationOptions.self)
                .watchers.map(\.globPattern),
            ["**/*.prompt", "**/.tokenmin.yml", "**/.tokenmin.yaml", "**/*.sample.json"])
        try await waitForSettings(client, ["inlayHints": "full"])

        // A change notification makes the server pull again; its payload is not trusted.
        settings.value = ["inlayHints": "off"]
        try client.notify(DidChangeConfigurationNotification.self, .init(settings: ["ignored": true]))
        try await waitForSettings(client, ["inlayHints": "off"])
        XCTAssertEqual(
            client.allReceived.filter {
                if case .request(let r) = $0 { r.method == ConfigurationRequest.method } else { false }
            }.count, 2)
        try expect(try await client.shutdownAndExit(), 0)
        XCTAssertEqual(client.problems, [])
    }

    func testConfigurationErrorFromTheClientIsLogged() async throws {
        let client = try TestClient.launch()
        client.onServerRequest(ConfigurationRequest.method) { _ in
            .failure(.init(code: .requestFailed, message: "no config"))
        }
        try await client.initialize(
            InitializeParams(capabilities: ClientCapabilities(workspace: .init(configuration: true))))
        _ = try await client.serverRequest(ConfigurationRequest.method)
        try await waitForSettings(client, .null)
        try expect(try await client.shutdownAndExit(), 0)
        XCTAssertTrue(client.transport.log.contains("workspace/configuration failed"), client.transport.log)
    }

    func testPushedConfigurationAndInitializationOptions() async throws {
        let client = try TestClient.launch()
        try await client.initialize(InitializeParams(initializationOptions: ["model": "gpt-4o"]))
        try await waitForSettings(client, ["model": "gpt-4o"])
        try client.notify(
            DidChangeConfigurationNotification.self, .init(settings: ["tokenmin": ["model": "o3"]]))
        try await waitForSettings(client, ["model": "o3"])
        try client.notify(DidChangeConfigurationNotification.self, .init(settings: ["monthlyCalls": 5]))
        try await waitForSettings(client, ["monthlyCalls": 5])
        // No registration without dynamic-registration support.
        XCTAssertFalse(client.allReceived.contains { if case .request = $0 { true } else { false } })
        try expect(try await client.shutdownAndExit(), 0)
    }

    func testTraceRootsAndOpenDocumentsInStatus() async throws {
        let client = try TestClient.launch()
        try await client.initialize(
            InitializeParams(
                rootUri: "file:///ignored-when-folders-given",
                workspaceFolders: [WorkspaceFolder(uri: "file:///tmp", name: "tmp")]))
        try client.notify(SetTraceNotification.self, .init(value: .verbose))
        try client.open("file:///tmp/b.prompt", "b")
        try client.open("file:///tmp/a.prompt", "a")
        let status = try await client.request(ServerStatusRequest.self, NoParams())
        XCTAssertEqual(status.trace, .verbose)
        XCTAssertEqual(status.openDocuments, ["file:///tmp/a.prompt", "file:///tmp/b.prompt"])
        let tmp = URL(fileURLWithPath: "/tmp").resolvingSymlinksInPath()
        XCTAssertEqual(status.workspaceRoots.compactMap(\.fileURL).map(\.path), [tmp.path])
        try expect(try await client.shutdownAndExit(), 0)
    }
}

/// A value shared between a test and a client callback.
final class LockedValue<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

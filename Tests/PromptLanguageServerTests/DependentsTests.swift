import Foundation
import XCTest

@testable import LanguageServerProtocol
@testable import PromptLanguageServer

/// Documents that use a partial are refreshed when it changes, for a client that pulls diagnostics
/// and supports both refresh requests (VS Code's shape): the server asks it to pull again and to
/// re-request inlay hints, and what it then gets reflects the new partial. Clients without
/// `workspace/diagnostic/refresh` get pushed diagnostics (tested through pytest-lsp).
final class DependentsTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tokenmin-dependents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 100\n---\nWrite a story.\n{{> style}}\n"
            .write(to: folder.appendingPathComponent("story.prompt"), atomically: true, encoding: .utf8)
        try "Use short sentences.\n".write(to: folder.appendingPathComponent("_style.prompt"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private let refreshingClient = ClientCapabilities(
        workspace: .init(inlayHint: RefreshCapability(refreshSupport: true), diagnostics: RefreshCapability(refreshSupport: true)),
        textDocument: .init(diagnostic: .init()))

    private func labels(_ client: TestClient, _ uri: DocumentURI) async throws -> [String] {
        let range = LSPRange(start: Position(line: 0, character: 0), end: Position(line: 20, character: 0))
        let hints = try await client.request(InlayHintRequest.self, InlayHintParams(textDocument: .init(uri: uri), range: range)) ?? []
        return hints.map { if case .string(let label) = $0.label { label } else { "" } }
    }

    func testEditingAnOpenPartialAsksThePullingClientToRefresh() async throws {
        let client = try TestClient.launch()
        var params = InitializeParams(capabilities: refreshingClient)
        params.workspaceFolders = [WorkspaceFolder(uri: DocumentURI(folder.absoluteString), name: "f")]
        let result = try await client.initialize(params)
        XCTAssertNotNil(result.capabilities.diagnosticProvider, "a client that can be asked to re-pull pulls")
        let story = DocumentURI(folder.appendingPathComponent("story.prompt").absoluteString)
        let style = DocumentURI(folder.appendingPathComponent("_style.prompt").absoluteString)
        try client.open(story, try String(contentsOf: folder.appendingPathComponent("story.prompt"), encoding: .utf8))
        try client.open(style, "Use short sentences.\n")
        _ = try await client.request(DocumentDiagnosticRequest.self, DocumentDiagnosticParams(textDocument: .init(uri: story)))
        let before = try await labels(client, story)
        XCTAssertTrue(before.contains("+4 tok"), "\(before)")  // 4 o200k tokens (tiktoken)

        try client.change(style, version: 2, [TextDocumentContentChangeEvent(
            text: "Use short sentences. Prefer concrete nouns, active verbs and one idea per line.\n")])
        _ = try await client.serverRequest(DiagnosticRefreshRequest.method)
        _ = try await client.serverRequest(InlayHintRefreshRequest.method)
        let after = try await labels(client, story)
        XCTAssertTrue(after.contains("+16 tok"), "\(after)")  // 16 o200k tokens (tiktoken)
        try expect(try await client.shutdownAndExit(), 0)
    }

    func testWithoutRefreshSupportDiagnosticsArePushed() async throws {
        let client = try TestClient.launch()
        // Neovim 0.11's shape: pulls, but cannot be asked to pull again.
        let result = try await client.initialize(InitializeParams(capabilities: ClientCapabilities(textDocument: .init(diagnostic: .init()))))
        XCTAssertNil(result.capabilities.diagnosticProvider)
        try client.open(DocumentURI(folder.appendingPathComponent("story.prompt").absoluteString), "Please be brief.\n")
        _ = try await client.notification(PublishDiagnosticsNotification.method)
        try expect(try await client.shutdownAndExit(), 0)
    }
}

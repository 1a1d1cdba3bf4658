import Foundation
import JSONRPC
import PromptText
import XCTest

@testable import LanguageServerProtocol
@testable import PromptLanguageServer

/// Every editor feature through the real `tokenmin lsp` process: one workspace with a prompt, a
/// partial beside it and a file outside the workspace that must never be read.
final class FeatureTests: XCTestCase {
    private var base: URL!
    private var root: URL!
    private var uri: DocumentURI!
    private let secretMarker = "OUTSIDE-THE-WORKSPACE-\(UUID().uuidString)"

    private let text = """
        ---
        model: openai/gpt-4o
        config:
          temperature: 0.2
        ---
        {{role "system"}}
        You are a helpful assistant. Please answer briefly.
        {{> header}}
        {{> ../outside/leak}}
        {{role "user"}}
        {{question}}

        """

    override func setUpWithError() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("tokenmin-features-\(UUID().uuidString)")
        root = base.appendingPathComponent("workspace")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: base.appendingPathComponent("outside"), withIntermediateDirectories: true)
        try Data("Answer in English, in plain text.".utf8).write(to: root.appendingPathComponent("_header.prompt"))
        try Data(secretMarker.utf8).write(to: base.appendingPathComponent("outside/_leak.prompt"))
        uri = DocumentURI(root.appendingPathComponent("feature.prompt").absoluteString)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: base) }

    private func start() async throws -> TestClient {
        let client = try TestClient.launch()
        var params = InitializeParams()
        params.rootUri = DocumentURI(root.absoluteString)
        _ = try await client.initialize(params)
        try client.open(uri, text)
        return client
    }

    private func range(_ lines: Int = 40) -> LSPRange {
        LSPRange(start: Position(line: 0, character: 0), end: Position(line: lines, character: 0))
    }

    func testDiagnosticsInlayHintsAndPartials() async throws {
        let client = try await start()
        let report = try await client.request(DocumentDiagnosticRequest.self, DocumentDiagnosticParams(textDocument: .init(uri: uri)))
        guard case .full(_, let items) = report else { return XCTFail("expected a full report") }
        let codes = Set(items.compactMap { if case .string(let code)? = $0.code { code } else { nil } })
        XCTAssertTrue(codes.isSuperset(of: ["scaffolding", "politeness", "missing-output-cap", "missing-partial"]), "\(codes)")
        let leak = try XCTUnwrap(items.first { $0.message.contains("leak") })
        XCTAssertTrue(leak.message.contains("leaves the workspace"), leak.message)

        let hints = try await client.request(InlayHintRequest.self, InlayHintParams(textDocument: .init(uri: uri), range: range())) ?? []
        let labels = hints.map { if case .string(let label) = $0.label { label } else { "" } }
        XCTAssertTrue(labels.contains { $0.contains("tok in") && $0.contains("/call") && $0.contains("$") }, "\(labels)")
        XCTAssertTrue(labels.contains("+8 tok"), "partial hint: \(labels)")
        XCTAssertTrue(labels.contains("missing"), "\(labels)")
        // Nothing outside the workspace was read: no output mentions its content.
        let everything = String(decoding: try JSONEncoder().encode(items), as: UTF8.self) + labels.joined()
        XCTAssertFalse(everything.contains(secretMarker))
        let status = try await client.shutdownAndExit()
        XCTAssertEqual(status, 0)
    }

    func testHoverCompletionSymbolsAndActions() async throws {
        let client = try await start()
        let hover = try await client.request(HoverRequest.self, TextDocumentPositionParams(textDocument: .init(uri: uri), position: Position(line: 1, character: 10)))
        XCTAssertTrue(hover?.contents.value.contains("$2.50/MTok") ?? false, hover?.contents.value ?? "no hover")

        let symbols = try await client.request(DocumentSymbolRequest.self, TextDocumentParams(textDocument: .init(uri: uri))) ?? []
        XCTAssertEqual(symbols.map(\.name), ["frontmatter", "system", "user"])

        try client.change(uri, version: 2, [TextDocumentContentChangeEvent(range: LSPRange(start: Position(line: 11, character: 0), end: Position(line: 11, character: 0)), text: "{{")])
        let completion = try await client.request(CompletionRequest.self, CompletionParams(textDocument: .init(uri: uri), position: Position(line: 11, character: 2)))
        XCTAssertTrue(completion?.items.contains { $0.label == "if" } ?? false)

        let actions = try await client.request(CodeActionRequest.self, CodeActionParams(textDocument: .init(uri: uri), range: LSPRange(start: Position(line: 6, character: 29), end: Position(line: 6, character: 35)), context: CodeActionContext(diagnostics: []))) ?? []
        let titles = actions.compactMap { if case .codeAction(let action) = $0 { action.title } else { nil } }
        XCTAssertTrue(titles.contains("Remove “Please”"), "\(titles)")
        XCTAssertTrue(titles.contains("Suppress politeness on this line"), "\(titles)")
        // Fix-all (one re-analysis per pass) is computed when asked for: by `only`, or from the
        // actions menu (invoked, or no trigger kind from older clients); not for automatic lightbulbs.
        let rows: [(CodeActionContext, Bool)] = [
            (CodeActionContext(diagnostics: []), true),
            (CodeActionContext(diagnostics: [], triggerKind: .invoked), true),
            (CodeActionContext(diagnostics: [], triggerKind: .automatic), false),
            (CodeActionContext(diagnostics: [], only: [CodeActionKind(rawValue: "source.fixAll")], triggerKind: .automatic), true),
            (CodeActionContext(diagnostics: [], only: [.quickFix], triggerKind: .invoked), false),
        ]
        for (actionContext, offered) in rows {
            let actions = try await client.request(CodeActionRequest.self, CodeActionParams(textDocument: .init(uri: uri), range: range(), context: actionContext)) ?? []
            let kinds = actions.compactMap { if case .codeAction(let action) = $0 { action.kind?.rawValue } else { nil } }
            XCTAssertEqual(kinds.contains("source.fixAll.tokenmin"), offered, "\(actionContext): \(kinds)")
        }
        let status = try await client.shutdownAndExit()
        XCTAssertEqual(status, 0)
    }

    /// Fix-all's passes and unopened files are analysed without replacing the open document's cached
    /// analysis: asking for it again computes nothing.
    func testUncachedAnalysesLeaveTheLiveOneInPlace() {
        var state = ServerState()
        let document = OpenDocument(uri: uri, languageId: "dotprompt", version: 3, text: text)
        state.documents[uri] = document
        _ = state.analyses.analysis(of: document, in: state)
        var pass = document
        pass.document = TextDocument(text.replacingOccurrences(of: "Please ", with: ""))
        pass.version = -1
        _ = state.analyses.uncachedAnalysis(of: pass, in: state)
        let before = state.analyses.computations.withLock { $0 }
        _ = state.analyses.analysis(of: document, in: state)
        XCTAssertEqual(state.analyses.computations.withLock { $0 }, before, "the live analysis was evicted")
        XCTAssertEqual(before, 2)
    }
}

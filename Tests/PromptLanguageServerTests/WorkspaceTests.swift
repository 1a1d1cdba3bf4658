import Foundation
import PromptText
import XCTest

@testable import LanguageServerProtocol
@testable import PromptLanguageServer

/// Workspace roots from `initialize` and the `isInsideWorkspace` guard (partials must never be read
/// from outside the roots).
final class WorkspaceTests: XCTestCase {
    func testRootPrecedence() {
        func roots(_ params: InitializeParams) -> [String] { Initialize.roots(of: params).map(\.path) }
        XCTAssertEqual(
            roots(
                InitializeParams(
                    rootPath: "/c", rootUri: "file:///b",
                    workspaceFolders: [.init(uri: "file:///a", name: "a")])),
            ["/a"])
        XCTAssertEqual(
            roots(InitializeParams(rootPath: "/c", rootUri: "file:///b", workspaceFolders: [])), ["/b"])
        XCTAssertEqual(roots(InitializeParams(rootPath: "/c")), ["/c"])
        XCTAssertEqual(roots(InitializeParams(rootUri: "untitled:x")), [])
        XCTAssertEqual(roots(InitializeParams()), [])
    }

    func testIsInsideWorkspace() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tokenmin-ws-\(UUID().uuidString)")
        let root = base.appendingPathComponent("root")
        let outside = base.appendingPathComponent("outside")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("partials"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("escape"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(
            at: outside.appendingPathComponent("back"),
            withDestinationURL: root.appendingPathComponent("partials"))

        var state = ServerState()
        state.workspaceRoots = [try XCTUnwrap(workspaceRoot(DocumentURI(root.absoluteString)))]
        let cases: [(String, Bool)] = [
            ("root/a.prompt", true),
            ("root/partials/_p.prompt", true),
            ("root/partials/../a.prompt", true),
            ("root/../outside/x.prompt", false),
            ("root/escape/x.prompt", false),  // a symlink out of the workspace
            ("outside/back/p.prompt", true),  // a symlink into it
            ("rootsibling.prompt", false),  // a shared name prefix is not containment
            ("root", true),
        ]
        for (path, expected) in cases {
            XCTAssertEqual(state.isInsideWorkspace(base.appendingPathComponent(path)), expected, path)
        }
        XCTAssertFalse(state.isInsideWorkspace(URL(string: "https://example.com/root/a.prompt")!))
        XCTAssertFalse(ServerState().isInsideWorkspace(root.appendingPathComponent("a.prompt")), "no roots")
    }

    func testPositionEncodingNegotiation() {
        XCTAssertEqual(PositionEncoding.negotiate(clientOffers: nil), .utf16)
        XCTAssertEqual(PositionEncoding.negotiate(clientOffers: []), .utf16)
        XCTAssertEqual(PositionEncoding.negotiate(clientOffers: [.utf16, .utf8]), .utf8)
        XCTAssertEqual(PositionEncoding.negotiate(clientOffers: [.utf32]), .utf16)
        XCTAssertEqual(
            PositionEncoding.negotiate(clientOffers: [PositionEncodingKind(rawValue: "utf-7")]), .utf16)
    }

    func testConversionsRoundTrip() {
        let document = OpenDocument(uri: "file:///a", languageId: "dotprompt", version: 1, text: "a😀\r\n中é")
        let cases: [(utf8Offset: Int, utf16: Position, utf8: Position)] = [
            (0, Position(line: 0, character: 0), Position(line: 0, character: 0)),
            (1, Position(line: 0, character: 1), Position(line: 0, character: 1)),
            (5, Position(line: 0, character: 3), Position(line: 0, character: 5)),
            (7, Position(line: 1, character: 0), Position(line: 1, character: 0)),
            (10, Position(line: 1, character: 1), Position(line: 1, character: 3)),
            (12, Position(line: 1, character: 2), Position(line: 1, character: 5)),
        ]
        for (offset, utf16, utf8) in cases {
            XCTAssertEqual(document.position(ofUTF8Offset: offset, encoding: .utf16), utf16, "\(offset)")
            XCTAssertEqual(document.position(ofUTF8Offset: offset, encoding: .utf8), utf8, "\(offset)")
            XCTAssertEqual(document.utf8Offset(of: utf16, encoding: .utf16), offset)
            XCTAssertEqual(document.utf8Offset(of: utf8, encoding: .utf8), offset)
        }
        let range = LSPRange(start: Position(line: 0, character: 1), end: Position(line: 1, character: 1))
        XCTAssertEqual(document.utf8Range(of: range, encoding: .utf16), UTF8Range(start: 1, end: 10))
        XCTAssertEqual(document.range(of: UTF8Range(start: 1, end: 10), encoding: .utf16), range)
    }
}

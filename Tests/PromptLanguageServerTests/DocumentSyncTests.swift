import XCTest

@testable import LanguageServerProtocol

/// Text synchronization against the real process. Each fixture opens a text, applies edits (one
/// notification per inner array, changes in order), and compares the server's copy, read back with
/// `tokenmin/documentText`, with the expected text.
final class DocumentSyncTests: XCTestCase {
    private struct Fixture {
        var name: String
        var text: String
        var edits: [[TextDocumentContentChangeEvent]]
        var expected: String
    }

    private static func edit(_ line: Int, _ column: Int, _ endLine: Int, _ endColumn: Int, _ text: String)
        -> TextDocumentContentChangeEvent
    {
        TextDocumentContentChangeEvent(
            range: LSPRange(
                start: Position(line: line, character: column),
                end: Position(line: endLine, character: endColumn)),
            text: text)
    }

    private static func full(_ text: String) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent(text: text)
    }

    /// Opens every fixture in one session with the given encodings offered, and checks each result.
    private func check(
        _ fixtures: [Fixture], offering encodings: [PositionEncodingKind]?,
        expectEncoding: PositionEncodingKind,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let client = try TestClient.launch()
        let result = try await client.initialize(
            InitializeParams(capabilities: ClientCapabilities(general: .init(positionEncodings: encodings))))
        XCTAssertEqual(result.capabilities.positionEncoding, expectEncoding, file: file, line: line)
        for (index, fixture) in fixtures.enumerated() {
            let uri = DocumentURI("file:///ws/\(index).prompt")
            try client.open(uri, fixture.text)
            for (step, changes) in fixture.edits.enumerated() {
                try client.change(uri, version: step + 2, changes)
            }
            let document = try await client.documentText(uri)
            XCTAssertEqual(document.text, fixture.expected, fixture.name, file: file, line: line)
            XCTAssertEqual(document.version, fixture.edits.count + 1, fixture.name, file: file, line: line)
        }
        try expect(try await client.shutdownAndExit(), 0, file: file, line: line)
        XCTAssertEqual(client.problems, [], file: file, line: line)
    }

    func testUTF16() async throws {
        try await check(
            [
                Fixture(
                    name: "emoji is two units", text: "a😀b", edits: [[Self.edit(0, 1, 0, 3, "X")]],
                    expected: "aXb"),
                Fixture(
                    name: "after emoji", text: "😀😀x", edits: [[Self.edit(0, 4, 0, 5, "y")]], expected: "😀😀y"),
                Fixture(
                    name: "half a surrogate pair rounds down", text: "😀",
                    edits: [[Self.edit(0, 1, 0, 1, "x")]],
                    expected: "x😀"),
                Fixture(
                    name: "CJK is one unit", text: "中文字", edits: [[Self.edit(0, 2, 0, 2, "!")]],
                    expected: "中文!字"),
                Fixture(
                    name: "combining mark is its own unit", text: "e\u{301}x",
                    edits: [[Self.edit(0, 1, 0, 2, "")]],
                    expected: "ex"),
                Fixture(
                    name: "CRLF line ends", text: "a\r\nb\r\nc", edits: [[Self.edit(1, 0, 2, 0, "")]],
                    expected: "a\r\nc"),
                Fixture(
                    name: "column past a CRLF line end clamps before the terminator", text: "ab\r\ncd",
                    edits: [[Self.edit(0, 99, 0, 99, "!")]], expected: "ab!\r\ncd"),
                Fixture(
                    name: "lone CR ends a line", text: "a\rb", edits: [[Self.edit(1, 0, 1, 0, "X")]],
                    expected: "a\rXb"),
                Fixture(
                    name: "line past the end clamps to the end", text: "ab\ncd",
                    edits: [[Self.edit(99, 0, 99, 0, "Z")]],
                    expected: "ab\ncdZ"),
                Fixture(
                    name: "inserting a CRLF then editing the new line", text: "ab",
                    edits: [[Self.edit(0, 1, 0, 1, "\r\n"), Self.edit(1, 0, 1, 1, "B")]], expected: "a\r\nB"),
                Fixture(
                    name: "changes in one notification apply in order", text: "hello world",
                    edits: [[Self.edit(0, 0, 0, 5, "goodbye"), Self.edit(0, 8, 0, 13, "moon")]],
                    expected: "goodbye moon"),
                Fixture(
                    name: "notifications apply in order", text: "1",
                    edits: [
                        [Self.edit(0, 1, 0, 1, "2")], [Self.edit(0, 2, 0, 2, "3")],
                        [Self.edit(0, 0, 0, 1, "")],
                    ],
                    expected: "23"),
                Fixture(
                    name: "a full replacement mixed in", text: "old",
                    edits: [
                        [Self.edit(0, 0, 0, 3, "x"), Self.full("new 😀\ntext"), Self.edit(1, 0, 1, 4, "TEXT")]
                    ],
                    expected: "new 😀\nTEXT"),
                Fixture(
                    name: "reversed range is normalized", text: "abcdef",
                    edits: [[Self.edit(0, 4, 0, 2, "")]],
                    expected: "abef"),
            ], offering: nil, expectEncoding: .utf16)
    }

    func testUTF8WhenOffered() async throws {
        try await check(
            [
                Fixture(
                    name: "emoji is four bytes", text: "a😀b", edits: [[Self.edit(0, 1, 0, 5, "X")]],
                    expected: "aXb"),
                Fixture(
                    name: "CJK is three bytes", text: "中文", edits: [[Self.edit(0, 3, 0, 3, "!")]],
                    expected: "中!文"),
                Fixture(
                    name: "inside a scalar rounds down", text: "é", edits: [[Self.edit(0, 1, 0, 1, "x")]],
                    expected: "xé"),
            ], offering: [.utf32, .utf8, .utf16], expectEncoding: .utf8)
    }

    func testUTF16IsChosenWhenUTF8IsNotOffered() async throws {
        try await check(
            [
                Fixture(
                    name: "utf-16 columns", text: "😀x", edits: [[Self.edit(0, 2, 0, 3, "y")]], expected: "😀y")
            ],
            offering: [.utf32], expectEncoding: .utf16)
    }

    func testEditsToUnknownDocumentsAndCloseAreHarmless() async throws {
        let client = try TestClient.launch()
        try await client.initialize()
        let uri: DocumentURI = "file:///ws/x.prompt"
        try client.change(uri, version: 2, [Self.full("ignored")])
        try client.open(uri, "one")
        try client.open(uri, "two")  // reopening replaces
        try expect(try await client.documentText(uri), DocumentTextResult(text: "two", version: 1))
        try client.notify(DidCloseTextDocumentNotification.self, .init(textDocument: .init(uri: uri)))
        let error = try await client.error(
            of: try client.sendRequest(DocumentTextRequest.self, .init(uri: uri)))
        XCTAssertEqual(error.code, .requestFailed)
        try expect(try await client.shutdownAndExit(), 0)
    }
}

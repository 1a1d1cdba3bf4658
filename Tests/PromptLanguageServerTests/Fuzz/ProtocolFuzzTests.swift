import Foundation
import XCTest

@testable import LanguageServerProtocol

/// Protocol fuzzing against the real `tokenmin lsp` process.
///
/// Each case writes one mutated input (a frame with a broken header or length, a body that is not
/// JSON, JSON that is not a valid message, a request with odd ids or wrong parameter types, a cancel
/// storm, …) followed by a known-good sentinel request (`tokenmin/status`). Every case knows exactly
/// which responses it must cause, derived from the documented behaviour of the framer (a header block
/// without a usable `Content-Length` is dropped and the framer resynchronizes at the next
/// `Content-Length` header) and of JSON-RPC 2.0 / LSP. The round passes when the sentinel is answered,
/// the expected responses (and no others) arrived, and no response is an internal error.
final class ProtocolFuzzTests: XCTestCase {
    /// One response a case must cause.
    enum Expectation: CustomStringConvertible {
        /// A success result to this id.
        case result(RequestID)
        /// An error with one of `codes` to this id (nil: to a null id, when the id could not be read).
        case error(RequestID?, Set<Int>)
        /// Exactly one answer to this id, a result or a proper (non-internal) error.
        case answer(RequestID)

        var id: RequestID? {
            switch self {
            case .result(let id), .answer(let id): id
            case .error(let id, _): id
            }
        }

        func accepts(_ response: ResponseMessage) -> Bool {
            guard response.id == id else { return false }
            switch (self, response.result) {
            case (.result, .success): return true
            case (.error(_, let codes), .failure(let error)): return codes.contains(error.code.rawValue)
            case (.answer, .success): return true
            case (.answer, .failure(let error)): return error.code != .internalError
            default: return false
            }
        }

        var description: String {
            switch self {
            case .result(let id): "result to \(id)"
            case .error(let id, let codes): "error \(codes.sorted()) to \(id.map(\.description) ?? "null")"
            case .answer(let id): "an answer to \(id)"
            }
        }
    }

    struct Case {
        var kind: String
        /// Chunks written one `write(2)` each.
        var writes: [[UInt8]]
        var expected: [Expectation]
        /// Frames (or frame-like units) this case sends, for the printed count.
        var frames: Int = 1
    }

    static let documentURI = "file:///fuzz/open.prompt"
    static let documentText = """
        ---
        model: openai/gpt-4o
        input:
          schema:
            name: string
        ---
        {{role "system"}}
        You are a helpful assistant. 😀 中文
        {{role "user"}}
        Hello {{name}}!\r
        {{> missing}}
        """

    func testThousandsOfMutatedFramesGetExactlyTheExpectedAnswers() async throws {
        let seed = FuzzSettings.seed(default: 0x70C3_1111, suite: "protocol fuzz")
        var generator = ProtocolCaseGenerator(random: FuzzRandom(seed: seed))
        let client = try TestClient.launch(["--log-level", "error"])
        let runner = RoundRunner(client: client, seed: seed)
        let start = ContinuousClock.now

        // Before `initialize`: requests get ServerNotInitialized, notifications are dropped.
        for _ in 0..<(150 * FuzzSettings.scale) {
            try await runner.run(generator.nextCase(), sentinelExpectation: { .error($0, [-32002]) })
        }
        // `initialize` with parameters of the wrong shape is refused and leaves the server uninitialized.
        let badInitialize = generator.freshID()
        try await runner.run(
            Case(
                kind: "initialize-bad-params",
                writes: [frame(generator.request(badInitialize.raw, "initialize", #"{"processId":"x"}"#))],
                expected: [.error(badInitialize.id, [-32602])]), sentinelExpectation: { .error($0, [-32002]) })

        let initialize = generator.freshID()
        let open = Array(
            JSONValue.object([
                "jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": [
                    "textDocument": [
                        "uri": .string(Self.documentURI), "languageId": "dotprompt", "version": 1,
                        "text": .string(Self.documentText),
                    ]
                ],
            ]).serialized())
        try await runner.run(
            Case(
                kind: "initialize",
                writes: [
                    frame(
                        generator.request(
                            initialize.raw, "initialize",
                            #"{"processId":null,"rootUri":"file:///fuzz","capabilities":{"textDocument":{"diagnostic":{}}}}"#
                        )),
                    frame(Array(#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#.utf8)), frame(open),
                ], expected: [.result(initialize.id)], frames: 3), sentinelExpectation: { .result($0) })
        generator.initialized = true

        for _ in 0..<(6_000 * FuzzSettings.scale) {
            try await runner.run(generator.nextCase(), sentinelExpectation: { .result($0) })
            if !client.serverIsRunning { break }
        }

        // A real request still works, the open document is intact apart from the fuzzed edits' effects,
        // and the session ends cleanly: after `shutdown` requests are invalid, `exit` gives 0.
        let hover = try client.sendRequest(
            HoverRequest.self,
            TextDocumentPositionParams(
                textDocument: TextDocumentIdentifier(uri: DocumentURI(Self.documentURI)),
                position: Position(line: 0, character: 0)))
        let hoverResponse = try await client.response(to: hover)
        if case .failure(let error) = hoverResponse.result { XCTFail("hover after fuzzing failed: \(error)") }
        _ = try await client.request(ShutdownRequest.self, NoParams())
        runner.skipToEnd()
        for _ in 0..<50 {
            try await runner.run(
                generator.afterShutdownCase(), sentinelExpectation: { .error($0, [-32600]) })
        }
        try client.notify(ExitNotification.self, NoParams())
        try expect(try await client.exitStatus(), 0)

        let problems = client.problems
        XCTAssertEqual(problems, [], "the server wrote something that is not a valid frame")
        let seconds = (ContinuousClock.now - start).components.seconds
        print(
            "protocol fuzz: \(runner.rounds) rounds, \(runner.framesSent + generator.extraFrames) frames sent "
                + "(\(runner.bytesSent) bytes), \(runner.responsesChecked) responses checked, "
                + "kinds: \(runner.kindCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); "
                + "\(seconds) s")
    }

    /// A frame cut off by the end of input: the server ends (status 1, no `shutdown`) instead of waiting.
    func testEndOfInputInsideAFrameEndsTheServer() async throws {
        let client = try TestClient.launch(["--log-level", "error"])
        try await client.initialize()
        client.write(Array("Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,".utf8))
        client.transport.closeInput()
        try expect(try await client.exitStatus(), 1)
    }
}

/// Runs rounds: the case's writes, then the sentinel; waits for the sentinel's answer and every
/// expected response, then checks that exactly the expected responses arrived.
final class RoundRunner {
    let client: TestClient
    let seed: UInt64
    private var cursor = 0
    private(set) var rounds = 0
    private(set) var framesSent = 0
    private(set) var bytesSent = 0
    private(set) var responsesChecked = 0
    private(set) var kindCounts: [String: Int] = [:]

    init(client: TestClient, seed: UInt64) {
        self.client = client
        self.seed = seed
    }

    /// Ignores everything received so far (after a request the test sent outside a round).
    func skipToEnd() { cursor = client.allReceived.count }

    func run(
        _ fuzzCase: ProtocolFuzzTests.Case,
        sentinelExpectation: (RequestID) -> ProtocolFuzzTests.Expectation,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        rounds += 1
        kindCounts[String(fuzzCase.kind.prefix { $0 != "/" }), default: 0] += 1
        let sentinelID = RequestID.string("sentinel-\(rounds)")
        let sentinel = frame(Array(#"{"jsonrpc":"2.0","id":"sentinel-\#(rounds)","method":"tokenmin/status"}"#.utf8))
        for chunk in fuzzCase.writes {
            client.write(chunk)
            bytesSent += chunk.count
        }
        client.write(sentinel)
        bytesSent += sentinel.count
        framesSent += fuzzCase.frames + 1
        let expected = fuzzCase.expected + [sentinelExpectation(sentinelID)]
        let context = { [client, seed, rounds] in
            "round \(rounds) (\(fuzzCase.kind), seed \(seed)); writes: "
                + fuzzCase.writes.map { String(decoding: $0.prefix(400), as: UTF8.self).debugDescription }.joined(
                    separator: " | ") + "\nserver log: " + String(client.transport.log.suffix(2_000))
        }

        // Wait until the sentinel and every expected id have as many answers as expected.
        var expectedCounts: [RequestID: Int] = [:]
        for expectation in expected { if let id = expectation.id { expectedCounts[id, default: 0] += 1 } }
        let deadline = ContinuousClock.now + max(.seconds(20), TestClient.defaultTimeout)
        var window: [ResponseMessage] = []
        var end = cursor
        while true {
            let received = client.allReceived
            end = received.count
            window = received[cursor..<end].compactMap { if case .response(let r) = $0 { r } else { nil } }
            var answers: [RequestID: Int] = [:]
            for response in window { if let id = response.id { answers[id, default: 0] += 1 } }
            if expectedCounts.allSatisfy({ answers[$0.key, default: 0] >= $0.value }) { break }
            if !client.serverIsRunning {
                XCTFail("the server exited (status \(client.transport.exitStatus ?? -1)) in \(context())", file: file, line: line)
                throw TestTimeout(what: "a live server")
            }
            if ContinuousClock.now >= deadline {
                XCTFail("no answer in 20 s: expected \(expected) in \(context())", file: file, line: line)
                throw TestTimeout(what: "the sentinel")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        cursor = end

        // Match expectations to responses (errors with fixed codes first, then the lenient ones).
        var unmatched = window
        for expectation in expected.sorted(by: { rank($0) < rank($1) }) {
            if let index = unmatched.firstIndex(where: expectation.accepts) {
                unmatched.remove(at: index)
                responsesChecked += 1
            } else {
                XCTFail(
                    "missing \(expectation); got \(window.map(describe)) in \(context())", file: file, line: line)
            }
        }
        for response in unmatched {
            XCTFail("unexpected response \(describe(response)) in \(context())", file: file, line: line)
        }
    }

    private func rank(_ expectation: ProtocolFuzzTests.Expectation) -> Int {
        switch expectation {
        case .error: 0
        case .result: 1
        case .answer: 2
        }
    }

    private func describe(_ response: ResponseMessage) -> String {
        let id = response.id.map(\.description) ?? "null"
        switch response.result {
        case .success: return "result to \(id)"
        case .failure(let error): return "error \(error.code.rawValue) to \(id): \(error.message)"
        }
    }
}

/// Generates fuzz cases; each knows the responses it must cause.
struct ProtocolCaseGenerator {
    typealias Case = ProtocolFuzzTests.Case
    typealias Expectation = ProtocolFuzzTests.Expectation

    var random: FuzzRandom
    var initialized = false
    private var nextID: Int64 = 1_000
    private var documentVersion = 1
    /// Frames inside cases that the round runner does not count (cancel storms, batches).
    private(set) var extraFrames = 0

    init(random: FuzzRandom) { self.random = random }

    mutating func freshID() -> (raw: String, id: RequestID) {
        nextID += 1
        if random.chance(0.3) { return ("\"s\(nextID)\"", .string("s\(nextID)")) }
        return (String(nextID), .integer(nextID))
    }

    func request(_ rawID: String, _ method: String, _ params: String?) -> [UInt8] {
        var body = #"{"jsonrpc":"2.0","id":\#(rawID),"method":\#(quoted(method))"#
        if let params { body += #","params":\#(params)"# }
        return Array((body + "}").utf8)
    }

    func notification(_ method: String, _ params: String?) -> [UInt8] {
        var body = #"{"jsonrpc":"2.0","method":\#(quoted(method))"#
        if let params { body += #","params":\#(params)"# }
        return Array((body + "}").utf8)
    }

    private func quoted(_ string: String) -> String { String(decoding: JSONValue.string(string).serialized(), as: UTF8.self) }

    /// What a well-formed `tokenmin/status` request must get in the current lifecycle state.
    private func statusAnswer(_ id: RequestID) -> Expectation { initialized ? .result(id) : .error(id, [-32002]) }

    /// What any other well-formed request must get: before `initialize` exactly ServerNotInitialized.
    private func requestAnswer(_ id: RequestID, _ whenRunning: Expectation) -> Expectation {
        initialized ? whenRunning : .error(id, [-32002])
    }

    mutating func nextCase() -> Case {
        let kinds: [(String, (inout ProtocolCaseGenerator) -> Case)] = [
            ("valid-request", { $0.validRequest() }),
            ("unknown-method", { $0.unknownMethod() }),
            ("wrong-param-types", { $0.wrongParamTypes() }),
            ("unreadable-id", { $0.unreadableID() }),
            ("odd-valid-id", { $0.oddValidID() }),
            ("bad-envelope", { $0.badEnvelope() }),
            ("invalid-json", { $0.invalidJSON() }),
            ("not-an-object", { $0.notAnObject() }),
            ("lenient-json", { $0.lenientJSON() }),
            ("client-response", { $0.clientResponse() }),
            ("bad-notification", { $0.badNotification() }),
            ("invalid-edit", { $0.invalidEdit() }),
            ("framing", { $0.framing() }),
            ("cancel", { $0.cancellation() }),
            ("duplicate-id", { $0.duplicateID() }),
        ]
        let (kind, make) = random.pick(kinds)
        var fuzzCase = make(&self)
        fuzzCase.kind = kind + (fuzzCase.kind.isEmpty ? "" : "/" + fuzzCase.kind)
        return fuzzCase
    }

    mutating func afterShutdownCase() -> Case {
        let (raw, id) = freshID()
        let method = random.pick(["tokenmin/status", "textDocument/hover", "initialize", "shutdown", "fuzz/unknown"])
        return Case(kind: "after-shutdown", writes: [frame(request(raw, method, "{}"))], expected: [.error(id, [-32600])])
    }

    // MARK: Random values

    private mutating func position() -> String {
        let line = random.pick(["0", "1", "5", "9", "10", "11", "-1", "2147483647", "9223372036854775807", "-9223372036854775808"])
        let character = random.pick(["0", "3", "8", "9", "30", "-7", "4294967295", "9223372036854775807"])
        return #"{"line":\#(line),"character":\#(character)}"#
    }

    private mutating func uri() -> String {
        random.chance(0.8)
            ? #""\#(ProtocolFuzzTests.documentURI)""#
            : random.pick([#""file:///fuzz/closed.prompt""#, #""""#, #""not a uri""#, #""file:///%zz/😀.prompt""#])
    }

    private mutating func jsonJunk(depth: Int = 0) -> String {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 8), using: &random) {
        case 0: return "null"
        case 1: return random.pick(["true", "false"])
        case 2: return random.pick(["0", "-1", "3.25", "1e300", "9223372036854775807", "-0.0"])
        case 3: return quoted(random.pick(["", "x", "😀", "\u{0}", "\"\\", "line\nbreak", String(repeating: "a", count: 3_000)]))
        case 4: return "[]"
        case 5, 6:
            return "[" + (0..<Int.random(in: 1...4, using: &random)).map { _ in jsonJunk(depth: depth + 1) }.joined(separator: ",")
                + "]"
        default:
            return "{" + (0..<Int.random(in: 1...4, using: &random)).map { index in
                "\"k\(index)\":\(jsonJunk(depth: depth + 1))"
            }.joined(separator: ",") + "}"
        }
    }

    // MARK: Case kinds

    private mutating func validRequest() -> Case {
        let (raw, id) = freshID()
        let document = #"{"uri":\#(uri())}"#
        let range = #"{"start":\#(position()),"end":\#(position())}"#
        let (method, params): (String, String?) = random.pick([
            ("tokenmin/status", nil),
            ("textDocument/hover", #"{"textDocument":\#(document),"position":\#(position())}"#),
            ("textDocument/inlayHint", #"{"textDocument":\#(document),"range":\#(range)}"#),
            ("textDocument/codeAction", #"{"textDocument":\#(document),"range":\#(range),"context":{"diagnostics":[]}}"#),
            ("textDocument/diagnostic", #"{"textDocument":\#(document)}"#),
            ("textDocument/completion", #"{"textDocument":\#(document),"position":\#(position())}"#),
            ("textDocument/documentSymbol", #"{"textDocument":\#(document)}"#),
            ("tokenmin/documentText", document),
            ("workspace/executeCommand", #"{"command":"tokenmin.tokenView","arguments":[\#(document)]}"#),
            ("inlayHint/resolve", #"{"position":\#(position()),"label":"x","data":\#(jsonJunk())}"#),
        ])
        return Case(kind: method, writes: [frame(request(raw, method, params))], expected: [requestAnswer(id, .answer(id))])
    }

    private mutating func unknownMethod() -> Case {
        let (raw, id) = freshID()
        let method = random.pick(["fuzz/unknown", "textDocument/nope", "$/fuzzRequest", "", "initialize ", "😀", "TOKENMIN/STATUS"])
        // Params are an object, an array or absent (a scalar would make it an invalid request instead).
        let params = random.chance(0.5) ? "[\(jsonJunk())]" : nil
        return Case(
            kind: "", writes: [frame(request(raw, method, params))], expected: [requestAnswer(id, .error(id, [-32601]))])
    }

    private mutating func wrongParamTypes() -> Case {
        let (raw, id) = freshID()
        let method = random.pick([
            "textDocument/hover", "textDocument/inlayHint", "textDocument/codeAction", "textDocument/completion",
            "textDocument/diagnostic", "textDocument/documentSymbol", "tokenmin/documentText", "workspace/executeCommand",
            "inlayHint/resolve",
        ])
        let params = random.pick([
            "{}", "[]", "[1,2]", #"{"textDocument":5}"#, #"{"textDocument":{"uri":7},"position":{"line":"a","character":0}}"#,
            #"{"uri":[]}"#, #"{"textDocument":{"uri":{"path":"/fuzz/open.prompt"}}}"#,
            "{\"k\":\(jsonJunk())}",
        ])
        return Case(kind: method, writes: [frame(request(raw, method, params))], expected: [requestAnswer(id, .error(id, [-32602]))])
    }

    private mutating func unreadableID() -> Case {
        let rawID = random.pick([
            "1.5", "true", "false", "null", "[]", "[1]", "{}", #"{"id":1}"#, "123456789012345678901234567890", "-1e3",
            String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
        ])
        return Case(
            kind: "", writes: [frame(request(rawID, "tokenmin/status", nil))], expected: [.error(nil, [-32600])])
    }

    private mutating func oddValidID() -> Case {
        nextID += 1
        let n = nextID
        let id: RequestID = random.pick([
            .integer(Int64.max - n), .integer(Int64.min + n), .integer(-n), .string("😀\(n)"), .string("\u{0}\(n)"),
            .string("\"quoted\\\(n)\""), .string("line\nbreak\(n)"), .string(String(repeating: "長", count: 2_000) + "\(n)"),
            .string("\(n)"), .string(" \(n) "),
        ])
        return Case(
            kind: "", writes: [frame(request(String(decoding: id.json.serialized(), as: UTF8.self), "tokenmin/status", nil))],
            expected: [statusAnswer(id)])
    }

    private mutating func badEnvelope() -> Case {
        let (raw, id) = freshID()
        let body = random.pick([
            #"{"id":\#(raw),"method":"tokenmin/status"}"#,
            #"{"jsonrpc":"1.0","id":\#(raw),"method":"tokenmin/status"}"#,
            #"{"jsonrpc":2.0,"id":\#(raw),"method":"tokenmin/status"}"#,
            #"{"jsonrpc":"2.0","id":\#(raw),"method":5}"#,
            #"{"jsonrpc":"2.0","id":\#(raw),"method":null}"#,
            #"{"jsonrpc":"2.0","id":\#(raw),"method":{"name":"tokenmin/status"}}"#,
            #"{"jsonrpc":"2.0","id":\#(raw),"method":"tokenmin/status","params":"p"}"#,
            #"{"jsonrpc":"2.0","id":\#(raw),"method":"tokenmin/status","params":42}"#,
            #"{"jsonrpc":"2.0","id":\#(raw),"method":"tokenmin/status","params":true}"#,
        ])
        return Case(kind: "", writes: [frame(Array(body.utf8))], expected: [.error(id, [-32600])])
    }

    private mutating func invalidJSON() -> Case {
        let (raw, _) = freshID()
        let valid = #"{"jsonrpc":"2.0","id":\#(raw),"method":"tokenmin/status"}"#
        var body: [UInt8] = Array(
            random.pick([
                "", "{", "}", "nul", "@", "{\"jsonrpc\":\"2.0\",", String(valid.dropLast()), valid + "x", valid + valid,
                "{\"a\":1,}", "[1,2,]", "{'a':1}", "{\"a\" 1}", "\"unterminated", "01", "+1", ".5", "NaN", "Infinity",
                #"{"jsonrpc":"2.0","id":1,"method":"tokenmin/status","params":{"n":1e999}}"#,
                #"{"jsonrpc":"2.0","id":1,"method":"tokenmin/status","params":{"s":"\x"}}"#,
                String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
                String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600),
            ]).utf8)
        if random.chance(0.15) {
            // Arbitrary bytes that cannot start a JSON value.
            body = [UInt8(ascii: "@")] + (0..<Int.random(in: 1...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        return Case(kind: "", writes: [frame(body)], expected: [.error(nil, [-32700])])
    }

    /// JSON that a strict parser could refuse but this one reads (documented leniency): a lone surrogate
    /// escape becomes U+FFFD, as in JavaScript's `JSON.parse` followed by UTF-8 encoding.
    private mutating func lenientJSON() -> Case {
        let (raw, id) = freshID()
        let body = #"{"jsonrpc":"2.0","id":\#(raw),"method":"tokenmin/status","params":{"s":"\uD800","t":"\uDFFF\uD83D"}}"#
        return Case(kind: "", writes: [frame(Array(body.utf8))], expected: [statusAnswer(id)])
    }

    private mutating func notAnObject() -> Case {
        let (raw, _) = freshID()
        let body = random.pick([
            "[]", "1", "-2.5", "\"s\"", "null", "true", #"[{"jsonrpc":"2.0","id":\#(raw),"method":"tokenmin/status"}]"#,
        ])
        return Case(kind: "", writes: [frame(Array(body.utf8))], expected: [.error(nil, [-32600])])
    }

    private mutating func clientResponse() -> Case {
        let (raw, _) = freshID()
        let body = random.pick([
            #"{"jsonrpc":"2.0","id":\#(raw),"result":null}"#, #"{"jsonrpc":"2.0","id":\#(raw),"error":{"code":1,"message":"m"}}"#,
            #"{"jsonrpc":"2.0","id":\#(raw)}"#, #"{"jsonrpc":"2.0","id":\#(raw),"error":"x"}"#, #"{"jsonrpc":"2.0","result":1}"#,
            #"{"id":\#(raw),"result":1}"#, #"{"jsonrpc":"2.0","id":null,"result":{}}"#,
        ])
        return Case(kind: "", writes: [frame(Array(body.utf8))], expected: [])
    }

    private mutating func badNotification() -> Case {
        let (method, params): (String, String?) = random.pick([
            ("fuzz/unknown", jsonJunk()), ("$/fuzz", nil), ("$/progress", jsonJunk()),
            ("textDocument/didChange", #"{"textDocument":{"uri":"file:///fuzz/closed.prompt","version":2},"contentChanges":[{"text":"x"}]}"#),
            ("textDocument/didChange", #"{"textDocument":{"uri":"\#(ProtocolFuzzTests.documentURI)"},"contentChanges":5}"#),
            ("textDocument/didOpen", #"{"textDocument":{"uri":5,"text":[]}}"#), ("textDocument/didOpen", "{}"),
            ("textDocument/didClose", #"{"textDocument":{"uri":"file:///fuzz/never-opened.prompt"}}"#),
            ("textDocument/didSave", #"{"textDocument":{"uri":"file:///fuzz/closed.prompt"}}"#),
            ("$/cancelRequest", jsonJunk()), ("$/cancelRequest", #"{"id":1.5}"#), ("$/setTrace", #"{"value":"loud"}"#),
            ("workspace/didChangeWatchedFiles", #"{"changes":[{"uri":"file:///fuzz/_p.prompt","type":99}]}"#),
            ("workspace/didChangeWatchedFiles", jsonJunk()), ("initialized", jsonJunk()), ("textDocument/didChange", nil),
        ])
        let params2 = params.map { $0.hasPrefix("{") || $0.hasPrefix("[") || $0 == "null" ? $0 : "[\($0)]" }
        return Case(kind: method, writes: [frame(notification(method, params2))], expected: [])
    }

    private mutating func invalidEdit() -> Case {
        documentVersion += 1
        let texts = ["", "x", "😀", "中文\r\n", "\r", "\n\n", "{{", "}}", "---\n", "{{role \"user\"}}\n", "é\u{301}"]
        let changes = (0..<Int.random(in: 1...4, using: &random)).map { _ in
            random.chance(0.05)
                ? #"{"text":\#(quoted(ProtocolFuzzTests.documentText))}"#
                : #"{"range":{"start":\#(position()),"end":\#(position())},"text":\#(quoted(random.pick(texts)))}"#
        }
        let version = random.chance(0.1) ? 0 : documentVersion
        let params = #"{"textDocument":{"uri":"\#(ProtocolFuzzTests.documentURI)","version":\#(version)},"contentChanges":[\#(changes.joined(separator: ","))]}"#
        return Case(kind: "", writes: [frame(notification("textDocument/didChange", params))], expected: [])
    }

    private mutating func duplicateID() -> Case {
        let (raw, id) = freshID()
        let hover = request(raw, "textDocument/hover", #"{"textDocument":{"uri":"\#(ProtocolFuzzTests.documentURI)"},"position":\#(position())}"#)
        // Both in one write (one read): the first is still running when the second arrives.
        guard initialized else {
            return Case(kind: "", writes: [frame(hover) + frame(hover)], expected: [.error(id, [-32002]), .error(id, [-32002])], frames: 2)
        }
        return Case(kind: "", writes: [frame(hover) + frame(hover)], expected: [.answer(id), .error(id, [-32600])], frames: 2)
    }

    private mutating func cancellation() -> Case {
        let (raw, id) = freshID()
        let hover = frame(request(raw, "textDocument/inlayHint", #"{"textDocument":{"uri":"\#(ProtocolFuzzTests.documentURI)"},"range":{"start":{"line":0,"character":0},"end":{"line":99,"character":0}}}"#))
        let cancel = frame(notification("$/cancelRequest", #"{"id":\#(raw)}"#))
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            // The cancel arrives in the same read: the request is answered RequestCancelled.
            return Case(kind: "same-read", writes: [hover + cancel], expected: [requestAnswer(id, .error(id, [-32800]))], frames: 2)
        case 1:
            // The cancel arrives later: exactly one answer, a result or RequestCancelled.
            return Case(kind: "later", writes: [hover, cancel], expected: [requestAnswer(id, .answer(id))], frames: 2)
        default:
            // A storm of cancels for ids that are not running, around one cancelled request. The storm
            // may span several reads, so the request gets exactly one answer of either kind.
            var storm: [UInt8] = []
            let count = Int.random(in: 20...200, using: &random)
            for index in 0..<count {
                if index == count / 2 { storm += hover }
                let target = random.pick(["\(Int.random(in: 0...1_000_000, using: &random))", "\"x\(index)\"", "null", "[]", "1.5"])
                storm += frame(notification("$/cancelRequest", #"{"id":\#(target)}"#))
            }
            storm += cancel
            extraFrames += count
            return Case(kind: "storm", writes: [storm], expected: [requestAnswer(id, .answer(id))], frames: 2)
        }
    }

    // MARK: Framing

    private mutating func framing() -> Case {
        let (raw, id) = freshID()
        let body = request(raw, "tokenmin/status", nil)
        let length = body.count
        let answer = statusAnswer(id)
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        switch Int.random(in: 0..<19, using: &random) {
        case 0: return Case(kind: "misspelled-header", writes: [bytes("Content-Lenght: \(length)\r\n\r\n") + body], expected: [])
        case 1: return Case(kind: "no-header", writes: [body], expected: [])
        case 2: return Case(kind: "negative-length", writes: [bytes("Content-Length: -\(length)\r\n\r\n") + body], expected: [])
        case 3:
            let value = random.pick(["0x1F", "\(length)abc", "", " ", "1.5e2", "+\(length)", "\(length) \(length)"])
            return Case(kind: "non-decimal-length", writes: [bytes("Content-Length: \(value)\r\n\r\n") + body], expected: [])
        case 4:
            let value = random.pick(["999999999999", "268435457", "1234567890123456789012", "99999999999999999999"])
            return Case(kind: "huge-length", writes: [bytes("Content-Length: \(value)\r\n\r\n") + body], expected: [])
        case 5:
            // Too short: the cut body is not JSON (parse error); the rest is dropped as a bad header.
            let cut = Int.random(in: 0..<length, using: &random)
            return Case(kind: "short-length", writes: [bytes("Content-Length: \(cut)\r\n\r\n") + body], expected: [.error(nil, [-32700])])
        case 6:
            // Too long, padded with whitespace: still the same JSON value.
            let extra = Int.random(in: 1...50, using: &random)
            return Case(
                kind: "long-length-whitespace",
                writes: [bytes("Content-Length: \(length + extra)\r\n\r\n") + body + Array(repeating: UInt8(ascii: " "), count: extra)],
                expected: [answer])
        case 7:
            let extra = Int.random(in: 1...50, using: &random)
            return Case(
                kind: "long-length-garbage",
                writes: [bytes("Content-Length: \(length + extra)\r\n\r\n") + body + Array(repeating: UInt8(ascii: "#"), count: extra)],
                expected: [.error(nil, [-32700])])
        case 8:
            return Case(kind: "duplicate-length", writes: [bytes("Content-Length: \(length)\r\nContent-Length: \(length)\r\n\r\n") + body], expected: [answer])
        case 9:
            let header = random.pick([
                "content-length: \(length)\r\n\r\n", "CONTENT-LENGTH:\t\(length) \r\n\r\n",
                "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: \(length)\r\n\r\n",
                "X-Fuzz: 1\r\nContent-Length: \(length)\r\nX-Other: :::\r\n\r\n", "Content-Length: \(length)\n\n",
                "Content-Length:\(length)\r\n\r\n",
            ])
            return Case(kind: "header-variants", writes: [bytes(header) + body], expected: [answer])
        case 10:
            return Case(kind: "blank-lines-before", writes: [bytes("\r\n\n\r\n") + frame(body)], expected: [answer])
        case 11:
            // A bad line before Content-Length: the framer resynchronizes at Content-Length.
            return Case(kind: "bad-line-before-length", writes: [bytes("garbage line\r\nContent-Length: \(length)\r\n\r\n") + body], expected: [answer])
        case 12:
            return Case(kind: "bad-line-after-length", writes: [bytes("Content-Length: \(length)\r\ngarbage line\r\n\r\n") + body], expected: [])
        case 13:
            return Case(kind: "header-without-name", writes: [bytes("Content-Length: \(length)\r\n: value\r\n\r\n") + body], expected: [])
        case 14:
            let garbage = (0..<Int.random(in: 1...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            return Case(kind: "random-bytes", writes: [garbage], expected: [])
        case 15:
            return Case(kind: "header-too-long", writes: [bytes("X-Junk: " + String(repeating: "a", count: 70_000))], expected: [])
        case 16:
            let framed = frame(body)
            var cuts = (0..<Int.random(in: 1...4, using: &random)).map { _ in Int.random(in: 1..<framed.count, using: &random) }
            cuts = Array(Set(cuts)).sorted()
            var writes: [[UInt8]] = []
            var start = 0
            for cut in cuts + [framed.count] {
                writes.append(Array(framed[start..<cut]))
                start = cut
            }
            return Case(kind: "split-writes", writes: writes, expected: [answer])
        case 17:
            var writes: [UInt8] = []
            var expected: [Expectation] = []
            let count = Int.random(in: 2...20, using: &random)
            for _ in 0..<count {
                let (raw, id) = freshID()
                writes += frame(request(raw, "tokenmin/status", nil))
                expected.append(statusAnswer(id))
            }
            return Case(kind: "many-in-one-write", writes: [writes], expected: expected, frames: count)
        default:
            // An empty body, then a request.
            return Case(kind: "empty-body", writes: [bytes("Content-Length: 0\r\n\r\n") + frame(body)], expected: [.error(nil, [-32700]), answer], frames: 2)
        }
    }
}

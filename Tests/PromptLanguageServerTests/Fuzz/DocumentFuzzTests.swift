import Foundation
import XCTest

@testable import LanguageServerProtocol

/// Document fuzzing through the real server: mutated `.prompt` files (seeded from the shared Dotprompt
/// samples and the repository's fixtures) receive random incremental edit sequences in UTF-16 positions
/// (emoji, CJK, combining marks, CRLF and lone CR; out-of-range and half-surrogate positions; full
/// replacements mixed in). A client-side model applies the same edits with LSP's documented semantics,
/// written independently of the server's `TextDocument`; after every batch `tokenmin/documentText` must
/// equal the model. Feature requests are interleaved and must all be answered without an internal
/// error. The workspace on disk must be byte-for-byte unchanged afterwards: the server never writes.
final class DocumentFuzzTests: XCTestCase {
    func testRandomEditSequencesKeepTheServerTextEqualToTheModel() async throws {
        let seed = FuzzSettings.seed(default: 0xD0C5_2222, suite: "document fuzz")
        var random = FuzzRandom(seed: seed)
        let seeds = try fuzzSeedDocuments()
        XCTAssertGreaterThan(seeds.count, 5, "too few seed documents")

        // A real workspace (prompts and partials on disk), so partial resolution and file reads happen.
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("tokenmin-docfuzz-\(seed)-\(getpid())")
        try? FileManager.default.removeItem(at: workspace)
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        for (index, text) in seeds.enumerated() {
            try text.write(to: workspace.appendingPathComponent("seed\(index).prompt"), atomically: false, encoding: .utf8)
        }
        for name in ["header", "footer", "style"] {
            try "{{role \"system\"}}\nShared \(name) text with {{topic}}.\n"
                .write(to: workspace.appendingPathComponent("_\(name).prompt"), atomically: false, encoding: .utf8)
        }
        let before = treeDigest(workspace.path)

        let client = try TestClient.launch(["--log-level", "error"])
        let root = workspace.absoluteString
        let initialize = client.makeID()
        client.write(
            frame(
                Array(
                    #"{"jsonrpc":"2.0","id":\#(initialize.json),"method":"initialize","params":{"processId":null,"rootUri":"\#(root)","capabilities":{}}}"#
                        .utf8)))
        try expectSuccess(try await client.response(to: initialize))
        try client.notify(InitializedNotification.self, NoParams())

        let documents = 50 * FuzzSettings.scale
        var edits = 0
        var batches = 0
        var requests = 0
        var fullReplacements = 0
        let start = ContinuousClock.now
        for documentIndex in 0..<documents {
            let uri = DocumentURI(workspace.appendingPathComponent("doc\(documentIndex).prompt").absoluteString)
            var model = EditModel(mutate(random.pick(seeds), from: seeds, &random))
            var version = 1
            try client.open(uri, model.text, version: version)
            var pending: [(RequestID, String)] = []
            // What was sent for this document, to reproduce a failure.
            var trace: [String] = ["open \(model.text.debugDescription)"]
            for _ in 0..<Int.random(in: 10...40, using: &random) {
                var changes: [TextDocumentContentChangeEvent] = []
                for _ in 0..<Int.random(in: 1...5, using: &random) {
                    if random.chance(0.03) {
                        let text = mutate(random.pick(seeds), from: seeds, &random)
                        model = EditModel(text)
                        changes.append(TextDocumentContentChangeEvent(range: nil, text: text))
                        fullReplacements += 1
                    } else {
                        let (range, text) = model.randomEdit(&random, seeds: seeds)
                        model.apply(range, text)
                        changes.append(TextDocumentContentChangeEvent(range: range, text: text))
                    }
                    edits += 1
                }
                version += 1
                try client.change(uri, version: version, changes)
                trace.append("change \(changes.map { "\($0.range.map(\.description) ?? "full") \($0.text.debugDescription)" })")
                batches += 1
                for _ in 0..<Int.random(in: 0...2, using: &random) {
                    pending.append(try sendFeatureRequest(client, uri: uri, model: model, &random))
                    trace.append(pending.last!.1)
                    requests += 1
                }
                let text: DocumentTextResult
                do {
                    text = try await client.documentText(uri)
                } catch {
                    XCTFail(
                        "documentText on document \(documentIndex) (seed \(seed)) after batch \(batches): \(error); exit status: \(client.transport.exitStatus.map(String.init) ?? "running"); trace:\n\(trace.suffix(6).joined(separator: "\n"))\npending: \(pending.map(\.1)); text: \(model.text.debugDescription)\nlog: \(client.transport.log.suffix(3_000))"
                    )
                    return
                }
                if text.text != model.text || text.version != version {
                    XCTFail(
                        "document \(documentIndex) (seed \(seed)) diverged after batch \(batches): server \(text.text.debugDescription) v\(text.version), model \(model.text.debugDescription) v\(version)"
                    )
                    return
                }
            }
            for (id, method) in pending {
                let response = try await client.response(to: id, timeout: max(.seconds(30), TestClient.defaultTimeout))
                if case .failure(let error) = response.result, ![-32800, -32801, -32803].contains(error.code.rawValue) {
                    XCTFail("\(method) on document \(documentIndex) (seed \(seed)) failed: \(error)")
                }
            }
            try client.notify(
                DidCloseTextDocumentNotification.self,
                DidCloseTextDocumentParams(textDocument: TextDocumentIdentifier(uri: uri)))
        }
        let status = try await client.request(ServerStatusRequest.self, NoParams())
        XCTAssertEqual(status.openDocuments, [])
        try expect(try await client.shutdownAndExit(), 0)
        XCTAssertEqual(client.problems, [])
        XCTAssertEqual(treeDigest(workspace.path), before, "the server changed files in the workspace")
        print(
            "document fuzz: \(documents) documents, \(batches) change batches, \(edits) edits applied "
                + "(\(fullReplacements) full replacements), \(requests) feature requests, model equal after every batch; "
                + "\((ContinuousClock.now - start).components.seconds) s")
    }

    /// A feature request at a random place; returns its id and method.
    private func sendFeatureRequest(
        _ client: TestClient, uri: DocumentURI, model: EditModel, _ random: inout FuzzRandom
    ) throws -> (RequestID, String) {
        let id = client.makeID()
        let document = #"{"uri":"\#(uri.rawValue)"}"#
        let (line, character) = model.randomPosition(&random)
        let position = #"{"line":\#(line),"character":\#(character)}"#
        let end = model.randomPosition(&random)
        let range = #"{"start":\#(position),"end":{"line":\#(end.line),"character":\#(end.character)}}"#
        let (method, params) = random.pick([
            ("textDocument/inlayHint", #"{"textDocument":\#(document),"range":{"start":{"line":0,"character":0},"end":{"line":100000,"character":0}}}"#),
            ("textDocument/hover", #"{"textDocument":\#(document),"position":\#(position)}"#),
            ("textDocument/codeAction", #"{"textDocument":\#(document),"range":\#(range),"context":{"diagnostics":[]}}"#),
            ("textDocument/diagnostic", #"{"textDocument":\#(document)}"#),
            ("textDocument/completion", #"{"textDocument":\#(document),"position":\#(position)}"#),
            ("textDocument/documentSymbol", #"{"textDocument":\#(document)}"#),
        ])
        client.write(frame(Array(#"{"jsonrpc":"2.0","id":\#(id.json),"method":"\#(method)","params":\#(params)}"#.utf8)))
        return (id, "\(method) \(params)")
    }

    /// A mutated copy of `text`: slices deleted, duplicated or spliced in from another seed, odd
    /// characters inserted.
    private func mutate(_ text: String, from seeds: [String], _ random: inout FuzzRandom) -> String {
        var characters = Array(text)
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            let position = Int.random(in: 0...characters.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where !characters.isEmpty:
                let end = min(characters.count, position + Int.random(in: 1...40, using: &random))
                characters.removeSubrange(min(position, end)..<end)
            case 1:
                let other = Array(random.pick(seeds))
                guard !other.isEmpty else { continue }
                let from = Int.random(in: 0..<other.count, using: &random)
                characters.insert(contentsOf: other[from..<min(other.count, from + Int.random(in: 1...200, using: &random))], at: position)
            case 2:
                characters.insert(contentsOf: random.pick(EditModel.oddTexts), at: position)
            default:
                characters.insert(contentsOf: characters[position..<min(characters.count, position + 30)], at: position)
            }
        }
        return String(characters)
    }
}

/// The client's model of a document: UTF-16 code units, with LSP's line terminators (`\n`, `\r\n`,
/// lone `\r`) and the server's documented clamping (columns past the line end go to the line end
/// before its terminator; lines past the end go to the end of the document; negative lines to its
/// start; a column inside a surrogate pair rounds down; a reversed range is read start-first).
struct EditModel {
    private(set) var units: [UInt16]

    static let oddTexts = [
        "😀", "👩‍👩‍👧", "中文字符", "é", "e\u{301}", "\r\n", "\r", "\n", "\u{FEFF}", "{{", "}}", "{{#if x}}", "{{/if}}",
        "{{> header}}", "{{> footer}}", "{{role \"user\"}}\n", "---\n", "model: openai/gpt-4o\n", "  - ", ": ", "\t",
        "{{name}}", "\u{0}", "𝕏", "🇯🇵",
    ]

    init(_ text: String) { units = Array(text.utf16) }

    var text: String { String(decoding: units, as: UTF16.self) }

    /// (start, end-before-terminator) of each line, in UTF-16 units.
    var lines: [(start: Int, contentEnd: Int)] {
        var result: [(Int, Int)] = []
        var start = 0
        var index = 0
        while index < units.count {
            if units[index] == 0x0A {
                result.append((start, index))
                index += 1
                start = index
            } else if units[index] == 0x0D {
                result.append((start, index))
                index += index + 1 < units.count && units[index + 1] == 0x0A ? 2 : 1
                start = index
            } else {
                index += 1
            }
        }
        result.append((start, units.count))
        return result
    }

    func offset(line: Int, character: Int) -> Int {
        let lines = lines
        if line < 0 { return 0 }
        if line >= lines.count { return units.count }
        let (start, end) = lines[line]
        var offset = start + min(max(character, 0), end - start)
        // Inside a surrogate pair: round down to the pair's start.
        if offset > start && offset < end && UTF16.isTrailSurrogate(units[offset]) && UTF16.isLeadSurrogate(units[offset - 1]) {
            offset -= 1
        }
        return offset
    }

    mutating func apply(_ range: LSPRange, _ text: String) {
        let a = offset(line: range.start.line, character: range.start.character)
        let b = offset(line: range.end.line, character: range.end.character)
        units.replaceSubrange(min(a, b)..<max(a, b), with: text.utf16)
    }

    /// A position inside the document, on a character boundary.
    func randomPosition(_ random: inout FuzzRandom) -> (line: Int, character: Int) {
        let lines = lines
        let line = Int.random(in: 0..<lines.count, using: &random)
        var offset = Int.random(in: lines[line].start...lines[line].contentEnd, using: &random)
        if offset > lines[line].start && offset < units.count && UTF16.isTrailSurrogate(units[offset]) { offset -= 1 }
        return (line, offset - lines[line].start)
    }

    /// A random edit: mostly valid ranges, sometimes out of range, reversed or mid-surrogate.
    func randomEdit(_ random: inout FuzzRandom, seeds: [String]) -> (LSPRange, String) {
        var start = randomPosition(&random)
        var end = random.chance(0.4) ? start : randomPosition(&random)
        if (end.line, end.character) < (start.line, start.character) && random.chance(0.9) { swap(&start, &end) }
        switch Int.random(in: 0..<12, using: &random) {
        case 0: end = (lines.count + Int.random(in: 0...3, using: &random), Int.random(in: 0...5, using: &random))
        case 1: end.character += Int.random(in: 1...1_000, using: &random)
        case 2: start = (-1, 3)
        case 3: start.character = -Int.random(in: 1...9, using: &random)
        case 4:
            // A column inside a surrogate pair, where the line has one.
            let lines = lines
            let line = lines[start.line]
            if let pair = (line.start..<line.contentEnd).first(where: { UTF16.isLeadSurrogate(units[$0]) }) {
                start.character = pair - line.start + 1
            }
        default: break
        }
        let text: String
        switch Int.random(in: 0..<4, using: &random) {
        case 0: text = ""
        case 1:
            let seed = Array(random.pick(seeds).utf16)
            let from = Int.random(in: 0..<max(1, seed.count), using: &random)
            var slice = Array(seed[min(from, seed.count)..<min(seed.count, from + Int.random(in: 1...120, using: &random))])
            // Never cut a surrogate pair in the inserted text itself.
            if let first = slice.first, UTF16.isTrailSurrogate(first) { slice.removeFirst() }
            if let last = slice.last, UTF16.isLeadSurrogate(last) { slice.removeLast() }
            text = String(decoding: slice, as: UTF16.self)
        default:
            text = (0..<Int.random(in: 1...4, using: &random)).map { _ in random.pick(Self.oddTexts) }.joined()
        }
        return (
            LSPRange(start: Position(line: start.line, character: start.character), end: Position(line: end.line, character: end.character)),
            text
        )
    }
}

import Foundation

/// Keystroke to fresh inlay hints through the real `tokenmin lsp` process (next to this benchmark):
/// a one-character `didChange` on a 2,000-line prompt followed by `textDocument/inlayHint`, timed
/// until the response arrives; and the server's resident memory. Targets: p99 < 10 ms, < 80 MB.
func languageServerBenchmark() {
    guard let binary = requiredBenchmarkedBinary() else { return }
    guard let server = BenchmarkedServer(binary: binary) else {
        print("cannot start \(binary.path)")
        return
    }
    server.initialize()
    server.open(BenchmarkedServer.largeURI, text: syntheticPrompt(lines: 2000))
    server.requestInlayHints(id: 2)
    var latencies: [Double] = []
    let startCPU = processCPUMilliseconds(pid: server.process.processIdentifier)
    for round in 0..<300 {
        let line = 40 + (round * 37) % 1800
        let start = ContinuousClock.now
        server.send(["jsonrpc": "2.0", "method": "textDocument/didChange", "params": [
            "textDocument": ["uri": BenchmarkedServer.largeURI, "version": round + 2],
            "contentChanges": [["range": ["start": ["line": line, "character": 0], "end": ["line": line, "character": 0]], "text": "x"]],
        ]])
        server.requestInlayHints(id: 1000 + round)
        latencies.append(milliseconds(since: start))
    }
    latencies.sort()
    // The server's CPU time per keystroke (a mean: /proc counts in 10 ms ticks), which a loaded
    // machine does not inflate the way it inflates latencies.
    let cpuPerKeystroke = processCPUMilliseconds(pid: server.process.processIdentifier).flatMap { end in startCPU.map { (end - $0) / 300 } }
    let memory = residentMegabytes(pid: server.process.processIdentifier)
    server.shutdown()
    print("2,000-line prompt, 300 keystrokes (didChange + inlayHint round trip):")
    print(String(format: "p50 %.2f ms, p99 %.2f ms, max %.2f ms; server RSS %.1f MB", percentile(latencies, 50), percentile(latencies, 99), latencies.last ?? 0, memory ?? -1))
    print(String(format: "  server CPU per keystroke (mean): %.2f ms", cpuPerKeystroke ?? -1))
}

/// A `tokenmin lsp` process driven over its stdio, answering the server's own requests with null.
final class BenchmarkedServer {
    static let largeURI = "file:///benchmark/large.prompt"
    let process = Process()
    private let input = Pipe()
    private let reader: FrameReader

    /// Starts the server; nil when it cannot be started.
    init?(binary: URL) {
        process.executableURL = binary
        process.arguments = ["lsp"]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        reader = FrameReader(handle: output.fileHandleForReading)
        guard (try? process.run()) != nil else { return nil }
    }

    func send(_ object: [String: Any]) {
        let body = try! JSONSerialization.data(withJSONObject: object)
        input.fileHandleForWriting.write(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    /// Reads frames until the response to `id`.
    func waitFor(id: Int) {
        while let message = reader.next() {
            if message["id"] as? Int == id, message["method"] == nil { return }
            if let requestID = message["id"], message["method"] != nil {  // server→client request
                send(["jsonrpc": "2.0", "id": requestID, "result": NSNull()])
            }
        }
    }

    /// `initialize` answered (no root, no capabilities).
    func initialize() {
        send(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["processId": NSNull(), "rootUri": NSNull(), "capabilities": [:]]])
        waitFor(id: 1)
    }

    func open(_ uri: String, text: String) {
        send(["jsonrpc": "2.0", "method": "initialized", "params": [:]])
        send(["jsonrpc": "2.0", "method": "textDocument/didOpen", "params": ["textDocument": ["uri": uri, "languageId": "dotprompt", "version": 1, "text": text]]])
    }

    /// The inlay hints of the whole large document, waited for.
    func requestInlayHints(id: Int) {
        let range: [String: Any] = ["start": ["line": 0, "character": 0], "end": ["line": 2100, "character": 0]]
        send(["jsonrpc": "2.0", "id": id, "method": "textDocument/inlayHint", "params": ["textDocument": ["uri": Self.largeURI], "range": range]])
        waitFor(id: id)
    }

    func shutdown() {
        send(["jsonrpc": "2.0", "id": 9999, "method": "shutdown"])
        waitFor(id: 9999)
        send(["jsonrpc": "2.0", "method": "exit"])
        process.waitUntilExit()
    }
}

/// Reads Content-Length frames from a pipe.
final class FrameReader {
    private let handle: FileHandle
    private var buffer = Data()

    init(handle: FileHandle) { self.handle = handle }

    func next() -> [String: Any]? {
        while true {
            if let headerEnd = buffer.range(of: Data("\r\n\r\n".utf8)) {
                let header = String(decoding: buffer[buffer.startIndex..<headerEnd.lowerBound], as: UTF8.self)
                let length = header.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    return parts.count == 2 && parts[0].lowercased() == "content-length" ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
                }.first ?? 0
                let bodyStart = headerEnd.upperBound
                if buffer.count - (bodyStart - buffer.startIndex) >= length {
                    let body = buffer[bodyStart..<(bodyStart + length)]
                    buffer = Data(buffer[(bodyStart + length)...])
                    return (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                }
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }
}

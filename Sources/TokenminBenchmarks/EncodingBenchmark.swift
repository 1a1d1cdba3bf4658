import Foundation
import JSONRPC
import LanguageServerProtocol

/// Encoding a response payload: 2,000 inlay hints with markdown tooltips (a 2,000-line prompt with a
/// hint per line, the editor's largest response) through the server's encoder (`MessageEncoding.json`,
/// written as bytes while encoding, see JSONBytesEncoder) and through Foundation's `JSONEncoder` (what it used
/// before), interleaved in the same run; medians over rounds.
func encodingBenchmark() {
    let hints = (0..<2000).map { line in
        InlayHint(
            position: Position(line: line, character: 80), label: .string("≈\(line % 97 + 3) tok · $0.000\(line % 9)"),
            kind: nil, tooltip: MarkupContent(kind: .markdown, value: "**\(line % 97 + 3) tokens** in this line (o200k_base, exact)\n\n$0.000\(line % 9) per call at $2.50/MTok"),
            paddingLeft: true, data: .integer(Int64(line)))
    }
    let foundation = JSONValue.encoder
    var direct: [Double] = []
    var reference: [Double] = []
    var bytes = (direct: 0, reference: 0)
    for _ in 0..<15 {
        var start = ContinuousClock.now
        bytes.direct = (try? MessageEncoding.json(hints))?.count ?? -1
        direct.append(milliseconds(since: start))
        start = ContinuousClock.now
        bytes.reference = (try? foundation.encode(hints))?.count ?? -1
        reference.append(milliseconds(since: start))
    }
    direct.sort()
    reference.sort()
    let median = (direct: percentile(direct, 50), reference: percentile(reference, 50))
    print("2,000 inlay hints with tooltips, 15 rounds, load average \(loadAverage()):")
    print(String(format: "MessageEncoding.json (streamed bytes):       median %.2f ms, %d bytes", median.direct, bytes.direct))
    print(String(format: "Foundation JSONEncoder (before):           median %.2f ms, %d bytes", median.reference, bytes.reference))
    print(String(format: "ratio: %.1f× faster", median.reference / median.direct))
}

import XCTest

@testable import JSONRPC

final class MessageFramerTests: XCTestCase {
    private enum Expected: Equatable {
        case body(String)
        /// A skip whose reason contains the text, with the number of bytes dropped.
        case skipped(String, Int)
    }

    /// Feeds `chunks` in order (then the end of the stream) and compares every event with `expected`.
    private func check(
        _ chunks: [[UInt8]], _ expected: [Expected], file: StaticString = #filePath, line: UInt = #line
    ) {
        var framer = MessageFramer(maximumBodyByteCount: 1000, maximumHeaderByteCount: 200)
        var events: [FrameEvent] = []
        for chunk in chunks { events += framer.events(after: chunk) }
        if let last = framer.finish() { events.append(last) }
        let actual: [Expected] = events.map { event in
            switch event {
            case .message(let body): return .body(String(decoding: body, as: UTF8.self))
            case .skipped(let reason, let count):
                if case .skipped(let text, _)? = expected.first(where: {
                    if case .skipped(let text, _) = $0 { return reason.contains(text) }
                    return false
                }) {
                    return .skipped(text, count)
                }
                return .skipped(reason, count)
            }
        }
        XCTAssertEqual(actual, expected, file: file, line: line)
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private let one = #"{"jsonrpc":"2.0","method":"a"}"#
    private let two = #"{"jsonrpc":"2.0","id":1,"method":"b"}"#

    private func framed(_ body: String) -> String { "Content-Length: \(body.utf8.count)\r\n\r\n\(body)" }

    func testSingleFrame() {
        check([bytes(framed(one))], [.body(one)])
    }

    func testTwoFramesInOneRead() {
        check([bytes(framed(one) + framed(two))], [.body(one), .body(two)])
    }

    func testSplitByteByByte() {
        let stream = bytes(framed(one) + framed(two))
        check(stream.map { [$0] }, [.body(one), .body(two)])
    }

    func testSplitInsideTheHeaderTerminator() {
        let text = framed(one)
        let cut = text.utf8.count - one.utf8.count - 2  // between "\r\n" and "\r\n"
        let all = bytes(text)
        check([Array(all[..<cut]), Array(all[cut..<(cut + 1)]), Array(all[(cut + 1)...])], [.body(one)])
    }

    func testContentLengthCountsBytesNotCharacters() {
        let body = #"{"text":"é😀中"}"#
        XCTAssertEqual(body.utf8.count, 20)  // 11 ASCII + é (2) + 😀 (4) + 中 (3)
        check([bytes("Content-Length: 20\r\n\r\n" + body + framed(one))], [.body(body), .body(one)])
    }

    func testHeaderNamesAreCaseInsensitiveAndContentTypeIsAccepted() {
        let text =
            "content-length: \(one.utf8.count)\r\n\r\n\(one)"
            + "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:\(two.utf8.count)  \r\n\r\n\(two)"
        check([bytes(text)], [.body(one), .body(two)])
    }

    func testUnknownHeadersAreIgnored() {
        check([bytes("X-Trace: 1\r\nContent-Length: \(one.utf8.count)\r\n\r\n\(one)")], [.body(one)])
    }

    func testBareLineFeedsAndBlankLinesBetweenFrames() {
        check(
            [bytes("Content-Length: \(one.utf8.count)\n\n\(one)\r\n" + framed(two))],
            [.body(one), .body(two)])
    }

    func testBadHeaderThenValidMessage() {
        // A misspelt header block is dropped; its would-be body is glued to the next header, and the
        // framer resynchronizes at that Content-Length.
        let bad = "Content-Lenght: 5\r\n\r\nhello"
        check(
            [bytes(bad + framed(one))],
            [.skipped("without Content-Length", 21), .skipped("without Content-Length", 5), .body(one)])
    }

    func testNonNumericAndNegativeLengths() {
        check(
            [bytes("Content-Length: abc\r\n\r\n" + framed(one))],
            [.skipped("not a decimal byte count", 23), .body(one)])
        check(
            [bytes("Content-Length: -1\r\n\r\n" + framed(one))],
            [.skipped("not a decimal byte count", 22), .body(one)])
    }

    func testHeaderLineWithoutColon() {
        check([bytes("garbage\r\n\r\n" + framed(one))], [.skipped("without ':'", 11), .body(one)])
    }

    func testGarbageBeforeAHeaderOnTheSameLine() {
        check([bytes("xyz" + framed(one))], [.skipped("without Content-Length", 3), .body(one)])
    }

    func testOversizedBodyIsRefused() {
        check(
            [bytes("Content-Length: 5000\r\n\r\n" + framed(one))],
            [.skipped("exceeds the limit", 24), .body(one)])
    }

    func testEndlessHeaderIsDropped() {
        check([bytes(String(repeating: "x", count: 300))], [.skipped("too long", 300)])
    }

    func testTruncatedFrameAtEndOfStream() {
        // The header was consumed; the partial body is what is dropped.
        check(
            [bytes(String(framed(one).dropLast(3)))],
            [.skipped("stream ended inside a frame", one.utf8.count - 3)])
    }

    func testEmptyStream() {
        check([], [])
        check([[]], [])
    }

    func testLongStreamCompactsWithoutLosingFrames() {
        var framer = MessageFramer()
        var received = 0
        let frameBytes = bytes(framed(two))
        for _ in 0..<5000 { received += framer.events(after: frameBytes).count }
        XCTAssertEqual(received, 5000)
        XCTAssertEqual(framer.bufferedByteCount, 0)
    }

    func testWriterNeverInterleavesFrames() async {
        final class Collected: @unchecked Sendable {
            let lock = NSLock()
            var bytes: [UInt8] = []
        }
        let collected = Collected()
        let writer = MessageWriter { chunk in
            // Write in two halves to give interleaving a chance if the writer were not serial.
            collected.lock.withLock { collected.bytes += chunk.prefix(chunk.count / 2) }
            collected.lock.withLock { collected.bytes += chunk.dropFirst(chunk.count / 2) }
            return true
        }
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<200 {
                        writer.send(
                            MessageEncoding.notification(
                                method: "t\(task)", paramsJSON: Array("[\(index)]".utf8)))
                    }
                }
            }
        }
        writer.flush()
        var framer = MessageFramer()
        let events = framer.events(after: collected.bytes)
        XCTAssertEqual(events.count, 1600)
        var lastIndex: [String: Int64] = [:]
        for event in events {
            guard case .message(let body) = event,
                case .notification(let note)? = try? Message.decode(body).get(),
                let index = note.params?.arrayValue?.first?.integerValue
            else {
                return XCTFail("malformed frame \(event)")
            }
            // Per sender, frames keep their order.
            XCTAssertGreaterThan(index, lastIndex[note.method] ?? -1)
            lastIndex[note.method] = index
        }
    }

    func testWriterDropsFramesAfterTheOutputBreaks() {
        final class Count: @unchecked Sendable { var value = 0 }
        let count = Count()
        let writer = MessageWriter { _ in
            count.value += 1
            return false
        }
        writer.send([1])
        writer.send([2])
        writer.flush()
        XCTAssertEqual(count.value, 1)
    }
}

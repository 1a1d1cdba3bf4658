/// Wraps a message body in the LSP base-protocol header: `Content-Length: N\r\n\r\n` (N in bytes).
public func frame(_ body: [UInt8]) -> [UInt8] {
    var framed = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
    framed.reserveCapacity(framed.count + body.count)
    framed.append(contentsOf: body)
    return framed
}

/// What the framer found in the byte stream.
public enum FrameEvent: Hashable, Sendable {
    /// One complete message body.
    case message([UInt8])
    /// Bytes that could not be a frame were dropped (a bad header block, or a truncated frame at the end
    /// of the stream); `reason` is for the log.
    case skipped(reason: String, byteCount: Int)
}

/// Splits a byte stream into message bodies (LSP base protocol), one event at a time.
///
/// `Content-Length` counts bytes of the body; header names are case-insensitive; `Content-Type` and
/// unknown headers are accepted and ignored; header lines may end in `\r\n` (or, leniently, `\n`).
/// Bytes may arrive in any split. A header block without a usable `Content-Length` is dropped and the
/// framer resynchronizes at the next `Content-Length` header, so one bad frame costs one message.
public struct MessageFramer: Sendable {
    /// Bodies larger than this are refused (the header is dropped) rather than buffered.
    public var maximumBodyByteCount: Int
    /// A header block that grows past this many bytes without ending is dropped.
    public var maximumHeaderByteCount: Int

    private var buffer: [UInt8] = []
    /// Index in `buffer` where unconsumed bytes start.
    private var start = 0
    /// How far the search for the end of the current header block has already looked.
    private var scanned = 0
    /// The length of the body being awaited, once its header is parsed.
    private var pendingBodyByteCount: Int?

    public init(maximumBodyByteCount: Int = 256 << 20, maximumHeaderByteCount: Int = 64 << 10) {
        self.maximumBodyByteCount = maximumBodyByteCount
        self.maximumHeaderByteCount = maximumHeaderByteCount
    }

    /// Bytes received and not yet returned as events.
    public var bufferedByteCount: Int { buffer.count - start }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Appends `bytes` and returns every event they complete.
    public mutating func events(after bytes: some Sequence<UInt8>) -> [FrameEvent] {
        append(bytes)
        var events: [FrameEvent] = []
        while let event = next() { events.append(event) }
        return events
    }

    /// The end of the stream: anything still buffered is a truncated frame.
    public mutating func finish() -> FrameEvent? {
        let leftover = bufferedByteCount
        buffer.removeAll()
        start = 0
        scanned = 0
        pendingBodyByteCount = nil
        if leftover == 0 { return nil }
        return .skipped(reason: "stream ended inside a frame", byteCount: leftover)
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() -> FrameEvent? {
        while true {
            if let length = pendingBodyByteCount {
                guard buffer.count - start >= length else { return nil }
                let body = Array(buffer[start..<(start + length)])
                start += length
                scanned = start
                pendingBodyByteCount = nil
                return .message(body)
            }
            // Blank lines between frames are harmless (some clients end bodies with a newline).
            while start < buffer.count && (buffer[start] == 0x0D || buffer[start] == 0x0A) { start += 1 }
            scanned = max(scanned, start)
            guard let (headerEnd, blockEnd) = findHeaderEnd() else {
                if buffer.count - start > maximumHeaderByteCount {
                    return skip(
                        to: resyncPoint(in: start..<buffer.count) ?? buffer.count, "header block too long")
                }
                return nil
            }
            switch parseHeader(start..<headerEnd) {
            case .success(let length):
                if length > maximumBodyByteCount {
                    return skip(
                        to: blockEnd,
                        "Content-Length \(length) exceeds the limit of \(maximumBodyByteCount) bytes")
                }
                start = blockEnd
                scanned = start
                pendingBodyByteCount = length
            case .failure(let problem):
                return skip(to: resyncPoint(in: start..<blockEnd) ?? blockEnd, problem.reason)
            }
        }
    }

    private mutating func skip(to offset: Int, _ reason: String) -> FrameEvent {
        let count = offset - start
        start = offset
        scanned = start
        return .skipped(reason: reason, byteCount: count)
    }

    /// The end of the header lines and the start of the body: after `\r\n\r\n` (or `\n\n`).
    private mutating func findHeaderEnd() -> (headerEnd: Int, blockEnd: Int)? {
        var index = scanned
        while index < buffer.count {
            if buffer[index] == 0x0A {
                if index + 1 < buffer.count && buffer[index + 1] == 0x0A { return (index, index + 2) }
                if index + 2 < buffer.count && buffer[index + 1] == 0x0D && buffer[index + 2] == 0x0A {
                    return (index, index + 3)
                }
                if index + 2 >= buffer.count {
                    // Not enough bytes to decide; look here again when more arrive.
                    scanned = index
                    return nil
                }
            }
            index += 1
        }
        scanned = index
        return nil
    }

    private struct HeaderProblem: Error { var reason: String }

    private func parseHeader(_ range: Range<Int>) -> Result<Int, HeaderProblem> {
        var contentLength: Int?
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            var lineEnd = lineStart
            while lineEnd < range.upperBound && buffer[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart && buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let line = buffer[lineStart..<contentEnd]
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                return .failure(HeaderProblem(reason: "header line without ':'"))
            }
            let name = trimmed(buffer[lineStart..<colon])
            let value = trimmed(buffer[(colon + 1)..<contentEnd])
            if equalsIgnoringASCIICase(name, "content-length") {
                guard !value.isEmpty, value.count <= 18, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                    return .failure(HeaderProblem(reason: "Content-Length is not a decimal byte count"))
                }
                contentLength = value.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            } else if name.isEmpty {
                return .failure(HeaderProblem(reason: "header line without a name"))
            }
            // Content-Type and unknown headers are ignored: the body is always UTF-8 JSON.
            lineStart = lineEnd + 1
        }
        guard let contentLength else {
            return .failure(HeaderProblem(reason: "header block without Content-Length"))
        }
        return .success(contentLength)
    }

    /// Where a later `Content-Length` header starts inside a bad block, so the frame it begins survives.
    private func resyncPoint(in range: Range<Int>) -> Int? {
        let needle = Array("content-length".utf8)
        var index = range.lowerBound + 1
        while index + needle.count <= range.upperBound {
            if equalsIgnoringASCIICase(buffer[index..<(index + needle.count)], "content-length") {
                return index
            }
            index += 1
        }
        return nil
    }

    private func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 { slice.removeFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice.removeLast() }
        return slice
    }

    private func equalsIgnoringASCIICase(_ bytes: ArraySlice<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        for (offset, byte) in bytes.enumerated() {
            let folded = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            if folded != lowercase.utf8Start[offset] { return false }
        }
        return true
    }

    /// Drops consumed bytes once they dominate the buffer, so memory follows the unconsumed part.
    private mutating func compact() {
        guard start > 0 else { return }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
        } else if start >= 4096 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
        } else {
            return
        }
        scanned -= start
        start = 0
    }
}

import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads frames from a file descriptor on a dedicated thread.
///
/// Each element of `batches` holds the events completed by one `read(2)`: messages that arrived in
/// the same read are delivered together, which lets the receiver honour a `$/cancelRequest` that
/// arrived together with the request it cancels. The stream finishes at end of input (after a
/// `.skipped` event if a frame was cut off) or on a read error.
public final class FrameReader: Sendable {
    public let batches: AsyncStream<[FrameEvent]>
    private let continuation: AsyncStream<[FrameEvent]>.Continuation
    private let fileDescriptor: Int32

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        (batches, continuation) = AsyncStream.makeStream(of: [FrameEvent].self, bufferingPolicy: .unbounded)
    }

    /// Starts the reading thread. Call once.
    public func start() {
        let fileDescriptor = fileDescriptor
        let continuation = continuation
        let thread = Thread {
            var framer = MessageFramer()
            var chunk = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                let events = framer.events(after: chunk[0..<count])
                if !events.isEmpty { continuation.yield(events) }
            }
            if let last = framer.finish() { continuation.yield([last]) }
            continuation.finish()
        }
        thread.name = "tokenmin-reader"
        thread.start()
    }
}

/// The one writer of outgoing frames. Frames are written whole, one after another, in the order
/// `send` was called, on a serial queue; nothing else may write to the output.
public final class MessageWriter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "tokenmin.writer")
    private let sink: @Sendable ([UInt8]) -> Bool
    /// Set once the output is gone. Only touched on `queue`, which is what makes the class Sendable.
    private var broken = false

    /// A writer over a sink that returns false once the output is gone (later frames are dropped).
    public init(sink: @escaping @Sendable ([UInt8]) -> Bool) { self.sink = sink }

    /// A writer to a file descriptor (standard output for `tokenmin lsp`).
    public convenience init(fileDescriptor: Int32) {
        self.init(sink: { bytes in writeAll(bytes, to: fileDescriptor) })
    }

    /// Frames `body` and queues it for writing.
    public func send(_ body: [UInt8]) {
        let framed = frame(body)
        queue.async { [self] in
            guard !broken else { return }
            if !sink(framed) { broken = true }
        }
    }

    /// Waits until every frame sent so far has been written.
    public func flush() { queue.sync {} }
}

/// Writes all of `bytes`, retrying partial writes and interruptions; false when the peer is gone.
private func writeAll(_ bytes: [UInt8], to fileDescriptor: Int32) -> Bool {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}

import Foundation
import LanguageServerProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The entry point of `tokenmin lsp`.
public enum LanguageServer {
    /// Serves one session over `input`/`output` (standard input and output by default) until `exit`
    /// or end of input, and returns the process exit code: 0 after `shutdown`, 1 otherwise. Only
    /// frames are written to `output`; the log goes to `log`.
    public static func run(
        input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, log: ServerLog, serverVersion: String
    ) async -> Int32 {
        // A client that goes away must not kill the server with SIGPIPE mid-write; writes fail instead.
        signal(SIGPIPE, SIG_IGN)
        let reader = FrameReader(fileDescriptor: input)
        reader.start()
        return await run(
            batches: reader.batches, writer: MessageWriter(fileDescriptor: output), log: log,
            registry: .standard, serverInfo: PeerInfo(name: "tokenmin", version: serverVersion))
    }

    /// Serves a session over any source of frame batches (tests feed batches directly).
    static func run(
        batches: AsyncStream<[FrameEvent]>, writer: MessageWriter, log: ServerLog, registry: HandlerRegistry,
        serverInfo: PeerInfo
    ) async -> Int32 {
        let session = LanguageServerSession(
            registry: registry, writer: writer, log: log, serverInfo: serverInfo)
        for await batch in batches {
            if let exitCode = await session.receive(batch) {
                writer.flush()
                return exitCode
            }
        }
        log.info("end of input")
        let exitCode = await session.endOfInput()
        writer.flush()
        return exitCode
    }
}

import Foundation
import LanguageServerProtocol
import PromptText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One document the client has open: its exact text (as the client sees it), version and language.
public struct OpenDocument: Sendable {
    public var uri: DocumentURI
    public var languageId: String
    public var version: Int
    public var document: TextDocument

    public init(uri: DocumentURI, languageId: String, version: Int, text: String) {
        self.uri = uri
        self.languageId = languageId
        self.version = version
        self.document = TextDocument(text)
    }

    public var text: String { document.text }
    public var lineIndex: LineIndex { document.lineIndex }
}

/// Everything the session knows, as a value. Notifications change it in arrival order; each request
/// gets a copy taken when it arrived (a snapshot), so requests never see a half-applied edit and can
/// run concurrently with later edits.
public struct ServerState: Sendable {
    /// The encoding of `Position.character` on the wire, negotiated in `initialize`.
    public var positionEncoding: PositionEncoding = .utf16
    public var clientCapabilities = ClientCapabilities()
    public var clientInfo: PeerInfo?
    /// Workspace root directories (from `workspaceFolders`, else `rootUri`/`rootPath`), symlinks
    /// resolved. The server must never read files outside them.
    public var workspaceRoots: [URL] = []
    public var documents: [DocumentURI: OpenDocument] = [:]
    /// The client's `tokenmin` settings (null until received).
    public var settings: JSONValue = .null
    public var trace: TraceValue = .off
    /// Bumped when a watched file (a partial, `.tokenmin.yml`) changes: analyses older than it are stale.
    public var fileGeneration = 0
    /// The analyses of open documents, shared by every snapshot (a cache keyed by version, settings
    /// and file generation, so copies of the state never analyse the same thing twice).
    public let analyses = DocumentAnalyses()

    public init() {}

    /// Whether `url` is a file inside one of the workspace roots, judged on the path the file system
    /// would open: `..` and symlinks are resolved first, so neither can lead outside. With no roots,
    /// nothing is inside.
    public func isInsideWorkspace(_ url: URL) -> Bool {
        guard url.isFileURL else { return false }
        let components = canonicalPathComponents(url)
        return workspaceRoots.contains { root in
            let rootComponents = canonicalPathComponents(root)
            return components.count >= rootComponents.count
                && Array(components.prefix(rootComponents.count)) == rootComponents
        }
    }

    /// The open document `uri`, or a `RequestFailed` error naming it.
    public func openDocument(_ uri: DocumentURI) throws(ResponseError) -> OpenDocument {
        guard let document = documents[uri] else { throw .requestFailed("document is not open: \(uri)") }
        return document
    }
}

extension DocumentURI {
    /// The file URL this URI names, or nil for other schemes (`untitled:` buffers).
    public var fileURL: URL? {
        guard let url = URL(string: rawValue), url.isFileURL else { return nil }
        return url
    }
}

/// A workspace root as a directory URL with symlinks resolved, or nil if `uri` is not a file URI.
func workspaceRoot(_ uri: DocumentURI) -> URL? {
    uri.fileURL.map(canonicalURL)
}

func canonicalURL(_ url: URL) -> URL {
    URL(fileURLWithPath: "/" + canonicalPathComponents(url).joined(separator: "/"), isDirectory: true)
}

/// The components of `url`'s absolute path as the file system resolves it: the longest existing
/// prefix goes through `realpath` (symlinks and `..` resolved in the kernel's order), and the
/// components that do not exist yet are appended lexically.
func canonicalPathComponents(_ url: URL) -> [String] {
    var existing = url.path.split(separator: "/").map(String.init)
    var missing: [String] = []
    var base: [String] = []
    while true {
        if let resolved = realpath("/" + existing.joined(separator: "/"), nil) {
            base = String(cString: resolved).split(separator: "/").map(String.init)
            free(resolved)
            break
        }
        guard let last = existing.popLast() else { break }
        missing.insert(last, at: 0)
    }
    for component in missing {
        switch component {
        case ".": continue
        case "..": _ = base.popLast()
        default: base.append(component)
        }
    }
    return base
}

import Foundation
import JSONRPC
import LanguageServerProtocol
import PromptAnalysis
import PromptText

/// Analyses of open documents. Each is computed at most once per (document version, settings, watched
/// file generation) and shared by all requests; the token counters' chunk caches are shared across
/// versions, so re-analysing after an edit re-tokenizes only the changed chunks.
public final class DocumentAnalyses: Sendable {
    private struct Key: Hashable {
        var version: Int
        var settings: JSONValue
        var fileGeneration: Int
    }

    private let counters = TokenCounters()
    /// Each analysis with what it read from other open documents: the canonical path of every
    /// partial it resolved and the version of the open document it came from (nil: read from disk).
    /// A change to one of those documents (an edit, opening or closing it) makes the analysis stale.
    private let cache = Locked<[DocumentURI: (key: Key, analysis: DocumentAnalysis, dependencies: [String: Int?])]>([:])
    /// One lock per document: concurrent requests for the same version (push diagnostics and an inlay
    /// hint request after a keystroke) wait for one analysis instead of each computing it.
    private let computing = Locked<[DocumentURI: NSLock]>([:])
    /// Injected by tests and by the catalog once loaded: builds a model resolver for a configuration.
    /// The closure lives in a struct: a bare function type in a `Mutex` was re-wrapped in one more
    /// reabstraction thunk by every `withLock` (inout write-back), so after some thousands of analyses
    /// calling it overflowed the stack.
    let modelResolvers = Locked(ModelResolverFactory { catalogModelResolver(for: $0) })

    struct ModelResolverFactory: Sendable {
        var make: @Sendable (Configuration) -> ModelResolver
    }

    /// The newest version of each open document seen by the diagnostics push (a delayed push for an
    /// older version is dropped).
    let latestVersions = Locked<[DocumentURI: Int]>([:])
    /// Per document, the number of the newest scheduled diagnostics push: a push is sent only while
    /// it is the newest for its document (checked under this lock when sending, so an older push never
    /// lands after a newer one). Pushes for other documents never supersede it.
    let pushGenerations = Locked<[DocumentURI: Int]>([:])
    /// The newest scheduled refresh of documents that depend on a changed one (see DependentsRefresh).
    let dependentsRefreshGeneration = Locked(0)

    /// Whether inlay hints / pulled diagnostics were served: refresh requests are pointless before.
    let servedInlayHints = Locked(false)
    let servedPulledDiagnostics = Locked(false)

    public init() {}

    /// The analysis of `document` under `state`'s settings and workspace.
    public func analysis(of document: OpenDocument, in state: ServerState) -> DocumentAnalysis {
        let key = Key(version: document.version, settings: state.settings, fileGeneration: state.fileGeneration)
        func current(_ cached: (key: Key, analysis: DocumentAnalysis, dependencies: [String: Int?])?) -> DocumentAnalysis? {
            guard let cached, cached.key == key, cached.analysis.text == document.text else { return nil }
            guard cached.dependencies.isEmpty || cached.dependencies == openVersions(of: cached.dependencies.keys, in: state) else { return nil }
            return cached.analysis
        }
        if let analysis = current(cache.withLock({ $0[document.uri] })) { return analysis }
        let lock = computing.withLock { locks in
            if let lock = locks[document.uri] { return lock }
            let lock = NSLock()
            locks[document.uri] = lock
            return lock
        }
        lock.lock()
        defer { lock.unlock() }
        if let analysis = current(cache.withLock({ $0[document.uri] })) { return analysis }
        let (analysis, dependencies) = compute(document, in: state)
        cache.withLock { $0[document.uri] = (key, analysis, dependencies) }
        return analysis
    }

    /// The analysis of a text that is not the document's current version (a fix-all pass, a file the
    /// editor has not opened): computed with the shared token counters, never cached, so the open
    /// document's own analysis stays in place.
    public func uncachedAnalysis(of document: OpenDocument, in state: ServerState) -> DocumentAnalysis {
        compute(document, in: state).analysis
    }

    /// How many analyses were computed (cached or not), for tests.
    let computations = Locked(0)

    /// Analyses `document` under `state`'s settings and workspace, recording the partials it read.
    private func compute(_ document: OpenDocument, in state: ServerState) -> (analysis: DocumentAnalysis, dependencies: [String: Int?]) {
        computations.withLock { $0 += 1 }
        let path = filePath(of: document.uri)
        let files = WorkspaceFiles(roots: state.roots(for: document.uri).map(\.path))
        var configuration = editorConfiguration(state.settings)
        if let path, state.isInside(URL(fileURLWithPath: path), rootsOf: document.uri),
           let configPath = nearestConfigurationFile(from: parentFolder(of: path), files: files)
        {
            configuration = loadConfiguration(at: configPath, over: configuration, files: files).configuration
        }
        // Only the version and text of each open document (not its line index) are captured.
        let openDocuments = state.documents.values.reduce(into: [String: (version: Int, text: String)]()) { open, document in
            if let openPath = filePath(of: document.uri) { open[canonicalPath(openPath)] = (document.version, document.text) }
        }
        let diskResolver = workspacePartialResolver(files: files, extraFolders: configuration.partialFolders)
        let used = Locked<[String: Int?]>([:])
        // Open partials are read from the editor (unsaved edits count), files from disk; both only
        // inside the workspace roots. Every partial read is recorded as a dependency.
        let resolvePartial: PartialResolver = { name, from in
            let found = diskResolver(name, from)
            guard case .found(let partialPath, _) = found else { return found }
            let open = openDocuments[partialPath]
            used.withLock { $0[partialPath] = .some(open?.version) }
            if let open { return .found(path: partialPath, text: open.text) }
            return found
        }
        let analysis = analyzeDocument(AnalysisInput(
            text: document.text, path: path, configuration: configuration,
            resolveModel: modelResolvers.withLock { $0.make }(configuration), resolvePartial: resolvePartial, counters: counters,
            sampleData: path.flatMap { siblingSampleInput(for: $0, files: files) }))
        return (analysis, used.withLock { $0 })
    }

    /// The open documents whose newest analysis read `uri` (as a partial, directly or nested).
    public func dependents(of uri: DocumentURI) -> [DocumentURI] {
        guard let path = filePath(of: uri).map(canonicalPath) else { return [] }
        return cache.withLock { cache in
            cache.filter { $0.key != uri && $0.value.dependencies.keys.contains(path) }.map(\.key).sorted()
        }
    }

    /// For each path, the version of the open document at that path now (nil when it is not open).
    private func openVersions(of paths: Dictionary<String, Int?>.Keys, in state: ServerState) -> [String: Int?] {
        var versions: [String: Int?] = [:]
        for path in paths { versions[path] = .some(nil) }
        for document in state.documents.values {
            guard let documentPath = filePath(of: document.uri) else { continue }
            let canonical = canonicalPath(documentPath)
            if versions[canonical] != nil { versions[canonical] = .some(document.version) }
        }
        return versions
    }

    public func forget(_ uri: DocumentURI) {
        _ = cache.withLock { $0.removeValue(forKey: uri) }
        _ = computing.withLock { $0.removeValue(forKey: uri) }
    }
}

/// The file system path of a `file:` URI (nil for other schemes, such as unsaved `untitled:` buffers).
func filePath(of uri: DocumentURI) -> String? {
    guard let url = URL(string: uri.rawValue), url.isFileURL else { return nil }
    return url.path
}

/// The editor's settings (the `tokenmin` section, see editors/settings.json) as a configuration.
/// Unknown keys are ignored here: editors may send their own client-side keys (`path`, `trace`).
func editorConfiguration(_ settings: JSONValue) -> Configuration {
    var configuration = Configuration()
    guard case .object(var members) = settings else { return configuration }
    for clientOnly in ["path", "trace"] { members.removeValue(forKey: clientOnly) }
    if case .string(let model)? = members["defaultModel"] {
        members.removeValue(forKey: "defaultModel")
        if !model.isEmpty { members["model"] = .string(model) }
    }
    if case .integer(let volume)? = members["volume"] {
        members["volume"] = .string(String(volume))
    }
    _ = configuration.apply(settingsValue(.object(members)))
    return configuration
}

/// JSON settings as the neutral settings tree the configuration parser reads.
func settingsValue(_ value: JSONValue) -> SettingsValue {
    switch value {
    case .null: return .null(range: nil)
    case .bool(let flag): return .scalar(flag ? "true" : "false", range: nil)
    case .integer(let number): return .scalar(String(number), range: nil)
    case .double(let number): return .scalar(String(number), range: nil)
    case .string(let text): return .scalar(text, range: nil)
    case .array(let items): return .sequence(items.map(settingsValue), range: nil)
    case .object(let members):
        return .mapping(members.keys.sorted().map { SettingsValue.Entry(key: $0, value: settingsValue(members[$0]!)) }, range: nil)
    }
}

import Foundation
import LanguageServerProtocol
import PromptAnalysis
import PromptSyntax
import PromptText

/// Files of the workspace as the navigation features see them: open documents from the editor (with
/// unsaved edits), other files from disk through the workspace guard (`WorkspaceFiles`), never
/// anything outside the roots. Positions in files convert with their own line index.
struct WorkspaceAccess: Sendable {
    let state: ServerState
    let files: WorkspaceFiles
    /// Open documents by canonical path.
    let openDocuments: [String: OpenDocument]

    /// The most prompt files cross-file features (references, rename, workspace diagnostics) read.
    static let fileLimit = 2_000

    init(_ state: ServerState) {
        self.state = state
        self.files = WorkspaceFiles(roots: state.workspaceRoots.map(\.path))
        var open: [String: OpenDocument] = [:]
        for document in state.documents.values {
            if let path = filePath(of: document.uri) { open[canonicalPath(path)] = document }
        }
        self.openDocuments = open
    }

    /// A file's text: the editor's when open, else the file's inside the roots.
    func text(ofPath path: String) -> String? {
        let canonical = canonicalPath(path)
        if let open = openDocuments[canonical] { return open.text }
        guard case .success(let data) = files.read(canonical) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The URI the client knows a file by: the open document's own URI string, else a `file:` URI.
    func uri(ofPath path: String) -> DocumentURI {
        let canonical = canonicalPath(path)
        if let open = openDocuments[canonical] { return open.uri }
        return DocumentURI(URL(fileURLWithPath: canonical).absoluteString)
    }

    /// The version of an open file, nil for files the client does not have open.
    func version(ofPath path: String) -> Int? { openDocuments[canonicalPath(path)]?.version }

    /// A partial resolver over the workspace (open partials read from the editor), with the partial
    /// folders of `configuration`.
    func partialResolver(_ configuration: Configuration) -> PartialResolver {
        let disk = workspacePartialResolver(files: files, extraFolders: configuration.partialFolders)
        let openTexts = openDocuments.mapValues(\.text)
        return { name, from in
            let found = disk(name, from)
            if case .found(let path, _) = found, let open = openTexts[path] {
                return .found(path: path, text: open)
            }
            return found
        }
    }

    /// The `.prompt` files under the roots (at most `fileLimit`).
    func promptFiles() -> PromptFileListing { workspacePromptFiles(files, limit: Self.fileLimit) }

    /// Converts a UTF-8 range in `text` to a wire range.
    func range(_ utf8: UTF8Range, in lineIndex: LineIndex) -> LSPRange {
        LSPRange(lineIndex.lineRange(of: utf8, in: state.positionEncoding))
    }

    /// A location in a file given its text.
    func location(path: String, text: String, range: UTF8Range) -> Location {
        Location(uri: uri(ofPath: path), range: self.range(range, in: LineIndex(text)))
    }

    /// The start of a file, for locations that name a whole file.
    func fileStart(_ path: String) -> Location {
        Location(
            uri: uri(ofPath: path),
            range: LSPRange(start: Position(line: 0, character: 0), end: Position(line: 0, character: 0)))
    }
}

/// The inclusions of one partial in one file.
struct PartialInclusions {
    var path: String
    var text: String
    var ranges: [UTF8Range]
}

extension WorkspaceAccess {
    /// Every `{{> …}}` in the workspace's prompt files that resolves to the partial file `target`,
    /// resolved from each including file as rendering would (so `{{> header}}` in another folder,
    /// naming another `_header.prompt`, is not counted). Open documents are included even when
    /// outside the listed files (an `untitled:` buffer has no folder and resolves nothing).
    func inclusions(of target: String, configurationFor: (String) -> Configuration) -> (
        files: [PartialInclusions], isTruncated: Bool
    ) {
        let listing = promptFiles()
        let lastComponent =
            "_" + (((target as NSString).lastPathComponent as NSString).deletingPathExtension.dropFirst())
        var paths = Set(listing.paths)
        paths.formUnion(openDocuments.keys.filter { $0.hasSuffix(".prompt") && files.contains($0) })
        var found: [PartialInclusions] = []
        for path in paths.sorted() {
            guard let text = text(ofPath: path) else { continue }
            let template = parsePromptDocument(text).template
            let candidates = template.references().partials.compactMap(\.name).filter { name in
                "_" + (name.split(separator: "/").last.map(String.init) ?? "") == lastComponent
            }
            guard !candidates.isEmpty else { continue }
            let resolve = partialResolver(configurationFor(path))
            var ranges: [UTF8Range] = []
            for name in Set(candidates) {
                guard case .found(let resolved, _) = resolve(name, path), resolved == target else { continue }
                ranges += partialUses(named: name, in: template, text: text)
            }
            if !ranges.isEmpty {
                found.append(
                    PartialInclusions(path: path, text: text, ranges: ranges.sorted { $0.start < $1.start }))
            }
        }
        return (found, listing.isTruncated)
    }

    /// The configuration that applies to a file: the editor's settings and the nearest `.tokenmin.yml`.
    func configuration(forPath path: String) -> Configuration {
        var configuration = editorConfiguration(state.settings)
        if let configPath = nearestConfigurationFile(
            from: parentFolder(of: path), files: files)
        {
            configuration = loadConfiguration(at: configPath, over: configuration, files: files).configuration
        }
        return configuration
    }
}

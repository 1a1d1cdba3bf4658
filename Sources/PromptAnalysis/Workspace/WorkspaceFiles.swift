import Foundation

/// The only way the analysis reads files: inside the workspace roots, after resolving `..` and
/// symbolic links, and never larger than `maximumFileBytes`. A partial named `../../etc/passwd`, or a
/// symlink pointing out of the workspace, is refused (and reported as such), never read.
public struct WorkspaceFiles: Sendable {
    /// Canonical (symlink-free, absolute) root folders.
    public let roots: [String]
    public let maximumFileBytes: Int

    /// Files larger than this are not analysed (a diagnostic says so): 8 MiB.
    public static let defaultMaximumFileBytes = 8 * 1024 * 1024

    public init(roots: [String], maximumFileBytes: Int = WorkspaceFiles.defaultMaximumFileBytes) {
        self.roots = roots.map(canonicalPath)
        self.maximumFileBytes = maximumFileBytes
    }

    /// Whether `path` (after resolving links) lies inside a root.
    public func contains(_ path: String) -> Bool {
        containsCanonical(canonicalPath(path))
    }

    /// Whether a canonical path (`canonicalPath`'s result) lies inside a root.
    private func containsCanonical(_ real: String) -> Bool {
        roots.contains { root in real == root || real.hasPrefix(root == "/" ? "/" : root + "/") }
    }

    public enum ReadError: Error, Equatable, Sendable {
        case outsideWorkspace(String)
        case notFound(String)
        case tooLarge(String, bytes: Int)
        case unreadable(String)
    }

    /// Reads a file inside the roots.
    public func read(_ path: String) -> Result<Data, ReadError> {
        // The path is resolved once, and one stat(2) answers "is it a file" and "how large": `check`
        // reads thousands of files, and FileManager's attribute dictionary (owner names included) cost
        // more than reading the file.
        let real = canonicalPath(path)
        guard containsCanonical(real) else { return .failure(.outsideWorkspace(path)) }
        var status = stat()
        guard stat(real, &status) == 0, status.st_mode & S_IFMT != S_IFDIR else { return .failure(.notFound(path)) }
        if Int(status.st_size) > maximumFileBytes { return .failure(.tooLarge(path, bytes: Int(status.st_size))) }
        guard let data = FileManager.default.contents(atPath: real) else { return .failure(.unreadable(path)) }
        return .success(data)
    }
}

/// An absolute path with `.`/`..` and symbolic links resolved (for files that do not exist, the
/// deepest existing ancestor is resolved and the rest appended, so a missing file under a symlinked
/// folder still resolves to where it would be).
public func canonicalPath(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    // An existing path: realpath(3) resolves it in one call (check resolves every file it reads).
    if let resolved = realpath(absolute, nil) {
        defer { free(resolved) }
        return String(cString: resolved)
    }
    let standardized = (absolute as NSString).standardizingPath
    var existing = standardized
    var rest: [String] = []
    while !FileManager.default.fileExists(atPath: existing), existing != "/" {
        rest.insert((existing as NSString).lastPathComponent, at: 0)
        existing = parentFolder(of: existing)
    }
    var resolved = (existing as NSString).resolvingSymlinksInPath
    for component in rest { resolved = (resolved as NSString).appendingPathComponent(component) }
    return (resolved as NSString).standardizingPath
}

/// The nearest `.tokenmin.yml` (or `.tokenmin.yaml`) at or above `folder`, like `.editorconfig`:
/// the search stops at the workspace root containing the folder (or at `/` when there is none).
public func nearestConfigurationFile(from folder: String, files: WorkspaceFiles?) -> String? {
    var current = canonicalPath(folder)
    // The search ends at the outermost root holding the folder: `check prompts/` run at the repository's
    // root has roots [root, root/prompts], and root's .tokenmin.yml must still apply to prompts/x.prompt.
    let stop = files?.roots.filter { current == $0 || current.hasPrefix($0 + "/") }.min { $0.count < $1.count }
    while true {
        for name in [".tokenmin.yml", ".tokenmin.yaml"] {
            let candidate = (current as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        if current == stop || current == "/" || current.isEmpty { return nil }
        current = parentFolder(of: current)
    }
}

/// Where a partial `{{> name}}` referenced from a prompt in `folder` lives: `_name.prompt` beside the
/// prompt (Dotprompt's convention), with `/` in the name meaning sub-folders (`{{> shared/header}}` →
/// `shared/_header.prompt`). Other partial folders from configuration are searched after.
public func partialCandidates(named name: String, from folder: String, extraFolders: [String] = []) -> [String] {
    let components = name.split(separator: "/").map(String.init)
    guard let last = components.last, !last.isEmpty else { return [] }
    let relative = (components.dropLast() + ["_\(last).prompt"]).joined(separator: "/")
    return ([folder] + extraFolders).map { ($0 as NSString).appendingPathComponent(relative) }
}

/// The one wording of "this path does not exist", for every command and report.
public let missingPathMessage = "no such file or folder"

/// The folder part of `path`, as `NSString.deletingLastPathComponent` gives it ("a/b/c" → "a/b",
/// "c" → "", "/c" → "/", "a/b/" → "a"), without its trap: swift-corelibs-foundation crashes on any
/// one-character path ("x", "-", "a/"). Every path the user types goes through here, never through it.
public func parentFolder(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "" }
    var parent = trimmed[..<slash]
    while parent.hasSuffix("/") { parent = parent.dropLast() }
    return parent.isEmpty ? "/" : String(parent)
}

import Foundation

/// The `.prompt` files under the workspace roots, at most `limit` of them.
public struct PromptFileListing: Sendable, Hashable {
    /// Canonical paths, sorted.
    public var paths: [String]
    /// Whether more files exist than were listed (features that need all of them, such as rename,
    /// refuse instead of working on a part).
    public var isTruncated: Bool
}

/// Folders never searched for prompts: version control, build output and package caches.
private let skippedFolders: Set<String> = ["node_modules", ".git", ".build", ".venv", "__pycache__"]

/// Lists the `.prompt` files under `files.roots` (hidden folders, `node_modules` and symbolic links
/// leading outside the roots are skipped), stopping at `limit` files.
public func workspacePromptFiles(_ files: WorkspaceFiles, limit: Int) -> PromptFileListing {
    var paths: Set<String> = []
    var truncated = false
    for root in files.roots {
        guard
            let enumerator = FileManager.default.enumerator(
                at: URL(fileURLWithPath: root, isDirectory: true),
                includingPropertiesForKeys: [.isDirectoryKey],
                options: [.skipsHiddenFiles, .skipsPackageDescendants])
        else { continue }
        for case let url as URL in enumerator {
            if skippedFolders.contains(url.lastPathComponent) {
                enumerator.skipDescendants()
                continue
            }
            guard url.pathExtension == "prompt" else { continue }
            let path = canonicalPath(url.path)
            guard files.contains(path) else { continue }
            if paths.count >= limit {
                truncated = true
                break
            }
            paths.insert(path)
        }
        if truncated { break }
    }
    return PromptFileListing(paths: paths.sorted(), isTruncated: truncated)
}

import Foundation
import PromptAnalysis

/// The `.prompt` files under the paths given to `check`/`count`, and the paths that could not be read.
public struct Discovery: Sendable, Equatable {
    public var files: [String]
    /// Problems that are not findings of a file: missing paths, unreadable folders, symlink loops.
    public var problems: [DiscoveryProblem]
}

public struct DiscoveryProblem: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// Folders never searched: version control, build output and dependency caches.
public let skippedFolderNames: Set<String> = [
    ".git", ".hg", ".svn", ".build", ".swiftpm", "node_modules", ".venv", "venv", "__pycache__", "dist", "build",
    "target", ".tox", ".mypy_cache",
]

/// Finds `.prompt` files under `paths` (files are taken as given, whatever their extension; folders are
/// walked recursively). Results are sorted and de-duplicated, so output is deterministic. Symlinked
/// folders are followed once: a folder whose real path was already visited (a loop, or the same tree
/// twice) is skipped with a problem report rather than walked forever.
public func discoverPromptFiles(in paths: [String], ignore: [Glob] = []) -> Discovery {
    var files: Set<String> = []
    var problems: [DiscoveryProblem] = []
    var visitedFolders: Set<String> = []
    let manager = FileManager.default

    func isIgnored(_ relative: String, isDirectory: Bool) -> Bool {
        ignore.contains { $0.matches(relative, isDirectory: isDirectory) }
    }

    func walk(_ folder: String, relative: String) {
        let real = canonicalPath(folder)
        guard visitedFolders.insert(real).inserted else {
            problems.append(DiscoveryProblem(path: folder, message: "skipped: symlink loop or folder already searched"))
            return
        }
        let entries: [String]
        do {
            entries = try manager.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            problems.append(DiscoveryProblem(path: folder, message: "cannot read folder"))
            return
        }
        for entry in entries {
            let path = folder == "." ? entry : (folder as NSString).appendingPathComponent(entry)
            let entryRelative = relative.isEmpty ? entry : relative + "/" + entry
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(DiscoveryProblem(path: path, message: "broken symbolic link"))
                continue
            }
            if isDirectory.boolValue {
                if skippedFolderNames.contains(entry) || isIgnored(entryRelative, isDirectory: true) { continue }
                walk(path, relative: entryRelative)
            } else if entry.hasSuffix(".prompt") && !isIgnored(entryRelative, isDirectory: false) {
                files.insert(path)
            }
        }
    }

    for path in paths {
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            problems.append(DiscoveryProblem(path: path, message: missingPathMessage))
            continue
        }
        if isDirectory.boolValue {
            walk(path, relative: "")
        } else {
            files.insert(path)
        }
    }
    return Discovery(files: files.sorted(), problems: problems)
}

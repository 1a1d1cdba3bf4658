import Foundation

/// A commit that changed a prompt, with the prompt's path at that commit (renames are followed).
public struct PromptRevision: Sendable, Hashable {
    public var commit: String
    /// `YYYY-MM-DD`, the author date.
    public var date: String
    public var subject: String
    /// Repository-relative path of the prompt in this commit.
    public var path: String
}

/// The commits of `path` (repository-relative), oldest first: `git log --follow --name-status`, with
/// each commit's path read from its name-status line so that `git show COMMIT:PATH` finds the file
/// before a rename. Commits that delete the file are left out (there is nothing to analyse). With
/// `since`, only commits after that revision, plus the revision itself when the file exists there.
func promptRevisions(of path: String, since: String?, root: String, git: GitTool) throws(GitError)
    -> [PromptRevision]
{
    // User settings that would change the output (signatures, colours, quoted names) are overridden.
    var arguments = [
        "-c", "core.quotePath=false", "-c", "log.showSignature=false", "log", "--no-color", "--follow",
        "--format=%x1e%H%x00%ad%x00%s", "--date=short", "--name-status",
    ]
    if let since { arguments.append("\(since)..HEAD") }
    arguments += ["--", path]
    let log = String(decoding: try git.output(arguments, in: root), as: UTF8.self)

    var newestFirst: [PromptRevision] = []
    var currentPath = path
    for record in log.split(separator: "\u{1E}", omittingEmptySubsequences: true) {
        let lines = record.split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first else { continue }
        let fields = header.split(separator: "\0", maxSplits: 2, omittingEmptySubsequences: false).map(
            String.init)
        guard fields.count >= 2 else { continue }
        let subject = fields.count > 2 ? fields[2] : ""
        // `R100\told\tnew`, `C75\told\tnew`, `M\tpath`, `A\tpath`, `D\tpath`.
        let changes = lines.dropFirst().map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map { unquotedGitPath(String($0)) }
        }
        .filter { $0.count >= 2 }
        let change = changes.first { $0.last == currentPath } ?? changes.last
        guard let change, let status = change.first?.first else {
            // A commit listed without a change line (a merge): the path is unchanged.
            newestFirst.append(
                PromptRevision(commit: fields[0], date: fields[1], subject: subject, path: currentPath))
            continue
        }
        let pathHere = change[change.count - 1]
        if status != "D" {
            newestFirst.append(
                PromptRevision(commit: fields[0], date: fields[1], subject: subject, path: pathHere))
        }
        if status == "R" || status == "C", change.count >= 3 {
            currentPath = change[1]
        } else {
            currentPath = pathHere
        }
    }
    var revisions = Array(newestFirst.reversed())
    if let since, try fileExists(currentPath, at: since, root: root, git: git) {
        let header = String(
            decoding: try git.output(
                [
                    "-c", "log.showSignature=false", "log", "--no-color", "-1", "--format=%H%x00%ad%x00%s",
                    "--date=short", since, "--",
                ], in: root), as: UTF8.self)
        let fields = header.trimmingCharacters(in: .newlines).split(
            separator: "\0", maxSplits: 2, omittingEmptySubsequences: false
        ).map(String.init)
        if fields.count >= 2 {
            revisions.insert(
                PromptRevision(
                    commit: fields[0], date: fields[1], subject: fields.count > 2 ? fields[2] : "",
                    path: currentPath), at: 0)
        }
    }
    return revisions
}

/// Whether `revision` names a commit.
func isCommit(_ revision: String, root: String, git: GitTool) throws(GitError) -> Bool {
    try git.run(["rev-parse", "--verify", "--quiet", "\(revision)^{commit}"], in: root).status == 0
}

private func fileExists(_ path: String, at revision: String, root: String, git: GitTool) throws(GitError)
    -> Bool
{
    try git.run(["cat-file", "-e", "\(revision):\(path)"], in: root).status == 0
}

/// The bytes of `path` at `revision` (`git show --no-textconv REV:PATH`), nil when the file is not there.
func fileContents(_ path: String, at revision: String, root: String, git: GitTool) throws(GitError) -> Data? {
    let result = try git.run(["show", "--no-textconv", "\(revision):\(path)"], in: root)
    return result.status == 0 ? result.standardOutput : nil
}

/// A path as git prints it: names with `"`, a backslash or control characters come C-quoted
/// (`"a \"b\".prompt"`) even with `core.quotePath=false` (which only keeps non-ASCII bytes as they are).
func unquotedGitPath(_ field: String) -> String {
    guard field.count >= 2, field.hasPrefix("\""), field.hasSuffix("\"") else { return field }
    var bytes: [UInt8] = []
    var input = Array(field.utf8.dropFirst().dropLast())[...]
    while let byte = input.popFirst() {
        guard byte == UInt8(ascii: "\\"), let next = input.popFirst() else {
            bytes.append(byte)
            continue
        }
        switch next {
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "a"): bytes.append(0x07)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "v"): bytes.append(0x0B)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            // Three octal digits: one raw byte of the name.
            var value = Int(next - UInt8(ascii: "0"))
            for _ in 0..<2 {
                guard let digit = input.first, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { break }
                value = value * 8 + Int(digit - UInt8(ascii: "0"))
                input.removeFirst()
            }
            bytes.append(UInt8(truncatingIfNeeded: value))
        default: bytes.append(next)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

import Foundation
import PromptAnalysis

/// Calls per month per path glob, for `tokenmin report --volume-file FILE`.
///
/// The format is plain text, one rule per line: a glob, white space, a volume as `.tokenmin.yml`
/// writes it (`2M/month`, `250k/day`, `1200/hour`, `5000` per month, `0` for a prompt that is not
/// called). `#` starts a comment line; blank lines are skipped. Globs follow `ignore:`'s rules
/// (`*` within a path segment, `**` across segments; a glob without `/` matches a file name at any
/// depth; one with `/` is anchored at the volume file's folder) and contain no spaces. When several
/// lines match a prompt, the **last** one wins, as in `.gitattributes`: write general rules first.
///
/// ```text
/// # calls per month by prompt
/// **/*.prompt            10k/month
/// prompts/support/**     2M/month
/// prompts/support/triage.prompt  250k/day
/// ```
public struct VolumeFile: Sendable {
    public struct Rule: Sendable, Hashable {
        public var glob: Glob
        public var callsPerMonth: Decimal
        /// 1-based line in the file.
        public var line: Int
    }

    /// The folder anchored globs are relative to (canonical).
    public var folder: String
    public var rules: [Rule]

    /// The rule that sets the volume of the file at `canonicalPath`, nil when none matches or the
    /// file is outside the volume file's folder.
    public func rule(forFileAt canonicalPath: String) -> Rule? {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        guard canonicalPath.hasPrefix(prefix) else { return nil }
        let relative = String(canonicalPath.dropFirst(prefix.count))
        return rules.last { $0.glob.matches(relative) }
    }
}

/// What is wrong with a volume file, line by line (`FILE:LINE: message`).
public struct VolumeFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var problems: [(line: Int, message: String)]

    public static func == (lhs: VolumeFileError, rhs: VolumeFileError) -> Bool {
        lhs.path == rhs.path && lhs.problems.map(\.line) == rhs.problems.map(\.line)
            && lhs.problems.map(\.message) == rhs.problems.map(\.message)
    }

    public var description: String {
        problems.map { ($0.line > 0 ? "\(path):\($0.line): " : "\(path): ") + $0.message }.joined(
            separator: "\n")
    }
}

/// Parses a volume file's text. Every bad line is reported (not just the first); a file with any bad
/// line is an error, since a volume silently dropped would understate the monthly cost.
public func parseVolumeFile(_ text: String, path: String, folder: String) -> Result<
    VolumeFile, VolumeFileError
> {
    var rules: [VolumeFile.Rule] = []
    var problems: [(line: Int, message: String)] = []
    var number = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
        number += 1
        let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.isEmpty || line.hasPrefix("#") { continue }
        guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            problems.append(
                (number, "expected a glob and a volume, e.g. 'prompts/support/** 2M/month'; found '\(line)'"))
            continue
        }
        let glob = String(line[..<space])
        let volume = line[space...].trimmingCharacters(in: .whitespaces)
        switch parseVolume(volume) {
        case .success(let calls):
            rules.append(.init(glob: Glob(glob), callsPerMonth: calls, line: number))
        case .failure(let error):
            problems.append((number, error.message))
        }
    }
    if !problems.isEmpty { return .failure(VolumeFileError(path: path, problems: problems)) }
    return .success(VolumeFile(folder: folder, rules: rules))
}

/// Reads and parses a volume file; unreadable or non-UTF-8 files are errors with the path.
public func loadVolumeFile(at path: String) -> Result<VolumeFile, VolumeFileError> {
    guard let data = FileManager.default.contents(atPath: path) else {
        return .failure(
            VolumeFileError(
                path: path, problems: [(0, "cannot read the volume file (missing or unreadable)")]))
    }
    guard let text = String(data: data, encoding: .utf8) else {
        return .failure(VolumeFileError(path: path, problems: [(0, "the volume file is not UTF-8 text")]))
    }
    let folder = parentFolder(of: canonicalPath(path))
    return parseVolumeFile(text, path: path, folder: folder)
}

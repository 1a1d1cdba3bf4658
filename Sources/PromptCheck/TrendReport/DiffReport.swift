import Foundation
import PromptAnalysis
import PromptText

/// What `tokenmin report --diff BASE_REV` compares: the work tree's prompts (analysed as `check` does)
/// against their versions at a base revision.
public struct DiffRequest: Sendable {
    public var check: CheckRequest
    /// A branch, tag or commit (`origin/main`).
    public var baseRevision: String
    /// Allowed growth of input tokens or USD per call (0.1 = +10%), as `check --max-growth`.
    public var maxGrowth: Double
    public var git: GitTool

    public init(check: CheckRequest, baseRevision: String, maxGrowth: Double = 0.1, git: GitTool = GitTool())
    {
        self.check = check
        self.baseRevision = baseRevision
        self.maxGrowth = maxGrowth
        self.git = git
    }
}

/// One version of a prompt in the comparison.
public struct PromptVersion: Sendable, Hashable {
    public var inputTokens: Int
    public var isExact: Bool
    public var usdPerCall: Decimal?
    public var usdPerMonth: Decimal?
    public var model: String?

    init(_ cost: PromptCost) {
        inputTokens = cost.inputTokens
        isExact = cost.isExact
        usdPerCall = cost.usdPerCall
        usdPerMonth = cost.usdPerMonth
        model = cost.modelID ?? cost.modelName
    }
}

/// A prompt that changed: its versions, growth, and findings that the base did not have.
public struct PromptDiff: Sendable {
    public var path: String
    public var kind: BaselineComparison.Kind
    public var before: PromptVersion?
    public var after: PromptVersion?
    /// Relative growth of input tokens (0.1 = +10%); 0 for added and removed prompts.
    public var tokenGrowth: Double
    /// Findings of the new version that the base version did not have (matched by rule and message).
    public var newFindings: [WorkspaceFinding]
    /// How many of the base version's findings are gone.
    public var resolvedFindings: Int
    /// The prompt's path at the base when it was renamed since (as the report shows paths).
    public var previousPath: String?

    /// USD per month after minus before, at each version's volume (a new prompt adds all of its cost).
    public var usdPerMonthDelta: Decimal? {
        if before?.usdPerMonth == nil && after?.usdPerMonth == nil { return nil }
        return (after?.usdPerMonth ?? 0) - (before?.usdPerMonth ?? 0)
    }
}

/// The comparison with the base revision.
public struct PromptDiffReport: Sendable {
    public var baseRevision: String
    /// The base revision's commit.
    public var baseCommit: String
    public var maxGrowth: Double
    /// Prompts whose tokens, USD or findings changed, added or removed, in path order.
    public var changes: [PromptDiff]
    public var unchanged: Int
    public var problems: [String]

    /// The gate: some prompt's input tokens or USD per call grew beyond `maxGrowth`.
    public var failed: Bool { changes.contains { $0.kind == .grew(exceeded: true) } }
    public var totalUSDPerMonthDelta: Decimal? {
        let deltas = changes.compactMap(\.usdPerMonthDelta)
        return deltas.isEmpty ? nil : deltas.reduce(0, +)
    }
}

/// Analyses the work tree and every prompt's version at `request.baseRevision` (partials from the same
/// revision; today's settings, prices, volumes and sample values for both, so the comparison shows what
/// the prompts changed). Prompts that exist only at the base are reported as removed.
public func buildDiffReport(_ request: DiffRequest) throws(GitError) -> PromptDiffReport {
    _ = try request.git.resolvedExecutable()
    // The comparison needs each prompt's report and canonical path, not its analysis.
    var checkRequest = request.check
    checkRequest.summarizesPrompts = true
    checkRequest.keepsAnalyses = false
    let run = runCheck(checkRequest)
    var problems = run.result.problems.map(\.description)
    let base = BaseVersions(request: request)
    var changes: [PromptDiff] = []
    var unchanged = 0
    var baseCommit = ""
    var seen: Set<String> = []
    var checkedRoots: [String: Bool] = [:]
    var rootsByFolder: [String: String] = [:]

    /// The base version's analysis, with a problem (not UTF-8) recorded.
    func baseAnalysis(relative: String, root: String, canonical: String) throws(GitError) -> DocumentAnalysis? {
        let version = try base.analysis(relative: relative, root: root, canonical: canonical)
        if let problem = version.problem { problems.append(problem) }
        return version.analysis
    }

    // Renames between the base and the work tree, per repository: new path → old path.
    var renamesByRoot: [String: [String: String]] = [:]
    func renames(in root: String) throws(GitError) -> [String: String] {
        if let known = renamesByRoot[root] { return known }
        let output = try request.git.output(
            ["-c", "core.quotePath=false", "diff", "-z", "--name-status", "-M", request.baseRevision, "--"], in: root)
        var map: [String: String] = [:]
        var fields = String(decoding: output, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false)
            .map(String.init)[...]
        while let status = fields.popFirst(), !status.isEmpty {
            if status.hasPrefix("R") || status.hasPrefix("C") {
                guard let old = fields.popFirst(), let new = fields.popFirst() else { break }
                if status.hasPrefix("R") { map[new] = old }
            } else {
                _ = fields.popFirst()
            }
        }
        renamesByRoot[root] = map
        return map
    }

    func rootChecked(for folder: String) throws(GitError) -> String {
        // One `git rev-parse` per folder, not per prompt.
        let root: String
        if let known = rootsByFolder[folder] {
            root = known
        } else {
            root = try request.git.repositoryRoot(containing: folder)
            rootsByFolder[folder] = root
        }
        if checkedRoots[root] == nil {
            guard try isCommit(request.baseRevision, root: root, git: request.git) else {
                throw .failed(
                    command: "git rev-parse \(request.baseRevision)",
                    message: "unknown revision '\(request.baseRevision)'")
            }
            let commit = String(
                decoding: try request.git.output(
                    ["rev-parse", "\(request.baseRevision)^{commit}"], in: root),
                as: UTF8.self
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            if baseCommit.isEmpty { baseCommit = commit }
            checkedRoots[root] = true
        }
        return root
    }

    // Each work-tree prompt: its repository (in order, stopping at the first error), then every base
    // version read and analysed on every core, then the comparisons in order, so that problems and the
    // first error thrown are those of a walk one prompt at a time.
    struct Prompt {
        var report: FileReport
        var canonical: String
        var path: String
        var root: Result<String, GitError>
    }
    var prompts: [Prompt] = []
    let analysed = run.result.reports.filter { $0.cost != nil }
    for (report, summary) in zip(analysed, run.promptSummaries) {
        var path = report.path
        if path.hasPrefix("./") { path.removeFirst(2) }
        let root: Result<String, GitError>
        do {
            root = .success(try rootChecked(for: parentFolder(of: summary.canonicalPath)))
        } catch {
            root = .failure(error)
        }
        prompts.append(Prompt(report: report, canonical: summary.canonicalPath, path: path, root: root))
        if case .failure = root { break }
    }
    let versions = Locked<[Result<BaseVersion, GitError>?]>(Array(repeating: nil, count: prompts.count))
    let jobs = prompts.map { prompt -> (root: String, relative: String, canonical: String)? in
        guard case .success(let root) = prompt.root, let relative = relativePath(prompt.canonical, under: root) else {
            return nil
        }
        return (root, relative, prompt.canonical)
    }
    forEachConcurrently(count: jobs.count) { index in
        guard let job = jobs[index] else { return }
        let version: Result<BaseVersion, GitError>
        do throws(GitError) {
            version = .success(try base.analysis(relative: job.relative, root: job.root, canonical: job.canonical))
        } catch {
            version = .failure(error)
        }
        versions.withLock { $0[index] = version }
    }
    let baseVersions = versions.withLock { $0 }
    for (index, prompt) in prompts.enumerated() {
        let canonical = prompt.canonical
        seen.insert(canonical)
        let path = prompt.path
        let root = try prompt.root.get()
        guard let relative = relativePath(canonical, under: root) else {
            problems.append("\(path): not inside the repository at \(root)")
            continue
        }
        var after = prompt.report
        after.path = path
        let version = try baseVersions[index]?.get() ?? BaseVersion(analysis: nil, problem: nil)
        if let problem = version.problem { problems.append(problem) }
        var before = version.analysis
        // A prompt renamed since the base is compared with its old version (and not reported as removed).
        var previousPath: String?
        if before == nil, let old = try renames(in: root)[relative] {
            let oldCanonical = (root as NSString).appendingPathComponent(old)
            before = try baseAnalysis(relative: old, root: root, canonical: oldCanonical)
            if before != nil {
                seen.insert(oldCanonical)
                previousPath = relativePath(oldCanonical)
            }
        }
        var change = promptDiff(
            path: path, before: before.map { $0.fileReport(path: path) }, after: after,
            maxGrowth: request.maxGrowth)
        change.previousPath = previousPath
        if change.kind == .unchanged && change.newFindings.isEmpty && change.resolvedFindings == 0
            && previousPath == nil
        {
            unchanged += 1
        } else {
            changes.append(change)
        }
    }

    // Prompts under the given folders at the base that are gone from the work tree.
    for folder in request.check.paths {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            continue
        }
        let canonicalFolder = canonicalPath(folder)
        let root = try rootChecked(for: canonicalFolder)
        let scope = relativePath(canonicalFolder, under: root) ?? ""
        var arguments = [
            "-c", "core.quotePath=false", "ls-tree", "-r", "-z", "--name-only", request.baseRevision,
        ]
        if !scope.isEmpty { arguments += ["--", scope] }
        let listing = String(decoding: try request.git.output(arguments, in: root), as: UTF8.self)
        for relative in listing.split(separator: "\0").map(String.init) where relative.hasSuffix(".prompt") {
            let canonical = (root as NSString).appendingPathComponent(relative)
            let components = relative.split(separator: "/").map(String.init)
            if components.dropLast().contains(where: skippedFolderNames.contains) { continue }
            guard !seen.contains(canonical), !FileManager.default.fileExists(atPath: canonical) else {
                continue
            }
            seen.insert(canonical)
            guard let before = try baseAnalysis(relative: relative, root: root, canonical: canonical) else {
                continue
            }
            let display = relativePath(canonical)
            changes.append(
                promptDiff(
                    path: display, before: before.fileReport(path: display), after: nil,
                    maxGrowth: request.maxGrowth))
        }
    }
    changes.sort { $0.path < $1.path }
    return PromptDiffReport(
        baseRevision: request.baseRevision, baseCommit: baseCommit, maxGrowth: request.maxGrowth,
        changes: changes,
        unchanged: unchanged, problems: problems)
}

/// A prompt's version at the base revision, analysed; nil when the base does not have it, with a
/// problem when it is not UTF-8 text.
private struct BaseVersion: Sendable {
    var analysis: DocumentAnalysis?
    var problem: String?
}

/// Reads and analyses prompts as they were at the base revision (thread-safe: the base versions of a
/// workspace's prompts are analysed on every core).
private struct BaseVersions: Sendable {
    let request: DiffRequest
    let files: WorkspaceFiles
    let counters = TokenCounters()
    let configurations: ConfigurationCache

    init(request: DiffRequest) {
        self.request = request
        files = WorkspaceFiles(roots: request.check.roots.map { $0.isEmpty ? "." : $0 })
        configurations = ConfigurationCache(base: request.check.baseConfiguration, files: files)
    }

    func analysis(relative: String, root: String, canonical: String) throws(GitError) -> BaseVersion {
        guard let data = try fileContents(relative, at: request.baseRevision, root: root, git: request.git)
        else {
            return BaseVersion(analysis: nil, problem: nil)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return BaseVersion(analysis: nil, problem: "\(relative) at \(request.baseRevision): not valid UTF-8 text")
        }
        // Today's nearest `.tokenmin.yml` (loaded once per file), as for the work tree's version.
        var configuration = configurations.configuration(forCanonicalPath: canonical)
        if let calls = request.check.callsPerMonthForFile?(canonical) { configuration.callsPerMonth = calls }
        let analysis = analyzeDocument(
            AnalysisInput(
                text: text, path: canonical, configuration: configuration,
                resolveModel: request.check.makeModelResolver(configuration),
                resolvePartial: partialsAtRevision(
                    request.baseRevision, root: root, git: request.git,
                    extraFolders: configuration.partialFolders),
                counters: counters, sampleData: siblingSampleInput(for: canonical, files: files)))
        return BaseVersion(analysis: analysis, problem: nil)
    }
}

/// The comparison of two versions of one prompt (either may be missing): the same growth rule as the
/// baseline gate, and the findings that are new.
func promptDiff(path: String, before: FileReport?, after: FileReport?, maxGrowth: Double) -> PromptDiff {
    let entry = { (report: FileReport?) -> Baseline.Entry? in
        guard let report else { return nil }
        return Baseline(reports: [report]).prompts[report.path]
    }
    var baseline = Baseline(prompts: [:])
    var current = Baseline(prompts: [:])
    if let before = entry(before) { baseline.prompts[path] = before }
    if let after = entry(after) { current.prompts[path] = after }
    let comparison = compare(baseline, with: current, maxGrowth: maxGrowth).changes.first
    let oldKeys = (before?.findings ?? []).map(findingKey)
    var unmatched: [String: Int] = [:]
    for key in oldKeys { unmatched[key, default: 0] += 1 }
    var newFindings: [WorkspaceFinding] = []
    for finding in after?.findings ?? [] {
        let key = findingKey(finding)
        if let left = unmatched[key], left > 0 {
            unmatched[key] = left - 1
        } else if let after {
            let position = ReportedRange(finding.range, in: after.lineIndex)
            newFindings.append(
                WorkspaceFinding(
                    line: position.startLine, column: position.startColumn, ruleID: finding.ruleID,
                    severity: finding.severity, message: finding.message, tokenSavings: finding.tokenSavings))
        }
    }
    return PromptDiff(
        path: path, kind: comparison?.kind ?? .unchanged, before: before?.cost.map(PromptVersion.init),
        after: after?.cost.map(PromptVersion.init), tokenGrowth: comparison?.tokenGrowth ?? 0,
        newFindings: after == nil ? [] : newFindings,
        resolvedFindings: after == nil ? 0 : unmatched.values.reduce(0, +))
}

/// A finding's identity across versions: its rule and message without the savings (which move with
/// prices and volumes), never its line (edits above it move it).
private func findingKey(_ finding: Finding) -> String {
    var message = finding.message
    if let saves = message.range(of: " (saves ", options: .backwards) {
        message = String(message[..<saves.lowerBound])
    }
    return finding.ruleID + "\u{0}" + message
}

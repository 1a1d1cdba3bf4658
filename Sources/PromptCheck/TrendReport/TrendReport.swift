import Dispatch
import Foundation
import PromptAnalysis
import PromptText

/// What `tokenmin report --history` analyses.
public struct TrendRequest: Sendable {
    /// Prompt files, or folders searched for `.prompt` files (in the work tree).
    public var paths: [String]
    /// Only commits after this revision (which is included as the starting point when the prompt exists there).
    public var since: String?
    /// Defaults plus command-line settings; the prompt's nearest `.tokenmin.yml` in the work tree applies
    /// over it, for every historical version (so the trend shows what the prompt changed, at today's prices).
    public var baseConfiguration: Configuration
    public var makeModelResolver: @Sendable (Configuration) -> ModelResolver
    public var git: GitTool

    public init(
        paths: [String], since: String? = nil, baseConfiguration: Configuration = Configuration(),
        makeModelResolver: @escaping @Sendable (Configuration) -> ModelResolver = { _ in
            uncataloguedModelResolver
        },
        git: GitTool = GitTool()
    ) {
        self.paths = paths
        self.since = since
        self.baseConfiguration = baseConfiguration
        self.makeModelResolver = makeModelResolver
        self.git = git
    }
}

/// One historical version of a prompt and what a call of it cost.
public struct TrendPoint: Sendable, Hashable {
    public var commit: String
    public var date: String
    public var subject: String
    /// Repository-relative path at this commit (differs from the prompt's current path before a rename).
    public var path: String
    public var inputTokens: Int
    public var outputTokens: Int
    public var usdPerCall: Decimal?
    /// Counts are exact: the model's own tokenizer and no input without a value.
    public var isExact: Bool
    public var model: String?
    /// The counted tokens are an estimate (`PromptCost.isEstimate`: not the model's own tokenizer, or
    /// tool definitions), shown `≈`.
    public var isEstimate: Bool = false
    /// Some inputs had no value: their text is not counted, shown `+ ?` (as `count` and the editor do).
    public var hasUnresolvedInputs: Bool = false

    public var shortCommit: String { String(commit.prefix(7)) }
}

/// The history of one prompt, oldest first.
public struct PromptTrend: Sendable, Hashable {
    /// The prompt's current path, relative to its repository's root (reports read the same wherever
    /// they were produced).
    public var path: String
    /// The prompt's canonical absolute path in the work tree (joins the trend to the prompt's analysis).
    public var absolutePath: String
    public var points: [TrendPoint]
    /// Versions that could not be analysed (not UTF-8), as `commit: reason`.
    public var notes: [String]
}

/// The trend report: one history per prompt, in path order, and problems with paths that were skipped.
public struct TrendReport: Sendable, Hashable {
    public var prompts: [PromptTrend]
    public var problems: [String]
}

/// Walks the git history of every prompt under `request.paths` and analyses each version with the same
/// analysis as `check` (partials are read from the same commit, never from outside the repository).
/// Throws when git is missing or a path is outside any repository; a prompt without history is a problem.
///
/// Prompts are walked on every core (each history is independent, and most of the time is spent waiting
/// for git); the repository root and configuration of a folder are looked up once. Results are
/// gathered in path order, and the first error in that order is the one thrown, as a walk one prompt
/// at a time would.
public func buildTrendReport(_ request: TrendRequest) throws(GitError) -> TrendReport {
    _ = try request.git.resolvedExecutable()
    let discovery = discoverPromptFiles(in: request.paths)
    var problems = discovery.problems.map(\.description)
    let walk = TrendWalk(request: request)
    let outcomes = Locked<[Result<PromptTrendOutcome, GitError>?]>(Array(repeating: nil, count: discovery.files.count))
    forEachConcurrently(count: discovery.files.count) { index in
        let outcome: Result<PromptTrendOutcome, GitError>
        do throws(GitError) {
            outcome = .success(try walk.trend(of: discovery.files[index]))
        } catch {
            outcome = .failure(error)
        }
        outcomes.withLock { $0[index] = outcome }
    }
    var prompts: [PromptTrend] = []
    for outcome in outcomes.withLock({ $0 }) {
        switch outcome {
        case .success(.trend(let trend))?: prompts.append(trend)
        case .success(.problem(let problem))?: problems.append(problem)
        case .failure(let error)?: throw error
        case nil: continue
        }
    }
    return TrendReport(prompts: prompts, problems: problems)
}

/// One prompt's history, or why there is none.
private enum PromptTrendOutcome: Sendable {
    case trend(PromptTrend)
    case problem(String)
}

/// What the walks of all prompts share: the request, the token counters, and per-folder lookups.
private final class TrendWalk: Sendable {
    let request: TrendRequest
    let counters = TokenCounters()
    private let roots = Locked<[String: Result<String, GitError>]>([:])
    private let sinceChecked = Locked<[String: Bool]>([:])
    private let configurations = Locked<[String: Configuration]>([:])

    init(request: TrendRequest) { self.request = request }

    /// The repository root holding `folder`, asked of git once per folder.
    private func repositoryRoot(containing folder: String) throws(GitError) -> String {
        if let known = roots.withLock({ $0[folder] }) { return try known.get() }
        let result: Result<String, GitError>
        do {
            result = .success(try request.git.repositoryRoot(containing: folder))
        } catch {
            result = .failure(error)
        }
        roots.withLock { $0[folder] = result }
        return try result.get()
    }

    /// Whether `--since` names a commit in the repository at `root`, asked once per repository.
    private func sinceIsCommit(_ since: String, root: String) throws(GitError) -> Bool {
        if let known = sinceChecked.withLock({ $0[root] }) { return known }
        let isCommit = try PromptCheck.isCommit(since, root: root, git: request.git)
        sinceChecked.withLock { $0[root] = isCommit }
        return isCommit
    }

    /// The work tree's nearest `.tokenmin.yml` over the request's configuration, once per folder.
    private func configuration(forFolder folder: String) -> Configuration {
        if let known = configurations.withLock({ $0[folder] }) { return known }
        let loaded = nearestConfigurationFile(from: folder, files: nil)
            .map { loadConfiguration(at: $0, over: request.baseConfiguration, files: nil).configuration }
        let configuration = loaded ?? request.baseConfiguration
        configurations.withLock { $0[folder] = configuration }
        return configuration
    }

    func trend(of file: String) throws(GitError) -> PromptTrendOutcome {
        let absolute = absolutePath(file)
        let folder = parentFolder(of: absolute)
        let root = try repositoryRoot(containing: folder)
        let real = ((folder as NSString).resolvingSymlinksInPath as NSString).appendingPathComponent(
            (absolute as NSString).lastPathComponent)
        guard let relative = relativePath(real, under: root) else {
            return .problem("\(file): not inside the repository at \(root)")
        }
        if let since = request.since, try !sinceIsCommit(since, root: root) {
            throw .failed(command: "git rev-parse \(since)", message: "unknown revision '\(since)'")
        }
        let revisions = try promptRevisions(of: relative, since: request.since, root: root, git: request.git)
        guard !revisions.isEmpty else {
            return .problem(
                "\(file): no commits\(request.since.map { " since \($0)" } ?? "") (not in the git history)")
        }
        let configuration = configuration(forFolder: parentFolder(of: real))
        let resolveModel = request.makeModelResolver(configuration)
        var trend = PromptTrend(path: relative, absolutePath: canonicalPath(absolute), points: [], notes: [])
        for revision in revisions {
            guard
                let data = try fileContents(revision.path, at: revision.commit, root: root, git: request.git)
            else {
                trend.notes.append("\(revision.commit.prefix(7)): \(revision.path) not found in the commit")
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                trend.notes.append("\(revision.commit.prefix(7)): not valid UTF-8 text")
                continue
            }
            let analysis = analyzeDocument(
                AnalysisInput(
                    text: text, path: (root as NSString).appendingPathComponent(revision.path),
                    configuration: configuration,
                    resolveModel: resolveModel,
                    resolvePartial: partialsAtRevision(
                        revision.commit, root: root, git: request.git,
                        extraFolders: configuration.partialFolders),
                    counters: counters))
            let cost = analysis.cost
            trend.points.append(
                TrendPoint(
                    commit: revision.commit, date: revision.date, subject: revision.subject,
                    path: revision.path,
                    inputTokens: cost.inputTokens, outputTokens: cost.outputTokens,
                    usdPerCall: cost.usdPerCall, isExact: cost.isExact,
                    model: cost.modelID ?? cost.modelName, isEstimate: cost.isEstimate,
                    hasUnresolvedInputs: !cost.unresolvedVariables.isEmpty))
        }
        return .trend(trend)
    }
}

/// Runs `body` for every index in `0..<count` on as many threads as there are cores, and returns when
/// all are done. Plain threads rather than Dispatch's pool: a body that waits for a process (git) must
/// not hold a pool thread that the process's pipe readers need.
func forEachConcurrently(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let next = Locked(0)
    let group = DispatchGroup()
    let threads = max(1, min(count, ProcessInfo.processInfo.activeProcessorCount))
    for _ in 0..<threads {
        group.enter()
        let thread = Thread {
            while true {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < count else { break }
                body(index)
            }
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

/// Partials as they were in `commit`: `_name.prompt` beside the referring file (or in the configured
/// folders), read with `git show`. Names that leave the repository are refused, never read.
func partialsAtRevision(_ commit: String, root: String, git: GitTool, extraFolders: [String])
    -> PartialResolver
{
    { name, fromPath in
        guard let fromPath else { return .missing(searched: []) }
        let candidates = partialCandidates(
            named: name, from: parentFolder(of: fromPath), extraFolders: extraFolders)
        for candidate in candidates {
            guard let relative = relativePath((candidate as NSString).standardizingPath, under: root) else {
                return .refused(reason: "the path leaves the repository")
            }
            if let data = try? fileContents(relative, at: commit, root: root, git: git) {
                return .found(
                    path: (root as NSString).appendingPathComponent(relative),
                    text: String(decoding: data, as: UTF8.self))
            }
        }
        return .missing(searched: candidates)
    }
}

func absolutePath(_ path: String) -> String {
    let absolute =
        path.hasPrefix("/")
        ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    return (absolute as NSString).standardizingPath
}

/// `path` relative to `root`, nil when it is outside.
func relativePath(_ path: String, under root: String) -> String? {
    let prefix = root.hasSuffix("/") ? root : root + "/"
    guard path.hasPrefix(prefix) else { return nil }
    return String(path.dropFirst(prefix.count))
}

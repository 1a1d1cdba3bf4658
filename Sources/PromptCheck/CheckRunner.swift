import Dispatch
import Foundation
import PromptAnalysis
import PromptText

/// What `tokenmin check` (and `count`) analyse and how.
public struct CheckRequest: Sendable {
    /// Files and folders; `-` is standard input (analysed as `<stdin>` in the current directory: its
    /// nearest `.tokenmin.yml` and partials apply).
    public var paths: [String]
    /// Reads all of standard input, for a `-` among the paths.
    public var readStandardInput: @Sendable () -> Data
    /// Defaults plus command-line settings; each file's nearest `.tokenmin.yml` applies over it.
    public var baseConfiguration: Configuration
    /// Builds the model resolver for a configuration (its catalog and price overrides).
    public var makeModelResolver: @Sendable (Configuration) -> ModelResolver
    /// Workspace roots: files are only read inside them (default: the current directory and the paths).
    public var roots: [String]
    /// Calls per month for a file (its canonical path), applied over its `.tokenmin.yml` and under its own
    /// `metadata.tokenmin.volume`: `report --volume-file`. Nil for a file leaves its configured volume.
    public var callsPerMonthForFile: (@Sendable (_ canonicalPath: String) -> Decimal?)?
    /// Whether the run hands back every file's `DocumentAnalysis` (for `--fix`, `count`, reports).
    /// Without them a run's memory is bounded by its reports: each analysis is dropped as soon as its
    /// file's report is made, and a report keeps only the text its findings' positions need.
    public var keepsAnalyses = true
    /// Whether the run makes each analysed prompt's row of the workspace report (`report --format
    /// html`) while its analysis is alive, in `CheckRun.promptSummaries`: with `keepsAnalyses` off the
    /// report then needs no analysis kept, and the rows are made on every core.
    public var summarizesPrompts = false
    /// Called after each file is analysed, with the number done and the total, from any thread.
    public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    public init(
        paths: [String], baseConfiguration: Configuration = Configuration(),
        makeModelResolver: @escaping @Sendable (Configuration) -> ModelResolver = { _ in uncataloguedModelResolver },
        roots: [String]? = nil, readStandardInput: @escaping @Sendable () -> Data = { Data() }
    ) {
        self.paths = paths
        self.readStandardInput = readStandardInput
        self.baseConfiguration = baseConfiguration
        self.makeModelResolver = makeModelResolver
        self.roots = roots ?? ([FileManager.default.currentDirectoryPath] + paths.filter { $0 != standardInputPath }.map { path in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            return isDirectory.boolValue ? path : parentFolder(of: path)
        })
    }
}

/// The analyses of a check run, in path order (deterministic whatever the scheduling).
public struct CheckRun: Sendable {
    public var result: CheckResult
    public var analyses: [DocumentAnalysis]
    /// With `CheckRequest.summarizesPrompts`: each analysed prompt's row of the workspace report, in
    /// the order of the reports with a cost (as `analyses`).
    public var promptSummaries: [WorkspacePromptSummary] = []
}

/// Runs the analysis over every prompt file under `request.paths`, using all cores. Unreadable and
/// non-UTF-8 files become findings of those files; the run continues.
public func runCheck(_ request: CheckRequest) -> CheckRun {
    let files = WorkspaceFiles(roots: request.roots.map { $0.isEmpty ? "." : $0 })
    // Ignore globs come from the configuration nearest the current directory (the project's).
    let projectConfiguration = nearestConfigurationFile(from: FileManager.default.currentDirectoryPath, files: files)
        .map { loadConfiguration(at: $0, over: request.baseConfiguration, files: files) }
    let discovery = discoverPromptFiles(in: request.paths.filter { $0 != standardInputPath },
                                        ignore: projectConfiguration?.configuration.ignore ?? request.baseConfiguration.ignore)
    let counters = TokenCounters()
    let configurations = ConfigurationCache(base: request.baseConfiguration, files: files)
    var fileReports: [FileReport] = []
    var analyses: [DocumentAnalysis] = []
    var summaries: [WorkspacePromptSummary] = []
    if request.paths.contains(standardInputPath) {
        let (report, analysis) = analyzeStandardInput(request.readStandardInput(), files: files, configurations: configurations,
                                                      counters: counters, makeModelResolver: request.makeModelResolver)
        fileReports.append(report)
        if let analysis {
            analyses.append(analysis)
            if request.summarizesPrompts { summaries.append(summarizeForWorkspaceReport(report, analysis)) }
        }
    }

    typealias Analysed = (report: FileReport, analysis: DocumentAnalysis?, summary: WorkspacePromptSummary?)
    let total = discovery.files.count
    let reports = Locked<[Analysed?]>(Array(repeating: nil, count: total))
    let done = Locked(0)
    DispatchQueue.concurrentPerform(iterations: total) { index in
        let path = discovery.files[index]
        var (report, analysis) = analyzeFile(
            path, files: files, configurations: configurations, counters: counters,
            makeModelResolver: request.makeModelResolver, callsPerMonth: request.callsPerMonthForFile)
        let summary = request.summarizesPrompts ? analysis.map { summarizeForWorkspaceReport(report, $0) } : nil
        if !request.keepsAnalyses {
            report = report.compacted()
            analysis = nil
        }
        reports.withLock { $0[index] = (report, analysis, summary) }
        if let progress = request.progress {
            progress(done.withLock { count in
                count += 1
                return count
            }, total)
        }
    }
    let ordered = reports.withLock { all in discovery.files.indices.compactMap { all[$0] } }
    fileReports += ordered.map(\.report)
    fileReports += configurations.reportsWithFindings()
    analyses += ordered.compactMap(\.analysis)
    summaries += ordered.compactMap(\.summary)
    return CheckRun(result: CheckResult(reports: fileReports, problems: discovery.problems), analyses: analyses,
                    promptSummaries: summaries)
}

/// The path argument that means standard input.
public let standardInputPath = "-"
/// How reports name standard input.
public let standardInputDisplayName = "<stdin>"

/// Standard input analysed as a file named `<stdin>` in the current directory, with the same size and
/// encoding checks as files.
private func analyzeStandardInput(
    _ data: Data, files: WorkspaceFiles, configurations: ConfigurationCache, counters: TokenCounters,
    makeModelResolver: @Sendable (Configuration) -> ModelResolver
) -> (FileReport, DocumentAnalysis?) {
    let name = standardInputDisplayName
    let path = canonicalPath(FileManager.default.currentDirectoryPath) + "/" + name
    let configuration = configurations.configuration(forFileAt: path)
    guard data.count <= files.maximumFileBytes else {
        return (unreadable(name, message: readErrorMessage(.tooLarge(name, bytes: data.count)), configuration: configuration), nil)
    }
    guard let text = String(data: data, encoding: .utf8) else {
        return (unreadable(name, message: "the input is not valid UTF-8 text", configuration: configuration), nil)
    }
    let analysis = analyzeDocument(AnalysisInput(
        text: text, path: path, configuration: configuration, resolveModel: makeModelResolver(configuration),
        resolvePartial: workspacePartialResolver(files: files, extraFolders: configuration.partialFolders), counters: counters))
    return (analysis.fileReport(path: name), analysis)
}

private func analyzeFile(
    _ path: String, files: WorkspaceFiles, configurations: ConfigurationCache, counters: TokenCounters,
    makeModelResolver: @Sendable (Configuration) -> ModelResolver,
    callsPerMonth: (@Sendable (String) -> Decimal?)?
) -> (FileReport, DocumentAnalysis?) {
    // Resolved once (each resolution is a system call per path component).
    let canonical = canonicalPath(path)
    var configuration = configurations.configuration(forCanonicalPath: canonical)
    let data: Data
    switch files.read(path) {
    case .success(let contents): data = contents
    case .failure(let error):
        return (unreadable(path, message: readErrorMessage(error), configuration: configuration), nil)
    }
    guard let text = String(data: data, encoding: .utf8) else {
        return (unreadable(path, message: "the file is not valid UTF-8 text", configuration: configuration), nil)
    }
    if let calls = callsPerMonth?(canonical) { configuration.callsPerMonth = calls }
    let analysis = analyzeDocument(AnalysisInput(
        text: text, path: canonical, configuration: configuration, resolveModel: makeModelResolver(configuration),
        resolvePartial: workspacePartialResolver(files: files, extraFolders: configuration.partialFolders), counters: counters,
        sampleData: siblingSampleInput(for: path, files: files)))
    return (analysis.fileReport(path: path), analysis)
}

extension FileReport {
    /// The report with its text cut after the last line any of its positions (findings, related
    /// locations, fix edits) falls on: reporters print line and column from that prefix alone, so
    /// the output is unchanged while a run over many files keeps only what it will print.
    func compacted() -> FileReport {
        var end = 0
        for finding in findings {
            end = max(end, finding.range.end)
            for related in finding.related { end = max(end, related.range.end) }
            for fix in finding.fixes {
                for edit in fix.edits { end = max(end, edit.range.end) }
            }
        }
        var copy = self
        if findings.isEmpty {
            copy.lineIndex = LineIndex(utf8: [])
            return copy
        }
        let bytes = lineIndex.utf8
        guard end < bytes.count else { return self }
        // Keep through that line and its terminator, so that every offset up to the cut (even one
        // between CR and LF) falls on the same line and column as in the whole text.
        while end < bytes.count && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
        if end < bytes.count && bytes[end] == 0x0D { end += 1 }
        if end < bytes.count && bytes[end] == 0x0A { end += 1 }
        copy.lineIndex = LineIndex(utf8: Array(bytes[..<end]))
        return copy
    }
}

/// The report of a file that cannot be analysed: an `unreadable-file` finding at the severity the
/// file's configuration gives the rule (none when it is off).
private func unreadable(_ path: String, message: String, configuration: Configuration) -> FileReport {
    let descriptor = UnreadableFileRule.descriptor
    let findings = configuration.severity(of: descriptor).map { severity in
        [Finding(ruleID: descriptor.id, severity: severity, message: message, range: .empty(at: 0))]
    } ?? []
    return FileReport(path: path, lineIndex: LineIndex(""), findings: findings, cost: nil)
}

private func readErrorMessage(_ error: WorkspaceFiles.ReadError) -> String {
    switch error {
    case .outsideWorkspace: "the file is outside the workspace roots"
    case .notFound: missingPathMessage
    case .tooLarge(_, let bytes): "the file is \(bytes) bytes, over the \(WorkspaceFiles.defaultMaximumFileBytes)-byte analysis limit"
    case .unreadable: "the file cannot be read (permissions?)"
    }
}

/// The nearest `.tokenmin.yml` per folder, loaded once; its problems become a report of that file.
final class ConfigurationCache: Sendable {
    private let base: Configuration
    private let files: WorkspaceFiles
    private let loaded = Locked<[String: LoadedConfiguration]>([:])
    /// The nearest configuration file per folder (nil: none), so that the files of one folder search
    /// the folders above it once.
    private let nearest = Locked<[String: String?]>([:])

    init(base: Configuration, files: WorkspaceFiles) {
        self.base = base
        self.files = files
    }

    func configuration(forFileAt path: String) -> Configuration {
        configuration(forCanonicalPath: canonicalPath(path))
    }

    func configuration(forCanonicalPath path: String) -> Configuration {
        let folder = parentFolder(of: path)
        let configPath: String?
        if let cached = nearest.withLock({ $0[folder] }) {
            configPath = cached
        } else {
            configPath = nearestConfigurationFile(from: folder, files: files)
            nearest.withLock { $0[folder] = configPath }
        }
        guard let configPath else { return base }
        if let cached = loaded.withLock({ $0[configPath] }) { return cached.configuration }
        let configuration = loadConfiguration(at: configPath, over: base, files: files)
        loaded.withLock { $0[configPath] = configuration }
        return configuration.configuration
    }

    /// Reports for configuration files that have problems, sorted by path.
    func reportsWithFindings() -> [FileReport] {
        loaded.withLock { loaded in
            loaded.values.filter { !$0.findings.isEmpty }.sorted { ($0.path ?? "") < ($1.path ?? "") }.map {
                FileReport(path: relativePath($0.path ?? ""), lineIndex: LineIndex($0.text), findings: $0.findings, cost: nil,
                           isConfiguration: true)
            }
        }
    }
}

/// `path` relative to the current directory when it is inside it (reports stay portable).
func relativePath(_ path: String) -> String {
    let current = canonicalPath(FileManager.default.currentDirectoryPath)
    return path.hasPrefix(current + "/") ? String(path.dropFirst(current.count + 1)) : path
}

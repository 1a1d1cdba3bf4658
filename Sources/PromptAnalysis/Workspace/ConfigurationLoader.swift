import Foundation
import PromptSyntax
import PromptText

/// A `.tokenmin.yml` file read and applied over a base configuration, with its problems as findings
/// (positioned in the configuration file).
public struct LoadedConfiguration: Sendable {
    public var configuration: Configuration
    public var path: String?
    public var text: String
    public var findings: [Finding]
}

/// Reads the configuration file at `path` (through `files`, so it never reads outside the workspace)
/// and applies it over `base`. Relative paths in it (`catalog`, `partials`) are made absolute.
public func loadConfiguration(at path: String, over base: Configuration, files: WorkspaceFiles?) -> LoadedConfiguration {
    let data: Data
    switch files?.read(path) ?? (FileManager.default.contents(atPath: path).map { .success($0) } ?? .failure(.notFound(path))) {
    case .success(let contents): data = contents
    case .failure(let error):
        return LoadedConfiguration(configuration: base, path: path, text: "", findings: [
            Finding(ruleID: InvalidConfiguration.descriptor.id, severity: .error, message: "cannot read configuration: \(error)", range: .empty(at: 0))
        ])
    }
    let text = String(decoding: data, as: UTF8.self)
    var configuration = base
    let yaml = parseYAML(text)
    var findings = yaml.diagnostics.map {
        Finding(ruleID: InvalidConfiguration.descriptor.id, severity: .error, message: $0.message, range: $0.range)
    }
    if let root = yaml.root {
        findings += configuration.apply(settingsValue(root)).map {
            Finding(ruleID: InvalidConfiguration.descriptor.id, severity: .error, message: $0.message, range: $0.range ?? .empty(at: 0))
        }
    }
    configuration.reapplyCommandLine()
    let folder = parentFolder(of: path)
    configuration.configurationFolder = canonicalPath(folder)
    if let catalog = configuration.catalogPath, !catalog.hasPrefix("/") {
        configuration.catalogPath = (folder as NSString).appendingPathComponent(catalog)
    }
    configuration.partialFolders = configuration.partialFolders.map { $0.hasPrefix("/") ? $0 : (folder as NSString).appendingPathComponent($0) }
    // Tokenizer files are loaded now, so that a missing, malformed or unsupported file is an error on
    // the configuration (naming the file), not a silent estimate later. Files outside the workspace
    // are never read.
    let configurationFindingRange = yaml.root.flatMap { root -> UTF8Range? in
        guard case .mapping(let entries, _) = settingsValue(root) else { return nil }
        return entries.first { $0.key == "tokenizers" }?.keyRange ?? nil
    } ?? .empty(at: 0)
    for index in configuration.tokenizerFiles.indices {
        var setting = configuration.tokenizerFiles[index]
        if !setting.path.hasPrefix("/") { setting.path = (folder as NSString).appendingPathComponent(setting.path) }
        if let files, !files.contains(setting.path) {
            setting.loadError = "\(setting.path): outside the workspace, not read"
        } else {
            setting.load()
        }
        if let error = setting.loadError {
            findings.append(Finding(
                ruleID: InvalidConfiguration.descriptor.id, severity: .error,
                message: "tokenizer for '\(setting.model)' not loaded: \(error)", range: configurationFindingRange))
        }
        configuration.tokenizerFiles[index] = setting
    }
    return LoadedConfiguration(configuration: configuration, path: path, text: text, findings: findings)
}

/// A partial resolver confined to the workspace: `_name.prompt` beside the referring file, then the
/// configured partial folders. Names that would leave the workspace are refused, never read.
public func workspacePartialResolver(files: WorkspaceFiles, extraFolders: [String]) -> PartialResolver {
    { name, fromPath in
        guard let fromPath else { return .missing(searched: []) }
        let folder = parentFolder(of: fromPath)
        let candidates = partialCandidates(named: name, from: folder, extraFolders: extraFolders)
        for candidate in candidates {
            switch files.read(candidate) {
            case .success(let data): return .found(path: canonicalPath(candidate), text: String(decoding: data, as: UTF8.self))
            case .failure(.outsideWorkspace): return .refused(reason: "the path leaves the workspace")
            case .failure(.tooLarge(_, let bytes)): return .refused(reason: "the file is \(bytes) bytes, over the \(files.maximumFileBytes)-byte limit")
            case .failure: continue
            }
        }
        return .missing(searched: candidates)
    }
}

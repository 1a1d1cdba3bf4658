import PromptSyntax
import PromptText

/// Inline suppressions, written as Handlebars comments (which cost zero tokens):
/// `{{! tokenmin-disable-next-line politeness, scaffolding }}` silences those rules on the next line;
/// `{{! tokenmin-disable politeness }}` silences them in the whole file. Without ids, every rule.
public struct Suppressions: Sendable, Equatable {
    /// Rules silenced in the whole file; `nil` entry means all rules.
    public var fileWide: Set<String> = []
    public var fileWideAll = false
    /// Zero-based line → rules silenced on it (empty set: all rules).
    public var lines: [Int: Set<String>] = [:]
    /// Suppression ids that name no rule, with their ranges (reported by `invalid-suppression`).
    public var unknown: [(id: String, range: UTF8Range)] = []

    public static func == (lhs: Suppressions, rhs: Suppressions) -> Bool {
        lhs.fileWide == rhs.fileWide && lhs.fileWideAll == rhs.fileWideAll && lhs.lines == rhs.lines
            && lhs.unknown.map(\.id) == rhs.unknown.map(\.id) && lhs.unknown.map(\.range) == rhs.unknown.map(\.range)
    }

    public func isSuppressed(_ finding: Finding, lineIndex: LineIndex) -> Bool {
        if fileWideAll || fileWide.contains(finding.ruleID) { return true }
        let line = lineIndex.line(containingUTF8Offset: finding.range.start)
        guard let rules = lines[line] else { return false }
        return rules.isEmpty || rules.contains(finding.ruleID)
    }
}

/// Finds suppression comments in the syntax tree: the template's Handlebars comments (`{{! … }}`,
/// `{{!-- … --}}`), which Dotprompt drops, and YAML comment lines of the frontmatter (where Handlebars
/// comments are not allowed). A body line `# tokenmin-disable …` is text sent to the model and does
/// not suppress, nor does a `#` line inside a YAML block or quoted scalar, nor a comment-like text in a
/// raw block.
public func parseSuppressions(in document: PromptDocument, lineIndex: LineIndex, knownIDs: Set<String>) -> Suppressions {
    var result = Suppressions()
    let bytes = lineIndex.utf8
    for node in document.template.nodes {
        guard case .comment(let comment) = node.content else { continue }
        apply(comment: comment.contentRange.start..<comment.contentRange.end, commentEnd: node.range.end, bytes: bytes,
              lineIndex: lineIndex, knownIDs: knownIDs, into: &result)
    }
    guard let frontmatter = document.frontmatter, frontmatter.contentRange.end <= bytes.count else { return result }
    var scalars: [UTF8Range] = []
    func collectScalars(_ node: YAMLNode) {
        switch node.content {
        case .scalar: if !node.range.isEmpty { scalars.append(node.range) }
        case .mapping(let pairs): for pair in pairs { collectScalars(pair.key); collectScalars(pair.value) }
        case .sequence(let items): items.forEach(collectScalars)
        }
    }
    frontmatter.root.map(collectScalars)
    let firstLine = lineIndex.line(containingUTF8Offset: frontmatter.contentRange.start)
    let lastLine = lineIndex.line(containingUTF8Offset: frontmatter.contentRange.end)
    for line in firstLine...lastLine {
        let range = lineIndex.utf8Range(ofLine: line)
        var start = max(range.start, frontmatter.contentRange.start)
        let end = min(range.end, frontmatter.contentRange.end)
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        guard start < end, bytes[start] == 0x23, !scalars.contains(where: { $0.contains(start) }) else { continue }
        apply(comment: (start + 1)..<end, commentEnd: end, bytes: bytes, lineIndex: lineIndex, knownIDs: knownIDs, into: &result)
    }
    return result
}

private func apply(
    comment: Range<Int>, commentEnd: Int, bytes: [UInt8], lineIndex: LineIndex, knownIDs: Set<String>,
    into result: inout Suppressions
) {
    // Words of the comment with their offsets; ids may be separated by spaces or commas.
    var words: [(String, UTF8Range)] = []
    var start: Int?
    for offset in comment.lowerBound...comment.upperBound {
        let byte = offset < comment.upperBound ? bytes[offset] : 0x20
        let separator = byte == 0x20 || byte == 0x2C || byte == 0x0A || byte == 0x0D || byte == 0x09
        if separator, let wordStart = start {
            words.append((String(decoding: bytes[wordStart..<offset], as: UTF8.self), UTF8Range(start: wordStart, end: offset)))
            start = nil
        } else if !separator && start == nil {
            start = offset
        }
    }
    guard let directive = words.first?.0, directive == "tokenmin-disable" || directive == "tokenmin-disable-next-line" else {
        return
    }
    var ids: Set<String> = []
    for (id, range) in words.dropFirst() {
        if knownIDs.contains(id) { ids.insert(id) } else { result.unknown.append((id, range)) }
    }
    let namedUnknownOnly = ids.isEmpty && words.count > 1
    if namedUnknownOnly { return }
    if directive == "tokenmin-disable" {
        if ids.isEmpty { result.fileWideAll = true } else { result.fileWide.formUnion(ids) }
    } else {
        let line = lineIndex.line(containingUTF8Offset: commentEnd) + 1
        if ids.isEmpty {
            result.lines[line] = []
        } else if result.lines[line] != [] {
            result.lines[line, default: []].formUnion(ids)
        }
    }
}

/// `invalid-suppression`: a suppression comment naming a rule that does not exist (a typo silences
/// nothing, so it is reported rather than ignored).
enum InvalidSuppression {
    static let descriptor = RuleDescriptor(
        id: "invalid-suppression", category: .template, defaultSeverity: .warning,
        summary: "A suppression comment names a rule id that does not exist.",
        explanation: """
            `{{! tokenmin-disable-next-line politness }}` silences nothing: the id is misspelled. \
            Rule ids are listed by `tokenmin rules`.
            """,
        example: RuleExample(flagged: "{{! tokenmin-disable-next-line politness }}\nPlease summarize {{ticket}}.\n", fixed: "{{! tokenmin-disable-next-line politeness }}\nPlease summarize {{ticket}}.\n"))
}

/// Applies configured severities (dropping rules that are off) and inline suppressions, and adds
/// `invalid-suppression` findings for unknown ids.
public func applyConfiguration(
    to findings: [Finding], configuration: Configuration, suppressions: Suppressions, lineIndex: LineIndex
) -> [Finding] {
    var result: [Finding] = []
    for var finding in findings {
        guard let descriptor = RuleRegistry.descriptor(for: finding.ruleID) else { continue }
        if let configured = configuration.ruleSeverities[finding.ruleID] {
            guard let configured else { continue }  // the rule is off
            // A rule may report a finding below its default (a test key, published test data): that
            // finding stays below the configured level rather than being raised to it.
            finding.severity = finding.severity < descriptor.defaultSeverity ? min(finding.severity, configured) : configured
        }
        if suppressions.isSuppressed(finding, lineIndex: lineIndex) { continue }
        result.append(finding)
    }
    if let severity = configuration.severity(of: InvalidSuppression.descriptor) {
        for (id, range) in suppressions.unknown {
            var message = "unknown rule '\(id)' in suppression"
            if let suggestion = closestMatch(to: id, in: RuleRegistry.descriptors.map(\.id)) { message += "; did you mean '\(suggestion)'?" }
            result.append(Finding(ruleID: InvalidSuppression.descriptor.id, severity: severity, message: message, range: range))
        }
    }
    return result.sorted { ($0.range.start, $0.range.end, $0.ruleID) < ($1.range.start, $1.range.end, $1.ruleID) }
}

import Dotprompt
import Foundation
import Pricing
import PromptSyntax
import PromptText
import Tokenizer

/// The token counters of a session, one per encoding, sharing their chunk caches across analyses (so
/// re-analysing an edited document re-tokenizes only what changed).
public final class TokenCounters: Sendable {
    private let counters = Locked<[EncodingName: TokenCounter]>([:])
    private let tokenizerCounters = Locked<[GenericTokenizer: TokenCounter]>([:])
    /// Memoized local-rule findings per prose chunk, shared across the session's analyses.
    public let ruleMemo = RuleMemo()

    public init() {}

    public func counter(for encoding: EncodingName) -> TokenCounter {
        counters.withLock { counters in
            if let counter = counters[encoding] { return counter }
            let counter = TokenCounter(encoding)
            counters[encoding] = counter
            return counter
        }
    }

    /// The counter for a model: its own tokenizer when it has one, else its encoding.
    public func counter(for model: ModelProfile) -> TokenCounter {
        guard let tokenizer = model.exactTokenizer else { return counter(for: model.encoding) }
        return tokenizerCounters.withLock { counters in
            if let counter = counters[tokenizer] { return counter }
            let counter = TokenCounter(tokenizer: tokenizer)
            counters[tokenizer] = counter
            return counter
        }
    }
}

/// How a partial reference resolved.
public enum PartialLookup: Sendable, Hashable {
    case found(path: String, text: String)
    /// Not found; the paths that were tried.
    case missing(searched: [String])
    /// Found but not read: outside the workspace, too large, unreadable.
    case refused(reason: String)
}

/// Resolves `{{> name}}` referenced from the file at `fromPath` (nil for an unsaved document).
public typealias PartialResolver = @Sendable (_ name: String, _ fromPath: String?) -> PartialLookup

/// A resolver that finds nothing (a document analysed without a workspace).
public let noPartials: PartialResolver = { _, _ in .missing(searched: []) }

/// Everything one analysis needs. Configuration is already merged (defaults, editor, `.tokenmin.yml`).
public struct AnalysisInput: Sendable {
    public var text: String
    public var path: String?
    public var configuration: Configuration
    public var resolveModel: ModelResolver
    public var resolvePartial: PartialResolver
    public var counters: TokenCounters
    /// Sample input values (a sibling `NAME.sample.json`), used with `input.default` and
    /// `metadata.tokenmin.sample` to render the call and count it exactly.
    public var sampleData: PlainValue?

    public init(
        text: String, path: String? = nil, configuration: Configuration = Configuration(),
        resolveModel: @escaping ModelResolver = uncataloguedModelResolver,
        resolvePartial: @escaping PartialResolver = noPartials, counters: TokenCounters = TokenCounters(),
        sampleData: PlainValue? = nil
    ) {
        self.sampleData = sampleData
        self.text = text
        self.path = path
        self.configuration = configuration
        self.resolveModel = resolveModel
        self.resolvePartial = resolvePartial
        self.counters = counters
    }
}

/// A message with its token count (static text plus the partials it includes).
public struct MessageReport: Sendable, Hashable {
    public var message: PromptMessage
    /// Tokens as billed (estimates already scaled), without chat framing.
    public var tokens: Int
    /// Input variables whose text is not counted ("+ ?").
    public var unresolvedVariables: [String]
}

/// A `{{> name}}` inclusion and what it costs.
public struct PartialUse: Sendable, Hashable {
    public var name: String
    public var range: UTF8Range
    public var path: String?
    /// Tokens of the partial's static text (billed), when it was found.
    public var tokens: Int?
    /// When the partial switches roles (`{{role "system"}}` inside it): the messages it opens, with
    /// their billed tokens, in order. Its text before the first marker stays in the including message.
    public var openedMessages: [(role: String, tokens: Int)] = []
    /// Whether the partial (with the partials it includes) is static text only: no expression, block
    /// or role marker, so it renders the same on every call and can be part of a cached prefix.
    public var isStatic = false

    public static func == (lhs: PartialUse, rhs: PartialUse) -> Bool {
        lhs.name == rhs.name && lhs.range == rhs.range && lhs.path == rhs.path && lhs.tokens == rhs.tokens
            && lhs.isStatic == rhs.isStatic
            && lhs.openedMessages.map(\.role) == rhs.openedMessages.map(\.role)
            && lhs.openedMessages.map(\.tokens) == rhs.openedMessages.map(\.tokens)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(range)
        hasher.combine(tokens)
    }
}

/// The analysis of one document: an immutable snapshot that the editor features and `check` read.
public struct DocumentAnalysis: Sendable {
    public let text: String
    public let path: String?
    public let lineIndex: LineIndex
    public let document: PromptDocument
    public let model: ModelProfile
    public let messages: [MessageReport]
    public let partials: [PartialUse]
    public let cost: PromptCost
    public let findings: [Finding]
    /// Tokens of the static prefix (up to the first input, partial or history), cacheable by providers.
    public let staticPrefixTokens: Int
    public let configuration: Configuration
    /// Instruction prose (examples excluded), as fixes and refactors read it.
    public let proseSegmentsForFixes: [ProseSegment]
    /// Counts text as the model is billed (the counter shares the session's cache).
    public let countTokens: @Sendable (String) -> Int

    /// The same analysis with other findings (a code action lists the ones it resolves).
    public func with(findings: [Finding]) -> DocumentAnalysis {
        DocumentAnalysis(text: text, path: path, lineIndex: lineIndex, document: document, model: model, messages: messages,
                         partials: partials, cost: cost, findings: findings, staticPrefixTokens: staticPrefixTokens,
                         configuration: configuration, proseSegmentsForFixes: proseSegmentsForFixes, countTokens: countTokens)
    }

    public func fileReport(path: String) -> FileReport {
        FileReport(path: path, lineIndex: lineIndex, findings: findings, cost: cost)
    }
}

/// The minimum cacheable prefix at OpenAI and Anthropic (1,024 tokens): shorter prefixes are not cached.
public let minimumCacheablePrefixTokens = 1024

/// Analyses one document: parse, count, price, run every rule, apply configuration and suppressions.
public func analyzeDocument(_ input: AnalysisInput) -> DocumentAnalysis {
    var configuration = input.configuration
    // `budgets:` globs that match this file apply over `budget:`; the prompt's own metadata over both.
    configuration.budget = configuration.budget(forFileAt: input.path)
    let document = parsePromptDocument(input.text)
    let lineIndex = LineIndex(utf8: Array(input.text.utf8))
    let view = makeTemplateView(document)
    var facts = frontmatterFacts(document)
    var configurationFindings: [Finding] = []
    if let metadata = facts.tokenminMetadata {
        for problem in configuration.apply(metadata) {
            configurationFindings.append(Finding(
                ruleID: InvalidConfiguration.descriptor.id, severity: InvalidConfiguration.descriptor.defaultSeverity,
                message: "metadata.tokenmin: \(problem.message)", range: problem.range ?? .empty(at: 0)))
        }
        configuration.reapplyCommandLine()
    }
    facts.resolveNamedSchemas(configuration.schemas)
    let model = input.resolveModel(facts.model?.name ?? configuration.defaultModel)
    let counter = input.counters.counter(for: model)
    let count: (String) -> Int = { counter.count($0) }

    // Partials: static tokens of each inclusion, with cycles and missing files found on the way.
    var partialFindings: [Finding] = []
    var partials: [PartialUse] = []
    for reference in view.references.partials {
        guard let name = reference.name else { continue }
        let resolved = resolvePartialTokens(name: name, from: input.path, resolver: input.resolvePartial, count: count,
                                            chain: [input.path ?? "(this document)"])
        var use = PartialUse(name: name, range: reference.range, path: resolved.path, tokens: resolved.tokens.map(model.billed))
        use.openedMessages = resolved.openedMessages.map { ($0.role, model.billed($0.tokens)) }
        use.isStatic = resolved.isStatic
        partials.append(use)
        if let problem = resolved.problem {
            partialFindings.append(Finding(ruleID: problem.rule, severity: .error, message: problem.message, range: reference.range))
        }
    }

    // Counts per message (static text + included partials), framing, and unresolved inputs.
    // Inputs with a value: `input.default`, `metadata.tokenmin.sample`, the sibling sample file.
    var defaults = Set(facts.inputDefaults.keys)
    for sample in [document.frontmatter?.root?.value(at: ["metadata", "tokenmin", "sample"])?.plainValue, input.sampleData] {
        if case .object(let members)? = sample { defaults.formUnion(members.map(\.key)) }
    }
    var messages = view.messages.flatMap { message -> [MessageReport] in
        let included = partials.filter { message.contentRange.touches($0.range.start) }
        // A partial's own messages are not the including message's text (the rest stays with it).
        let partialTokens = included.map { max(0, ($0.tokens ?? 0) - $0.openedMessages.reduce(0) { $0 + $1.tokens }) }.reduce(0, +)
        let staticTokens = message.staticParts.reduce(0) { $0 + count($1) }
        let report = MessageReport(message: message, tokens: model.billed(staticTokens) + partialTokens,
                                   unresolvedVariables: message.variables.filter { !defaults.contains($0) })
        guard let switching = included.first(where: { !$0.openedMessages.isEmpty }) else { return [report] }
        return splitAtRoleSwitchingPartial(report, partial: switching, pieces: view.pieces, count: { model.billed(count($0)) },
                                           defaults: defaults)
    }
    // With values for every input, render the call and count what is actually sent (exact).
    var unresolved = view.variables.filter { !defaults.contains($0) }
    if !view.variables.isEmpty, let rendered = renderedCall(document, facts: facts, sample: input.sampleData, path: input.path,
                                                            resolvePartial: input.resolvePartial, configuration: configuration)
    {
        let counts = rendered.messages.map { message in
            message.content.reduce(0) { total, part in if case .text(let text) = part { total + count(text) } else { total } }
        }
        let templateMessages = messages.indices.filter { !messages[$0].message.isHistory }
        if counts.count == templateMessages.count {
            for (index, tokens) in zip(templateMessages, counts) {
                messages[index].tokens = model.billed(tokens)
                messages[index].unresolvedVariables = []
            }
            unresolved = []
        }
    }
    let counted = messages.filter { !$0.message.isHistory && ($0.tokens > 0 || $0.message.markerRange != nil) }
    // Tool definitions are sent with every call (an estimate: providers' exact serialisation is private).
    let tools = countToolDefinitions(
        declaredTools(in: document), model: model,
        options: ToolCountOptions(promptHasSystemMessage: messages.contains { $0.message.role == "system" }),
        countTokens: { model.billed(count($0)) })
    let overhead = counted.count * model.tokensPerMessage + model.replyPrimingTokens + tools.totalTokens
    let inputTokens = messages.reduce(0) { $0 + $1.tokens } + overhead
    // A thinking model bills its thinking as output (and counts it toward `maxOutputTokens`): with no
    // cap, the expected output is the answer plus the thinking budget the config sets.
    let thinks = model.isReasoning && facts.thinkingBudget != 0
    let outputTokens = facts.outputCap?.tokens ?? (configuration.outputTokens + (thinks ? facts.thinkingBudget ?? 0 : 0))
    let prefixTokens = staticPrefixTokens(view, partials: partials, count: { model.billed(count($0)) })

    let callsPerMonth = configuration.callsPerMonth
    var usdPerCall: Decimal?
    var cachedUSD: Decimal?
    if let inputPrice = model.inputPerToken, let outputPrice = model.outputPerToken {
        let call = Decimal(inputTokens) * inputPrice + Decimal(outputTokens) * outputPrice
        usdPerCall = call
        if model.supportsPromptCaching, let cacheRead = model.cacheReadPerToken, prefixTokens >= minimumCacheablePrefixTokens {
            cachedUSD = call - Decimal(prefixTokens) * (inputPrice - cacheRead)
        }
    }
    let cost = PromptCost(
        modelName: model.name, modelID: model.id, encoding: model.encodingLabel,
        isExactTokenizer: model.isExactTokenizer,
        messages: messages.map { MessageCount(role: $0.message.role, tokens: $0.tokens, range: $0.message.contentRange) },
        overheadTokens: overhead, inputTokens: inputTokens, unresolvedVariables: unresolved, outputTokens: outputTokens,
        outputIsDefault: facts.outputCap == nil, usdPerCall: usdPerCall, cachedUSDPerCall: cachedUSD,
        callsPerMonth: callsPerMonth, usdPerMonth: usdPerCall.flatMap { usd in callsPerMonth.map { usd * $0 } })
    var costWithTools = cost
    costWithTools.toolDefinitionTokens = tools.totalTokens

    // Rules.
    var options = configuration.ruleOptions
    options.allowedEmailDomains = configuration.allowedEmailDomains
    options.trustedVariables = configuration.trustedVariables
    // Inputs that carry user content: string inputs whose name or description says so.
    let userContent = facts.hasInputSchema
        ? Set(facts.inputSchema.filter { ($0.type ?? "string").hasPrefix("string") && carriesUserContent(name: $0.name, description: $0.description) }.map(\.name))
        : Set(view.variables.filter { carriesUserContent(name: $0, description: nil) })
    // When Dotprompt ignores the frontmatter, its YAML is sent as text; that is reported once as
    // `frontmatter-ignored`, not again sentence by sentence by the wording rules.
    let ignored = document.frontmatterFallback.map { $0.ignoredFrontmatter?.blockRange ?? $0.range }
    let prose = view.prose
    let context = RuleContext(
        text: input.text, prose: prose, countTokens: { model.billed(count($0)) },
        isReasoningModel: thinks, options: options, pieces: view.pieces,
        freeTextVariables: userContent)
    context.memo = input.counters.ruleMemo
    context.boundedTaskReason = facts.outputSchemaIsBounded
        ? "the output schema is a label" : boundedTaskReason(in: prose, words: context.words(of:), memo: context.memo)
    // Everything besides a segment's text that local rules' findings depend on.
    context.memoSalt = [model.encodingLabel, "\(model.estimateRatio)", "\(model.isExactTokenizer)", context.boundedTaskReason ?? "-",
                        "\(thinks)", options.allowedEmailDomains.joined(separator: ",")].joined(separator: "|")
    context.prompt = PromptFacts(
        document: document, view: view, frontmatter: facts, model: model, cost: costWithTools, configuration: configuration,
        partials: partials, staticPrefixTokens: prefixTokens)
    let ruleFindings = RuleRegistry.run(context).filter { finding in ignored.map { !$0.contains(finding.range.start) } ?? true }
    var findings = ruleFindings + syntaxFindings(document) + partialFindings + configurationFindings
    findings = frontmatterSafeFixes(findings, document: document, text: input.text)
    let suppressions = parseSuppressions(in: document, lineIndex: lineIndex, knownIDs: Set(RuleRegistry.descriptors.map(\.id)))
    findings = applyConfiguration(to: findings, configuration: configuration, suppressions: suppressions, lineIndex: lineIndex)
    var savingsTexts: [Int: String] = [:]
    findings = findings.map { finding in
        withSavings(finding, model: model, callsPerMonth: callsPerMonth, texts: &savingsTexts)
    }

    return DocumentAnalysis(
        text: input.text, path: input.path, lineIndex: lineIndex, document: document, model: model, messages: messages,
        partials: partials, cost: costWithTools, findings: findings, staticPrefixTokens: prefixTokens, configuration: configuration,
        proseSegmentsForFixes: prose.filter { segment in
            !segment.isExample && !(ignored?.contains(segment.utf8Start) ?? false)
        },
        countTokens: { [model] in model.billed(counter.count($0)) })
}

/// Words that mark an input as text from a user or a third party (rather than an identifier the
/// application controls, such as a version, a locale or a product name).
let userContentWords: Set<String> = [
    "question", "query", "message", "input", "text", "ticket", "review", "email", "mail", "request", "comment",
    "content", "prompt", "conversation", "chat", "reply", "feedback", "complaint", "transcript", "document", "doc",
    "post", "note", "answer", "body", "description", "utterance", "instruction", "search",
]

/// Whether an input carries user content, judged by the words of its name (`userQuestion`,
/// `ticket_text`) and of its schema description ("the customer's message").
func carriesUserContent(name: String, description: String?) -> Bool {
    var words: [String] = []
    var current = ""
    for character in name {
        if character == "_" || character == "-" || character == "." {
            words.append(current); current = ""
        } else if character.isUppercase && !current.isEmpty {
            words.append(current); current = String(character)
        } else {
            current.append(character)
        }
    }
    words.append(current)
    let described = description.map { scanWords($0).map(\.folded) } ?? []
    let all = (words + described).map { $0.lowercased() }
    return all.contains { word in userContentWords.contains(word) || userContentWords.contains(String(word.dropLast())) }
        || described.contains("user") || described.contains("customer")
}

/// The call rendered with sample values: `input.default`, then `metadata.tokenmin.sample`, then the
/// sibling `NAME.sample.json` (later wins). Nil when no sample exists, an input still lacks a value, or
/// rendering reports an error — counts then stay static text plus "+ ?".
private func renderedCall(
    _ document: PromptDocument, facts: FrontmatterFacts, sample: PlainValue?, path: String?, resolvePartial: @escaping PartialResolver,
    configuration: Configuration
) -> RenderResult? {
    let metadataSample = document.frontmatter?.root?.value(at: ["metadata", "tokenmin", "sample"])?.plainValue
    guard sample != nil || metadataSample != nil || !facts.inputDefaults.isEmpty else { return nil }
    var members: [PlainValue.Member] = []
    func merge(_ value: PlainValue?) {
        guard case .object(let entries)? = value else { return }
        for entry in entries {
            members.removeAll { $0.key == entry.key }
            members.append(entry)
        }
    }
    merge(metadataSample)
    merge(sample)
    let options = RenderOptions(
        resolvePartial: { name in
            if case .found(_, let text) = resolvePartial(name, path) { return text }
            return nil
        },
        schemas: configuration.schemas, externalHelpers: Set(configuration.helpers))
    let result = renderPrompt(document, input: RenderInput(data: .object(members)), options: options)
    guard result.unresolvedVariables.isEmpty, !result.hasErrors else { return nil }
    return result
}

/// The text a provider can cache: template text from the start up to the first input variable,
/// block, partial or history marker.
/// Billed tokens of the static prefix: the text before the first input, with the static partials
/// included there (a partial with expressions, blocks or role markers ends the prefix, as an input does).
func staticPrefixTokens(_ view: TemplateView, partials: [PartialUse], count: (String) -> Int) -> Int {
    var prefix = ""
    var partialTokens = 0
    scan: for piece in view.pieces {
        switch piece.kind {
        case .text(let text): prefix += text
        case .variable: break scan
        case .other:
            guard let use = partials.first(where: { piece.range.contains($0.range.start) }) else { continue }
            guard use.isStatic, let tokens = use.tokens else { break scan }
            partialTokens += tokens
        }
    }
    return count(prefix) + partialTokens
}

/// States what acting on a finding saves, in tokens and (when the model is priced) USD per call and
/// per month. `texts` keeps the wording per token count (USD formatting is costly; many findings
/// save the same number of tokens).
private func withSavings(_ finding: Finding, model: ModelProfile, callsPerMonth: Decimal?, texts: inout [Int: String]) -> Finding {
    guard let tokens = finding.tokenSavings, tokens > 0, !finding.message.contains("saves") else { return finding }
    var finding = finding
    if let text = texts[tokens] {
        finding.message += text
        return finding
    }
    var text = "\(tokens) token\(tokens == 1 ? "" : "s")"
    if let price = model.inputPerToken {
        let perCall = Decimal(tokens) * price
        text += ", \(formatUSD(perCall))/call"
        if let calls = callsPerMonth { text += ", \(formatUSD(perCall * calls))/month" }
    }
    let suffix = " (saves \(model.isExactTokenizer ? "" : "≈")\(text))"
    texts[tokens] = suffix
    finding.message += suffix
    return finding
}

/// Splits a message at a partial that switches roles, as Dotprompt renders it: the message's text before
/// the partial (with the partial's text before its first role marker), then each message the partial
/// opens, the last of which continues with the message's text after the partial. A part with no
/// tokens and no marker (nothing before the partial) is dropped, as rendering drops empty messages.
private func splitAtRoleSwitchingPartial(
    _ report: MessageReport, partial: PartialUse, pieces: [TemplatePiece], count: (String) -> Int, defaults: Set<String>
) -> [MessageReport] {
    let inside = pieces.filter { report.message.contentRange.contains($0.range) || report.message.contentRange.touches($0.range.start) }
    var beforeTokens = 0
    var afterTokens = 0
    var beforeVariables: [String] = []
    var afterVariables: [String] = []
    for piece in inside {
        let isBefore = piece.range.end <= partial.range.start
        switch piece.kind {
        case .text(let text): if isBefore { beforeTokens += count(text) } else { afterTokens += count(text) }
        case .variable(let name, _):
            let root = String(name.prefix { $0 != "." && $0 != "[" })
            guard !defaults.contains(root) else { continue }
            if isBefore { if !beforeVariables.contains(root) { beforeVariables.append(root) } }
            else if !afterVariables.contains(root) { afterVariables.append(root) }
        case .other: continue
        }
    }
    let continuation = max(0, (partial.tokens ?? 0) - partial.openedMessages.reduce(0) { $0 + $1.tokens })
    var result: [MessageReport] = []
    var first = report
    first.message.contentRange = UTF8Range(start: report.message.contentRange.start, end: partial.range.end)
    first.tokens = beforeTokens + continuation
    first.unresolvedVariables = beforeVariables
    if first.tokens > 0 || first.message.markerRange != nil || !beforeVariables.isEmpty { result.append(first) }
    for (index, opened) in partial.openedMessages.enumerated() {
        let isLast = index == partial.openedMessages.count - 1
        var message = report.message
        message.role = opened.role
        message.markerRange = nil
        message.isExample = false
        message.contentRange = isLast
            ? UTF8Range(start: partial.range.end, end: max(partial.range.end, report.message.contentRange.end))
            : UTF8Range.empty(at: partial.range.end)
        message.variables = isLast ? afterVariables : []
        result.append(MessageReport(message: message, tokens: opened.tokens + (isLast ? afterTokens : 0),
                                    unresolvedVariables: isLast ? afterVariables : []))
    }
    return result
}

/// Resolves a partial and, recursively, the partials it includes: static tokens, and the first problem
/// (missing partial, cycle, refused read, depth limit).
private func resolvePartialTokens(
    name: String, from path: String?, resolver: PartialResolver, count: (String) -> Int, chain: [String]
) -> (path: String?, tokens: Int?, problem: (rule: String, message: String)?, openedMessages: [(role: String, tokens: Int)], isStatic: Bool) {
    switch resolver(name, path) {
    case .missing(let searched):
        let tried = searched.isEmpty ? "" : " (looked for \(searched.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")))"
        return (nil, nil, (MissingPartial.descriptor.id, "partial '\(name)' not found\(tried)"), [], false)
    case .refused(let reason):
        return (nil, nil, (MissingPartial.descriptor.id, "partial '\(name)' not read: \(reason)"), [], false)
    case .found(let partialPath, let text):
        if chain.contains(partialPath) {
            let cycle = (chain + [partialPath]).map { ($0 as NSString).lastPathComponent }.joined(separator: " → ")
            return (partialPath, nil, (CircularPartial.descriptor.id, "partial '\(name)' includes itself: \(cycle)"), [], false)
        }
        if chain.count > maximumPartialDepth {
            return (partialPath, nil, (CircularPartial.descriptor.id, "partials nest deeper than \(maximumPartialDepth) levels"), [], false)
        }
        let template = parseTemplate(text)
        var tokens = 0
        var staticText = ""
        var isStatic = true
        let bytes = Array(text.utf8)  // Once, not per text node (that was quadratic in the partial's size).
        for node in template.nodes {
            switch node.content {
            case .text: staticText += String(decoding: bytes[node.range.range], as: UTF8.self)
            case .comment, .partial: break
            case .mustache, .block, .rawBlock, .invalid: isStatic = false
            }
        }
        tokens += count(staticText)
        for reference in template.references().partials {
            guard let nested = reference.name else { continue }
            let inner = resolvePartialTokens(name: nested, from: partialPath, resolver: resolver, count: count,
                                             chain: chain + [partialPath])
            if let problem = inner.problem { return (partialPath, nil, problem, [], false) }
            tokens += inner.tokens ?? 0
            isStatic = isStatic && inner.isStatic
        }
        // Role markers in the partial open messages of their own (`{{role "system"}}` in `_style.prompt`).
        var opened: [(role: String, tokens: Int)] = []
        if text.contains("role") {
            let document = parsePromptDocument(text)
            let view = makeTemplateView(document)
            var lastOpened: Int?
            for message in view.messages where message.markerRange != nil && !message.isHistory {
                opened.append((message.role, message.staticParts.reduce(0) { $0 + count($1) }))
                lastOpened = message.markerRange?.start
            }
            // A role marker at the end of the partial opens no message of its own (it has no text), but the
            // text after the inclusion goes to that role.
            if let last = document.markers.last(where: { marker in
                if case .role(let role?) = marker.kind { return marker.isTopLevel && marker.problem == nil && !role.isEmpty }
                return false
            }), case .role(let role?) = last.kind, last.range.start > (lastOpened ?? -1) {
                opened.append((role, 0))
            }
        }
        return (partialPath, tokens, nil, opened, isStatic && opened.isEmpty)
    }
}

/// Partials may include partials this deep; deeper nesting is reported (and never followed further).
public let maximumPartialDepth = 16

/// USD as hints, hovers and messages show it (Pricing's compact format: `$0.0042`, `$3.50`, `$1.2k`).
public func formatUSD(_ value: Decimal) -> String { USDFormat.compact(value) }

import Foundation
import PromptSyntax
import PromptText

/// A `{{#each docs}}…{{/each}}` block over an input variable: the template repeats its body once per
/// item, so the call grows with the list (retrieved documents, search results, past orders…).
public struct RetrievalLoop: Sendable, Hashable {
    /// The top-level input variable iterated (`docs` for `{{#each docs}}`, `{{#each @root.docs}}` and
    /// `{{#each docs.items}}`).
    public var listVariable: String
    /// The path as written (`docs.items`).
    public var path: String
    /// The whole block, from `{{#each` to the end of `{{/each}}` (or of the body when unclosed).
    public var range: UTF8Range
    /// The opening tag: where an editor shows the projection.
    public var openTagRange: UTF8Range
    /// The body's static text as it is interrupted by inputs and blocks (each part is counted on its own,
    /// as the analysis counts message text). The `{{else}}` branch is not part of the body.
    public var bodyStaticParts: [String]
}

/// Finds `each` blocks whose list is an input variable (not an item of an enclosing `each`/`with`, not
/// a block parameter), in source order. Nested blocks inside the body count with it (an `{{#if}}` in
/// the body is assumed taken).
public func findRetrievalLoops(in document: PromptDocument) -> [RetrievalLoop] {
    let template = document.template
    let bytes = Array(document.text.utf8)
    let references = template.references()
    func text(_ range: UTF8Range) -> String {
        String(
            decoding: bytes[max(0, min(range.start, bytes.count))..<max(0, min(range.end, bytes.count))],
            as: UTF8.self)
    }
    var loops: [RetrievalLoop] = []
    for (index, node) in template.nodes.enumerated() {
        guard case .block(let block) = node.content, block.kind == .normal, block.name == "each",
            let list = block.open.call.params.first?.path
        else { continue }
        let id = TemplateNodeID(index)
        guard
            let variable = references.variables.first(where: { $0.node == id && $0.path.range == list.range }
            )?.inputVariable
        else { continue }
        let bodyEnd =
            block.elseBranches.first?.tagRange.start ?? block.close?.range.start
            ?? block.body.last.map { template[$0].range.end } ?? block.open.range.end
        var parts: [String] = []
        for inner in template.nodes[(index + 1)...] {
            if inner.range.start >= bodyEnd { break }
            guard case .text(let textNode) = inner.content, inner.range.end <= bodyEnd else { continue }
            var content = text(inner.range)
            if let removed = textNode.removedBackslash, removed.start >= inner.range.start,
                removed.end <= inner.range.end
            {
                content =
                    text(UTF8Range(start: inner.range.start, end: removed.start))
                    + text(UTF8Range(start: removed.end, end: inner.range.end))
            }
            parts.append(content)
        }
        let end = block.close?.range.end ?? bodyEnd
        loops.append(
            RetrievalLoop(
                listVariable: variable, path: list.original,
                range: UTF8Range(start: block.open.range.start, end: max(end, block.open.range.end)),
                openTagRange: block.open.range, bodyStaticParts: parts))
    }
    return loops
}

/// What grows with a retrieval loop: the input of the call without the loop's body, the tokens one item
/// adds (the body's static text plus an average item), and the expected output.
public struct RetrievalGrowth: Sendable, Hashable {
    /// Input tokens of one call with the loop rendering no item.
    public var baseInputTokens: Int
    /// Body static tokens + the average item's tokens.
    public var tokensPerItem: Int
    public var outputTokens: Int
    public var prices: TokenPrices?

    public init(baseInputTokens: Int, tokensPerItem: Int, outputTokens: Int, prices: TokenPrices?) {
        self.baseInputTokens = baseInputTokens
        self.tokensPerItem = tokensPerItem
        self.outputTokens = outputTokens
        self.prices = prices
    }

    /// One call with `items` items: `base + items × tokensPerItem` input tokens.
    public func call(items: Int) -> ProjectedCall {
        let count = max(items, 0)
        let input = baseInputTokens + count * tokensPerItem
        return ProjectedCall(
            count: count, inputTokens: input,
            usdPerCall: prices?.usd(inputTokens: input, outputTokens: outputTokens))
    }

    /// Calls with each of `items` (default 3, 10 and 20).
    public func calls(items: [Int] = retrievalProjectionItems) -> [ProjectedCall] { items.map(call(items:)) }
}

/// The item counts hovers and hints show.
public let retrievalProjectionItems = [3, 10, 20]
/// Tokens assumed per item when none is configured: about 1,000 characters of English, a common
/// text-splitter chunk size.
public let defaultRetrievalItemTokens = 250

/// The growth of `loop` in an analysed prompt. The analysis counts the body's static text once (as if
/// the list had one item, without its content); that count is removed from the base. `extraInputTokens`
/// is added to the base (pass `toolDefinitionsCount(for:).totalTokens`).
public func retrievalGrowth(
    for loop: RetrievalLoop, in analysis: DocumentAnalysis,
    averageItemTokens: Int = defaultRetrievalItemTokens,
    extraInputTokens: Int = 0
) -> RetrievalGrowth {
    let bodyTokens = loop.bodyStaticParts.reduce(0) { $0 + analysis.countTokens($1) }
    return RetrievalGrowth(
        baseInputTokens: max(analysis.cost.inputTokens - bodyTokens, 0) + extraInputTokens,
        tokensPerItem: bodyTokens + averageItemTokens, outputTokens: analysis.cost.outputTokens,
        prices: TokenPrices(analysis.model))
}

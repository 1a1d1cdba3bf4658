import PromptText

/// Which names are helpers, and which block helpers change the context (`this`) of their body.
public struct TemplateReferenceOptions: Sendable, Hashable {
    public var knownHelpers: Set<String>
    public var contextChangingHelpers: Set<String>

    public init(knownHelpers: Set<String>, contextChangingHelpers: Set<String>) {
        self.knownHelpers = knownHelpers
        self.contextChangingHelpers = contextChangingHelpers
    }

    /// Handlebars' built-ins plus Dotprompt's helpers (the ones its `knownHelpersOnly` compile accepts).
    public static let dotprompt = TemplateReferenceOptions(
        knownHelpers: [
            "if", "unless", "each", "with", "lookup", "log", "blockHelperMissing", "helperMissing",
            "json", "role", "history", "section", "media", "ifEquals", "unlessEquals",
        ],
        contextChangingHelpers: ["each", "with"])
}

/// A path read from the data (a variable use).
public struct VariableReference: Sendable, Hashable {
    public var path: PathExpression
    public var node: TemplateNodeID
    /// The top-level input variable read (`name` for `{{name.first}}`, `{{@root.name}}`, or `{{../name}}`
    /// that climbs out of every `each`/`with`); nil for block parameters, items of an enclosing
    /// `each`/`with`, `this` at the root (the whole input), and other `@data`.
    public var inputVariable: String?
    /// The block parameter read (`item` in `{{#each items as |item|}}{{item.name}}`).
    public var blockParameter: String?
    /// The number of context-changing blocks around the use, after `../`.
    public var contextDepth: Int
}

/// A helper call: a mustache, block or sub-expression callee with arguments, or a known helper name.
public struct HelperReference: Sendable, Hashable {
    public var name: String
    public var range: UTF8Range
    public var node: TemplateNodeID
    public var isBlock: Bool
}

/// A partial inclusion.
public struct PartialReference: Sendable, Hashable {
    /// nil for dynamic partials (`{{> (expression)}}`).
    public var name: String?
    public var range: UTF8Range
    public var node: TemplateNodeID
    public var isBlock: Bool
}

/// Everything a template reads or calls, in source order.
public struct TemplateReferences: Sendable, Hashable {
    public var variables: [VariableReference] = []
    public var helpers: [HelperReference] = []
    public var partials: [PartialReference] = []
    /// Every mustache-like expression site: the node and its call (mustaches, block openers, else-if
    /// chains, partial arguments as calls with the partial name as callee).
    public var calls: [(node: TemplateNodeID, call: Call)] = []

    public static func == (lhs: TemplateReferences, rhs: TemplateReferences) -> Bool {
        lhs.variables == rhs.variables && lhs.helpers == rhs.helpers && lhs.partials == rhs.partials
            && lhs.calls.map(\.node) == rhs.calls.map(\.node) && lhs.calls.map(\.call) == rhs.calls.map(\.call)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(variables)
        hasher.combine(helpers)
        hasher.combine(partials)
    }
}

extension Template {
    /// Variables, helpers and partials referenced, with scopes resolved (one pass, no recursion over
    /// blocks).
    public func references(_ options: TemplateReferenceOptions = .dotprompt) -> TemplateReferences {
        struct Scope {
            var contextDepth = 0
            var blockParameters: [String] = []
        }
        var scopes = [Scope](repeating: Scope(), count: nodes.count)
        var result = TemplateReferences()

        func resolve(_ path: PathExpression, _ node: TemplateNodeID, _ scope: Scope) -> VariableReference {
            var reference = VariableReference(path: path, node: node, inputVariable: nil, blockParameter: nil, contextDepth: max(scope.contextDepth - path.parentDepth, 0))
            if path.isData {
                if path.head == "root", path.segments.count > 1 { reference.inputVariable = path.segments[1].name }
                reference.contextDepth = 0
            } else if !path.isThis, path.parentDepth == 0, let head = path.head, scope.blockParameters.contains(head) {
                reference.blockParameter = head
            } else if reference.contextDepth == 0 {
                reference.inputVariable = path.head
            }
            return reference
        }

        /// Records the variables and helpers of `expression` (sub-expressions nest at most 64 deep).
        func visit(_ expression: Expression, asCallee: Bool, hasArguments: Bool, isBlock: Bool, _ node: TemplateNodeID, _ scope: Scope) {
            switch expression {
            case .literal: break
            case .path(let path):
                let simple = !path.isData && !path.isThis && path.parentDepth == 0 && path.segments.count == 1
                if asCallee && simple && (hasArguments || options.knownHelpers.contains(path.original)) {
                    result.helpers.append(HelperReference(name: path.original, range: path.range, node: node, isBlock: isBlock))
                } else {
                    result.variables.append(resolve(path, node, scope))
                }
            case .subExpression(let call):
                visitCall(call, isBlock: false, node, scope)
            }
        }

        func visitCall(_ call: Call, isBlock: Bool, _ node: TemplateNodeID, _ scope: Scope) {
            visit(call.callee, asCallee: true, hasArguments: call.hasArguments || isBlock && call.callee.path.map { options.knownHelpers.contains($0.original) } == true, isBlock: isBlock, node, scope)
            for param in call.params { visit(param, asCallee: false, hasArguments: false, isBlock: false, node, scope) }
            for pair in call.hash { visit(pair.value, asCallee: false, hasArguments: false, isBlock: false, node, scope) }
        }

        /// Whether a block's body runs with a new context: `each`/`with`, or a section over a value
        /// (`{{#items}}`) that is not a known helper.
        func changesContext(_ call: Call) -> Bool {
            guard let path = call.callee.path else { return false }
            if options.contextChangingHelpers.contains(path.original) { return true }
            return !call.hasArguments && !options.knownHelpers.contains(path.original)
        }

        for index in nodes.indices {
            let id = TemplateNodeID(index)
            let scope = scopes[index]
            switch nodes[index].content {
            case .mustache(let mustache):
                result.calls.append((id, mustache.call))
                visitCall(mustache.call, isBlock: false, id, scope)
            case .partial(let partial):
                result.partials.append(PartialReference(name: partial.staticName, range: partial.name.range, node: id, isBlock: false))
                if case .subExpression(let call) = partial.name { visitCall(call, isBlock: false, id, scope) }
                if let context = partial.context { visit(context, asCallee: false, hasArguments: false, isBlock: false, id, scope) }
                for pair in partial.hash { visit(pair.value, asCallee: false, hasArguments: false, isBlock: false, id, scope) }
            case .rawBlock(let raw):
                result.calls.append((id, raw.call))
                visitCall(raw.call, isBlock: true, id, scope)
            case .block(let block):
                result.calls.append((id, block.open.call))
                var inner = scope
                if block.kind == .partialBlock {
                    let name = block.open.call.callee
                    result.partials.append(PartialReference(name: name.name, range: name.range, node: id, isBlock: true))
                    for param in block.open.call.params { visit(param, asCallee: false, hasArguments: false, isBlock: false, id, scope) }
                    for pair in block.open.call.hash { visit(pair.value, asCallee: false, hasArguments: false, isBlock: false, id, scope) }
                } else {
                    visitCall(block.open.call, isBlock: true, id, scope)
                    if block.kind == .normal && changesContext(block.open.call) { inner.contextDepth += 1 }
                    inner.blockParameters += block.open.blockParameters.map(\.name)
                }
                for child in block.body { scopes[child.index] = inner }
                for branch in block.elseBranches {
                    var branchScope = scope
                    if let call = branch.call {
                        result.calls.append((id, call))
                        visitCall(call, isBlock: true, id, scope)
                        if changesContext(call) { branchScope.contextDepth += 1 }
                        branchScope.blockParameters += branch.blockParameters.map(\.name)
                    } else if block.kind == .inverted && changesContext(block.open.call) {
                        // `{{^items}}...{{else}}...` renders the else branch with the items as context.
                        branchScope.contextDepth += 1
                    }
                    for child in branch.body { scopes[child.index] = branchScope }
                }
            case .text, .comment, .invalid:
                break
            }
        }
        // Else-chain calls are visited with their block; restore source order.
        result.variables.sort { $0.path.range.start < $1.path.range.start }
        result.helpers.sort { $0.range.start < $1.range.start }
        return result
    }
}

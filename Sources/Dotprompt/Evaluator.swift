import PromptSyntax
import PromptText

// Evaluates a compiled template the way Handlebars 4 runs a template compiled by Dotprompt with
// `{ noEscape: true, knownHelpersOnly: true, knownHelpers: <builtins + Dotprompt helpers> }`:
// - a mustache or block with arguments is a helper call; an unknown helper name is a compile error
//   (rendering fails), reported here as an `unknown-helper` error while rendering continues;
// - a bare name is a helper only when it is a known helper, otherwise a property lookup;
// - a block on a plain value runs `blockHelperMissing` (Mustache sections: lists iterate, objects
//   become the context, `true` renders, falsy values render the inverse);
// - values print as JavaScript prints them; nothing is HTML-escaped.

/// Helpers Handlebars registers itself and Dotprompt registers on top.
let builtinHelperNames: Set<String> = [
    "if", "unless", "each", "with", "lookup", "log", "helperMissing", "blockHelperMissing",
]
let dotpromptHelperNames: Set<String> = [
    "json", "role", "history", "section", "media", "ifEquals", "unlessEquals",
]

/// Values exposed as `@name`. Handlebars' `createFrame` copies the parent frame, so a lookup that misses
/// here continues in the parent.
final class DataFrame {
    var values: [String: PlainValue?] = [:]
    let parent: DataFrame?

    init(parent: DataFrame?) { self.parent = parent }

    func lookup(_ name: String) -> PlainValue? {
        if let value = values[name] { return value }
        return parent?.lookup(name)
    }
}

/// Where evaluation is: the context stack (`depths[0]` is `this`, the last is the root input), the
/// data frame, the block parameters in scope (innermost last), the template whose bytes literals
/// come from, and the block a partial was called with.
struct Scope {
    var depths: [PlainValue?]
    var data: DataFrame
    var blockParameters: [(names: [String], values: [PlainValue?])]
    var template: CompiledTemplate
    var partialBlock: PartialBlockContent?
    /// The range in the rendered document that diagnostics point at while inside a partial.
    var anchor: UTF8Range?
    /// The names of the partials being rendered, outermost first.
    var partialStack: [String]
    /// Whether the last context of `depths` is the root input (false inside a partial that was given
    /// another context), for reporting unresolved input variables.
    var bottomIsRoot = true

    var this: PlainValue? { depths.first ?? nil }
}

/// The body of `{{#> layout}}...{{/layout}}`, which the partial renders with `{{> @partial-block}}`.
final class PartialBlockContent {
    let program: ProgramNode
    let scope: Scope
    init(program: ProgramNode, scope: Scope) {
        self.program = program
        self.scope = scope
    }
}

/// What a helper returns: text, or (for `lookup` and sub-expressions) a value.
private typealias HelperResult = PlainValue?

final class Evaluator {
    let knownHelpers: Set<String>
    let externalHelpers: Set<String>
    let partials: [String: String]
    let resolvePartial: (String) -> String?
    var diagnostics: [RenderDiagnostic] = []
    private(set) var unresolvedVariables: [String] = []
    private(set) var unresolvedHelpers: [String] = []
    private var compiledPartials: [String: CompiledTemplate?] = [:]
    /// Partial nesting deeper than this is reported (recursive partials would never end).
    static let maximumPartialDepth = 16
    /// Blocks and partials being evaluated, across partials: bounded like a single template's nesting
    /// so that recursion stays within a small thread stack.
    private var activeDepth = 0

    init(
        partials: [String: String], resolvePartial: @escaping (String) -> String?,
        externalHelpers: Set<String>
    ) {
        self.partials = partials
        self.resolvePartial = resolvePartial
        self.externalHelpers = externalHelpers
        knownHelpers = builtinHelperNames.union(dotpromptHelperNames).union(externalHelpers)
    }

    // MARK: Diagnostics and unresolved names

    func report(
        _ code: String, _ message: String, _ range: UTF8Range, _ scope: Scope,
        severity: RenderSeverity = .error
    ) {
        var text = message
        if let innermost = scope.partialStack.last { text = "in partial '\(innermost)': " + text }
        let diagnostic = RenderDiagnostic(
            code: code, message: text, severity: severity, range: scope.anchor ?? range)
        if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
    }

    private func noteUnresolved(_ name: String) {
        if !unresolvedVariables.contains(name) { unresolvedVariables.append(name) }
    }

    // MARK: Programs

    func run(_ program: ProgramNode?, _ scope: Scope, into out: inout String) {
        guard let program else { return }
        for statement in program.body { run(statement, scope, into: &out) }
    }

    /// Runs `program` as `options.fn(context, { data, blockParams })` does.
    func runBlock(
        _ program: ProgramNode?, _ scope: Scope, context: PlainValue??, data: DataFrame? = nil,
        blockValues: [PlainValue?] = []
    ) -> String {
        guard let program else { return "" }
        guard activeDepth < maximumBlockNesting else {
            report(
                "template-too-deep",
                "blocks and partials nest more than \(maximumBlockNesting) levels deep; the rest is not rendered",
                scope.anchor ?? .empty(at: 0), scope)
            return ""
        }
        activeDepth += 1
        defer { activeDepth -= 1 }
        var inner = scope
        if let context { inner.depths.insert(context, at: 0) }
        if let data { inner.data = data }
        if !program.blockParameters.isEmpty {
            let values = program.blockParameters.indices.map {
                $0 < blockValues.count ? blockValues[$0] : nil
            }
            inner.blockParameters.append((program.blockParameters, values))
        }
        var out = ""
        run(program, inner, into: &out)
        return out
    }

    private func run(_ statement: Statement, _ scope: Scope, into out: inout String) {
        switch statement {
        case .content(let content): out += content.value
        case .comment: break
        case .unsupported(let range, let reason):
            if reason.contains("decorator") { report("unsupported-syntax", reason, range, scope) }
        case .mustache(let mustache, let range):
            out += appendedText(
                evaluateCall(mustache.call, scope, block: nil, range: range, isSubExpression: false))
        case .block(let block):
            switch block.kind {
            case .partialBlock:
                out += renderPartial(
                    name: block.call.callee, context: block.call.params.first, hash: block.call.hash,
                    indent: "", fallback: block.program, range: block.range, scope)
            case .helper, .raw:
                out += appendedText(
                    evaluateCall(block.call, scope, block: block, range: block.range, isSubExpression: false))
            }
        case .partial(let partial):
            out += renderPartial(
                name: partial.node.name, context: partial.node.context, hash: partial.node.hash,
                indent: partial.indent,
                fallback: nil, range: partial.range, scope)
        }
    }

    // MARK: Calls

    private enum Classification {
        case helper(String)
        case simple
    }

    /// Handlebars' `classifySexpr` under `knownHelpersOnly`.
    private func classify(_ call: Call, _ scope: Scope, isSubExpression: Bool) -> Classification {
        var name = ""
        var isSimple = false
        switch call.callee {
        case .path(let path):
            name = path.segments.first?.name ?? ""
            isSimple =
                path.segments.count == 1 && path.parentDepth == 0 && !isScopedOriginal(path.original)
                && !path.isThis
        case .literal(let literal):
            // `transformLiteralToPath`: `{{"name"}}` and `{{1}}` are paths with one part.
            name = literalOriginal(literal, scope)
            isSimple = !isScopedOriginal(name)
        case .subExpression:
            return .simple
        }
        let isBlockParameter = isSimple && blockParameterValue(name, scope) != nil
        var isHelper = !isBlockParameter && (isSubExpression || call.hasArguments)
        let isEligible = !isBlockParameter && (isHelper || isSimple)
        if isEligible && !isHelper && knownHelpers.contains(name) { isHelper = true }
        return isHelper ? .helper(name) : .simple
    }

    private func evaluateCall(
        _ call: Call, _ scope: Scope, block: BlockStatement?, range: UTF8Range, isSubExpression: Bool
    )
        -> PlainValue?
    {
        switch classify(call, scope, isSubExpression: isSubExpression) {
        case .helper(let name):
            guard knownHelpers.contains(name) else {
                report(
                    "unknown-helper",
                    "'\(name)' is not a Dotprompt helper; Dotprompt compiles with knownHelpersOnly, so rendering this template fails",
                    call.range, scope)
                return nil
            }
            return invokeHelper(name, call, scope, block: block, range: range)
        case .simple:
            let value: PlainValue?
            if case .subExpression(let inner) = call.callee {
                value = evaluateCall(inner, scope, block: nil, range: inner.range, isSubExpression: true)
            } else {
                value = evaluateCallee(call.callee, scope)
            }
            guard let block else { return value }
            return .string(blockHelperMissing(value, block, scope))
        }
    }

    /// `{{#value}}...{{/value}}` on a plain value.
    private func blockHelperMissing(_ value: PlainValue?, _ block: BlockStatement, _ scope: Scope) -> String {
        switch value {
        case .bool(true)?: return runBlock(block.program, scope, context: nil)
        case nil, .null?, .bool(false)?: return runBlock(block.inverse, scope, context: nil)
        case .array(let items)?:
            return items.isEmpty ? runBlock(block.inverse, scope, context: nil) : each(value, block, scope)
        default: return runBlock(block.program, scope, context: .some(value))
        }
    }

    // MARK: Values

    private func isScopedOriginal(_ original: String) -> Bool {
        // Handlebars' `scopedId`: /^\.|this\b/.
        if original.hasPrefix(".") { return true }
        var search = original[...]
        while let found = search.range(of: "this") {
            let after = search[found.upperBound...].first
            if after == nil || !(after!.isLetter || after!.isNumber || after! == "_") { return true }
            search = search[found.upperBound...]
        }
        return false
    }

    private func literalOriginal(_ literal: LiteralExpression, _ scope: Scope) -> String {
        switch literal.value {
        case .string(let text): return text
        case .number(let number): return javaScriptNumberText(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .undefined: return "undefined"
        }
    }

    private func blockParameterValue(_ name: String, _ scope: Scope) -> PlainValue?? {
        for level in scope.blockParameters.reversed() {
            if let index = level.names.firstIndex(of: name) { return .some(level.values[index]) }
        }
        return nil
    }

    /// The value of a helper's callee when it is a plain lookup (`{{"name"}}` looks up `name`).
    private func evaluateCallee(_ callee: Expression, _ scope: Scope) -> PlainValue? {
        if case .literal(let literal) = callee {
            let name = literalOriginal(literal, scope)
            let value = lookupStep(scope.this, name)
            if value == nil && scope.depths.count == 1 && scope.bottomIsRoot { noteUnresolved(name) }
            return value
        }
        return evaluate(callee, scope)
    }

    func evaluate(_ expression: Expression, _ scope: Scope) -> PlainValue? {
        switch expression {
        case .literal(let literal):
            switch literal.value {
            case .string(let text): return .string(text)
            case .number(let number): return .double(number)
            case .boolean(let flag): return .bool(flag)
            case .null: return .null
            case .undefined: return nil
            }
        case .subExpression(let call):
            return evaluateCall(call, scope, block: nil, range: call.range, isSubExpression: true)
        case .path(let path):
            return evaluatePath(path, scope)
        }
    }

    /// One step of a path: `undefined` and `null` propagate unchanged, as the compiled lookups do.
    private func lookupStep(_ value: PlainValue?, _ name: String) -> PlainValue? {
        guard let value else { return nil }
        if value == .null { return .null }
        return lookupProperty(value, name)
    }

    private func evaluatePath(_ path: PathExpression, _ scope: Scope) -> PlainValue? {
        let names = path.segments.map(\.name)
        if path.isData {
            var frame: DataFrame? = scope.data
            for _ in 0..<path.parentDepth { frame = frame?.parent }
            guard let head = names.first, let frame else { return nil }
            var value = frame.lookup(head)
            for (offset, name) in names.dropFirst().enumerated() {
                let next = lookupStep(value, name)
                if head == "root" && offset == 0 && next == nil && value != nil { noteUnresolved(name) }
                value = next
            }
            return value
        }
        if !path.isThis && path.parentDepth == 0 && !isScopedOriginal(path.original), let head = names.first,
            let parameter = blockParameterValue(head, scope)
        {
            return names.dropFirst().reduce(parameter) { lookupStep($0, $1) }
        }
        let depthIndex = path.parentDepth
        guard depthIndex < scope.depths.count else { return nil }
        let base = scope.depths[depthIndex]
        guard let head = names.first else { return base }
        var value = lookupStep(base, head)
        if value == nil && depthIndex == scope.depths.count - 1 && scope.bottomIsRoot && base != nil {
            noteUnresolved(head)
        }
        for name in names.dropFirst() { value = lookupStep(value, name) }
        return value
    }

    // MARK: Helpers

    private func invokeHelper(
        _ name: String, _ call: Call, _ scope: Scope, block: BlockStatement?, range: UTF8Range
    ) -> PlainValue? {
        let params = call.params.map { evaluate($0, scope) }
        var hash: [String: PlainValue?] = [:]
        for pair in call.hash { hash[pair.key] = evaluate(pair.value, scope) }
        func needsBlock() -> PlainValue? {
            report(
                "helper-needs-block",
                "'{{\(name)}}' must be used as a block ('{{#\(name) ...}}...{{/\(name)}}'); rendering fails",
                call.range, scope)
            return nil
        }
        func arity(_ expected: Int, _ message: String) -> Bool {
            if params.count == expected { return true }
            report("helper-arguments", message, call.range, scope)
            return false
        }
        if externalHelpers.contains(name) && !builtinHelperNames.contains(name)
            && !dotpromptHelperNames.contains(name)
        {
            if !unresolvedHelpers.contains(name) { unresolvedHelpers.append(name) }
            report(
                "external-helper", "'\(name)' is a helper of the application; its output is not known here",
                call.range, scope, severity: .information)
            return nil
        }
        switch name {
        case "if", "unless":
            guard arity(1, "#\(name) requires exactly one argument") else { return nil }
            guard let block else { return needsBlock() }
            let includeZero = isTruthy(hash["includeZero"] ?? nil)
            let condition = params[0]
            var positive = !((!includeZero && !isTruthy(condition)) || isHandlebarsEmpty(condition))
            if name == "unless" { positive.toggle() }
            return .string(runBlock(positive ? block.program : block.inverse, scope, context: nil))
        case "with":
            guard arity(1, "#with requires exactly one argument") else { return nil }
            guard let block else { return needsBlock() }
            let context = params[0]
            if isHandlebarsEmpty(context) { return .string(runBlock(block.inverse, scope, context: nil)) }
            return .string(runBlock(block.program, scope, context: .some(context), blockValues: [context]))
        case "each":
            guard !params.isEmpty else {
                report("helper-arguments", "Must pass iterator to #each", call.range, scope)
                return nil
            }
            guard let block else { return needsBlock() }
            return .string(each(params[0], block, scope))
        case "lookup":
            let object = params.first ?? nil
            guard isTruthy(object) else { return object }
            return lookupProperty(object, propertyKey(params.count > 1 ? params[1] : nil))
        case "log":
            return nil
        case "helperMissing", "blockHelperMissing":
            report(
                "unsupported-helper", "'\(name)' is Handlebars-internal and cannot be called from a prompt",
                call.range, scope)
            return nil
        case "json":
            guard !params.isEmpty else {
                report(
                    "helper-arguments", "'json' needs a value to serialise ('{{json value}}')", call.range,
                    scope)
                return nil
            }
            let indent = isTruthy(hash["indent"] ?? nil) ? javaScriptJSONIndent(hash["indent"] ?? nil) : ""
            return .string(javaScriptJSON(params[0], indent: indent) ?? "undefined")
        case "role":
            return .string(
                "<<<dotprompt:role:\(params.first.map(templateLiteralText) ?? "[object Object]")>>>")
        case "history":
            return .string("<<<dotprompt:history>>>")
        case "section":
            return .string(
                "<<<dotprompt:section \(params.first.map(templateLiteralText) ?? "[object Object]")>>>")
        case "media":
            guard params.isEmpty else {
                report(
                    "helper-arguments",
                    "'media' takes only url= and contentType= ('{{media url=... contentType=...}}')",
                    call.range, scope)
                return nil
            }
            let url = templateLiteralText(hash["url"] ?? nil)
            let contentType = hash["contentType"] ?? nil
            let suffix = isTruthy(contentType) ? " " + templateLiteralText(contentType) : ""
            return .string("<<<dotprompt:media:url \(url)\(suffix)>>>")
        case "ifEquals", "unlessEquals":
            guard arity(2, "#\(name) requires exactly two arguments") else { return nil }
            guard let block else { return needsBlock() }
            var positive = strictlyEquals(params[0], params[1])
            if name == "unlessEquals" { positive.toggle() }
            return .string(runBlock(positive ? block.program : block.inverse, scope, context: nil))
        default:
            return nil
        }
    }

    /// Handlebars' `each`: arrays by index, objects in JavaScript key order, with `@index`, `@key`,
    /// `@first`, `@last` and block parameters `as |value key|`; the inverse when nothing was iterated.
    private func each(_ collection: PlainValue?, _ block: BlockStatement, _ scope: Scope) -> String {
        var entries: [(key: PlainValue, value: PlainValue)] = []
        switch collection {
        case .array(let items)?: entries = items.enumerated().map { (.int($0.offset), $0.element) }
        case .object(let members)?:
            entries = membersInJavaScriptOrder(members).map { (.string($0.key), $0.value) }
        default: break
        }
        guard !entries.isEmpty else { return runBlock(block.inverse, scope, context: nil) }
        var out = ""
        for (index, entry) in entries.enumerated() {
            let frame = DataFrame(parent: scope.data)
            frame.values["key"] = entry.key
            frame.values["index"] = .int(index)
            frame.values["first"] = .bool(index == 0)
            frame.values["last"] = .bool(index == entries.count - 1)
            out += runBlock(
                block.program, scope, context: .some(entry.value), data: frame,
                blockValues: [entry.value, entry.key])
        }
        return out
    }

    // MARK: Partials

    private func compiledPartial(_ name: String) -> CompiledTemplate? {
        if let cached = compiledPartials[name] { return cached }
        let source = partials[name] ?? resolvePartial(name)
        let compiled = source.map { text -> CompiledTemplate in
            let bytes = Array(text.utf8)
            let template = parseTemplate(text)
            return compileTemplate(template, bytes: bytes)
        }
        compiledPartials[name] = compiled
        return compiled
    }

    private func partialName(_ expression: Expression, _ scope: Scope) -> String? {
        switch expression {
        case .path(let path): return path.original
        case .literal(let literal): return literalOriginal(literal, scope)
        case .subExpression(let call):
            return evaluateCall(call, scope, block: nil, range: call.range, isSubExpression: true).map(
                templateLiteralText)
        }
    }

    private func renderPartial(
        name nameExpression: Expression, context contextExpression: Expression?, hash: [HashPair],
        indent: String,
        fallback: ProgramNode?, range: UTF8Range, _ scope: Scope
    ) -> String {
        guard let name = partialName(nameExpression, scope) else {
            report("missing-partial", "the dynamic partial name evaluated to nothing", range, scope)
            return ""
        }
        var context = contextExpression.map { evaluate($0, scope) } ?? scope.this
        var pushesContext = contextExpression != nil
        if !hash.isEmpty {
            // `Utils.extend({}, context, hash)`.
            var members: [PlainValue.Member] = []
            switch context {
            case .object(let existing)?: members = existing
            case .array(let items)?:
                members = items.enumerated().map { .init(key: String($0.offset), value: $0.element) }
            case .string(let text)?:
                members = Array(text.utf16).enumerated().map {
                    .init(
                        key: String($0.offset), value: .string(String(decoding: [$0.element], as: UTF16.self))
                    )
                }
            default: break
            }
            for pair in hash {
                let value = evaluate(pair.value, scope)
                members.removeAll { $0.key == pair.key }
                if let value { members.append(.init(key: pair.key, value: value)) }
            }
            context = .object(members)
            pushesContext = true
        }
        var inner = scope
        inner.blockParameters = []
        // Outside compat mode Handlebars does not hand the caller's context stack to a partial: `../`
        // at a partial's top level is undefined.
        inner.depths = [context]
        inner.bottomIsRoot = !pushesContext && scope.depths.count == 1 && scope.bottomIsRoot
        if scope.anchor == nil { inner.anchor = range }
        inner.partialStack.append(name)

        if name == "@partial-block" {
            guard let content = scope.partialBlock else {
                report("missing-partial", "'{{> @partial-block}}' outside a partial block", range, scope)
                return ""
            }
            var blockScope = content.scope
            if pushesContext { blockScope.depths.insert(context, at: 0) }
            var out = ""
            run(content.program, blockScope, into: &out)
            return indented(out, indent)
        }
        guard scope.partialStack.count < Self.maximumPartialDepth else {
            report(
                "circular-partial",
                "partials nest more than \(Self.maximumPartialDepth) deep ('\(name)' includes itself?)",
                range, scope)
            return ""
        }
        guard let template = compiledPartial(name) else {
            if let fallback {
                var out = ""
                run(fallback, scope, into: &out)
                return out
            }
            report("missing-partial", "The partial \(name) could not be found", range, scope)
            return ""
        }
        if template.tooDeep != nil {
            report(
                "template-too-deep",
                "blocks nest more than \(maximumBlockNesting) levels deep in partial '\(name)'; it is not rendered",
                range, scope)
        }
        inner.template = template
        guard activeDepth < maximumBlockNesting else {
            report(
                "template-too-deep",
                "blocks and partials nest more than \(maximumBlockNesting) levels deep; the rest is not rendered",
                range, scope)
            return ""
        }
        activeDepth += 1
        defer { activeDepth -= 1 }
        if let fallback {
            inner.data = DataFrame(parent: scope.data)
            inner.partialBlock = PartialBlockContent(program: fallback, scope: scope)
        }
        var out = ""
        run(template.root, inner, into: &out)
        return indented(out, indent)
    }

    /// A standalone partial's output gets the tag's indentation on every line but a final empty one.
    private func indented(_ text: String, _ indent: String) -> String {
        guard !indent.isEmpty else { return text }
        var lines = text.components(separatedBy: "\n")
        for index in lines.indices {
            if lines[index].isEmpty && index == lines.count - 1 { break }
            lines[index] = indent + lines[index]
        }
        return lines.joined(separator: "\n")
    }
}

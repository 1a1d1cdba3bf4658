import Foundation
import Pricing
import PromptText

/// `missing-output-cap`: no output-token cap in `config`, so a call can run to the model's maximum.
enum MissingOutputCap {
    static let descriptor = RuleDescriptor(
        id: "missing-output-cap", category: .cost, defaultSeverity: .warning,
        summary: "No `config.maxOutputTokens`: a call may generate (and bill) up to the model's maximum.",
        explanation: """
            Output tokens cost several times input tokens. Without a cap, a runaway answer — a loop, a \
            repeated list — is billed in full. tokenmin prices such prompts with the configured expected \
            output (`outputTokens`, default 500) and says so. The fix adds `maxOutputTokens` to `config` \
            (the expected output, or a value derived from the output schema). On thinking models the \
            thinking tokens are output too and count toward the cap, so the configured thinking budget \
            (`thinkingConfig.thinkingBudget`, `thinking.budgetTokens`) is added to the expected output \
            and to the suggested cap (8192 for thinking when the budget is dynamic). Prompts without a \
            model and models that generate no text (image, video, speech, embedding) are not reported.
            """,
        example: RuleExample(flagged: "---\nmodel: openai/gpt-4o\nconfig:\n  temperature: 0.2\n---\nSummarize {{ticket}}.\n", fixed: "---\nmodel: openai/gpt-4o\nconfig:\n  temperature: 0.2\n  maxOutputTokens: 500\n---\nSummarize {{ticket}}.\n"))

    /// Room for thinking in a suggested cap when a thinking model's budget is dynamic (not set).
    static let dynamicThinkingReserve = 8192

    static let rule = Rule(descriptor) { context in
        // No model (nothing is priced or sent as written) and models that do not generate text (image,
        // speech, embedding models take no `maxOutputTokens`) are not reported.
        guard let facts = context.prompt, facts.document.frontmatter != nil, facts.frontmatter.outputCap == nil,
              facts.model.name != nil, facts.model.nonTextKind == nil
        else { return [] }
        let answer = facts.frontmatter.outputSchemaIsBounded ? 50 : facts.configuration.outputTokens
        var message = "No output cap: output is priced at the default \(facts.configuration.outputTokens) tokens, and a call can run to the model's maximum"
        var cap = answer
        if context.isReasoningModel {
            // Thinking tokens count toward the cap: a cap sized for the answer alone would cut the answer off.
            if let budget = facts.frontmatter.thinkingBudget {
                cap = answer + budget
                message = "No output cap: output is priced at \(facts.configuration.outputTokens) tokens plus the thinking budget of \(budget), and a call can run to the model's maximum"
            } else {
                cap = answer + dynamicThinkingReserve
                message += "; thinking tokens count toward the cap too (dynamic budget, not priced here), so the suggested cap leaves \(dynamicThinkingReserve) for thinking"
            }
        }
        let range = facts.frontmatter.configRange.map { UTF8Range(start: $0.start, end: $0.start + 6) }
            ?? facts.frontmatter.model?.range ?? UTF8Range.empty(at: 0)
        var finding = Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity, message: message, range: range)
        if let edit = facts.configInsertion("maxOutputTokens", value: "\(cap)", text: context.text) {
            finding.fixes = [Fix(title: "Add config.maxOutputTokens: \(cap)", edits: [edit], isSafe: false)]
        }
        return [finding]
    }
}

/// `unknown-model`: the model is not in the price catalog.
enum UnknownModel {
    static let descriptor = RuleDescriptor(
        id: "unknown-model", category: .cost, defaultSeverity: .warning,
        summary: "The model is not in the price catalog (counts are estimates, cost unknown).",
        explanation: """
            tokenmin resolves `model:` against its bundled catalog (imported from LiteLLM's price list), \
            with provider prefixes (`openai/`, `googleai/`, `vertexai/`, `anthropic/`…) and dated \
            aliases. An unknown id is usually a typo; the message lists the closest known ids. Add \
            your own models with `prices:` in `.tokenmin.yml`. A model the catalog has only under \
            another provider (`googleai/gemini-2.0-flash`, listed as `vertexai/gemini-2.0-flash`) is \
            priced with that entry, and an info finding names it; an image, video, speech or \
            embedding model missing from the catalog is reported as info, not as a likely typo.
            """,
        example: RuleExample(flagged: "---\nmodel: openai/gpt-4p\n---\nSummarize {{ticket}}.\n", fixed: "---\nmodel: openai/gpt-4o\n---\nSummarize {{ticket}}.\n"))

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt, let name = facts.model.name, facts.model.catalogSource != nil else { return [] }
        let range = facts.frontmatter.model?.range ?? .empty(at: 0)
        if facts.model.isKnown {
            // Priced through another provider's entry for the same model: say which one.
            guard facts.model.resolutionNote != nil, let id = facts.model.id else { return [] }
            return [Finding(ruleID: descriptor.id, severity: .info,
                            message: "'\(name)' is priced with the catalog's \(id) entry: the catalog has no entry for it under this provider",
                            range: range)]
        }
        if let kind = facts.model.nonTextKind {
            // Not a typo: an \(kind) model, billed per image, second or input rather than per output token.
            return [Finding(ruleID: descriptor.id, severity: .info,
                            message: "'\(name)' is not in the price catalog (\(kind) model: not billed per text token, cost not shown)",
                            range: range)]
        }
        var message = "unknown model '\(name)'"
        if !facts.model.suggestions.isEmpty {
            message += "; closest known: " + facts.model.suggestions.prefix(3).joined(separator: ", ")
        }
        let fixes = facts.frontmatter.model == nil ? [] : facts.model.suggestions.prefix(3).map { id in
            Fix(title: "Use \(id)", edits: [TextEdit(range: range, newText: id)], isSafe: false)
        }
        return [Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity, message: message, range: range, fixes: fixes)]
    }
}

/// `context-overflow`: the input alone exceeds the model's context window.
enum ContextOverflow {
    static let descriptor = RuleDescriptor(
        id: "context-overflow", category: .cost, defaultSeverity: .error,
        summary: "Input tokens exceed the model's context window.",
        explanation: "The provider rejects the call. Counts of unresolved variables are not included, so the real input is larger still.",
        example: RuleExample(flagged: "---\nmodel: acme-small\nconfig:\n  maxOutputTokens: 200\n---\nSummarize {{ticket}}.\n", fixed: "---\nmodel: acme-small\nconfig:\n  maxOutputTokens: 100\n---\nSummarize {{ticket}}.\n", workspace: [(".tokenmin.yml", "prices:\n  acme-small: {input: 0.10, output: 0.40, contextWindow: 128}\n")]))

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt, let window = facts.model.contextWindow else { return [] }
        let tokens = facts.cost.inputTokens + (facts.frontmatter.outputCap?.tokens ?? 0)
        guard tokens > window else { return [] }
        return [Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                        message: "\(tokens) tokens (input + output cap) exceed \(facts.model.id ?? "the model")'s context window of \(window)",
                        range: facts.frontmatter.model?.range ?? .empty(at: 0))]
    }
}

/// `budget-exceeded`: tokens or USD per call over a configured budget (warning from `warnAt`, error at 100%).
enum BudgetExceeded {
    static let descriptor = RuleDescriptor(
        id: "budget-exceeded", category: .cost, defaultSeverity: .error,
        summary: "Input tokens or USD per call over the budget (warns at 90% by default).",
        explanation: """
            Set a budget in `.tokenmin.yml` or in the prompt's frontmatter (`metadata.tokenmin.budget`): \
            `inputTokens`, `usdPerCall`, `usdPerMonth` (at the prompt's volume), and `warnAt` (default \
            90%). `budgets:` in `.tokenmin.yml` sets limits per path glob — `'prompts/support/**': '$0.01'` \
            (USD per call), `'$500/month'`, `4000` (input tokens), or a list of them; for each limit the \
            last matching glob wins, and the message names it. At `warnAt` of a limit the rule warns; \
            above the limit it is an error — in the editor and in `tokenmin check`.
            """,
        example: RuleExample(flagged: "---\nmodel: openai/gpt-4o\nmetadata:\n  tokenmin:\n    budget: {inputTokens: 20}\n---\nYou will receive a support ticket from a customer of our online shop. Read it carefully, then summarize the problem, the order number and what the customer asks for.\n{{ticket}}\n", fixed: "---\nmodel: openai/gpt-4o\nmetadata:\n  tokenmin:\n    budget: {inputTokens: 20}\n---\nSummarize the problem, order number and request.\n{{ticket}}\n"))

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt else { return [] }
        let budget = facts.configuration.budget
        let range = facts.frontmatter.model?.range ?? facts.document.frontmatter?.openingDelimiter ?? .empty(at: 0)
        var findings: [Finding] = []
        func report(_ used: Double, _ limit: Double, _ what: String) {
            guard limit > 0 else { return }
            let share = used / limit
            if share > 1 {
                // Over the limit by less than half a percent still reads as over (100.4%, not 100%).
                let percent = (share * 100).rounded() > 100 ? "\(Int((share * 100).rounded()))" : String(format: "%.1f", (share * 1000).rounded(.up) / 10)
                findings.append(Finding(ruleID: descriptor.id, severity: .error, message: "\(what) is over budget (\(percent)%)", range: range))
            } else if share >= budget.warnAt {
                findings.append(Finding(ruleID: descriptor.id, severity: .warning, message: "\(what) is at \((share * 100).rounded() < 100 ? "\(Int((share * 100).rounded()))" : String(format: "%.1f", (share * 1000).rounded(.down) / 10))% of its budget", range: range))
            }
        }
        // A limit set by a `budgets:` glob names it: "(budget $0.01 for prompts/support/**)".
        func origin(_ key: String) -> String { budget.globs[key].map { " for \($0)" } ?? "" }
        if let limit = budget.inputTokens {
            report(Double(facts.cost.inputTokens), Double(limit), "\(facts.cost.inputTokens) input tokens (budget \(limit)\(origin("inputTokens")))")
        }
        if let limit = budget.usdPerCall, let usd = facts.cost.usdPerCall {
            // Enough digits that an amount over the limit never reads as the limit itself.
            let shown = USDFormat.comparing(usd, with: limit)
            report(NSDecimalNumber(decimal: usd).doubleValue, NSDecimalNumber(decimal: limit).doubleValue,
                   "\(shown.amount) per call (budget \(shown.limit)\(origin("usdPerCall")))")
        }
        if let limit = budget.usdPerMonth, let monthly = facts.cost.usdPerMonth {
            // Monthly amounts read as the CLI shows them ($2.0k); more digits only where the two would read alike.
            let shown = formatUSD(monthly) != formatUSD(limit)
                ? (amount: formatUSD(monthly), limit: formatUSD(limit)) : USDFormat.comparing(monthly, with: limit)
            report(NSDecimalNumber(decimal: monthly).doubleValue, NSDecimalNumber(decimal: limit).doubleValue,
                   "\(shown.amount) per month (budget \(shown.limit) per month\(origin("usdPerMonth")))")
        }
        return findings
    }
}

/// `model-overkill`: a frontier model on a bounded task.
enum ModelOverkill {
    static let descriptor = RuleDescriptor(
        id: "model-overkill", category: .cost, defaultSeverity: .info,
        summary: "A frontier-priced model for a bounded task (a label, an enum, yes/no, an extraction).",
        explanation: """
            Classification, extraction and yes/no answers rarely need the most expensive model of a \
            provider. The rule suggests the cheapest chat model of the same provider in the catalog and \
            shows the difference per call and per month; verify quality on your own evaluation set \
            before switching.
            """,
        example: RuleExample(flagged: "---\nmodel: openai/gpt-4.5-preview\nconfig:\n  maxOutputTokens: 5\n---\nIs this e-mail spam? Answer yes or no.\n{{email}}\n", fixed: "---\nmodel: openai/gpt-4o-mini\nconfig:\n  maxOutputTokens: 5\n---\nIs this e-mail spam? Answer yes or no.\n{{email}}\n"))

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt, let reason = context.boundedTaskReason, let cheaper = facts.model.cheaperAlternative,
              let input = facts.model.inputPerToken, let output = facts.model.outputPerToken,
              let range = facts.frontmatter.model?.range, let current = facts.cost.usdPerCall
        else { return [] }
        let alternative = Decimal(facts.cost.inputTokens) * cheaper.inputPerToken + Decimal(facts.cost.outputTokens) * cheaper.outputPerToken
        // Only when the current model costs at least 4× the alternative per token.
        guard input >= cheaper.inputPerToken * 4 || output >= cheaper.outputPerToken * 4, alternative < current else { return [] }
        var message = "\(facts.model.id ?? "This model") for \(reason): \(cheaper.id) would cost \(formatUSD(alternative)) instead of \(formatUSD(current)) per call"
        if let calls = facts.cost.callsPerMonth { message += " (\(formatUSD((current - alternative) * calls)) less per month)" }
        let prefix = facts.frontmatter.model?.name.split(separator: "/").dropLast().joined(separator: "/") ?? ""
        let replacement = prefix.isEmpty ? cheaper.id : "\(prefix)/\(cheaper.id)"
        return [Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity, message: message, range: range,
                        fixes: [Fix(title: "Switch to \(replacement)", edits: [TextEdit(range: range, newText: replacement)], isSafe: false)])]
    }
}

/// `cache-unfriendly`: dynamic content before a large static block defeats prefix caching.
enum CacheUnfriendly {
    static let descriptor = RuleDescriptor(
        id: "cache-unfriendly", category: .cost, defaultSeverity: .info,
        summary: "An input variable placed before a large static block, defeating prompt caching.",
        explanation: """
            Providers cache the longest identical prefix of a prompt (OpenAI and Anthropic from 1,024 \
            tokens). A variable near the top makes every call's prefix different, so the static text \
            after it is billed at the full input price each time. Move static instructions first and \
            inputs last.
            """,
        example: RuleExample(flagged: "Customer: {{customer}}\n{{> policy}}\n", fixed: "{{> policy}}\nCustomer: {{customer}}\n", workspace: [("_policy.prompt", String(repeating: "Refunds are issued within 14 days of purchase to the original payment method. ", count: 80))]))

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt else { return [] }
        // The first variable, and the static text after it in the same or later messages.
        guard let firstIndex = facts.view.pieces.firstIndex(where: { if case .variable = $0.kind { return true }; return false }) else { return [] }
        let first = facts.view.pieces[firstIndex]
        var after = ""
        var partialTokens = 0
        for piece in facts.view.pieces[(firstIndex + 1)...] {
            switch piece.kind {
            case .text(let text): after += text
            case .variable: continue
            case .other:
                // A static partial after the input (`{{> policy}}`) is static text too.
                if let use = facts.partials.first(where: { piece.range.contains($0.range.start) }), use.isStatic {
                    partialTokens += use.tokens ?? 0
                }
            }
        }
        let staticAfter = context.countTokens(after) + partialTokens
        guard staticAfter >= minimumCacheablePrefixTokens, staticAfter > facts.staticPrefixTokens * 2 else { return [] }
        return [Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                        message: "\(context.text.utf8Slice(first.range)) comes before \(staticAfter) tokens of static text that could be cached if it came last",
                        range: first.range, tokenSavings: nil)]
    }
}

/// `unbounded-tool-loop`: a tool loop allowed to run far longer than Genkit's default.
enum UnboundedToolLoop {
    static let descriptor = RuleDescriptor(
        id: "unbounded-tool-loop", category: .cost, defaultSeverity: .warning,
        summary: "Tools with a `maxTurns` far above Genkit's default of 5: each turn re-sends the whole conversation.",
        explanation: """
            Each tool call is another model call that re-sends the whole conversation, so a loop of N \
            turns costs at least N times the prompt's input. Genkit stops the loop after `maxTurns` \
            turns, 5 when the prompt sets none (`js/ai/src/generate/action.ts`, `go/ai/generate.go`), \
            so a prompt without `maxTurns` is bounded and not reported. The rule fires when tools are \
            declared with `maxTurns` above \(maximumTurns); the fix sets it back to 5.
            """,
        example: RuleExample(flagged: "---\nmodel: openai/gpt-4o\ntools: [lookupOrder]\nmaxTurns: 50\n---\nFind the status of order {{orderId}}.\n", fixed: "---\nmodel: openai/gpt-4o\ntools: [lookupOrder]\nmaxTurns: 5\n---\nFind the status of order {{orderId}}.\n"))

    /// Twice Genkit's default: beyond this, say what the worst case costs.
    static let maximumTurns = 10

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt, let first = facts.frontmatter.tools.first, let turns = facts.frontmatter.maxTurns,
              turns > maximumTurns
        else { return [] }
        let worstCase = turns * facts.cost.inputTokens
        var finding = Finding(
            ruleID: descriptor.id, severity: descriptor.defaultSeverity,
            message: "maxTurns \(turns) lets the tool loop re-send the conversation \(turns) times (≥ \(worstCase) input tokens per call in the worst case; Genkit's default is 5)",
            range: facts.frontmatter.maxTurnsRange ?? first.range)
        if let range = facts.frontmatter.maxTurnsRange {
            finding.fixes = [Fix(title: "Set maxTurns: 5", edits: [TextEdit(range: range, newText: "5")], isSafe: false)]
        }
        return [finding]
    }
}

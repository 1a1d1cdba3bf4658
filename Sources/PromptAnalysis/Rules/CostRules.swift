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
            (the expected output, or a value derived from the output schema).
            """,
        example: ("config:\n  temperature: 0.2", "config:\n  temperature: 0.2\n  maxOutputTokens: 500"))

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt, facts.document.frontmatter != nil, facts.frontmatter.outputCap == nil else { return [] }
        let cap = facts.frontmatter.outputSchemaIsBounded ? 50 : facts.configuration.outputTokens
        let range = facts.frontmatter.configRange.map { UTF8Range(start: $0.start, end: $0.start + 6) }
            ?? facts.frontmatter.model?.range ?? UTF8Range.empty(at: 0)
        var finding = Finding(
            ruleID: descriptor.id, severity: descriptor.defaultSeverity,
            message: "No output cap: output is priced at the default \(facts.configuration.outputTokens) tokens, and a call can run to the model's maximum",
            range: range)
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
            your own models with `prices:` in `.tokenmin.yml`.
            """)

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt, let name = facts.model.name, !facts.model.isKnown, facts.model.catalogSource != nil else { return [] }
        let range = facts.frontmatter.model?.range ?? .empty(at: 0)
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
        explanation: "The provider rejects the call. Counts of unresolved variables are not included, so the real input is larger still.")

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
            `inputTokens`, `usdPerCall`, and `warnAt` (default 90%). At `warnAt` of a limit the rule \
            warns; above the limit it is an error — in the editor and in `tokenmin check`.
            """,
        example: ("metadata:\n  tokenmin:\n    budget: {inputTokens: 2000}", ""))

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
        if let limit = budget.inputTokens {
            report(Double(facts.cost.inputTokens), Double(limit), "\(facts.cost.inputTokens) input tokens (budget \(limit))")
        }
        if let limit = budget.usdPerCall, let usd = facts.cost.usdPerCall {
            // Enough digits that an amount over the limit never reads as the limit itself.
            let shown = USDFormat.comparing(usd, with: limit)
            report(NSDecimalNumber(decimal: usd).doubleValue, NSDecimalNumber(decimal: limit).doubleValue,
                   "\(shown.amount) per call (budget \(shown.limit))")
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
            """)

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
            """)

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt else { return [] }
        // The first variable, and the static text after it in the same or later messages.
        guard let firstIndex = facts.view.pieces.firstIndex(where: { if case .variable = $0.kind { return true }; return false }) else { return [] }
        let first = facts.view.pieces[firstIndex]
        var after = ""
        for piece in facts.view.pieces[(firstIndex + 1)...] { if case .text(let text) = piece.kind { after += text } }
        let staticAfter = context.countTokens(after)
        guard staticAfter >= minimumCacheablePrefixTokens, staticAfter > facts.staticPrefixTokens * 2 else { return [] }
        return [Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                        message: "\(context.text.utf8Slice(first.range)) comes before \(staticAfter) tokens of static text that could be cached if it came last",
                        range: first.range, tokenSavings: nil)]
    }
}

/// `unbounded-tool-loop`: tools declared without a turn limit.
enum UnboundedToolLoop {
    static let descriptor = RuleDescriptor(
        id: "unbounded-tool-loop", category: .cost, defaultSeverity: .warning,
        summary: "Tools declared without `maxTurns`: a tool-calling loop can run (and bill) without end.",
        explanation: """
            Each tool call is another model call that re-sends the whole conversation. Genkit reads \
            `maxTurns` to bound the loop; the fix adds `config.maxTurns: 5`.
            """)

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt, let first = facts.frontmatter.tools.first, facts.frontmatter.maxTurns == nil else { return [] }
        var finding = Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                              message: "\(facts.frontmatter.tools.count) tool\(facts.frontmatter.tools.count == 1 ? "" : "s") declared but no maxTurns: the tool loop is unbounded",
                              range: first.range)
        if let edit = facts.configInsertion("maxTurns", value: "5", text: context.text) {
            finding.fixes = [Fix(title: "Add config.maxTurns: 5", edits: [edit], isSafe: false)]
        }
        return [finding]
    }
}

import PromptSyntax
import PromptText

/// Rules whose findings are the parser's diagnostics. Each syntax code is a documented, configurable,
/// suppressible rule id (matching google/dotprompt's `promptly` linter where it has one).
enum SyntaxRules {
    static let descriptors: [RuleDescriptor] = [
        RuleDescriptor(
            id: SyntaxCode.invalidYAML, category: .template, defaultSeverity: .error,
            summary: "The frontmatter is not valid YAML.",
            explanation: """
                Dotprompt parses the frontmatter with a YAML parser; when it fails, every reference \
                implementation silently renders the whole file — frontmatter included — as the prompt. \
                Picoschema shorthand such as `{ name: string }[]` or `"a" | "b"` is not YAML; quote it.
                """,
            example: RuleExample(flagged: "---\nmodel: openai/gpt-4o\ndescription: Labels: bug or feature\n---\nLabel {{ticket}}.\n", fixed: "---\nmodel: openai/gpt-4o\ndescription: \"Labels: bug or feature\"\n---\nLabel {{ticket}}.\n")),
        RuleDescriptor(
            id: SyntaxCode.unsupportedYAML, category: .template, defaultSeverity: .warning,
            summary: "YAML features outside what tokenmin reads (anchors, aliases, tags, directives).",
            explanation: "The value is not analysed; Dotprompt's own YAML parser may still accept it.",
            example: RuleExample(flagged: "---\nmodel: openai/gpt-4o\nconfig: !defaults\n  maxOutputTokens: 200\n---\nSummarize {{ticket}}.\n", fixed: "---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 200\n---\nSummarize {{ticket}}.\n")),
        RuleDescriptor(
            id: SyntaxCode.frontmatterIgnored, category: .template, defaultSeverity: .error,
            summary: "Dotprompt will ignore this frontmatter and send the file as plain text.",
            explanation: """
                The reference implementations only recognise frontmatter that starts at the top of the \
                file (after `#` header lines) with `---` alone on a line, and ends with `---` followed \
                by a line break. A byte-order mark, an indented `---`, an empty frontmatter or a missing \
                final line break make them treat the whole file, `---` lines included, as the template.
                """,
            example: RuleExample(flagged: "---\n---\nSummarize {{ticket}}.\n", fixed: "Summarize {{ticket}}.\n")),
        RuleDescriptor(
            id: SyntaxCode.unclosedBlock, category: .template, defaultSeverity: .error,
            summary: "A block (`{{#if}}`, `{{#each}}`…) is never closed.",
            explanation: "Handlebars refuses to compile the template; the prompt cannot be rendered.",
            example: RuleExample(flagged: "{{#if urgent}}Reply today.\nSummarize {{ticket}}.\n", fixed: "{{#if urgent}}Reply today.{{/if}}\nSummarize {{ticket}}.\n")),
        RuleDescriptor(
            id: SyntaxCode.unmatchedClosingBlock, category: .template, defaultSeverity: .error,
            summary: "A closing tag that matches no open block.",
            explanation: "Handlebars refuses to compile the template. `{{section}}` is not a block: it has no `{{/section}}`.",
            example: RuleExample(flagged: "{{section \"intro\"}}\nGreet {{name}}.\n{{/section}}\n", fixed: "{{section \"intro\"}}\nGreet {{name}}.\n")),
        RuleDescriptor(
            id: SyntaxCode.unbalancedBrace, category: .template, defaultSeverity: .warning,
            summary: "Unbalanced `{{`/`}}`: the braces will be sent as text or fail to compile.",
            explanation: "A short comment `{{! … }}` ends at the first `}}`; use `{{!-- … --}}` for text containing braces.",
            example: RuleExample(flagged: "{{! greets {{name}} by name }}\nGreet {{name}}.\n", fixed: "{{!-- greets {{name}} by name --}}\nGreet {{name}}.\n")),
        RuleDescriptor(
            id: SyntaxCode.invalidExpression, category: .template, defaultSeverity: .error,
            summary: "A Handlebars expression that does not parse.", explanation: "Handlebars refuses to compile the template.",
            example: RuleExample(flagged: "Summarize {{ticket%}}.\n", fixed: "Summarize {{ticket}}.\n")),
        RuleDescriptor(
            id: SyntaxCode.unclosedComment, category: .template, defaultSeverity: .error,
            summary: "A comment that is never closed.", explanation: "Everything after `{{!` would be swallowed or fail to compile.",
            example: RuleExample(flagged: "{{!-- try a shorter version?\nSummarize {{ticket}}.\n", fixed: "{{!-- try a shorter version? --}}\nSummarize {{ticket}}.\n")),
        RuleDescriptor(
            id: SyntaxCode.invalidCharacter, category: .template, defaultSeverity: .error,
            summary: "A NUL character in the template, which Handlebars refuses to compile.", explanation: "Handlebars refuses to compile the template; remove the character (often a paste from a binary file).",
            example: RuleExample(flagged: "Summarize the ticket.\u{0}\n", fixed: "Summarize the ticket.\n")),
        RuleDescriptor(
            id: SyntaxCode.unsupportedSyntax, category: .template, defaultSeverity: .warning,
            summary: "Handlebars syntax Dotprompt does not support (decorators, inline partials).",
            explanation: "Dotprompt compiles with a fixed helper set; decorators are not available.",
            example: RuleExample(flagged: "{{#*inline \"signature\"}}The support team{{/inline}}\nSign as {{> signature}}.\n", fixed: "Sign as the support team.\n")),
    ]
}

/// Converts parser diagnostics to findings (warnings stay warnings; configuration may change either).
func syntaxFindings(_ document: PromptDocument) -> [Finding] {
    var diagnostics = document.diagnostics
    if let fallback = document.frontmatterFallback {
        diagnostics.removeAll { $0.code == SyntaxCode.frontmatterIgnored && $0.range == fallback.range }
        diagnostics.append(SyntaxDiagnostic(code: SyntaxCode.frontmatterIgnored, message: fallback.message, severity: .error,
                                            range: fallback.range, related: []))
    }
    return diagnostics.map { diagnostic in
        Finding(
            ruleID: diagnostic.code, severity: diagnostic.severity == .error ? .error : .warning, message: diagnostic.message,
            range: diagnostic.range,
            related: diagnostic.related.map { PromptAnalysis.RelatedLocation(range: $0.range, message: $0.message) })
    }
}

/// `missing-partial` and `circular-partial` are reported while partials are resolved.
enum MissingPartial {
    static let descriptor = RuleDescriptor(
        id: "missing-partial", category: .template, defaultSeverity: .error,
        summary: "A `{{> partial}}` whose `_name.prompt` file is not found (or is outside the workspace).",
        explanation: """
            Dotprompt looks partials up by name; `{{> header}}` is `_header.prompt` beside the prompt \
            (`{{> shared/header}}` is `shared/_header.prompt`). tokenmin never reads files outside the \
            workspace roots, so a partial path escaping them is reported here too.
            """,
        example: RuleExample(flagged: "{{> footr}}\nSummarize {{ticket}}.\n", fixed: "{{> footer}}\nSummarize {{ticket}}.\n", workspace: [("_footer.prompt", "Reply in English.\n")]))
}

enum CircularPartial {
    static let descriptor = RuleDescriptor(
        id: "circular-partial", category: .template, defaultSeverity: .error,
        summary: "Partials that include each other (or nest deeper than 16 levels).",
        explanation: "Rendering would never finish; Handlebars overflows its stack.",
        example: RuleExample(flagged: "Chapter {{number}}.\n{{> chapter}}\n", fixed: "Chapter {{number}}.\n", fileName: "_chapter.prompt"))
}

enum InvalidConfiguration {
    static let descriptor = RuleDescriptor(
        id: "invalid-configuration", category: .template, defaultSeverity: .error,
        summary: "A `.tokenmin.yml` or `metadata.tokenmin` setting that is unknown or malformed.",
        explanation: "The rest of the configuration still applies; the setting in question is ignored.",
        example: RuleExample(flagged: "---\nmodel: openai/gpt-4o\nmetadata:\n  tokenmin:\n    volum: 1M/month\n---\nSummarize {{ticket}}.\n", fixed: "---\nmodel: openai/gpt-4o\nmetadata:\n  tokenmin:\n    volume: 1M/month\n---\nSummarize {{ticket}}.\n"))
}

/// `unknown-frontmatter-key`: a top-level key Dotprompt does not read (a typo silently does nothing).
enum UnknownFrontmatterKey {
    static let descriptor = RuleDescriptor(
        id: "unknown-frontmatter-key", category: .template, defaultSeverity: .warning,
        summary: "A frontmatter key Dotprompt does not read (likely a typo).",
        explanation: """
            Dotprompt reads `name`, `variant`, `version`, `description`, `model`, `tools`, `toolDefs`, \
            `config`, `input`, `output`, `metadata`, `raw` and `ext`, and Genkit reads `maxTurns`, \
            `toolChoice`, `returnToolRequests` and `use`; dotted keys (`myext.key`) go to `ext`. \
            Anything else is ignored — `modle: gpt-4o` leaves the default model in place.
            """,
        example: RuleExample(flagged: "---\nmodle: openai/gpt-4o\n---\nSummarize {{ticket}}.\n", fixed: "---\nmodel: openai/gpt-4o\n---\nSummarize {{ticket}}.\n"))

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt else { return [] }
        return facts.frontmatter.unknownKeys.map { key, range in
            var message = "unknown frontmatter key '\(key)'"
            var fixes: [Fix] = []
            if let suggestion = closestMatch(to: key, in: Frontmatter.knownTopLevelKeys) {
                message += "; did you mean '\(suggestion)'?"
                fixes = [Fix(title: "Rename to '\(suggestion)'", edits: [TextEdit(range: range, newText: suggestion)], isSafe: false)]
            }
            return Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity, message: message, range: range, fixes: fixes)
        }
    }
}

/// `unknown-helper`: Dotprompt compiles with `knownHelpersOnly`, so any other helper fails.
enum UnknownHelper {
    static let descriptor = RuleDescriptor(
        id: "unknown-helper", category: .template, defaultSeverity: .error,
        summary: "A helper Dotprompt does not provide (compilation fails with knownHelpersOnly).",
        explanation: """
            Dotprompt registers `if`, `unless`, `each`, `with`, `lookup`, `log`, `json`, `role`, \
            `history`, `section`, `media`, `ifEquals` and `unlessEquals`. A call to any other helper \
            (`{{add @index 1}}`) fails to compile unless the application registers it (Genkit \
            `defineHelper`). List the helpers your application registers under `helpers:` in \
            `.tokenmin.yml`: they are then accepted, and any other helper is an error. Without that \
            setting tokenmin cannot know, and an unknown helper is a warning.
            """,
        example: RuleExample(flagged: "Tags: {{list tags}}\n", fixed: "Tags: {{#each tags}}{{this}} {{/each}}\n"))

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt else { return [] }
        let known = TemplateReferenceOptions.dotprompt.knownHelpers
        let registered = Set(facts.configuration.helpers)
        // With `helpers:` the application's helpers are known, so anything else fails to compile; without
        // it, the helper may well be registered in code.
        let declared = !registered.isEmpty
        var findings: [Finding] = []
        for (node, call) in facts.view.references.calls {
            _ = node
            guard call.hasArguments, let path = call.callee.path, !path.isData, path.segments.count == 1,
                  !known.contains(path.original), !registered.contains(path.original)
            else { continue }
            findings.append(Finding(
                ruleID: descriptor.id, severity: declared ? .error : .warning,
                message: declared
                    ? "unknown helper '\(path.original)': neither Dotprompt nor `helpers:` in .tokenmin.yml provides it, so the template does not compile"
                    : "unknown helper '\(path.original)': Dotprompt compiles with known helpers only; if the application registers it (defineHelper), list it under `helpers:` in .tokenmin.yml",
                range: path.range))
        }
        return findings
    }
}

/// `role-block`: `{{#role "x"}}…{{/role}}` or `{{#history}}…{{/history}}`, whose body Dotprompt drops.
enum RoleBlock {
    static let descriptor = RuleDescriptor(
        id: "role-block", category: .template, defaultSeverity: .error,
        summary: "`{{#role}}…{{/role}}` as a block: Dotprompt silently drops the body.",
        explanation: """
            `role` and `history` are plain helpers that emit a marker; used as blocks, Handlebars calls \
            them with the body as an argument they ignore, and the text inside never reaches the model. \
            Write `{{role "system"}}` followed by the text.
            """,
        example: RuleExample(flagged: "{{#role \"system\"}}Be brief.{{/role}}\nSummarize {{ticket}}.\n", fixed: "{{role \"system\"}}Be brief.\n{{role \"user\"}}Summarize {{ticket}}.\n"))

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt else { return [] }
        var findings: [Finding] = []
        for marker in facts.document.markers {
            switch marker.kind {
            case .roleBlock(let role):
                var fixes: [Fix] = []
                if case .block(let block) = facts.document.template[marker.node].content, let close = block.close, let role {
                    fixes = [Fix(title: "Rewrite as {{role \"\(role)\"}}", kind: .quickFix,
                                 edits: [TextEdit(range: block.open.range, newText: "{{role \"\(role)\"}}"), .delete(close.range)],
                                 isSafe: true)]
                }
                findings.append(Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                                        message: "{{#role}} block: Dotprompt drops its body; the text never reaches the model",
                                        range: marker.range, fixes: fixes))
            case .historyBlock:
                findings.append(Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                                        message: "{{#history}} block: Dotprompt drops its body", range: marker.range))
            default:
                if let problem = marker.problem {
                    findings.append(Finding(ruleID: descriptor.id, severity: .warning, message: problem, range: marker.range))
                }
            }
        }
        return findings
    }
}

/// `undefined-variable` and `unused-variable`: the template and `input.schema` disagree.
enum UndefinedVariable {
    static let descriptor = RuleDescriptor(
        id: "undefined-variable", category: .template, defaultSeverity: .warning,
        summary: "A variable the template reads that `input.schema` does not declare.",
        explanation: """
            Only checked when the prompt declares an input schema. The variable renders as empty text. \
            A schema named in code (`input.schema: RecipeRequest`, Genkit `defineSchema`) is unknown, \
            not empty: variables are checked against it only when `.tokenmin.yml` declares it under \
            `schemas:` (Picoschema or JSON Schema).
            """,
        example: RuleExample(flagged: "---\ninput:\n  schema:\n    ticket: string\n---\nSummarize {{ticket}} for {{customer}}.\n", fixed: "---\ninput:\n  schema:\n    ticket: string\n    customer: string\n---\nSummarize {{ticket}} for {{customer}}.\n"))

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt, facts.frontmatter.hasInputSchema else { return [] }
        let declared = Set(facts.frontmatter.inputSchema.map(\.name))
        return facts.view.references.variables.compactMap { reference in
            guard let name = reference.inputVariable, !declared.contains(name) else { return nil }
            var message = "'\(name)' is not declared in input.schema"
            if let suggestion = closestMatch(to: name, in: Array(declared)) { message += "; did you mean '\(suggestion)'?" }
            return Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity, message: message, range: reference.path.range)
        }
    }
}

enum UnusedVariable {
    static let descriptor = RuleDescriptor(
        id: "unused-variable", category: .template, defaultSeverity: .info,
        summary: "An input declared in `input.schema` that the template never reads.",
        explanation: "Callers still have to provide it; remove it from the schema or use it.",
        example: RuleExample(flagged: "---\ninput:\n  schema:\n    ticket: string\n    priority: string\n---\nSummarize {{ticket}}.\n", fixed: "---\ninput:\n  schema:\n    ticket: string\n---\nSummarize {{ticket}}.\n"))

    static let rule = Rule(descriptor) { context in
        guard let facts = context.prompt else { return [] }
        let used = Set(facts.view.variables)
        // A template that passes the whole context on (`{{> partial this}}`, `{{json this}}`) may use anything.
        let passesContext = facts.view.references.variables.contains { $0.inputVariable == nil && $0.path.isThis && $0.blockParameter == nil && $0.contextDepth == 0 }
        guard !passesContext, facts.partials.isEmpty else { return [] }
        return facts.frontmatter.inputSchema.filter { !used.contains($0.name) }.map { entry in
            Finding(ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                    message: "input '\(entry.name)' is declared but never used", range: entry.range)
        }
    }
}

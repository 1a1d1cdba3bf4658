/// Every rule tokenmin knows, in the order of the README's rule table. Ids are stable.
public enum RuleRegistry {
    public static let rules: [Rule] = [
        Scaffolding.rule,
        Politeness.rule,
        DevNote.rule,
        ReasoningScaffold.rule,
        DuplicateInstruction.rule,
        Contradiction.rule,
        FewShotOversized.rule,
        ProseFormat.rule,
        SecretInPrompt.rule,
        PIIInPrompt.rule,
        UntrustedInputInSystem.rule,
        UnfencedInputRule.rule,
        UnknownFrontmatterKey.rule,
        UnknownHelper.rule,
        RoleBlock.rule,
        UndefinedVariable.rule,
        UnusedVariable.rule,
        MissingOutputCap.rule,
        UnknownModel.rule,
        ContextOverflow.rule,
        BudgetExceeded.rule,
        ModelOverkill.rule,
        CacheUnfriendly.rule,
        UnboundedToolLoop.rule,
    ]

    /// Rules whose findings come from elsewhere than a `Rule.check` (syntax errors, suppressions,
    /// configuration); they are documented, configurable and suppressible like every other rule.
    static let reportedElsewhere: [RuleDescriptor] = SyntaxRules.descriptors + [
        MissingPartial.descriptor, CircularPartial.descriptor, InvalidConfiguration.descriptor, InvalidSuppression.descriptor,
        UnreadableFileRule.descriptor,
    ]

    public static let descriptors: [RuleDescriptor] = rules.map(\.descriptor) + reportedElsewhere

    public static func descriptor(for id: String) -> RuleDescriptor? {
        descriptors.first { $0.id == id }
    }

    /// Runs every rule over `context`, sorted by position then rule id (deterministic output).
    public static func run(_ context: RuleContext, rules selected: [Rule] = rules) -> [Finding] {
        var findings: [Finding] = []
        let local = context.memo == nil ? [] : selected.filter(\.isLocal)
        if let memo = context.memo, !local.isEmpty {
            // Local rules run per segment, together, memoized by the segment's text (ranges stored
            // relative): after an edit only the edited chunk is checked again.
            let kind = local.map(\.descriptor.id).joined(separator: ",")
            for segment in context.prose {
                let key = ChunkKey(kind: kind, salt: "\(segment.role)|\(segment.isExample)|\(context.memoSalt)", segment: segment)
                let relative = memo.value(key) { () -> [Finding] in
                    let restricted = context.restricted(to: segment)
                    return local.flatMap { $0.check(restricted) }.map { $0.shifted(by: -segment.utf8Start) }
                }
                findings += segment.utf8Start == 0 ? relative : relative.map { $0.shifted(by: segment.utf8Start) }
            }
        }
        for rule in selected where !(rule.isLocal && context.memo != nil) {
            findings += rule.check(context)
        }
        return findings.sorted {
            ($0.range.start, $0.range.end, $0.ruleID) < ($1.range.start, $1.range.end, $1.ruleID)
        }
    }
}

/// Why a prompt's task is bounded — a label, an enum, a yes/no, an extraction — when its wording says so.
/// Bounded tasks need neither chain-of-thought scaffolds nor frontier models. Only instruction words
/// count (quoted data and examples do not).
package func boundedTaskReason(in prose: [ProseSegment]) -> String? {
    let words = prose.flatMap(instructionWords(of:)).map(\.folded)
    let signals: [(words: [String], reason: String)] = [
        (["classify"], "classification"), (["classification"], "classification"), (["categorize"], "classification"),
        (["categorise"], "classification"), (["label"], "labelling"), (["extract"], "extraction"),
        (["sentiment"], "sentiment labelling"), (["yes", "or", "no"], "a yes/no answer"),
        (["true", "or", "false"], "a true/false answer"), (["one", "of"], "a choice from a fixed list"),
    ]
    for signal in signals {
        let count = signal.words.count
        guard words.count >= count else { continue }
        for start in 0...(words.count - count) where Array(words[start..<(start + count)]) == signal.words {
            return signal.reason
        }
    }
    return nil
}

/// Why a prompt's task is bounded — a label, an enum, a yes/no, an extraction — when its wording says so.
/// Bounded tasks need neither chain-of-thought scaffolds nor frontier models. Only instruction words
/// count (quoted data and examples do not).
package func boundedTaskReason(
    in prose: [ProseSegment], words wordsOf: (ProseSegment) -> [Word] = instructionWords(of:)
) -> String? {
    let words = prose.flatMap(wordsOf).map(\.folded)
    for (index, word) in words.enumerated() {
        for signal in signals where signal.words[0] == word {
            if signal.words.count == 1 { return signal.reason }
            if index + signal.words.count <= words.count,
               zip(signal.words.dropFirst(), words[(index + 1)...]).allSatisfy({ $0 == $1 })
            {
                return signal.reason
            }
        }
    }
    return nil
}

/// Words and phrases that make a task bounded (the first one in the prose names the reason).
private let signals: [(words: [String], reason: String)] = [
    (["classify"], "classification"), (["classification"], "classification"), (["categorize"], "classification"),
    (["categorise"], "classification"), (["label"], "labelling"), (["extract"], "extraction"),
    (["sentiment"], "sentiment labelling"), (["yes", "or", "no"], "a yes/no answer"),
    (["true", "or", "false"], "a true/false answer"), (["one", "of"], "a choice from a fixed list"),
]

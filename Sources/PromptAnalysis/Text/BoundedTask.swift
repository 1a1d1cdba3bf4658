/// Why a prompt's task is bounded — a label, an enum, a yes/no, an extraction — when its wording says so.
/// Bounded tasks need neither chain-of-thought scaffolds nor frontier models. Only instruction words
/// count (quoted data and examples do not).
package func boundedTaskReason(
    in prose: [ProseSegment], words wordsOf: (ProseSegment) -> [Word] = instructionWords(of:),
    memo: RuleMemo? = nil
) -> String? {
    for segment in prose {
        let reason: String?
        if let memo {
            let key = ChunkKey(kind: "bounded-task", salt: "\(segment.isExample)", segment: segment)
            // Stored as "" when the segment has no signal (a memo value is never optional).
            let stored = memo.value(key) { boundedTaskReason(inWords: wordsOf(segment)) ?? "" }
            reason = stored.isEmpty ? nil : stored
        } else {
            reason = boundedTaskReason(inWords: wordsOf(segment))
        }
        if let reason { return reason }
    }
    return nil
}

/// The first signal among one segment's words (a phrase never spans two segments: segments end at
/// template tags and sentence ends).
private func boundedTaskReason(inWords segmentWords: [Word]) -> String? {
    let words = segmentWords.map(\.folded)
    for (index, word) in words.enumerated() {
        // One lookup per word finds the signals it could start (in their order), not ten comparisons.
        guard let candidates = signalsByFirstWord[word] else { continue }
        for signal in candidates.map({ signals[$0] }) {
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

/// The indexes of `signals` by their first word, in order.
private let signalsByFirstWord: WordTable<[Int]> = {
    var table: [String: [Int]] = [:]
    for (index, signal) in signals.enumerated() { table[signal.words[0], default: []].append(index) }
    return WordTable(table)
}()

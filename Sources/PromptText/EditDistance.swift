// Spelling suggestions for unknown names (commands, options, rule ids, configuration keys, models).

/// The candidate with the smallest edit distance to `word`, if it is close enough to be a plausible
/// typo (at most a third of the word's length, and at least one edit).
public func closestMatch(to word: String, in candidates: some Collection<String>) -> String? {
    // A unique candidate that starts with what was typed is the likeliest intent ("polite" → "politeness").
    let prefixed = candidates.filter { word.count >= 3 && $0.hasPrefix(word) }
    if prefixed.count == 1 { return prefixed.first }
    let limit = max(2, word.count / 3)
    var best: (name: String, distance: Int)?
    for candidate in candidates.sorted() {
        let distance = editDistance(word, candidate)
        if distance <= limit, distance < (best?.distance ?? Int.max) {
            best = (candidate, distance)
        }
    }
    return best?.name
}

/// Levenshtein distance over Unicode scalars (two rows, O(n·m) time, O(m) space).
public func editDistance(_ a: String, _ b: String) -> Int {
    let left = Array(a.unicodeScalars)
    let right = Array(b.unicodeScalars)
    if left.isEmpty { return right.count }
    if right.isEmpty { return left.count }
    var previous = Array(0...right.count)
    var current = [Int](repeating: 0, count: right.count + 1)
    for i in 1...left.count {
        current[0] = i
        for j in 1...right.count {
            let cost = left[i - 1] == right[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[right.count]
}

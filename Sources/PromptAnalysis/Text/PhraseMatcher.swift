import PromptText

/// Phrase patterns over words. A pattern is words separated by spaces, with groups:
/// `(a|b c)` is one of the alternatives (each a word sequence), and a trailing `?` makes a word or group
/// optional. Example: `you are (a|an) (helpful|friendly)? (ai)? assistant`. Patterns are expanded into
/// plain word sequences and stored in a trie, so matching is a walk from each word.
///
/// Matching is case-insensitive (words are compared in `Word.folded` form) and ignores spaces, tabs,
/// commas and hyphens between words, but never crosses a sentence end, a line break or other
/// punctuation.
package struct PhraseMatcher: Sendable {
    private struct Node: Sendable {
        var children: [String: Int] = [:]
        /// The pattern that ends here (the first one listed, when several expand to the same words).
        var patternIndex: Int?
    }

    package let sources: [String]
    private var nodes: [Node] = [Node()]
    /// Each node's children as a `WordTable` (built once the patterns are in): matching looks up
    /// every word of the prose at the root.
    private var children: [WordTable<Int>] = []
    /// Words in the longest expanded pattern: no match spans more.
    package private(set) var longestPhraseWords = 0

    package init(_ sources: [String]) {
        self.sources = sources
        for (index, source) in sources.enumerated() {
            for sequence in expand(source) where !sequence.isEmpty {
                insert(sequence, patternIndex: index)
                longestPhraseWords = max(longestPhraseWords, sequence.count)
            }
        }
        children = nodes.map { WordTable($0.children) }
    }

    /// The match that starts at the first word, if any: the first of `matches(in:text:baseOffset:)`
    /// when that one starts at word 0, found without looking further.
    package func matchAtStart(of words: [Word], text: String, baseOffset: Int) -> PhraseMatch? {
        guard let first = words.first, children[0][first.folded] != nil else { return nil }
        return matches(in: Array(words.prefix(longestPhraseWords)), text: text, baseOffset: baseOffset).first {
            $0.firstWord == 0
        }
    }

    private mutating func insert(_ words: [String], patternIndex: Int) {
        var node = 0
        for word in words {
            if let next = nodes[node].children[word] {
                node = next
            } else {
                nodes.append(Node())
                nodes[node].children[word] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        if nodes[node].patternIndex == nil { nodes[node].patternIndex = patternIndex }
    }

    /// Non-overlapping matches, leftmost first and longest at each position. `text` is the prose the
    /// words came from, with `baseOffset` the document offset of its first byte.
    package func matches(in words: [Word], text: String, baseOffset: Int) -> [PhraseMatch] {
        let bytes = Array(text.utf8)
        var results: [PhraseMatch] = []
        var index = 0
        while index < words.count {
            var node = 0
            var position = index
            var best: PhraseMatch?
            while position < words.count, let next = children[node][words[position].folded] {
                if position > index && !joinable(words[position - 1], words[position], bytes, baseOffset) { break }
                node = next
                if let pattern = nodes[node].patternIndex {
                    best = PhraseMatch(
                        patternIndex: pattern, firstWord: index, lastWord: position,
                        range: UTF8Range(start: words[index].range.start, end: words[position].range.end))
                }
                position += 1
            }
            if let best {
                results.append(best)
                index = best.lastWord + 1
            } else {
                index += 1
            }
        }
        return results
    }

    /// Two words belong to one phrase when only spaces, tabs, commas or hyphens separate them.
    private func joinable(_ left: Word, _ right: Word, _ bytes: [UInt8], _ baseOffset: Int) -> Bool {
        for offset in (left.range.end - baseOffset)..<(right.range.start - baseOffset) {
            switch bytes[offset] {
            case 0x20, 0x09, 0x2C, 0x2D: continue
            default: return false
            }
        }
        return true
    }
}

/// A match of a pattern: the indexes of its first and last word and the UTF-8 range they span.
package struct PhraseMatch: Sendable, Hashable {
    package var patternIndex: Int
    package var firstWord: Int
    package var lastWord: Int
    package var range: UTF8Range
}

/// Expands a pattern into every word sequence it denotes.
package func expand(_ pattern: String) -> [[String]] {
    var sequences: [[String]] = [[]]
    var index = pattern.startIndex
    while index < pattern.endIndex {
        let character = pattern[index]
        if character == " " {
            index = pattern.index(after: index)
            continue
        }
        var alternatives: [[String]]
        if character == "(" {
            guard let close = pattern[index...].firstIndex(of: ")") else { break }
            let body = pattern[pattern.index(after: index)..<close]
            alternatives = body.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.split(separator: " ").map { $0.lowercased() }
            }
            index = pattern.index(after: close)
        } else {
            let end = pattern[index...].firstIndex { $0 == " " || $0 == "?" } ?? pattern.endIndex
            alternatives = [[pattern[index..<end].lowercased()]]
            index = end
        }
        if index < pattern.endIndex, pattern[index] == "?" {
            alternatives.append([])
            index = pattern.index(after: index)
        }
        sequences = sequences.flatMap { prefix in alternatives.map { prefix + $0 } }
    }
    return sequences
}

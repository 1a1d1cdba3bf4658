import Foundation
import PromptText

/// `contradiction`: instructions that conflict on length, format, polarity, language or tone. The model
/// has to pick one; the prompt pays for both, and the output becomes unpredictable.
enum Contradiction {
    static let descriptor = RuleDescriptor(
        id: "contradiction", category: .waste, defaultSeverity: .warning,
        summary: "Instructions that conflict (length, format, always/never, language, tone).",
        explanation: """
            Two instructions that cannot both be followed — “be concise” and “explain in exhaustive \
            detail”, “at most 3 sentences” and “at least 5 sentences”, “respond in JSON” and “format the \
            answer as a markdown table”, “always use bullet points” and “never use bullet points”, \
            “answer in English” and “answer in French” — make the output depend on which one the model \
            happens to weigh more. Only instructions in messages of the same role are compared (a system \
            rule and a user request are allowed to differ), and quoted text and examples are ignored. \
            Both locations are reported; decide which one stays.
            """,
        example: RuleExample(flagged: "Be concise.\nExplain every step in exhaustive detail.\n", fixed: "Explain every step in detail, in at most 5 sentences.\n"))

    static let rule = Rule(descriptor) { context in
        let found = context.sentenceFacts.flatMap { sentence in
            sentence.directives.map { Directive(kind: $0, range: sentence.range, role: sentence.role) }
        }
        return firstConflicts(in: found).map { earlier, later, conflict in
            Finding(
                ruleID: descriptor.id, severity: descriptor.defaultSeverity,
                message: "Contradicts an earlier instruction: \(conflict)", range: later.range,
                related: [RelatedLocation(range: earlier.range, message: "conflicting instruction")])
        }
    }
}

/// For each sentence (in order) whose directive conflicts with an earlier sentence's directive in the
/// same role: its first such directive and the earliest directive it conflicts with. This is the
/// pairwise definition — every later directive against every earlier one, first conflict wins, one
/// finding per sentence — computed without comparing all pairs, which was quadratic: a prompt of
/// thousands of "Be brief." sentences compared each with all before it. Earlier directives are indexed
/// by what they could conflict with (their kind, or for limits their unit and bound, by value), and a
/// sentence's directives are indexed only after the sentence is done (a sentence never conflicts with
/// itself). Each lookup is constant time, or logarithmic for limits.
package func firstConflicts(in found: [Directive]) -> [(earlier: Directive, later: Directive, conflict: String)] {
    struct Key: Hashable {
        var role: String
        var kind: DirectiveKind
    }
    struct LimitKey: Hashable {
        var role: String
        var unit: String
        var bound: DirectiveKind.Bound
    }
    var firstIndex: [Key: Int] = [:]
    // Per role, unit and bound: the earliest index per value, in a Fenwick tree over the sorted values
    // of all limits with that unit (for "the earliest limit with a value above/below v").
    var limitValues: [String: [Int]] = [:]
    for directive in found {
        if case .limit(let unit, _, let value) = directive.kind { limitValues[unit, default: []].append(value) }
    }
    let sortedValues = limitValues.mapValues { Array(Set($0)).sorted() }
    var limitTrees: [LimitKey: MinimumIndexTree] = [:]
    // Per role: the earliest tight "at most" limit of any unit ("two or three sentences at most"), which a
    // later request to cover everything contradicts.
    var firstTightLimit: [String: Int] = [:]

    func earliestConflict(with later: Directive) -> Int? {
        var best: Int?
        // A candidate kind counts only when it really conflicts (two non-exclusive formats do not).
        func consider(_ kind: DirectiveKind) {
            guard let index = firstIndex[Key(role: later.role, kind: kind)], best.map({ index < $0 }) ?? true,
                  conflict(kind, later.kind) != nil
            else { return }
            best = index
        }
        switch later.kind {
        case .length(let preference):
            consider(.length(preference == .short ? .long : .short))
        case .format(let format, let positive):
            consider(.format(format, positive: !positive))
            if positive {
                for other in Set(formats.values) where other != format { consider(.format(other, positive: true)) }
            }
        case .always(let text, let positive):
            consider(.always(text, positive: !positive))
        case .language(let language):
            for other in languages where other != language { consider(.language(other)) }
            // "Reply in the customer's language" against any fixed language, in either order.
            if language != userLanguage { consider(.language(userLanguage)) }
        case .tone(let tone):
            for other in Set(tones.values) where other != tone { consider(.tone(other)) }
        case .exhaustive:
            if let index = firstTightLimit[later.role], best.map({ index < $0 }) ?? true { best = index }
        case .limit(let unit, let bound, let value):
            if bound == .atMost, isTight(unit: unit, value: value) { consider(.exhaustive) }
            let values = sortedValues[unit] ?? []
            let position = values.partitionPoint { $0 < value }
            if bound == .atMost {
                // Conflicts with an earlier "at least w" where w > value.
                let above = values.partitionPoint { $0 <= value }
                if let index = limitTrees[LimitKey(role: later.role, unit: unit, bound: .atLeast)]?.minimum(from: above) {
                    best = best.map { min($0, index) } ?? index
                }
            } else if let index = limitTrees[LimitKey(role: later.role, unit: unit, bound: .atMost)]?.minimum(before: position) {
                // Conflicts with an earlier "at most w" where w < value.
                best = best.map { min($0, index) } ?? index
            }
        }
        return best
    }

    var results: [(earlier: Directive, later: Directive, conflict: String)] = []
    var start = 0
    while start < found.count {
        var end = start
        while end < found.count && found[end].range == found[start].range { end += 1 }
        // One sentence's directives: the first that conflicts with an earlier sentence is reported.
        for later in found[start..<end] {
            guard let index = earliestConflict(with: later), let conflict = conflict(found[index].kind, later.kind) else { continue }
            results.append((found[index], later, conflict))
            break
        }
        for index in start..<end {
            let directive = found[index]
            let key = Key(role: directive.role, kind: directive.kind)
            if firstIndex[key] == nil { firstIndex[key] = index }
            if case .limit(let unit, .atMost, let value) = directive.kind, isTight(unit: unit, value: value),
               firstTightLimit[directive.role] == nil
            {
                firstTightLimit[directive.role] = index
            }
            if case .limit(let unit, let bound, let value) = directive.kind, let values = sortedValues[unit] {
                let limitKey = LimitKey(role: directive.role, unit: unit, bound: bound)
                limitTrees[limitKey, default: MinimumIndexTree(count: values.count)]
                    .lower(at: values.partitionPoint { $0 < value }, to: index)
            }
        }
        start = end
    }
    return results
}

/// The minimum of values stored at positions `0..<count` (all start at `Int.max`), with updates that only
/// lower a value: two Fenwick trees, for minima over prefixes and over suffixes.
private struct MinimumIndexTree {
    private var prefix: [Int]
    private var suffix: [Int]

    init(count: Int) {
        prefix = Array(repeating: Int.max, count: count + 1)
        suffix = Array(repeating: Int.max, count: count + 1)
    }

    mutating func lower(at position: Int, to value: Int) {
        var index = position + 1
        while index < prefix.count {
            prefix[index] = min(prefix[index], value)
            index += index & -index
        }
        index = prefix.count - 1 - position
        while index < suffix.count {
            suffix[index] = min(suffix[index], value)
            index += index & -index
        }
    }

    /// The minimum over positions `0..<position`, nil when none was set.
    func minimum(before position: Int) -> Int? {
        var index = min(position, prefix.count - 1)
        var result = Int.max
        while index > 0 {
            result = min(result, prefix[index])
            index -= index & -index
        }
        return result == Int.max ? nil : result
    }

    /// The minimum over positions `position...`, nil when none was set.
    func minimum(from position: Int) -> Int? {
        var index = max(0, prefix.count - 1 - position)
        var result = Int.max
        while index > 0 {
            result = min(result, suffix[index])
            index -= index & -index
        }
        return result == Int.max ? nil : result
    }
}

extension Array {
    /// The first index whose element fails `belongs` (the array is partitioned: every element that
    /// satisfies it comes first).
    fileprivate func partitionPoint(_ belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// What an instruction constrains, as far as contradictions go.
package enum DirectiveKind: Hashable, Sendable {
    case length(LengthPreference)
    case limit(unit: String, bound: Bound, value: Int)
    case format(String, positive: Bool)
    case always(String, positive: Bool)
    case language(String)
    case tone(String)
    /// Asks to cover everything ("cover every follow-up question", "list all the steps"): conflicts with a
    /// tight length limit, not with "be concise".
    case exhaustive

    package enum LengthPreference: String, Sendable { case short, long }
    package enum Bound: String, Sendable { case atMost = "at most", atLeast = "at least" }
}

package struct Directive: Hashable, Sendable {
    package var kind: DirectiveKind
    package var range: UTF8Range
    package var role: String
}

private let shortWords: Set<String> = ["concise", "concisely", "brief", "briefly", "succinct", "succinctly", "terse", "short"]
private let longWords: Set<String> = ["exhaustive", "exhaustively", "comprehensive", "comprehensively", "thorough", "thoroughly", "elaborate", "lengthy"]
private let formats: [String: String] = [
    "json": "JSON", "markdown": "markdown", "yaml": "YAML", "xml": "XML", "csv": "CSV", "table": "a table",
    "tables": "a table", "html": "HTML", "prose": "prose", "bullet": "bullet points", "bullets": "bullet points",
]
private let exclusiveFormats: Set<String> = ["JSON", "YAML", "XML", "CSV", "prose"]
/// The language directive of "reply in the customer's language" / "the same language as the user".
private let userLanguage = "the user's language"
private let languages: Set<String> = [
    "english", "french", "german", "spanish", "italian", "portuguese", "dutch", "japanese", "chinese", "korean",
    "russian", "arabic", "hindi", "polish", "swedish", "turkish",
]
private let tones: [String: String] = [
    "formal": "formal", "professional": "formal", "casual": "casual", "informal": "casual", "playful": "casual",
    "humorous": "casual", "slang": "casual",
]
private let units: [String: String] = [
    "sentence": "sentences", "sentences": "sentences", "word": "words", "words": "words", "paragraph": "paragraphs",
    "paragraphs": "paragraphs", "bullet": "bullet points", "bullets": "bullet points", "item": "items",
    "items": "items", "line": "lines", "lines": "lines", "character": "characters", "characters": "characters",
]
private let numberWords: [String: Int] = [
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
]
private let formatTriggers: Set<String> = [
    "in", "as", "respond", "return", "output", "format", "formatted", "use", "using", "reply", "answer", "produce",
    "write", "only",
]
private let negators: Set<String> = ["never", "not", "don't", "avoid", "no", "without"]

/// Verbs that, with "every"/"all"/"each" after them, ask to cover everything.
private let coverageVerbs: Set<String> = [
    "cover", "list", "include", "address", "explain", "describe", "answer", "mention", "enumerate", "detail",
    "document", "discuss", "walk", "go", "itemize", "spell",
]
private let everyWords: Set<String> = ["every", "all", "each", "everything", "any"]

/// Words that make a language instruction conditional or descriptive ("if the user writes in French…",
/// "the input may be in German"): not a directive about the answer's language.
private let conditionalWords: Set<String> = ["if", "when", "unless", "whenever", "may", "might", "could", "sometimes", "often", "whether"]
/// Words that make "in <language>" a directive about the output.
private let languageTriggers: Set<String> = [
    "respond", "reply", "answer", "write", "translate", "output", "must", "always", "only", "should", "use", "speak",
    "responses", "answers", "replies", "response", "everything",
]
/// Who "their language" belongs to in "reply in the customer's language".
private let speakers: Set<String> = ["customer's", "user's", "customer", "user", "their", "caller's", "client's", "visitor's", "sender's"]

/// The directives one sentence states. Negation is read from the words just before a format word
/// ("do not use markdown", "no markdown", "avoid JSON").
package func directives(in sentence: InstructionSentence) -> [Directive] {
    let words = sentence.words.map(\.folded)
    // One lookup per word says which of the checks below it could start; most words start none and
    // are skipped (the checks' own set lookups, a dozen per word, were an eighth of a whole `check`).
    let classes = words.map { directiveWordClasses[$0] ?? [] }
    guard classes.contains(where: { !$0.subtracting(.conditional).isEmpty }) else { return [] }
    var kinds: [DirectiveKind] = []
    let negated = { (index: Int) -> Bool in
        words[max(0, index - 3)..<index].contains { negators.contains($0) }
    }
    // Language directives need a language word or "language", and no condition: checked once per sentence.
    let mayStateLanguage = !classes.contains { $0.contains(.conditional) } && classes.contains { $0.contains(.language) }
    for (index, word) in words.enumerated() where !classes[index].subtracting(.conditional).isEmpty {
        if shortWords.contains(word) && !negated(index) && (word != "short" || describesOutput(words, after: index)) {
            kinds.append(.length(.short))
        }
        if longWords.contains(word) && !negated(index) { kinds.append(.length(.long)) }
        if word == "detail" && index > 0 && ["great", "exhaustive", "full", "maximum", "extensive"].contains(words[index - 1]) {
            kinds.append(.length(.long))
        }
        // A format word is an output-format instruction only after a verb or preposition that says so
        // ("respond in JSON", "format it as YAML", "no markdown"); "the markdown summary field" is not.
        if let format = formats[word], word != "bullet", word != "bullets",
           words[max(0, index - 3)..<index].contains(where: { formatTriggers.contains($0) || negators.contains($0) })
        {
            kinds.append(.format(format, positive: !negated(index)))
        }
        if let (kind, consumed) = bound(words, at: index) {
            if let value = number(words, at: index + consumed), index + consumed + 1 < words.count,
               let unit = units[words[index + consumed + 1]]
            {
                kinds.append(.limit(unit: unit, bound: kind, value: value))
            }
        }
        if mayStateLanguage, let language = languageDirective(words, at: index), !kinds.contains(.language(language)) {
            kinds.append(.language(language))
        }
        // "cover every follow-up question", "list all the steps", "answer each question in full".
        if coverageVerbs.contains(word), !negated(index),
           words[(index + 1)..<min(words.count, index + 4)].contains(where: { everyWords.contains($0) }),
           !kinds.contains(.exhaustive)
        {
            kinds.append(.exhaustive)
        }
        // "two or three sentences at most", "3 sentences max", "5 bullets or fewer".
        if let unit = units[word], index >= 1, let value = number(words, at: index - 1), isTrailingUpperBound(words, after: index) {
            kinds.append(.limit(unit: unit, bound: .atMost, value: value))
        }
        // "in one sentence", "a single paragraph", "one-line answer".
        if let unit = units[word], index >= 1, ["one", "single", "1"].contains(words[index - 1]),
           index >= 2, ["in", "a", "as", "one"].contains(words[index - 2]) || words[index - 1] == "single"
        {
            if !kinds.contains(where: { if case .limit(unit, .atMost, _) = $0 { return true } else { return false } }) {
                kinds.append(.limit(unit: unit, bound: .atMost, value: 1))
            }
        }
        if let tone = tones[word], !negated(index) {
            kinds.append(.tone(tone))
        }
        if word == "always" || word == "never" {
            // Lazily: only the three words wanted are looked at (a filter over the rest of the sentence
            // was quadratic on a sentence of many "always").
            let rest = words[(index + 1)...].lazy.filter { !["use", "the", "a", "an"].contains($0) }.prefix(3)
            if !rest.isEmpty { kinds.append(.always(rest.joined(separator: " "), positive: word == "always")) }
        }
    }
    return kinds.map { Directive(kind: $0, range: sentence.range, role: sentence.role) }
}

/// Which checks of `directives(in:)` a word can start (a word in none of these sets starts none).
private struct DirectiveWordClass: OptionSet, Sendable {
    let rawValue: UInt16
    static let length = DirectiveWordClass(rawValue: 1 << 0)
    static let format = DirectiveWordClass(rawValue: 1 << 1)
    static let bound = DirectiveWordClass(rawValue: 1 << 2)
    static let language = DirectiveWordClass(rawValue: 1 << 3)
    static let coverage = DirectiveWordClass(rawValue: 1 << 4)
    static let unit = DirectiveWordClass(rawValue: 1 << 5)
    static let tone = DirectiveWordClass(rawValue: 1 << 6)
    static let always = DirectiveWordClass(rawValue: 1 << 7)
    /// Not a check of its own: makes a language instruction conditional.
    static let conditional = DirectiveWordClass(rawValue: 1 << 8)
}

/// Every word that starts a check of `directives(in:)`, from the same sets the checks read.
private let directiveWordClasses = WordTable<DirectiveWordClass>({
    var table: [String: DirectiveWordClass] = [:]
    func add<Words: Sequence<String>>(_ words: Words, _ wordClass: DirectiveWordClass) {
        for word in words { table[word, default: []].insert(wordClass) }
    }
    add(shortWords, .length)
    add(longWords, .length)
    add(["detail"], .length)
    add(formats.keys, .format)
    // The first words `bound(_:at:)` matches.
    add(["at", "up", "no", "maximum", "under", "max", "minimum"], .bound)
    add(languages, .language)
    add(["language"], .language)
    add(coverageVerbs, .coverage)
    add(units.keys, .unit)
    add(tones.keys, .tone)
    add(["always", "never"], .always)
    add(conditionalWords, .conditional)
    return table
}())

/// The language an instruction asks for at `index` ("in English", "must be in French", "English only"),
/// or "the user's language" for "reply in the customer's language" / "the same language as the user".
private func languageDirective(_ words: [String], at index: Int) -> String? {
    let word = words[index]
    guard languages.contains(word) || word == "language" else { return nil }
    // "Do not answer in French" forbids a language; it does not choose one.
    if words[..<index].contains(where: { negators.contains($0) }) { return nil }
    let triggered = words[..<index].contains { languageTriggers.contains($0) }
    if languages.contains(word) {
        // "in English" after an output verb or modal; "English only".
        if index >= 1, ["in", "into"].contains(words[index - 1]), triggered { return word }
        if index + 1 < words.count, words[index + 1] == "only" { return word }
        if index >= 1, ["use", "always"].contains(words[index - 1]) { return word }
        return nil
    }
    guard word == "language", triggered || words[..<index].contains("same") || words[..<index].contains("match") else { return nil }
    // "in the customer's language", "in their language", "the same language as the user", "match the
    // user's language".
    let before = words[max(0, index - 3)..<index]
    let after = words[(index + 1)..<min(words.count, index + 5)]
    if before.contains(where: { speakers.contains($0) }) { return userLanguage }
    if before.contains("same") && (after.contains(where: { speakers.contains($0) }) || after.contains("input") || after.contains("question")
                                   || after.contains("message")) {
        return userLanguage
    }
    return nil
}

/// "short" is about the output only at the end of a sentence ("keep it short") or before a word for
/// the output ("short answers"), not in "a short story about…".
private func describesOutput(_ words: [String], after index: Int) -> Bool {
    guard index + 1 < words.count else { return true }
    return units[words[index + 1]] != nil
        || ["answer", "answers", "response", "responses", "reply", "replies", "summary"].contains(words[index + 1])
}

/// "at most", "max", "maximum", "tops", "or less", "or fewer", "at the most" right after `index`.
private func isTrailingUpperBound(_ words: [String], after index: Int) -> Bool {
    let tail = Array(words[(index + 1)..<min(words.count, index + 4)])
    if let first = tail.first, ["max", "maximum", "tops"].contains(first) { return true }
    if tail.count >= 2, tail[0] == "at", tail[1] == "most" { return true }
    if tail.count >= 3, tail[0] == "at", tail[1] == "the", tail[2] == "most" { return true }
    return tail.count >= 2 && tail[0] == "or" && ["less", "fewer"].contains(tail[1])
}

/// A limit too small to cover everything: a few sentences or lines, one paragraph, a short word count.
private func isTight(unit: String, value: Int) -> Bool {
    switch unit {
    case "sentences", "lines", "bullet points", "items": return value <= 3
    case "paragraphs": return value <= 1
    case "words": return value <= 60
    case "characters": return value <= 300
    default: return false
    }
}

private func bound(_ words: [String], at index: Int) -> (DirectiveKind.Bound, Int)? {
    func at(_ offset: Int) -> String? { index + offset < words.count ? words[index + offset] : nil }
    switch (words[index], at(1), at(2)) {
    case ("at", "most", _), ("up", "to", _): return (.atMost, 2)
    case ("no", "more", "than"): return (.atMost, 3)
    case ("maximum", "of", _): return (.atMost, 2)
    case ("under", _, _), ("max", _, _): return (.atMost, 1)
    case ("at", "least", _): return (.atLeast, 2)
    case ("no", "fewer", "than"), ("no", "less", "than"): return (.atLeast, 3)
    case ("minimum", "of", _): return (.atLeast, 2)
    default: return nil
    }
}

private func number(_ words: [String], at index: Int) -> Int? {
    guard index < words.count else { return nil }
    return Int(words[index]) ?? numberWords[words[index]]
}

/// Why two directives conflict, or nil.
package func conflict(_ a: DirectiveKind, _ b: DirectiveKind) -> String? {
    switch (a, b) {
    case (.length(let x), .length(let y)) where x != y:
        return "asks for \(y == .short ? "brevity" : "exhaustive detail") after asking for \(x == .short ? "brevity" : "exhaustive detail")"
    case (.limit(let unit, let boundA, let valueA), .limit(let unitB, let boundB, let valueB)) where unit == unitB && boundA != boundB:
        let (most, least) = boundA == .atMost ? (valueA, valueB) : (valueB, valueA)
        return least > most ? "at least \(least) \(unit) but at most \(most)" : nil
    case (.format(let x, let px), .format(let y, let py)):
        if x == y && px != py { return "\(x) is both required and forbidden" }
        if px && py && x != y && (exclusiveFormats.contains(x) || exclusiveFormats.contains(y)) {
            return "asks for \(y) after asking for \(x)"
        }
        return nil
    case (.always(let x, let px), .always(let y, let py)) where x == y && px != py:
        return "“always \(x)” and “never \(x)”"
    case (.language(let x), .language(let y)) where x != y:
        let name = { (language: String) in language.hasPrefix("the ") ? language : language.capitalized }
        return "answer in \(name(x)) or in \(name(y))?"
    case (.exhaustive, .limit(let unit, .atMost, let value)), (.limit(let unit, .atMost, let value), .exhaustive):
        return isTight(unit: unit, value: value) ? "covering everything does not fit in at most \(value) \(unit)" : nil
    case (.tone(let x), .tone(let y)) where x != y:
        return "\(x) tone and \(y) tone"
    default:
        return nil
    }
}

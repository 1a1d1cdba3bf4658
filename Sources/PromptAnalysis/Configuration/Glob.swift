/// A path glob as `.gitignore`-style ignore lists write them: `*` matches within one path segment, `**`
/// matches any number of segments, `?` one character, `[abc]`/`[a-z]`/`[!x]` a class. A pattern without
/// a `/` matches a file or folder name at any depth (`*.draft.prompt`, `node_modules`); a pattern with a
/// `/` is anchored at the configuration's folder (`prompts/legacy/**`). A trailing `/` matches folders only.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let segments: [String]
    private let anchored: Bool
    private let directoryOnly: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        var body = pattern
        directoryOnly = body.hasSuffix("/")
        if directoryOnly { body.removeLast() }
        if body.hasPrefix("/") { body.removeFirst() }
        anchored = body.contains("/")
        segments = body.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    public var description: String { pattern }

    /// Whether `relativePath` (segments separated by `/`, relative to the configuration's folder) matches.
    public func matches(_ relativePath: String, isDirectory: Bool = false) -> Bool {
        if directoryOnly && !isDirectory { return false }
        let path = relativePath.split(separator: "/").map(String.init)
        if anchored { return match(segments[...], path[...]) }
        guard let name = path.last, segments.count == 1 else { return match(segments[...], path[...]) }
        return matchSegment(Array(segments[0].unicodeScalars)[...], Array(name.unicodeScalars)[...])
    }

    private func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            var index = path.startIndex
            while true {
                if match(rest, path[index...]) { return true }
                if index == path.endIndex { return false }
                index += 1
            }
        }
        guard let segment = path.first,
              matchSegment(Array(first.unicodeScalars)[...], Array(segment.unicodeScalars)[...])
        else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// Matches one segment with `*`, `?` and classes (iterative with backtracking on the last `*`).
    private func matchSegment(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        let p = Array(pattern)
        let t = Array(text)
        var pi = 0
        var ti = 0
        var star: (p: Int, t: Int)?
        while ti < t.count {
            if pi < p.count, p[pi] == "*" {
                star = (pi, ti)
                pi += 1
            } else if pi < p.count, let (matched, next) = matchOne(p, pi, t[ti]), matched {
                pi = next
                ti += 1
            } else if let saved = star {
                pi = saved.p + 1
                ti = saved.t + 1
                star = (saved.p, saved.t + 1)
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Matches one pattern element at `index` against `character`; returns whether it matched and the
    /// index after the element.
    private func matchOne(_ p: [Unicode.Scalar], _ index: Int, _ character: Unicode.Scalar) -> (Bool, Int)? {
        switch p[index] {
        case "?": return (true, index + 1)
        case "[":
            var i = index + 1
            let negated = i < p.count && (p[i] == "!" || p[i] == "^")
            if negated { i += 1 }
            var matched = false
            var first = true
            while i < p.count, p[i] != "]" || first {
                first = false
                if i + 2 < p.count, p[i + 1] == "-", p[i + 2] != "]" {
                    if p[i].value <= character.value && character.value <= p[i + 2].value { matched = true }
                    i += 3
                } else {
                    if p[i] == character { matched = true }
                    i += 1
                }
            }
            guard i < p.count else { return (p[index] == character, index + 1) }  // unterminated: literal `[`
            return (matched != negated, i + 1)
        default:
            return (p[index] == character, index + 1)
        }
    }
}

/// A unified diff (`diff -u` format, 3 lines of context) between two texts, for `check --fix --dry-run`.
/// Lines are compared whole; the edit script is the shortest (Myers' O(ND) algorithm).
public func unifiedDiff(old: String, new: String, path: String, context: Int = 3) -> String {
    let a = splitLines(old)
    let b = splitLines(new)
    let script = shortestEditScript(a, b)
    guard script.contains(where: { $0.kind != .keep }) else { return "" }
    let shown = path.hasPrefix("/") ? String(path.dropFirst()) : path
    var output = "--- a/\(shown)\n+++ b/\(shown)\n"
    // Group changes into hunks with `context` lines around them.
    var index = 0
    while index < script.count {
        guard script[index].kind != .keep else { index += 1; continue }
        var start = index
        var keptBefore = 0
        while start > 0, script[start - 1].kind == .keep, keptBefore < context { start -= 1; keptBefore += 1 }
        var end = index
        var trailing = 0
        while end < script.count {
            if script[end].kind == .keep {
                trailing += 1
                if trailing > context * 2 { break }
            } else {
                trailing = 0
            }
            end += 1
        }
        end -= max(0, trailing - context)
        let hunk = script[start..<end]
        let oldStart = hunk.first.map { $0.oldIndex } ?? 0
        let newStart = hunk.first.map { $0.newIndex } ?? 0
        let oldCount = hunk.filter { $0.kind != .insert }.count
        let newCount = hunk.filter { $0.kind != .delete }.count
        output += "@@ -\(oldCount == 0 ? oldStart : oldStart + 1),\(oldCount) +\(newCount == 0 ? newStart : newStart + 1),\(newCount) @@\n"
        for step in hunk {
            switch step.kind {
            case .keep: output += " " + a[step.oldIndex]
            case .delete: output += "-" + a[step.oldIndex]
            case .insert: output += "+" + b[step.newIndex]
            }
        }
        index = end
    }
    return output
}

private struct Step {
    enum Kind { case keep, delete, insert }
    var kind: Kind
    var oldIndex: Int
    var newIndex: Int
}

/// Lines with their terminators; a last line without one gets "\n\\ No newline at end of file\n".
private func splitLines(_ text: String) -> [String] {
    var lines: [String] = []
    var current = ""
    for character in text {
        current.append(character)
        if character == "\n" || character == "\r\n" {
            lines.append(current)
            current = ""
        }
    }
    if !current.isEmpty { lines.append(current + "\n\\ No newline at end of file\n") }
    return lines
}

/// Myers' greedy algorithm, recording the furthest-reaching paths to backtrack the script.
private func shortestEditScript(_ a: [String], _ b: [String]) -> [Step] {
    let n = a.count
    let m = b.count
    let maximum = n + m
    guard maximum > 0 else { return [] }
    var frontier = [Int](repeating: 0, count: 2 * maximum + 2)
    var trace: [[Int]] = []
    outer: for d in 0...maximum {
        trace.append(frontier)
        for k in stride(from: -d, through: d, by: 2) {
            var x: Int
            if k == -d || (k != d && frontier[k - 1 + maximum + 1] < frontier[k + 1 + maximum + 1]) {
                x = frontier[k + 1 + maximum + 1]
            } else {
                x = frontier[k - 1 + maximum + 1] + 1
            }
            var y = x - k
            while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
            frontier[k + maximum + 1] = x
            if x >= n && y >= m { trace.append(frontier); break outer }
        }
    }
    var steps: [Step] = []
    var x = n
    var y = m
    for d in stride(from: trace.count - 2, through: 0, by: -1) {
        let v = trace[d]
        let k = x - y
        let previousK = (k == -d || (k != d && v[k - 1 + maximum + 1] < v[k + 1 + maximum + 1])) ? k + 1 : k - 1
        let previousX = v[previousK + maximum + 1]
        let previousY = previousX - previousK
        while x > previousX && y > previousY {
            steps.append(Step(kind: .keep, oldIndex: x - 1, newIndex: y - 1))
            x -= 1
            y -= 1
        }
        if d > 0 {
            if x == previousX {
                steps.append(Step(kind: .insert, oldIndex: x, newIndex: y - 1))
            } else {
                steps.append(Step(kind: .delete, oldIndex: x - 1, newIndex: y))
            }
        }
        x = previousX
        y = previousY
    }
    return steps.reversed()
}

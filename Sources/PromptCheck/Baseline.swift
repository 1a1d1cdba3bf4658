import Foundation
import PromptAnalysis

/// A committed record of what each prompt cost when the baseline was written: the token-regression
/// gate compares a new run against it. Stored as sorted, indented JSON so that diffs review well.
public struct Baseline: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public var model: String?
        public var inputTokens: Int
        public var usdPerCall: String?
        public var callsPerMonth: String?
        public var messages: [Message]

        public struct Message: Sendable, Equatable, Codable {
            public var role: String
            public var tokens: Int
        }
    }

    public var version: Int = 1
    public var prompts: [String: Entry]

    public init(prompts: [String: Entry]) { self.prompts = prompts }

    /// The baseline for the prompts of a run (prompts without a cost are left out).
    public init(reports: [FileReport]) {
        var prompts: [String: Entry] = [:]
        for report in reports {
            guard let cost = report.cost else { continue }
            prompts[report.path] = Entry(
                model: cost.modelID ?? cost.modelName, inputTokens: cost.inputTokens,
                usdPerCall: cost.usdPerCall.map(decimalString), callsPerMonth: cost.callsPerMonth.map(decimalString),
                messages: cost.messages.map { Entry.Message(role: $0.role, tokens: $0.tokens) })
        }
        self.prompts = prompts
    }

    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a baseline file; a malformed one is an error with the decoder's reason (exit code 2).
    public static func decode(_ data: Data) throws -> Baseline {
        try JSONDecoder().decode(Baseline.self, from: data)
    }
}

/// The comparison of a run with a baseline.
public struct BaselineComparison: Sendable {
    public enum Kind: Sendable, Equatable {
        case unchanged
        /// Grew; `exceeded` when tokens or USD grew beyond the allowed share.
        case grew(exceeded: Bool)
        case shrank
        case added
        case removed

        var name: String {
            switch self {
            case .unchanged: "unchanged"
            case .grew(let exceeded): exceeded ? "grew-beyond-limit" : "grew"
            case .shrank: "shrank"
            case .added: "added"
            case .removed: "removed"
            }
        }
    }

    public struct Change: Sendable {
        public var path: String
        public var kind: Kind
        public var before: Baseline.Entry?
        public var after: Baseline.Entry?
        /// Relative token growth (0.1 = +10%).
        public var tokenGrowth: Double
        /// Monthly USD difference at the prompt's configured volume, when both costs and a volume are known.
        public var usdPerMonthDelta: Decimal?
    }

    public var maxGrowth: Double
    public var changes: [Change]

    /// Whether the gate fails: some prompt grew beyond `maxGrowth`. New and removed prompts do not fail.
    public var failed: Bool { changes.contains { $0.kind == .grew(exceeded: true) } }
}

/// Compares a run with a baseline. A prompt fails the gate when its input tokens or its USD per call grew
/// by more than `maxGrowth` (a fraction: 0.1 allows +10%).
public func compare(_ baseline: Baseline, with current: Baseline, maxGrowth: Double) -> BaselineComparison {
    var changes: [BaselineComparison.Change] = []
    for path in Set(baseline.prompts.keys).union(current.prompts.keys).sorted() {
        let before = baseline.prompts[path]
        let after = current.prompts[path]
        guard let before, let after else {
            changes.append(.init(path: path, kind: before == nil ? .added : .removed, before: before, after: after,
                                 tokenGrowth: 0))
            continue
        }
        let tokenGrowth = growth(Double(before.inputTokens), Double(after.inputTokens))
        var usdGrowth = 0.0
        var monthly: Decimal?
        if let b = before.usdPerCall.flatMap({ Decimal(string: $0) }), let a = after.usdPerCall.flatMap({ Decimal(string: $0) }) {
            usdGrowth = growth(NSDecimalNumber(decimal: b).doubleValue, NSDecimalNumber(decimal: a).doubleValue)
            if let calls = after.callsPerMonth.flatMap({ Decimal(string: $0) }) { monthly = (a - b) * calls }
        }
        let kind: BaselineComparison.Kind
        if after.inputTokens == before.inputTokens && usdGrowth == 0 {
            kind = .unchanged
        } else if tokenGrowth > 0 || usdGrowth > 0 {
            kind = .grew(exceeded: tokenGrowth > maxGrowth + 1e-12 || usdGrowth > maxGrowth + 1e-12)
        } else {
            kind = .shrank
        }
        changes.append(.init(path: path, kind: kind, before: before, after: after, tokenGrowth: tokenGrowth,
                             usdPerMonthDelta: monthly))
    }
    return BaselineComparison(maxGrowth: maxGrowth, changes: changes)
}

private func growth(_ before: Double, _ after: Double) -> Double {
    before == 0 ? (after == 0 ? 0 : 1) : (after - before) / before
}

/// Parses `10%`, `0.1` or `10` (percent when above 1) into a fraction; nil for anything else.
public func parseGrowth(_ text: String) -> Double? {
    var body = text.trimmingCharacters(in: .whitespaces)
    let isPercent = body.hasSuffix("%")
    if isPercent { body.removeLast() }
    guard let value = Double(body), value >= 0, value.isFinite else { return nil }
    return isPercent || value > 1 ? value / 100 : value
}

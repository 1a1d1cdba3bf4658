import Foundation

/// A call volume, normalised to calls per month, as written in configuration or frontmatter
/// (`metadata.tokenmin.volume: 8M/month`).
///
/// Accepted: a number with an optional multiplier suffix — `k` (thousand), `M` or `m` (million; a
/// call count has no "milli"), `B` (billion) — optionally followed by `/month` (`/mo`), `/week`
/// (`/wk`), `/day` (`/d`), `/hour` (`/h`, `/hr`) or `/minute` (`/min`); a plain number is per month.
/// `per` may replace the slash (`250k per day`), and `,` or `_` may group digits (`1,200/hour`).
/// A month is 30 days (a week is 7 days, so 1/week is 30/7 calls per month): the same convention as
/// providers' "monthly" estimates, and easy to check by hand.
public struct CallVolume: Sendable, Equatable {
    public var callsPerMonth: Decimal

    public init(callsPerMonth: Decimal) {
        self.callsPerMonth = callsPerMonth
    }

    /// Days in the month this arithmetic assumes.
    public static let daysPerMonth: Decimal = 30

    /// Parses a volume; malformed text is an error value carrying a message, never a crash.
    public static func parse(_ text: String) -> Result<CallVolume, CallVolumeError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .failure(CallVolumeError("empty volume; write e.g. 8M/month")) }
        var amountText = trimmed
        var periodText = "month"
        if let slash = trimmed.firstIndex(of: "/") {
            amountText = String(trimmed[..<slash])
            periodText = String(trimmed[trimmed.index(after: slash)...])
        } else if let per = trimmed.range(of: " per ", options: .caseInsensitive) {
            amountText = String(trimmed[..<per.lowerBound])
            periodText = String(trimmed[per.upperBound...])
        }
        amountText = amountText.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
            .replacingOccurrences(of: ",", with: "")
        periodText = periodText.trimmingCharacters(in: .whitespaces).lowercased()

        var suffix: Character?
        if let last = amountText.last, last.isLetter {
            suffix = last
            amountText.removeLast()
            amountText = amountText.trimmingCharacters(in: .whitespaces)
        }
        // Decimal(string:) accepts a leading numeric prefix ("12abc" → 12), so insist on digits and one dot.
        let isNumber =
            !amountText.isEmpty && amountText.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
            && amountText.filter { $0 == "." }.count <= 1 && amountText != "."
        guard isNumber, let amount = Decimal(string: amountText) else {
            return .failure(
                CallVolumeError("'\(text)' is not a volume; write e.g. 8M/month, 250k/day or 1200/hour"))
        }
        var multiplier: Decimal = 1
        switch suffix {
        case nil: break
        case "k", "K": multiplier = 1_000
        case "m", "M": multiplier = 1_000_000
        case "b", "B": multiplier = 1_000_000_000
        case let other?:
            return .failure(CallVolumeError("unknown multiplier '\(other)' in '\(text)'; use k, M or B"))
        }
        // Calls per month = amount × multiplier × periods per month; a week divides last so that 7/week
        // is exactly 30.
        let periodsPerMonth: (times: Decimal, dividedBy: Decimal)
        switch periodText {
        case "month", "mo", "months": periodsPerMonth = (1, 1)
        case "week", "wk", "weeks": periodsPerMonth = (daysPerMonth, 7)
        case "day", "d", "days": periodsPerMonth = (daysPerMonth, 1)
        case "hour", "h", "hr", "hours": periodsPerMonth = (daysPerMonth * 24, 1)
        case "minute", "min", "minutes": periodsPerMonth = (daysPerMonth * 24 * 60, 1)
        default:
            return .failure(
                CallVolumeError(
                    "unknown period '\(periodText)' in '\(text)'; use /month, /week, /day, /hour or /minute"))
        }
        return .success(
            CallVolume(callsPerMonth: amount * multiplier * periodsPerMonth.times / periodsPerMonth.dividedBy)
        )
    }
}

/// Why a volume could not be parsed, in words fit for a diagnostic.
public struct CallVolumeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

import Foundation

/// Formats USD amounts for people. Every rule rounds half away from zero ("half-up"), never
/// banker's rounding: `$0.00425` → `$0.0043`, `$2.345` → `$2.35`. JSON output should carry the
/// unrounded `Decimal` as a string (`"\(usd)"`) instead.
///
/// - `perCall`: below $1, two significant digits, at least two decimals and no trailing zero past
///   the second (`$0.0042`, `$0.42`, `$0.05`, `$0.00000015`); from $1, cents with thousands
///   separators (`$1.23`, `$1,234.57`). Amounts below $0.0000000001 show as `<$0.0000000001`.
/// - `compact` / `perMonth`: below $100 as `perCall`; $100–$999 whole dollars (`$420`); from $1,000
///   a suffix k, M, B, T with two significant digits below 10 (`$1.2k`, `$3.4M`) and whole numbers
///   above (`$12k`, `$340M`). Rounding that reaches the next unit moves to it (`$999.6` → `$1.0k`).
/// - `perMillionTokens`: a per-token price × 1,000,000, exact up to six decimals, at least two
///   (`$2.50/MTok`, `$0.075/MTok`, `$0.0375/MTok`).
public enum USDFormat {
    /// The smallest amount shown as a number; anything smaller is `<$0.0000000001`.
    static let smallestShownDecimals = 10

    public static func perCall(_ usd: Decimal) -> String {
        signed(usd, perCallMagnitude)
    }

    private static func perCallMagnitude(_ magnitude: Decimal) -> String {
        perCallMagnitude(magnitude, extraDigits: 0)
    }

    /// `perCall` with `extraDigits` more significant digits below $1 (more decimals from $1), trailing
    /// zeros past the second decimal dropped.
    private static func perCallMagnitude(_ magnitude: Decimal, extraDigits: Int) -> String {
        if magnitude.isZero { return "$0" }
        if let small = belowOneDollar(magnitude, significantDigits: 2 + extraDigits) { return small }
        var text = fixed(magnitude, decimals: 2 + extraDigits, grouping: true)
        while extraDigits > 0, text.hasSuffix("0"), let dot = text.firstIndex(of: "."),
            text.distance(from: dot, to: text.endIndex) > 3
        {
            text.removeLast()
        }
        return "$" + text
    }

    /// Two amounts that are compared in one message ("$0.00102 per call (budget $0.001)"), each as
    /// `perCall` but with as many more significant digits (up to ten) as it takes for two different
    /// amounts to read differently: an amount 2% over a limit never shows as the limit itself.
    public static func comparing(_ amount: Decimal, with limit: Decimal) -> (amount: String, limit: String) {
        var extra = 0
        while true {
            let shown = (signed(amount) { perCallMagnitude($0, extraDigits: extra) },
                         signed(limit) { perCallMagnitude($0, extraDigits: extra) })
            if shown.0 != shown.1 || amount == limit || extra >= smallestShownDecimals - 2 {
                return (shown.0, shown.1)
            }
            extra += 1
        }
    }

    /// A short amount for totals: `$42.50`, `$420`, `$1.2k`, `$3.4M`.
    public static func compact(_ usd: Decimal) -> String {
        signed(usd) { magnitude in
            // $99.996 rounds to $100.00, which the whole-dollar rule shows as `$100`.
            if magnitude.rounded(scale: 2) < 100 { return perCallMagnitude(magnitude) }
            let dollars = magnitude.rounded(scale: 0)
            if dollars < 1000 { return "$" + fixed(dollars, decimals: 0, grouping: false) }
            var scaled = magnitude / 1000
            for suffix in ["k", "M", "B", "T"] {
                let shown = scaled < 10 ? scaled.rounded(scale: 1) : scaled.rounded(scale: 0)
                if shown < 1000 || suffix == "T" {
                    let decimals = shown < 10 ? 1 : 0
                    return "$" + fixed(shown, decimals: decimals, grouping: true) + suffix
                }
                scaled /= 1000
            }
            return "$" + fixed(magnitude, decimals: 0, grouping: true)
        }
    }

    /// `compact` with `/month`: `$1.2k/month`.
    public static func perMonth(_ usd: Decimal) -> String { compact(usd) + "/month" }

    /// A per-token price as USD per million tokens: `$2.50/MTok`.
    public static func perMillionTokens(perToken usd: Decimal) -> String {
        signed(usd * 1_000_000) { magnitude in
            let rounded = magnitude.rounded(scale: 6)
            var text = fixed(rounded, decimals: 6, grouping: true)
            // Keep at least two decimals; drop zeros after them.
            while text.hasSuffix("0"), let dot = text.firstIndex(of: "."),
                text.distance(from: dot, to: text.endIndex) > 3
            {
                text.removeLast()
            }
            return "$" + text
        } + "/MTok"
    }

    /// `significantDigits` (two by default) for 0 < amount < $1 (after rounding); nil from $1.
    private static func belowOneDollar(_ magnitude: Decimal, significantDigits: Int = 2) -> String? {
        guard magnitude < 1 else { return nil }
        // `shifted` is the amount × 10^decimals: enough decimals once it has `significantDigits` digits.
        var decimals = significantDigits - 1
        let threshold = Decimal(sign: .plus, exponent: significantDigits - 1, significand: 1)
        var shifted = magnitude * threshold
        while shifted < threshold && decimals < smallestShownDecimals + significantDigits - 2 {
            shifted *= 10
            decimals += 1
        }
        let rounded = magnitude.rounded(scale: decimals)
        if rounded.isZero { return "<$0." + String(repeating: "0", count: smallestShownDecimals - 1) + "1" }
        if rounded >= 1 { return nil }
        var text = fixed(rounded, decimals: max(2, decimals), grouping: false)
        while text.hasSuffix("0"), let dot = text.firstIndex(of: "."),
            text.distance(from: dot, to: text.endIndex) > 3
        {
            text.removeLast()
        }
        return "$" + text
    }

    private static func signed(_ usd: Decimal, _ body: (Decimal) -> String) -> String {
        usd < 0 ? "-" + body(-usd) : body(usd)
    }

    /// `value` (non-negative) rounded half-up to `decimals` places, with exactly that many decimals.
    static func fixed(_ value: Decimal, decimals: Int, grouping: Bool) -> String {
        let text = "\(value.rounded(scale: decimals))"
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var integer = String(parts[0])
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        fraction += String(repeating: "0", count: max(0, decimals - fraction.count))
        fraction = String(fraction.prefix(decimals))
        if grouping && integer.count > 3 {
            var grouped = ""
            for (offset, character) in integer.enumerated() {
                if offset > 0 && (integer.count - offset) % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            integer = grouped
        }
        return decimals > 0 ? integer + "." + fraction : integer
    }
}

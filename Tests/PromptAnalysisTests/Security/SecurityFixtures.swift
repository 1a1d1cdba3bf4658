import Foundation
import PromptText
import XCTest

/// A fixture whose expected matches are marked `⟦like this⟧` (shared by every PromptAnalysis test); the
/// markers are stripped before scanning and their positions become expected UTF-8 ranges.
struct MarkedFixture {
    let text: String
    let expectedRanges: [UTF8Range]

    init(_ marked: String) {
        var bytes: [UInt8] = []
        var ranges: [UTF8Range] = []
        var openedAt: Int?
        for scalar in marked.unicodeScalars {
            switch scalar {
            case "⟦":
                openedAt = bytes.count
            case "⟧":
                ranges.append(UTF8Range(start: openedAt ?? bytes.count, end: bytes.count))
                openedAt = nil
            default:
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        text = String(decoding: bytes, as: UTF8.self)
        expectedRanges = ranges
    }

    func substring(_ range: UTF8Range) -> String {
        String(decoding: Array(text.utf8)[range.range], as: UTF8.self)
    }
}

/// Deterministic stand-ins for key material, so that no realistic credential is committed to the
/// repository (and secret scanners watching it stay quiet), while every test still sees random-looking
/// bytes of the right alphabet and length.
enum FakeKey {
    static let base62 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    static let base64URL = base62 + Array("-_")
    static let base64 = base62 + Array("+/")
    static let awsID = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    static let digits = Array("0123456789")

    /// `count` characters drawn from `alphabet` by a SplitMix64 generator seeded from `seed`.
    static func random(_ count: Int, from alphabet: [Character] = base62, seed: String = "") -> String {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(seed)/\(count)/\(alphabet.count)".utf8 {
            state = (state ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        var result = ""
        for _ in 0..<count {
            state &+= 0x9e37_79b9_7f4a_7c15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
            mixed ^= mixed >> 31
            result.append(alphabet[Int(mixed % UInt64(alphabet.count))])
        }
        return result
    }
}

/// Asserts that no substring of `secret` of five or more characters appears in any of `outputs`.
func assertNothingLeaks(
    _ secret: String, in outputs: [String], file: StaticString = #filePath, line: UInt = #line
) {
    let characters = Array(secret)
    guard characters.count >= 5 else { return }
    for start in 0...(characters.count - 5) {
        let piece = String(characters[start..<(start + 5)])
        for output in outputs where output.contains(piece) {
            XCTFail("output \"\(output)\" repeats \"\(piece)\" of the secret", file: file, line: line)
            return
        }
    }
}

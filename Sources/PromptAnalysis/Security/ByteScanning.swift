import Foundation
import PromptText

// Byte-level helpers shared by the secret and personal-data scanners. The scanners run on every
// keystroke over whole prompt files, so they work on `UnsafeBufferPointer<UInt8>` and never allocate
// per character; allocation happens only for the (rare) candidate values that are examined further.

typealias Bytes = UnsafeBufferPointer<UInt8>

@inline(__always) func isASCIIDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
@inline(__always) func isASCIIUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
@inline(__always) func isASCIILower(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
@inline(__always) func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
@inline(__always) func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    isASCIIDigit(byte) || isASCIILetter(byte)
}
@inline(__always) func asciiLowercased(_ byte: UInt8) -> UInt8 { isASCIIUpper(byte) ? byte | 0x20 : byte }
@inline(__always) func isHorizontalSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
@inline(__always) func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}

/// Characters of a credential "word": the alphabet of nearly every provider token (`[A-Za-z0-9_-]`).
@inline(__always) func isTokenByte(_ byte: UInt8) -> Bool {
    isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether the bytes at `offset` spell `literal` exactly (ASCII).
    @inline(__always) func matches(_ literal: StaticString, at offset: Int) -> Bool {
        literal.withUTF8Buffer { pointer in
            guard offset >= 0, offset + pointer.count <= self.count else { return false }
            for index in 0..<pointer.count where self[offset + index] != pointer[index] { return false }
            return true
        }
    }

    /// Like `matches(_:at:)` but ignoring ASCII case; `literal` must be lowercase.
    @inline(__always) func matchesIgnoringCase(_ literal: StaticString, at offset: Int) -> Bool {
        literal.withUTF8Buffer { pointer in
            guard offset >= 0, offset + pointer.count <= self.count else { return false }
            for index in 0..<pointer.count where asciiLowercased(self[offset + index]) != pointer[index] {
                return false
            }
            return true
        }
    }

    /// The end of the run of bytes satisfying `predicate` starting at `offset`.
    @inline(__always) func runEnd(from offset: Int, where predicate: (UInt8) -> Bool) -> Int {
        var index = offset
        while index < count, predicate(self[index]) { index += 1 }
        return index
    }

    func string(_ range: Range<Int>) -> String { String(decoding: self[range], as: UTF8.self) }

    /// The byte at `offset`, or 0 outside the buffer (so boundary checks read as "no character").
    @inline(__always) func byte(at offset: Int) -> UInt8 { offset >= 0 && offset < count ? self[offset] : 0 }
}

/// Shannon entropy of `bytes` in bits per byte. A 20-character random base62 string scores about 4.1, a
/// 40-character hex string about 3.8, English words about 2.5–3.2 per word, `aaaa1111` scores 1.
func shannonEntropy(_ bytes: Slice<Bytes>) -> Double {
    guard !bytes.isEmpty else { return 0 }
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
        counts.initialize(repeating: 0)
        for byte in bytes { counts[Int(byte)] += 1 }
        let total = Double(bytes.count)
        var entropy = 0.0
        for count in counts where count > 0 {
            let probability = Double(count) / total
            entropy -= probability * log2(probability)
        }
        return entropy
    }
}

/// Marks of elided or templated text that no real credential contains (`sk-xxxx`, `<API_KEY>`,
/// `{{apiKey}}`, `${TOKEN}`, `sk-...`). Safe to test against long key material: random base64 contains
/// none of them except with negligible probability.
private let structuralPlaceholders: [StaticString] = [
    "xxxx", "****", "...", "<", ">", "{{", "}}", "${", "\u{2026}",
]

/// Words that mark a value as documentation (`YOUR_API_KEY`, `sk-your-key-here`, `changeme`). Only
/// tested against values of at most `placeholderWordLimit` bytes: in long random key material a
/// four-letter word appears by chance often enough (about 1 in 10⁴ per 100 bytes) to matter.
private let placeholderWords: [StaticString] = [
    "example", "your", "placeholder", "redacted", "dummy", "fake", "sample", "changeme", "replace",
    "insert", "here", "todo", "secret", "password",
]
private let placeholderWordLimit = 64

private func containsAny(_ words: [StaticString], in buffer: Bytes) -> Bool {
    for word in words {
        let length = word.withUTF8Buffer { $0.count }
        if length > buffer.count { continue }
        for offset in 0...(buffer.count - length) where buffer.matchesIgnoringCase(word, at: offset) {
            return true
        }
    }
    return false
}

/// Whether a candidate secret value is a documentation placeholder: it contains an elision or template
/// mark, a placeholder word (short values only), or is mostly one repeated character
/// (`AKIAXXXXXXXXXXXXXXXX`, `0000…`).
func looksLikePlaceholder(_ value: Slice<Bytes>) -> Bool {
    let buffer = Bytes(rebasing: value)
    if containsAny(structuralPlaceholders, in: buffer) { return true }
    if buffer.count <= placeholderWordLimit, containsAny(placeholderWords, in: buffer) { return true }
    // A run of the same character over a third of the value is filler, not key material.
    var longestRun = 0
    var run = 0
    var previous: UInt8 = 0
    for byte in buffer {
        run = byte == previous ? run + 1 : 1
        previous = byte
        longestRun = max(longestRun, run)
    }
    return buffer.count >= 6 && longestRun * 3 > buffer.count
}

/// A preview of a sensitive value that keeps at most `visible` leading characters, never the whole
/// value: at least half of it stays hidden however short it is.
func redactedPreview(_ value: String, visible: Int) -> String {
    let characters = Array(value)
    let shown = max(0, min(visible, characters.count / 2))
    return String(characters.prefix(shown)) + "…"
}

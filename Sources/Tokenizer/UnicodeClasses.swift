import CEmbeddedData

/// The character classes that tiktoken's pre-tokenization regexes distinguish. The values are the
/// bytes stored in the embedded `unicode_classes.tmuc` table (see
/// Tests/python/tools/generate_tokenizer_data.py, which measures them from tiktoken itself, so that
/// tokenmin agrees with tiktoken's Unicode version rather than Swift's).
enum CharClass {
    /// Punctuation, symbols, controls, unassigned and private-use code points, invalid UTF-8 bytes.
    static let other: UInt8 = 0
    /// `\p{Lu}` and `\p{Lt}`.
    static let upper: UInt8 = 1
    /// `\p{Ll}`.
    static let lower: UInt8 = 2
    /// `\p{Lm}` and `\p{Lo}`: letters without case, in both of o200k's case classes.
    static let caseless: UInt8 = 3
    /// `\p{M}`: not a letter, yet in both of o200k's case classes.
    static let mark: UInt8 = 4
    /// `\p{N}`.
    static let number: UInt8 = 5
    /// `\s` except CR and LF.
    static let space: UInt8 = 6
    /// CR or LF.
    static let newline: UInt8 = 7
    /// Past the end of the text; in no class.
    static let end: UInt8 = 8

    /// Class sets as bit masks over `1 << class`, one per regex character class.
    static let letterMask: UInt32 = 1 << 1 | 1 << 2 | 1 << 3  // \p{L}
    static let whitespaceMask: UInt32 = 1 << 6 | 1 << 7  // \s
    /// `[^\r\n\p{L}\p{N}]`: the optional prefix before a word.
    static let prefixMask: UInt32 = 1 << 0 | 1 << 4 | 1 << 6
    /// `[^\s\p{L}\p{N}]`: punctuation runs.
    static let punctuationMask: UInt32 = 1 << 0 | 1 << 4
    /// o200k's `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`.
    static let upperishMask: UInt32 = 1 << 1 | 1 << 3 | 1 << 4
    /// o200k's `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`.
    static let lowerishMask: UInt32 = 1 << 2 | 1 << 3 | 1 << 4

    @inline(__always) static func isIn(_ klass: UInt8, _ mask: UInt32) -> Bool {
        (mask >> UInt32(klass)) & 1 != 0
    }
}

/// The embedded two-stage class table: 4352 little-endian `UInt16` block indices (one per 256 code
/// points), then blocks of 256 class bytes. Points into read-only data that lives for the process.
struct UnicodeClassTable: @unchecked Sendable {
    // @unchecked: both pointers address immutable embedded data that is never freed.
    private let stage1: UnsafeRawPointer
    private let stage2: UnsafePointer<UInt8>
    /// Classes of U+0000...U+00FF (block 0 is addressed directly on the ASCII fast path).
    let latin1: UnsafePointer<UInt8>

    static let embedded = UnicodeClassTable(blob: tm_unicode_classes())

    private init(blob: tm_blob) {
        let raw = UnsafeRawPointer(blob.bytes!)
        // The header is checked once; a mismatch means the build embedded the wrong file, which no
        // input can cause, so it is a programming error.
        precondition(blob.count > 12 && raw.loadUnaligned(as: UInt32.self) == 0x4355_4D54, "bad unicode_classes.tmuc")
        let blockCount = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        precondition(blob.count == 12 + 4352 * 2 + blockCount * 256, "bad unicode_classes.tmuc size")
        stage1 = raw + 12
        stage2 = blob.bytes! + 12 + 4352 * 2
        latin1 = stage2 + Int(UInt16(littleEndian: stage1.loadUnaligned(as: UInt16.self))) * 256
    }

    /// The class of a scalar value (`0...0x10FFFF`).
    @inline(__always) func klass(of scalar: UInt32) -> UInt8 {
        let block = UInt16(littleEndian: stage1.loadUnaligned(fromByteOffset: Int(scalar >> 8) * 2, as: UInt16.self))
        return stage2[Int(block) &* 256 &+ Int(scalar & 0xFF)]
    }
}

/// UTF-8 sequences, by the rules the pre-tokenizer and the per-character merge share.
enum UTF8Sequence {
    /// The number of bytes a sequence that starts with `lead` has by its shape (1...4), or 0 for a
    /// continuation byte or a byte that never occurs in UTF-8.
    @inline(__always) static func length(lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    /// The scalar and length of the well-formed multi-byte sequence at `p` (whose lead byte is 0x80
    /// or more) within `available` bytes, or nil: a missing continuation byte, an overlong form, a
    /// surrogate or a scalar past U+10FFFF makes the lead byte an invalid byte of its own.
    @inline(__always) static func decode(_ p: UnsafePointer<UInt8>, available: Int) -> (scalar: UInt32, length: Int)? {
        @inline(__always) func continuation(_ k: Int) -> UInt32? {
            guard k < available, p[k] & 0xC0 == 0x80 else { return nil }
            return UInt32(p[k] & 0x3F)
        }
        let lead = p[0]
        switch lead {
        case 0xC2...0xDF:
            guard let c1 = continuation(1) else { return nil }
            return (UInt32(lead & 0x1F) << 6 | c1, 2)
        case 0xE0...0xEF:
            guard let c1 = continuation(1), let c2 = continuation(2) else { return nil }
            let scalar = UInt32(lead & 0x0F) << 12 | c1 << 6 | c2
            guard scalar >= 0x800, !(0xD800...0xDFFF).contains(scalar) else { return nil }
            return (scalar, 3)
        case 0xF0...0xF4:
            guard let c1 = continuation(1), let c2 = continuation(2), let c3 = continuation(3) else { return nil }
            let scalar = UInt32(lead & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            guard (0x10000...0x10FFFF).contains(scalar) else { return nil }
            return (scalar, 4)
        default:
            return nil
        }
    }
}

import CEmbeddedData

/// The Unicode general category of every scalar, one byte per scalar, as the reference regex
/// engines (Oniguruma in `tokenizers`, Rust regex in tiktoken) see it: measured from them by
/// Tests/python/tools/generate_bundled_tokenizers.py, since Swift's Unicode tables are a newer
/// version (an unassigned scalar there is a letter here, and pieces split differently).
///
/// Only the generic tokenizer engine uses it (the OpenAI encodings keep their own class table), so
/// it is expanded on first use of such an encoding (1.1 MB).
enum ScalarCategories {
    /// Category numbers: the bit of a category in a `CategoryMask` is `1 << number`.
    static let uppercaseLetter: UInt8 = 0
    static let lowercaseLetter: UInt8 = 1
    static let titlecaseLetter: UInt8 = 2
    static let modifierLetter: UInt8 = 3
    static let otherLetter: UInt8 = 4
    static let nonspacingMark: UInt8 = 5
    static let spacingMark: UInt8 = 6
    static let enclosingMark: UInt8 = 7
    static let decimalNumber: UInt8 = 8
    static let letterNumber: UInt8 = 9
    static let otherNumber: UInt8 = 10
    static let connectorPunctuation: UInt8 = 11
    static let dashPunctuation: UInt8 = 12
    static let openPunctuation: UInt8 = 13
    static let closePunctuation: UInt8 = 14
    static let initialPunctuation: UInt8 = 15
    static let finalPunctuation: UInt8 = 16
    static let otherPunctuation: UInt8 = 17
    static let mathSymbol: UInt8 = 18
    static let currencySymbol: UInt8 = 19
    static let modifierSymbol: UInt8 = 20
    static let otherSymbol: UInt8 = 21
    static let spaceSeparator: UInt8 = 22
    static let lineSeparator: UInt8 = 23
    static let paragraphSeparator: UInt8 = 24
    static let control: UInt8 = 25
    static let format: UInt8 = 26
    static let surrogate: UInt8 = 27
    static let privateUse: UInt8 = 28
    static let unassigned: UInt8 = 29

    /// The masks of the one- and two-letter property names accepted in `\p{…}`.
    static let masksByName: [String: UInt32] = {
        var masks: [String: UInt32] = [:]
        let names = [
            "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf",
            "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn",
        ]
        for (number, name) in names.enumerated() {
            masks[name] = 1 << UInt32(number)
            let major = String(name.prefix(1))
            masks[major, default: 0] |= 1 << UInt32(number)
        }
        masks["LC"] = masks["Lu"]! | masks["Ll"]! | masks["Lt"]!
        let long: [String: String] = [
            "Letter": "L", "Mark": "M", "Number": "N", "Punctuation": "P", "Symbol": "S", "Separator": "Z",
            "Other": "C", "Uppercase_Letter": "Lu", "Lowercase_Letter": "Ll", "Titlecase_Letter": "Lt",
            "Modifier_Letter": "Lm", "Other_Letter": "Lo", "Decimal_Number": "Nd", "Cased_Letter": "LC",
        ]
        for (longName, short) in long { masks[longName] = masks[short] }
        return masks
    }()

    /// One byte per scalar value 0...0x10FFFF (surrogate code points as `surrogate`), expanded
    /// once from the embedded two-stage table.
    static let table: [UInt8] = {
        let blob = tm_unicode_categories()
        let raw = UnsafeRawBufferPointer(start: blob.bytes, count: blob.count)
        precondition(raw.count >= 12 && raw.loadUnaligned(as: UInt32.self) == 0x4347_4D54, "bad TMGC blob")
        let blockCount = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        let indexStart = 12
        let blocksStart = indexStart + 2 * 4352
        precondition(raw.count == blocksStart + 256 * blockCount, "TMGC blob length mismatch")
        var table = [UInt8](repeating: unassigned, count: 0x110000)
        table.withUnsafeMutableBufferPointer { table in
            for block in 0..<4352 {
                let index = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: indexStart + 2 * block, as: UInt16.self)))
                let source = raw.baseAddress! + blocksStart + 256 * index
                (table.baseAddress! + 256 * block).update(from: source.assumingMemoryBound(to: UInt8.self), count: 256)
            }
        }
        return table
    }()

    @inline(__always) static func category(of value: UInt32) -> UInt8 {
        value < 0x110000 ? table.withUnsafeBufferPointer { $0[Int(value)] } : unassigned
    }

    /// Unicode's White_Space property (what `\s` matches in both reference regex engines).
    @inline(__always) static func isWhiteSpace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}

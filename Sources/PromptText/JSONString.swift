/// Appends `text` as a JSON string literal: quotes, backslashes and control characters escaped
/// (`\b \f \n \r \t` in short form, others as `\u00XX`), `/` and non-ASCII text as they are — the
/// same bytes `JSONSerialization` writes with `.withoutEscapingSlashes` and JavaScript's
/// `JSON.stringify` writes. The one JSON string writer: the protocol, the reports, the dumps and the
/// template helpers that stringify all use it.
public func appendJSONString(_ text: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
        case 0x0A: output.append(contentsOf: #"\n"#.utf8)
        case 0x0D: output.append(contentsOf: #"\r"#.utf8)
        case 0x09: output.append(contentsOf: #"\t"#.utf8)
        case 0x08: output.append(contentsOf: #"\b"#.utf8)
        case 0x0C: output.append(contentsOf: #"\f"#.utf8)
        case 0..<0x20:
            output.append(contentsOf: #"\u00"#.utf8)
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0xF)])
        default: output.append(byte)
        }
    }
    output.append(UInt8(ascii: "\""))
}

/// `text` as a JSON string literal (see `appendJSONString`).
public func jsonQuoted(_ text: String) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(text.utf8.count + 2)
    appendJSONString(text, to: &output)
    return String(decoding: output, as: UTF8.self)
}

/// `text` as a YAML double-quoted scalar: the JSON literal (JSON escapes are YAML escapes), with
/// the characters YAML does not allow literally in a stream or reads as line breaks also escaped —
/// DEL and the C1 controls (U+007F–U+009F, NEL included), U+2028/U+2029 and a byte order mark.
public func yamlDoubleQuoted(_ text: String) -> String {
    // C0 controls get JSON's escapes (`\n`, `\t`, `\u001b`); the rest JSON writes literally.
    func beyondJSON(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 0x7F && isUnprintableInYAML(scalar) }
    guard text.unicodeScalars.contains(where: beyondJSON) else { return jsonQuoted(text) }
    var output: [UInt8] = [UInt8(ascii: "\"")]
    var run = ""
    func flushRun() {
        guard !run.isEmpty else { return }
        var literal: [UInt8] = []
        appendJSONString(run, to: &literal)
        output += literal.dropFirst().dropLast()  // without the run's own quotes
        run = ""
    }
    for scalar in text.unicodeScalars {
        guard beyondJSON(scalar) else {
            run.unicodeScalars.append(scalar)
            continue
        }
        flushRun()
        let hex = String(scalar.value, radix: 16)
        output.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
    }
    flushRun()
    output.append(UInt8(ascii: "\""))
    return String(decoding: output, as: UTF8.self)
}

/// Whether YAML must not hold `scalar` literally: C0 controls other than tab, DEL, the C1 controls,
/// the line and paragraph separators (line breaks to YAML 1.1 readers) and a byte order mark.
public func isUnprintableInYAML(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
        || scalar.value == 0x2029 || scalar.value == 0xFEFF
}

private let hexDigits = Array("0123456789abcdef".utf8)

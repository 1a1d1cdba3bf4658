import Foundation
import Tokenizer

/// `tokenmin count`: token counts of files. Only `--raw` (the whole file as text) exists so far;
/// prompt-aware counting (rendered messages, per-model costs) is a separate branch below.
let countCommand = Subcommand(
    name: "count",
    summary: "Count tokens in files",
    help: """
        Usage: tokenmin count --raw --encoding NAME [--format text|json] FILE...

        Counts the tokens of each FILE's bytes as plain text ('-' reads standard input).

        Options:
          --raw            Count the raw file contents (required for now; prompt-aware counting
                           of .prompt files will need --model)
          --encoding NAME  \(EncodingName.allCases.map(\.rawValue).joined(separator: " or "))
          --format FORMAT  text (default): 'TOKENS PATH' per line;
                           json: [{"path": ..., "tokens": N}, ...] in argument order

        Example:
          tokenmin count --raw --encoding o200k_base README.md notes.txt
          1523 README.md
          87 notes.txt

        """,
    spec: ArgumentSpec(flags: ["--raw"], options: ["--encoding", "--format"]),
    run: { arguments, console in
        guard arguments.has("--raw") else {
            throw UsageError("prompt-aware counting needs --model (not available yet); use --raw --encoding NAME to count raw text")
        }
        return try runRawCount(arguments, console: console)
    })

/// `count --raw`: every file's bytes as ordinary text in one encoding.
private func runRawCount(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
    let encoding = try requiredEncoding(arguments)
    let format = try arguments.choice("--format", of: ["text", "json"], default: "text")
    guard !arguments.positionals.isEmpty else { throw UsageError("expected at least one FILE") }
    var counts: [(path: String, tokens: Int)] = []
    for path in arguments.positionals {
        let data = try readInput(path, console: console)
        let tokens = data.withUnsafeBytes { raw in encoding.count(utf8: raw.bindMemory(to: UInt8.self)) }
        counts.append((path, tokens))
    }
    switch format {
    case "json":
        let objects = counts.map { entry in
            "{\"path\": \(jsonString(entry.path)), \"tokens\": \(entry.tokens)}"
        }
        console.out("[" + objects.joined(separator: ", ") + "]")
    default:
        for entry in counts { console.out("\(entry.tokens) \(entry.path)") }
    }
    return ExitStatus.ok
}

/// A JSON string literal (RFC 8259 escaping).
private func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                + String(scalar.value, radix: 16)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

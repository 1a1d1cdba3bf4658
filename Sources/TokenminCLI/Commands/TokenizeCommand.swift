import PromptText
import Foundation
import Tokenizer

/// `tokenmin tokenize`: prints the token ids of a file or standard input.
let tokenizeCommand = Subcommand(
    name: "tokenize",
    summary: "Print the token ids of a text (identical to tiktoken's encode_ordinary)",
    help: """
        Usage: tokenmin tokenize --encoding NAME [FILE|-]

        Prints the token ids of FILE (or standard input, also for '-') on one line, separated by
        spaces. The whole input is ordinary text: '<|endoftext|>' is not a special token here.

        Options:
          --encoding NAME  \(EncodingName.allCases.map(\.rawValue).joined(separator: " or ")) (required)

        Example:
          printf 'hello world' | tokenmin tokenize --encoding o200k_base
          24912 2375

        """,
    spec: ArgumentSpec(options: ["--encoding"]),
    run: { arguments, console in
        let encoding = try requiredEncoding(arguments)
        guard arguments.positionals.count <= 1 else {
            throw UsageError("expected at most one FILE, got \(arguments.positionals.count)")
        }
        let data = try readInput(arguments.positionals.first ?? "-", console: console)
        let tokens = data.withUnsafeBytes { raw in
            encoding.encode(utf8: raw.bindMemory(to: UInt8.self))
        }
        console.out(tokens.map(String.init).joined(separator: " "))
        return ExitStatus.ok
    })

/// The encoding named by `--encoding`, which is required.
func requiredEncoding(_ arguments: ParsedArguments) throws(UsageError) -> BPEEncoding {
    let names = EncodingName.allCases.map(\.rawValue)
    guard let given = arguments.value("--encoding") else {
        throw UsageError("--encoding is required (\(names.joined(separator: " or ")))")
    }
    guard let name = EncodingName(rawValue: given) else {
        var message = "unknown encoding '\(given)'; expected \(names.joined(separator: " or "))"
        if let suggestion = closestMatch(to: given, in: names) { message += "; did you mean '\(suggestion)'?" }
        throw UsageError(message)
    }
    return BPEEncoding.named(name)
}

import PromptText
import Foundation
import Tokenizer

/// `tokenmin tokenize`: prints the token ids of a file or standard input.
let tokenizeCommand = Subcommand(
    name: "tokenize",
    summary: "Print the token ids of a text (identical to each tokenizer's reference library)",
    help: """
        Usage: tokenmin tokenize --encoding NAME [FILE|-]
               tokenmin tokenize --tokenizer PATH [--pattern REGEX] [FILE|-]
               tokenmin tokenize --list

        Prints the token ids of FILE (or standard input, also for '-') on one line, separated by
        spaces. OpenAI encodings give tiktoken's encode_ordinary ('<|endoftext|>' is ordinary text);
        tokenizer.json files give tokenizers' encode(text, add_special_tokens=False), which still
        turns a tokenizer's added tokens written in the text into their ids; Tekken gives
        mistral-common's encode(text, bos=False, eos=False).

        Options:
          --encoding NAME   a bundled encoding (see --list)
          --tokenizer PATH  a tokenizer file: Hugging Face tokenizer.json (BPE), Mistral tekken*.json,
                            or tiktoken ranks (.tiktoken, Llama 3's tokenizer.model)
          --pattern REGEX   the split pattern for tiktoken rank files (default: Llama 3's)
          --list            print the bundled encodings, one per line

        Example:
          printf 'hello world' | tokenmin tokenize --encoding o200k_base
          24912 2375

        """,
    spec: ArgumentSpec(flags: ["--list"], options: ["--encoding", "--tokenizer", "--pattern"]),
    run: { arguments, console in
        if arguments.has("--list") {
            guard arguments.value("--encoding") == nil, arguments.value("--tokenizer") == nil, arguments.positionals.isEmpty
            else { throw UsageError("--list takes no other arguments") }
            for line in encodingList() { console.out(line) }
            return ExitStatus.ok
        }
        let encode = try tokenizeFunction(arguments)
        guard arguments.positionals.count <= 1 else {
            throw UsageError("expected at most one FILE, got \(arguments.positionals.count)")
        }
        let data = try readInput(arguments.positionals.first ?? "-", console: console)
        let tokens = data.withUnsafeBytes { raw in encode(raw.bindMemory(to: UInt8.self)) }
        console.out(tokens.map(String.init).joined(separator: " "))
        return ExitStatus.ok
    })

/// Every encoding name `--encoding` accepts, with a one-line description.
func encodingList() -> [String] {
    let openAI = EncodingName.allCases.map { name in
        "\(name.rawValue)\t" + (name == .o200kBase ? "OpenAI GPT-4o, GPT-4.1, GPT-5, o-series (exact vs tiktoken)"
            : "OpenAI GPT-4, GPT-3.5 (exact vs tiktoken)")
    }
    return openAI + BundledTokenizer.allCases.map { "\($0.rawValue)\t\($0.summary)" }
}

/// The encoder chosen by `--encoding` or `--tokenizer` (exactly one is required).
func tokenizeFunction(_ arguments: ParsedArguments) throws -> (UnsafeBufferPointer<UInt8>) -> [UInt32] {
    let path = arguments.value("--tokenizer")
    if path != nil && arguments.value("--encoding") != nil {
        throw UsageError("give --encoding or --tokenizer, not both")
    }
    if let path {
        let tokenizer: GenericTokenizer
        do {
            tokenizer = try GenericTokenizer.load(path: path, pattern: arguments.value("--pattern"))
        } catch {
            throw CommandFailure(error.description)
        }
        return { tokenizer.encode(utf8: $0) }
    }
    if arguments.value("--pattern") != nil { throw UsageError("--pattern applies to --tokenizer files only") }
    if let given = arguments.value("--encoding"), let bundled = BundledTokenizer(rawValue: given) {
        let tokenizer = bundled.tokenizer
        return { tokenizer.encode(utf8: $0) }
    }
    let encoding = try requiredEncoding(arguments, extraNames: BundledTokenizer.allCases.map(\.rawValue))
    return { encoding.encode(utf8: $0) }
}

/// The encoding named by `--encoding`, which is required.
func requiredEncoding(_ arguments: ParsedArguments, extraNames: [String] = []) throws(UsageError) -> BPEEncoding {
    let names = EncodingName.allCases.map(\.rawValue) + extraNames
    guard let given = arguments.value("--encoding") else {
        throw UsageError("--encoding is required (\(names.joined(separator: ", ")))")
    }
    guard let name = EncodingName(rawValue: given) else {
        var message = "unknown encoding '\(given)'; expected \(names.joined(separator: ", "))"
        if let suggestion = closestMatch(to: given, in: names) { message += "; did you mean '\(suggestion)'?" }
        throw UsageError(message)
    }
    return BPEEncoding.named(name)
}

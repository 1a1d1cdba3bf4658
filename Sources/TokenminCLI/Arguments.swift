import PromptText
/// A usage problem in the command line: reported with the subcommand's usage line, exit code 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a subcommand accepts: boolean flags and options that take a value. Names include the dashes
/// (`--format`); `aliases` maps short spellings (`-o`) to the canonical name.
public struct ArgumentSpec: Sendable {
    public var flags: Set<String>
    public var options: Set<String>
    public var repeatableOptions: Set<String>
    public var aliases: [String: String]

    public init(
        flags: Set<String> = [], options: Set<String> = [], repeatableOptions: Set<String> = [],
        aliases: [String: String] = [:]
    ) {
        self.flags = flags
        self.options = options
        self.repeatableOptions = repeatableOptions
        self.aliases = aliases
    }
}

/// The result of parsing one subcommand's arguments against its `ArgumentSpec`.
public struct ParsedArguments: Sendable, Equatable {
    public var flags: Set<String> = []
    public var options: [String: [String]] = [:]
    public var positionals: [String] = []

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The last value given for an option (later occurrences win, as in most Unix tools).
    public func value(_ option: String) -> String? { options[option]?.last }

    public func values(_ option: String) -> [String] { options[option] ?? [] }

    /// The value of an option that must be one of `choices`, or `defaultValue` when absent.
    public func choice(_ option: String, of choices: [String], default defaultValue: String) throws(UsageError)
        -> String
    {
        guard let given = value(option) else { return defaultValue }
        guard choices.contains(given) else {
            throw UsageError(
                "\(option) must be one of \(choices.joined(separator: ", ")); got '\(given)'")
        }
        return given
    }
}

/// Parses `arguments` (without the subcommand name). Accepts `--name value`, `--name=value`, `--` to
/// end options, and a lone `-` as a positional (standard input). Unknown options are usage errors, with
/// the closest known spelling suggested.
public func parseArguments(_ arguments: [String], spec: ArgumentSpec) throws(UsageError) -> ParsedArguments {
    var parsed = ParsedArguments()
    var index = 0
    var optionsEnded = false
    while index < arguments.count {
        let argument = arguments[index]
        index += 1
        if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
            parsed.positionals.append(argument)
            continue
        }
        if argument == "--" {
            optionsEnded = true
            continue
        }
        var name = argument
        var inlineValue: String?
        if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
            name = String(argument[..<equals])
            inlineValue = String(argument[argument.index(after: equals)...])
        }
        name = spec.aliases[name] ?? name
        if spec.flags.contains(name) {
            if inlineValue != nil { throw UsageError("\(name) does not take a value") }
            parsed.flags.insert(name)
        } else if spec.options.contains(name) || spec.repeatableOptions.contains(name) {
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count {
                value = arguments[index]
                index += 1
            } else {
                throw UsageError("\(name) needs a value")
            }
            if spec.options.contains(name) && parsed.options[name] != nil {
                throw UsageError("\(name) was given more than once")
            }
            parsed.options[name, default: []].append(value)
        } else {
            let known = spec.flags.union(spec.options).union(spec.repeatableOptions).union(["--help"])
            var message = "unknown option '\(name)'"
            if let suggestion = closestMatch(to: name, in: known) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw UsageError(message)
        }
    }
    return parsed
}


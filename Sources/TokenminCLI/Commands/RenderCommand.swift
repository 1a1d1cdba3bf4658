import Dotprompt
import Foundation
import PromptAnalysis
import PromptSyntax
import PromptText

/// `tokenmin render FILE [--input JSON|@file.json] [--partials DIR] [--format json|text]`.
let renderCommand = Subcommand(
    name: "render",
    summary: "Render a .prompt file with input data into the messages Dotprompt would send",
    help: """
        Usage: tokenmin render FILE [--input JSON | --input @input.json] [--partials DIR] [--format json|text] [--quiet]

        Renders FILE (or - for standard input) exactly as Dotprompt does: Handlebars with Dotprompt's
        helpers (no HTML escaping, only known helpers), partials, the frontmatter's input.default,
        Picoschema expanded to JSON Schema, and the output split into messages. Prints the result in
        Dotprompt's shape: {"model", "config", "messages": [{"role", "content": [{"text"} | {"media"} |
        {"metadata"}]}], "output", "ext"}, keys in a stable order, indented by two spaces.

        Options:
          --input JSON        The template variables, as a JSON object, or @path to read them from a file
          --partials DIR      Where {{> name}} finds _name.prompt (default: FILE's directory)
          --format json|text  json (default), or text: each message as a "[role]" line followed by its
                              text; media parts as "<media URL [TYPE]>", other parts as "<JSON>"
          --quiet, -q         Do not list inputs without a value (errors are still printed)

        Syntax errors in FILE (an unclosed block, a bad expression) and problems the reference would fail
        on (unknown helper, missing partial, bad schema) are printed on standard error as
        FILE:LINE:COLUMN: error[CODE]: message. Variables the template uses but the input lacks render as
        empty and are listed on standard error.

        Example:
          tokenmin render prompts/greet.prompt --input '{"name": "Ada"}'
          tokenmin render prompts/greet.prompt --input @ada.json --format text

        Exit codes: 0 rendered; 1 rendered, but FILE has syntax errors or errors Dotprompt would fail on;
        2 usage or I/O error (including FILE that is not UTF-8 text and --input that is not a JSON object).

        """,
    spec: ArgumentSpec(
        flags: ["--quiet"], options: ["--input", "--partials", "--format"],
        aliases: ["-i": "--input", "-f": "--format", "-q": "--quiet"]),
    run: { arguments, console in
        let format = try arguments.choice("--format", of: ["json", "text"], default: "json")
        guard arguments.positionals.count == 1 else {
            throw UsageError(arguments.positionals.isEmpty ? "missing FILE" : "expected one FILE")
        }
        let path = arguments.positionals[0]
        let data = try renderInputData(arguments.value("--input"), console: console)
        let text = try utf8Text(try readInput(path, console: console), path: path)
        let directory =
            arguments.value("--partials")
            ?? (path == "-"
                ? FileManager.default.currentDirectoryPath
                : URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let document = parsePromptDocument(text)
        // Schemas and helpers the application registers by name, from the nearest .tokenmin.yml
        // (`schemas:`, `helpers:`), as Genkit passes them to Dotprompt.
        let settings = nearestConfiguration(
            from: path == "-" ? FileManager.default.currentDirectoryPath : URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let result = renderPrompt(
            document, input: RenderInput(data: data),
            options: RenderOptions(
                resolvePartial: { partialFile(named: $0, in: directory) }, schemas: settings.schemas,
                externalHelpers: Set(settings.helpers)))

        if format == "json" {
            console.out(result.renderedPromptJSON.jsonText(pretty: true))
        } else {
            for message in result.messages {
                console.out("[\(message.role)]")
                for part in message.content {
                    switch part {
                    case .text(let text): console.writeOut(text.hasSuffix("\n") ? text : text + "\n")
                    case .media(let url, let contentType):
                        console.out("<media \(url)\(contentType.map { " " + $0 } ?? "")>")
                    case .metadata(let value), .other(let value): console.out("<\(value.jsonText())>")
                    }
                }
            }
        }
        let lineIndex = document.makeLineIndex()
        let shownPath = path == "-" ? "<stdin>" : path
        func report(_ range: UTF8Range, _ severity: String, _ code: String, _ message: String) {
            let start = lineIndex.position(ofUTF8Offset: range.start, in: .utf32)
            console.error("\(shownPath):\(start.line + 1):\(start.column + 1): \(severity)[\(code)]: \(message)")
        }
        // The template's own syntax errors first: Dotprompt would refuse to compile it, whatever it rendered.
        let syntaxErrors = document.diagnostics.filter { $0.severity == .error }
        for diagnostic in syntaxErrors { report(diagnostic.range, "error", diagnostic.code, diagnostic.message) }
        for diagnostic in result.diagnostics {
            report(diagnostic.range, diagnostic.severity.rawValue, diagnostic.code, diagnostic.message)
        }
        if !result.unresolvedVariables.isEmpty && !arguments.has("--quiet") {
            console.error(
                "\(shownPath): no value for: \(result.unresolvedVariables.joined(separator: ", ")) (rendered as empty)"
            )
        }
        return result.hasErrors || !syntaxErrors.isEmpty ? ExitStatus.findings : ExitStatus.ok
    })

/// The `--input` value: inline JSON or `@file`; must be a JSON object.
private func renderInputData(_ argument: String?, console: Console) throws -> PlainValue {
    guard let argument else { return .object([]) }
    var text = argument
    var origin = "--input"
    if argument.hasPrefix("@") {
        let file = String(argument.dropFirst())
        text = String(decoding: try readInput(file, console: console), as: UTF8.self)
        origin = file
    }
    switch parsePlainJSON(text) {
    case .success(let value):
        guard case .object = value else {
            throw CommandFailure("\(origin) must be a JSON object of template variables")
        }
        return value
    case .failure(let error):
        throw CommandFailure("\(origin) is not valid JSON: \(error.message) at byte \(error.utf8Offset)")
    }
}

/// Dotprompt's directory store layout: `{{> name}}` is `DIR/_name.prompt`, `{{> sub/name}}` is
/// `DIR/sub/_name.prompt`. Names that would leave `DIR` are not resolved.
func partialFile(named name: String, in directory: String) -> String? {
    var components = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard let last = components.popLast(), !last.isEmpty, !name.hasPrefix("/"),
        !components.contains(where: { $0.isEmpty || $0 == ".." || $0 == "." }), last != "..", last != "."
    else { return nil }
    let url = components.reduce(URL(fileURLWithPath: directory)) { $0.appendingPathComponent($1) }
        .appendingPathComponent("_\(last).prompt")
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    return String(decoding: data, as: UTF8.self)
}

/// The configuration of the nearest `.tokenmin.yml` at or above `folder` (defaults when there is none).
private func nearestConfiguration(from folder: String) -> Configuration {
    var current = URL(fileURLWithPath: folder).standardizedFileURL
    while true {
        let candidate = current.appendingPathComponent(".tokenmin.yml").path
        if FileManager.default.fileExists(atPath: candidate) {
            return loadConfiguration(at: candidate, over: Configuration(), files: nil).configuration
        }
        let parent = current.deletingLastPathComponent()
        if parent.path == current.path { return Configuration() }
        current = parent
    }
}

import Dotprompt
import Foundation
import PromptAnalysis

/// `tokenmin fmt [--check] PATH...`.
let fmtCommand = Subcommand(
    name: "fmt",
    summary: "Format .prompt files without changing what they render",
    help: """
        Usage: tokenmin fmt [--check] [--quiet] PATH...

        Formats each .prompt file (directories are searched recursively; - reads standard input and
        writes the result to standard output): frontmatter indented by two spaces per level with keys in
        the order written, {{ name }} written {{name}}, trailing whitespace removed where Dotprompt
        would drop it anyway, one final newline where it cannot reach the model. Every change is checked
        by comparing the compiled template and frontmatter before and after, so the rendered prompt is
        identical for every input. Files with syntax errors, ignored frontmatter or bytes that are not
        UTF-8 are left unchanged and reported ("PATH: not formatted: reason" on standard error). Files
        are replaced atomically, keeping their permissions.

        Options:
          --check      Write nothing; list the files that would change
          --quiet, -q  Print nothing but errors (no "formatted PATH" lines, no --check list)

        Example:
          tokenmin fmt prompts/
          tokenmin fmt --check prompts/ checkout.prompt

        Exit codes: 0 formatted (or nothing to do); 1 --check found files to format, or a file could not
        be formatted (it is left as it was); 2 usage or I/O error.

        """,
    spec: ArgumentSpec(flags: ["--check", "--quiet"], aliases: ["-q": "--quiet"]),
    run: { arguments, console in
        guard !arguments.positionals.isEmpty else { throw UsageError("missing PATH") }
        let check = arguments.has("--check")
        let quiet = arguments.has("--quiet")
        var wouldChange: [String] = []
        var refused: [String] = []
        for path in try promptFiles(arguments.positionals) {
            let data = try readInput(path, console: console)
            guard let original = String(data: data, encoding: .utf8) else {
                // Decoding would replace the bad bytes: writing that back would destroy the file.
                console.error("\(path): not formatted: the file is not valid UTF-8 text")
                refused.append(path)
                continue
            }
            let result = formatPromptFile(original)
            if let reason = result.skippedReason {
                console.error("\(path): not formatted: \(reason)")
                refused.append(path)
            }
            if path == "-" {
                if !check { console.writeOut(result.text) }
                if result.changed { wouldChange.append(path) }
                continue
            }
            guard result.changed else { continue }
            wouldChange.append(path)
            if check {
                if !quiet { console.out(path) }
            } else {
                try replaceAtomically(path, with: result.text)
                if !quiet { console.error("formatted \(path)") }
            }
        }
        // A file fmt refused is not known to be formatted: --check must not pass it, and a plain run
        // must not look like it formatted everything.
        if !refused.isEmpty { return ExitStatus.findings }
        return check && !wouldChange.isEmpty ? ExitStatus.findings : ExitStatus.ok
    })

/// The `.prompt` files named by `paths`: files as given, directories searched recursively (sorted).
private func promptFiles(_ paths: [String]) throws -> [String] {
    var files: [String] = []
    for path in paths {
        var isDirectory: ObjCBool = false
        guard path == "-" || FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandFailure("\(path): \(missingPathMessage)")
        }
        guard isDirectory.boolValue else {
            files.append(path)
            continue
        }
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw CommandFailure("\(path) is not readable")
        }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".prompt") {
                found.append((path as NSString).appendingPathComponent(relative))
            }
        }
        files += found.sorted()
    }
    return files
}

/// Writes `text` to a temporary file beside `path`, gives it `path`'s permissions and renames it over
/// `path`, so that readers see either the old or the new file, never a partial one.
private func replaceAtomically(_ path: String, with text: String) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(
        ".\(url.lastPathComponent).tokenmin-\(UUID().uuidString)")
    let permissions = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions]
    guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8)) else {
        throw CommandFailure("\(path): cannot write a temporary file beside it")
    }
    if let permissions {
        try? FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path)
    }
    guard rename(temporary.path, path) == 0 else {
        try? FileManager.default.removeItem(at: temporary)
        throw CommandFailure("\(path): cannot replace the file")
    }
}

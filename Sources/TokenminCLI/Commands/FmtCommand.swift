import Dotprompt
import Foundation
import PromptAnalysis

/// `tokenmin fmt [--check] PATH...`.
let fmtCommand = Subcommand(
    name: "fmt",
    summary: "Format .prompt files without changing what they render",
    help: """
        Usage: tokenmin fmt [--check] PATH...

        Formats each .prompt file (directories are searched recursively; - reads standard input and
        writes the result to standard output): frontmatter indented by two spaces per level with keys in
        the order written, {{ name }} written {{name}}, trailing whitespace removed where Dotprompt
        would drop it anyway, one final newline where it cannot reach the model. Every change is checked
        by comparing the compiled template and frontmatter before and after, so the rendered prompt is
        identical for every input. Files with syntax errors or ignored frontmatter are left unchanged
        and reported. Files are replaced atomically, keeping their permissions.

        Options:
          --check  Write nothing; list the files that would change and exit 1 if there are any

        Example:
          tokenmin fmt prompts/
          tokenmin fmt --check prompts/ checkout.prompt

        Exit codes: 0 formatted (or nothing to do), 1 --check found files to format, 2 usage or I/O error.

        """,
    spec: ArgumentSpec(flags: ["--check"]),
    run: { arguments, console in
        guard !arguments.positionals.isEmpty else { throw UsageError("missing PATH") }
        let check = arguments.has("--check")
        var wouldChange: [String] = []
        for path in try promptFiles(arguments.positionals) {
            let original = String(decoding: try readInput(path, console: console), as: UTF8.self)
            let result = formatPromptFile(original)
            if let reason = result.skippedReason { console.error("\(path): not formatted: \(reason)") }
            if path == "-" {
                if !check { console.writeOut(result.text) }
                if result.changed { wouldChange.append(path) }
                continue
            }
            guard result.changed else { continue }
            wouldChange.append(path)
            if check {
                console.out(path)
            } else {
                try replaceAtomically(path, with: result.text)
                console.error("formatted \(path)")
            }
        }
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

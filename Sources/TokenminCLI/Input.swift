import Foundation
import PromptAnalysis

/// Reads a file argument, or standard input for `-`. Missing or unreadable files are `CommandFailure`s
/// (exit code 2) with the path in the message.
func readInput(_ path: String, console: Console) throws(CommandFailure) -> Data {
    if path == "-" { return console.readStandardInput() }
    guard let data = FileManager.default.contents(atPath: path) else {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            throw CommandFailure(isDirectory.boolValue ? "\(path) is a directory" : "\(path) is not readable")
        }
        throw CommandFailure("\(path): \(missingPathMessage)")
    }
    return data
}

/// `data` as text, or a `CommandFailure` (exit code 2) naming `path` when it is not UTF-8: commands that
/// print or rewrite a file must not turn a binary file into replacement characters.
func utf8Text(_ data: Data, path: String) throws(CommandFailure) -> String {
    guard let text = String(data: data, encoding: .utf8) else {
        throw CommandFailure("\(path == "-" ? "standard input" : path) is not valid UTF-8 text")
    }
    return text
}

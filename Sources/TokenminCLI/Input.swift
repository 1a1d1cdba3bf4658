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

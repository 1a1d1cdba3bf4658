import Dotprompt
import Foundation
import PromptSyntax

/// The sample input beside a prompt: `NAME.sample.json` for `NAME.prompt`, read through the workspace
/// guard. Nil when there is none or it is not a JSON object (a problem the caller may report).
public func siblingSampleInput(for promptPath: String, files: WorkspaceFiles) -> PlainValue? {
    guard promptPath.hasSuffix(".prompt") else { return nil }
    let samplePath = String(promptPath.dropLast(".prompt".count)) + ".sample.json"
    // Most prompts have none: one access(2) answers that, where the workspace guard would first resolve
    // the missing path ancestor by ancestor.
    guard access(samplePath, F_OK) == 0, case .success(let data) = files.read(samplePath),
          case .success(let value) = parsePlainJSON(String(decoding: data, as: UTF8.self)),
          case .object = value
    else { return nil }
    return value
}

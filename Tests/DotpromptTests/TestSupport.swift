import Foundation
import XCTest

/// The repository root, computed from this file's path (`Tests/DotpromptTests/TestSupport.swift`).
func repositoryRoot(_ file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

/// A folder of the shared Dotprompt material (`../shared/NAME` from the repository root). Fails the
/// test with a clear message when it is missing, so that an absent folder never passes silently.
func sharedFolder(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
    let url = repositoryRoot().appendingPathComponent("../shared/\(name)").standardized
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        XCTFail("shared Dotprompt material missing: expected the folder \(url.path)", file: file, line: line)
        throw CocoaError(.fileNoSuchFile)
    }
    return url
}

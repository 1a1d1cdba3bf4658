import Foundation
import XCTest

@testable import PromptAnalysis

final class WorkspaceFilesTests: XCTestCase {
    private var root: URL!
    private var outside: URL!

    override func setUpWithError() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tokenmin-ws-\(UUID())")
        root = base.appendingPathComponent("workspace")
        outside = base.appendingPathComponent("outside")
        for folder: URL in [root.appendingPathComponent("prompts/shared"), outside] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try Data("secret".utf8).write(to: outside.appendingPathComponent("passwd"))
        try Data("hi".utf8).write(to: root.appendingPathComponent("prompts/shared/_header.prompt"))
        try Data("rules: {}".utf8).write(to: root.appendingPathComponent(".tokenmin.yml"))
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("prompts/escape"), withDestinationURL: outside)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root.deletingLastPathComponent())
    }

    func testReadsOnlyInsideRoots() {
        let files = WorkspaceFiles(roots: [root.path], maximumFileBytes: 4)
        let prompts = root.appendingPathComponent("prompts").path
        let rows: [(String, Result<Data, WorkspaceFiles.ReadError>)] = [
            (prompts + "/shared/_header.prompt", .success(Data("hi".utf8))),
            (prompts + "/../../outside/passwd", .failure(.outsideWorkspace(prompts + "/../../outside/passwd"))),
            (prompts + "/escape/passwd", .failure(.outsideWorkspace(prompts + "/escape/passwd"))),
            (prompts + "/missing.prompt", .failure(.notFound(prompts + "/missing.prompt"))),
            (root.path + "/.tokenmin.yml", .failure(.tooLarge(root.path + "/.tokenmin.yml", bytes: 9))),
            ("/etc/passwd", .failure(.outsideWorkspace("/etc/passwd"))),
        ]
        for (path, expected) in rows {
            XCTAssertEqual(files.read(path), expected, path)
        }
    }

    func testPartialCandidatesAndConfigSearch() {
        XCTAssertEqual(partialCandidates(named: "shared/header", from: "/w/prompts"), ["/w/prompts/shared/_header.prompt"])
        XCTAssertEqual(partialCandidates(named: "x", from: "/w", extraFolders: ["/w/partials"]), ["/w/_x.prompt", "/w/partials/_x.prompt"])
        let files = WorkspaceFiles(roots: [root.path])
        XCTAssertEqual(nearestConfigurationFile(from: root.appendingPathComponent("prompts/shared").path, files: files),
                       canonicalPath(root.path) + "/.tokenmin.yml")
        XCTAssertNil(nearestConfigurationFile(from: outside.path, files: WorkspaceFiles(roots: [outside.path])))
        // Nested roots (`check prompts/` from the root): the outer root's configuration is found.
        let nested = WorkspaceFiles(roots: [root.path, root.appendingPathComponent("prompts").path])
        XCTAssertEqual(nearestConfigurationFile(from: root.appendingPathComponent("prompts/shared").path, files: nested),
                       canonicalPath(root.path) + "/.tokenmin.yml")
    }
}

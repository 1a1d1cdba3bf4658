import Foundation
import XCTest

@testable import TokenminCLI

/// `tokenmin render` and `tokenmin fmt`: output shape, exit codes, input errors, files on disk.
final class RenderAndFmtCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tokenmin-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func testRenderPrintsTheSpecShape() throws {
        let path = try write(
            "greet.prompt",
            "---\nmodel: m\nconfig:\n  temperature: 1\nx.y: z\noutput:\n  schema:\n    a: string\n---\n{{role \"system\"}}Be brief.\n{{role \"user\"}}Hi {{name}} {{> sig}}{{media url=u}}"
        )
        _ = try write("_sig.prompt", "--{{name}}")
        let result = runTokenmin(["render", path, "--input", #"{"name":"Ada","u":"http://a/b.png"}"#])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.err, "")
        XCTAssertEqual(
            result.out,
            """
            {
              "model": "m",
              "config": {
                "temperature": 1
              },
              "messages": [
                {
                  "role": "system",
                  "content": [
                    {
                      "text": "Be brief.\\n"
                    }
                  ]
                },
                {
                  "role": "user",
                  "content": [
                    {
                      "text": "Hi Ada --Ada"
                    },
                    {
                      "media": {
                        "url": "http://a/b.png"
                      }
                    }
                  ]
                }
              ],
              "output": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "a": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "a"
                  ],
                  "additionalProperties": false
                }
              },
              "ext": {
                "x": {
                  "y": "z"
                }
              }
            }

            """)
    }

    func testRenderInputFromFileAndTextFormat() throws {
        let path = try write("p.prompt", "Hello {{name}}")
        let input = try write("in.json", #"{"name": "Bo"}"#)
        let result = runTokenmin(["render", path, "--input", "@" + input, "--format", "text"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.out, "[user]\nHello Bo\n")
    }

    func testRenderReportsUnresolvedVariablesAndReferenceFailures() throws {
        let path = try write("p.prompt", "Hello {{name}} {{shout name}}")
        let result = runTokenmin(["render", path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("p.prompt:1:18: error[unknown-helper]"), result.err)
        XCTAssertTrue(result.err.contains("no value for: name"), result.err)
    }

    func testRenderBadInputIsUsageError() throws {
        let path = try write("p.prompt", "Hello {{name}}")
        let bad = runTokenmin(["render", path, "--input", #"{"name": }"#])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.err.contains("--input is not valid JSON"), bad.err)
        let notObject = runTokenmin(["render", path, "--input", "[1]"])
        XCTAssertEqual(notObject.status, 2)
        XCTAssertTrue(notObject.err.contains("must be a JSON object"), notObject.err)
        let missingFile = runTokenmin(["render", path, "--input", "@/nonexistent/in.json"])
        XCTAssertEqual(missingFile.status, 2)
        XCTAssertEqual(runTokenmin(["render"]).status, 2)
        XCTAssertEqual(runTokenmin(["render", path, "--format", "yaml"]).status, 2)
    }

    func testPartialsStayInsideTheirDirectory() throws {
        let path = try write("sub/p.prompt", "[{{> ../secret}}][{{> inner/x}}]")
        _ = try write("_secret.prompt", "leaked")
        _ = try write("sub/inner/_x.prompt", "ok")
        let result = runTokenmin(["render", path, "--format", "text"])
        XCTAssertEqual(result.out, "[user]\n[][ok]\n")
        XCTAssertEqual(result.status, 1)
    }

    func testFmtCheckListsFilesAndWritesNothing() throws {
        let messy = try write("dir/a.prompt", "---\nconfig:\n    temperature: 1\n---\n{{ name }}\n")
        let tidy = try write("dir/b.prompt", "Hello {{name}}\n")
        let result = runTokenmin(["fmt", "--check", folder.appendingPathComponent("dir").path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, messy + "\n")
        XCTAssertEqual(try read(messy), "---\nconfig:\n    temperature: 1\n---\n{{ name }}\n")
        XCTAssertEqual(runTokenmin(["fmt", "--check", tidy]).status, 0)
    }

    func testFmtRewritesAtomicallyKeepingPermissions() throws {
        let path = try write("a.prompt", "---\nconfig:\n    temperature: 1\n---\n{{ name }}\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let result = runTokenmin(["fmt", path])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try read(path), "---\nconfig:\n  temperature: 1\n---\n{{name}}\n")
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(permissions, 0o640)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.path), ["a.prompt"],
            "temporary file left behind")
        XCTAssertEqual(runTokenmin(["fmt", "--check", path]).status, 0, "not idempotent")
    }

    func testFmtLeavesBrokenFilesAloneWithAMessage() throws {
        let path = try write("broken.prompt", "{{#if x}} {{ y }}")
        let result = runTokenmin(["fmt", path])
        // Refused is not formatted: exit 1 (also with --check), the file left as it was.
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(runTokenmin(["fmt", "--check", path]).status, 1)
        XCTAssertTrue(result.err.contains("not formatted: syntax error"), result.err)
        XCTAssertEqual(try read(path), "{{#if x}} {{ y }}")
    }

    func testFmtStandardInputAndUsage() {
        let result = runTokenmin(["fmt", "-"], stdin: Data("{{ a }}\n".utf8))
        XCTAssertEqual(result.out, "{{a}}\n")
        XCTAssertEqual(runTokenmin(["fmt"]).status, 2)
        XCTAssertEqual(runTokenmin(["fmt", "/nonexistent/x.prompt"]).status, 2)
    }
}

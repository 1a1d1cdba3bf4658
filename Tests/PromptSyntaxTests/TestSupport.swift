import Foundation
import PromptText
import XCTest

@testable import PromptSyntax

/// Locations of shared material and fixtures, computed from this file's path.
enum TestPaths {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repositoryRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = testsFolder.appendingPathComponent("Fixtures")

    /// `../shared/<name>` relative to the repository root; fails the test (never skips) when absent.
    static func shared(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let url = repositoryRoot.appendingPathComponent("../shared/\(name)").standardized
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            XCTFail("shared Dotprompt material missing: expected the folder \(url.path)", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        return url
    }
}

/// One template source taken from the shared material.
struct SharedSource {
    var name: String
    var text: String
    /// Partials are registered with Handlebars as they are: no frontmatter split.
    var isPartial: Bool
}

/// Every `template:`, `partials:` and `resolverPartials:` value in the spec's JSON copies.
func specSources() throws -> [SharedSource] {
    let folder = try TestPaths.shared("dotprompt-spec/json")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
    XCTAssertEqual(files.count, 13, "expected the spec's 13 JSON files")
    var sources: [SharedSource] = []
    for file in files {
        let data = try Data(contentsOf: folder.appendingPathComponent(file))
        guard let suites = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            XCTFail("\(file) is not a list of suites")
            continue
        }
        for suite in suites {
            let name = "\(file):\(suite["name"] as? String ?? "?")"
            if let template = suite["template"] as? String {
                sources.append(SharedSource(name: name, text: template, isPartial: false))
            }
            for key in ["partials", "resolverPartials"] {
                for (partial, text) in (suite[key] as? [String: String] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    sources.append(SharedSource(name: "\(name) \(key).\(partial)", text: text, isPartial: true))
                }
            }
        }
    }
    return sources
}

/// Every `.prompt` file in the shared samples folder.
func sampleSources() throws -> [SharedSource] {
    let folder = try TestPaths.shared("dotprompt-samples")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".prompt") }.sorted()
    XCTAssertFalse(files.isEmpty, "no .prompt files in \(folder.path)")
    return try files.map { file in
        SharedSource(
            name: file, text: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), isPartial: false)
    }
}

/// A fixture file: named sections introduced by `=== name` lines. The `expected` section is regenerated
/// (never edited by hand) when the environment variable `TOKENMIN_UPDATE_FIXTURES=1` is set.
struct SectionedFixture {
    var url: URL
    var sections: [(name: String, text: String)]

    init(url: URL) throws {
        self.url = url
        let text = try String(contentsOf: url, encoding: .utf8)
        var sections: [(String, String)] = []
        var current: (String, [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("=== ") {
                if let current { sections.append((current.0, current.1.joined(separator: "\n"))) }
                current = (String(line.dropFirst(4)), [])
            } else {
                current?.1.append(line)
            }
        }
        if let current { sections.append((current.0, current.1.joined(separator: "\n"))) }
        self.sections = sections
    }

    subscript(name: String) -> String? { sections.first { $0.name == name }?.text }

    /// Compares `actual` with the `expected` section, or rewrites that section under the update flag.
    func check(expected actual: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let body = actual.hasSuffix("\n") ? String(actual.dropLast()) : actual
        if ProcessInfo.processInfo.environment["TOKENMIN_UPDATE_FIXTURES"] == "1" {
            var output = ""
            for section in sections where section.name != "expected" {
                output += "=== \(section.name)\n\(section.text)\n"
            }
            output += "=== expected\n\(body)\n"
            try output.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = self["expected"] else {
            XCTFail("\(url.lastPathComponent) has no '=== expected' section; run with TOKENMIN_UPDATE_FIXTURES=1", file: file, line: line)
            return
        }
        XCTAssertEqual(body, expected.hasSuffix("\n") ? String(expected.dropLast()) : expected, url.lastPathComponent, file: file, line: line)
    }
}

/// Fixture files with `extension` in a fixtures subfolder.
func fixtureFiles(_ folder: String) throws -> [URL] {
    let url = TestPaths.fixtures.appendingPathComponent(folder)
    let names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".txt") }.sorted()
    XCTAssertFalse(names.isEmpty, "no fixtures in \(url.path)")
    return names.map { url.appendingPathComponent($0) }
}

/// A deterministic generator (SplitMix64) so that randomized tests reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    func utf8Slice(_ range: UTF8Range) -> String {
        let bytes = Array(utf8)
        return String(decoding: bytes[range.range], as: UTF8.self)
    }
}

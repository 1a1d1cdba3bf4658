import Foundation
import XCTest

@testable import LanguageServerProtocol

/// A small, fast, seedable generator (SplitMix64), so that every fuzz run can be replayed exactly
/// from the seed it prints.
struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

    mutating func pick<T>(_ elements: [T]) -> T { elements[Int.random(in: 0..<elements.count, using: &self)] }
}

/// How the fuzz suites are seeded and sized: `TOKENMIN_FUZZ_SEED` replays a run (each suite prints the
/// seed it used); `TOKENMIN_FUZZ_SCALE` multiplies the iteration counts for long runs (default 1, which
/// keeps the whole test command within a few minutes on a 2-core machine).
enum FuzzSettings {
    static func seed(default fallback: UInt64, suite: String) -> UInt64 {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["TOKENMIN_FUZZ_SEED"].flatMap { UInt64($0) } ?? fallback
        print("\(suite): seed \(seed) (replay with TOKENMIN_FUZZ_SEED=\(seed))")
        return seed
    }

    static var scale: Int {
        max(1, ProcessInfo.processInfo.environment["TOKENMIN_FUZZ_SCALE"].flatMap { Int($0) } ?? 1)
    }
}

/// Memory figures of a running process from `/proc/PID/status` (Linux), in KiB.
struct ProcessMemory: CustomStringConvertible {
    /// Resident set size now.
    var residentKiB: Int
    /// The peak resident set size so far (high-water mark).
    var peakResidentKiB: Int

    /// Nil where `/proc` is not available (the memory assertions are then skipped with a message).
    static func of(_ pid: Int32) -> ProcessMemory? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return line.split(separator: " ").compactMap { Int($0) }.first
        }
        guard let rss = field("VmRSS"), let hwm = field("VmHWM") else { return nil }
        return ProcessMemory(residentKiB: rss, peakResidentKiB: hwm)
    }

    var description: String { "RSS \(residentKiB / 1024) MiB (peak \(peakResidentKiB / 1024) MiB)" }
}

extension TestClient {
    /// The process id of the real server (nil for in-process sessions).
    var serverProcessID: Int32? { (transport as? ProcessTransport)?.process.processIdentifier }

    /// Whether the real server process is still running.
    var serverIsRunning: Bool { transport.exitStatus == nil }
}

/// A digest of every regular file under `folder` (path, size, permissions and contents), to prove that a
/// run wrote, renamed or removed nothing.
func treeDigest(_ folder: String) -> [String: String] {
    var digest: [String: String] = [:]
    let manager = FileManager.default
    guard let enumerator = manager.enumerator(atPath: folder) else { return digest }
    while let relative = enumerator.nextObject() as? String {
        let path = (folder as NSString).appendingPathComponent(relative)
        guard let attributes = try? manager.attributesOfItem(atPath: path) else {
            digest[relative] = "unreadable attributes"
            continue
        }
        let type = attributes[.type] as? FileAttributeType
        let permissions = (attributes[.posixPermissions] as? Int).map { String($0, radix: 8) } ?? "?"
        if type == .typeSymbolicLink {
            digest[relative] = "link → " + ((try? manager.destinationOfSymbolicLink(atPath: path)) ?? "?")
        } else if type == .typeDirectory {
            digest[relative] = "folder \(permissions)"
        } else if let data = manager.contents(atPath: path) {
            digest[relative] = "\(permissions) \(data.count) \(fnv1a(data))"
        }
    }
    return digest
}

/// FNV-1a over bytes: enough to notice any change to a file in a test tree.
func fnv1a(_ data: Data) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in data {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
}

/// The repository root, from this file's path (Tests/PromptLanguageServerTests/Fuzz/FuzzSupport.swift).
let fuzzRepositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// Every `.prompt` file under the shared Dotprompt samples and the repository's fixtures, as seeds for
/// document fuzzing. Fails (rather than silently fuzzing less) when the shared samples are absent.
func fuzzSeedDocuments() throws -> [String] {
    let samples = fuzzRepositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/dotprompt-samples")
    guard FileManager.default.fileExists(atPath: samples.path) else {
        throw MissingSharedFolder(path: samples.path)
    }
    var texts: [String] = []
    for folder in [samples, fuzzRepositoryRoot.appendingPathComponent("Tests/Fixtures")] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { continue }
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(".prompt"), let text = try? String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8) {
                texts.append(text)
            }
        }
    }
    return texts
}

struct MissingSharedFolder: Error, CustomStringConvertible {
    var path: String
    var description: String {
        "the shared Dotprompt samples are missing at \(path); the fuzz suites need them as seed documents"
    }
}

// Tests for the Tokenizer module live in this folder, one file per feature.
import Foundation
import XCTest

@testable import Tokenizer

/// The repository root, computed from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Runs `body` over UTF-8 bytes without a String in between (for invalid UTF-8).
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    bytes.withUnsafeBufferPointer(body)
}

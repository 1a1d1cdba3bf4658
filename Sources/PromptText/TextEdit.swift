/// A replacement of a UTF-8 range of a document: the unit of every fix tokenmin proposes, before the
/// language server converts it to LSP positions or `check --fix` writes it to disk.
public struct TextEdit: Hashable, Sendable, Codable, CustomStringConvertible {
    public var range: UTF8Range
    public var newText: String

    public init(range: UTF8Range, newText: String) {
        self.range = range
        self.newText = newText
    }

    public static func insert(_ text: String, at utf8Offset: Int) -> TextEdit {
        TextEdit(range: .empty(at: utf8Offset), newText: text)
    }

    public static func delete(_ range: UTF8Range) -> TextEdit { TextEdit(range: range, newText: "") }

    public var description: String { "\(range) → \(newText.debugDescription)" }
}

/// Why a set of edits could not be applied.
public enum TextEditError: Error, Equatable, Sendable {
    /// Two edits touch the same bytes (insertions at one offset are allowed and keep their order).
    case overlapping(TextEdit, TextEdit)
    case outOfBounds(TextEdit)
    /// An edit boundary falls inside a multi-byte scalar.
    case splitsScalar(TextEdit)
}

extension TextEdit {
    /// Applies non-overlapping `edits` (offsets refer to the original `text`) and returns the new text.
    /// Edits are validated first, so nothing is applied when any edit is invalid.
    public static func apply(_ edits: [TextEdit], to text: String) throws(TextEditError) -> String {
        let bytes = Array(text.utf8)
        let sorted = edits.enumerated().sorted { lhs, rhs in
            (lhs.element.range.start, lhs.element.range.end, lhs.offset)
                < (rhs.element.range.start, rhs.element.range.end, rhs.offset)
        }.map(\.element)
        var previous: TextEdit?
        for edit in sorted {
            guard edit.range.start >= 0, edit.range.end <= bytes.count else { throw .outOfBounds(edit) }
            for offset in [edit.range.start, edit.range.end] where offset < bytes.count {
                if bytes[offset] & 0xC0 == 0x80 { throw .splitsScalar(edit) }
            }
            if let previous, previous.range.end > edit.range.start {
                throw .overlapping(previous, edit)
            }
            previous = edit
        }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var cursor = 0
        for edit in sorted {
            result.append(contentsOf: bytes[cursor..<edit.range.start])
            result.append(contentsOf: edit.newText.utf8)
            cursor = edit.range.end
        }
        result.append(contentsOf: bytes[cursor...])
        return String(decoding: result, as: UTF8.self)
    }
}

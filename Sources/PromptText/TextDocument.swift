/// One change to a document, as LSP's `TextDocumentContentChangeEvent`: a range replacement, or a full
/// replacement when `range` is nil.
public struct TextChange: Hashable, Sendable {
    public var range: LineRange?
    public var text: String

    public init(range: LineRange?, text: String) {
        self.range = range
        self.text = text
    }
}

/// A document's text with its line index, updated by applying changes in order.
public struct TextDocument: Sendable {
    public private(set) var text: String
    public private(set) var lineIndex: LineIndex

    public init(_ text: String) {
        self.text = text
        self.lineIndex = LineIndex(text)
    }

    /// Applies `changes` in order; each change's positions refer to the document as left by the
    /// previous change (LSP semantics). Out-of-range positions clamp. Returns the UTF-8 range each change
    /// replaced in the document it applied to, for incremental re-analysis.
    @discardableResult
    public mutating func apply(_ changes: [TextChange], encoding: PositionEncoding) -> [UTF8Range] {
        var replaced: [UTF8Range] = []
        var bytes = lineIndex.utf8
        for change in changes {
            guard let range = change.range else {
                replaced.append(UTF8Range(start: 0, end: bytes.count))
                bytes = Array(change.text.utf8)
                lineIndex = LineIndex(utf8: bytes)
                continue
            }
            let target = lineIndex.utf8Range(of: range, in: encoding)
            replaced.append(target)
            bytes.replaceSubrange(target.range, with: change.text.utf8)
            lineIndex = LineIndex(utf8: bytes)
        }
        text = String(decoding: bytes, as: UTF8.self)
        return replaced
    }
}

import LanguageServerProtocol
import PromptText

// The only place where positions change units: LSP positions (in the negotiated encoding) ⇄ UTF-8
// offsets used everywhere else. Out-of-range positions clamp (see `LineIndex`).

extension PositionEncoding {
    /// The wire name of this encoding.
    public var kind: PositionEncodingKind { PositionEncodingKind(rawValue: rawValue) }

    /// The encoding a wire name stands for, if tokenmin supports it.
    public init?(kind: PositionEncodingKind) { self.init(rawValue: kind.rawValue) }

    /// Picks the encoding for a session: UTF-8 when the client offers it (no conversion needed),
    /// otherwise UTF-16, which every client must support.
    public static func negotiate(clientOffers offered: [PositionEncodingKind]?) -> PositionEncoding {
        (offered ?? []).contains(.utf8) ? .utf8 : .utf16
    }
}

extension Position {
    public init(_ position: LinePosition) { self.init(line: position.line, character: position.column) }
    public var linePosition: LinePosition { LinePosition(line: line, column: character) }
}

extension LSPRange {
    public init(_ range: LineRange) { self.init(start: Position(range.start), end: Position(range.end)) }
    public var lineRange: LineRange { LineRange(start: start.linePosition, end: end.linePosition) }
}

extension TextChange {
    /// A content change as PromptText applies it (its range still in the wire encoding).
    public init(_ event: TextDocumentContentChangeEvent) {
        self.init(range: event.range?.lineRange, text: event.text)
    }
}

extension OpenDocument {
    /// The UTF-8 offset of a wire position (clamped to the document).
    public func utf8Offset(of position: Position, encoding: PositionEncoding) -> Int {
        lineIndex.utf8Offset(of: position.linePosition, in: encoding)
    }

    /// The UTF-8 range of a wire range (clamped; start ≤ end).
    public func utf8Range(of range: LSPRange, encoding: PositionEncoding) -> UTF8Range {
        lineIndex.utf8Range(of: range.lineRange, in: encoding)
    }

    /// The wire position of a UTF-8 offset.
    public func position(ofUTF8Offset utf8Offset: Int, encoding: PositionEncoding) -> Position {
        Position(lineIndex.position(ofUTF8Offset: utf8Offset, in: encoding))
    }

    /// The wire range of a UTF-8 range.
    public func range(of utf8Range: UTF8Range, encoding: PositionEncoding) -> LSPRange {
        LSPRange(lineIndex.lineRange(of: utf8Range, in: encoding))
    }
}

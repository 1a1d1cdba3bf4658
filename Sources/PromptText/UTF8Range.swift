/// A half-open range of UTF-8 byte offsets into a document: the one offset unit used across module
/// boundaries. Conversions to line/column happen through `LineIndex`.
public struct UTF8Range: Hashable, Sendable, Codable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        precondition(start <= end, "UTF8Range start \(start) after end \(end)")
        self.start = start
        self.end = end
    }

    public init(_ range: Range<Int>) { self.init(start: range.lowerBound, end: range.upperBound) }

    public static func empty(at offset: Int) -> UTF8Range { UTF8Range(start: offset, end: offset) }

    public var length: Int { end - start }
    public var isEmpty: Bool { start == end }
    public var range: Range<Int> { start..<end }

    public func contains(_ offset: Int) -> Bool { offset >= start && offset < end }

    /// Whether `offset` lies inside or at either edge (for cursor positions).
    public func touches(_ offset: Int) -> Bool { offset >= start && offset <= end }

    public func contains(_ other: UTF8Range) -> Bool { other.start >= start && other.end <= end }

    public func overlaps(_ other: UTF8Range) -> Bool { other.start < end && start < other.end }

    /// The smallest range covering both.
    public func union(_ other: UTF8Range) -> UTF8Range {
        UTF8Range(start: min(start, other.start), end: max(end, other.end))
    }

    public func shifted(by delta: Int) -> UTF8Range { UTF8Range(start: start + delta, end: end + delta) }

    public var description: String { "\(start)..<\(end)" }
}

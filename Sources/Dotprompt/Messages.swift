import PromptSyntax

/// One part of a rendered message, in the shape Dotprompt returns (`{"text"}`, `{"media"}`,
/// `{"metadata"}`); history messages may carry parts of any other shape, kept as given.
public enum RenderedPart: Hashable, Sendable {
    case text(String)
    case media(url: String, contentType: String?)
    /// A pending section marker (`{"purpose": "...", "pending": true}`) or other part metadata.
    case metadata(PlainValue)
    /// A part of a history message that is none of the above (tool requests, custom parts).
    case other(PlainValue)

    /// The part as JSON data, keys in the reference order.
    public var plainValue: PlainValue {
        switch self {
        case .text(let text): return .object([.init(key: "text", value: .string(text))])
        case .media(let url, let contentType):
            var media: [PlainValue.Member] = [.init(key: "url", value: .string(url))]
            if let contentType { media.append(.init(key: "contentType", value: .string(contentType))) }
            return .object([.init(key: "media", value: .object(media))])
        case .metadata(let metadata): return .object([.init(key: "metadata", value: metadata)])
        case .other(let value): return value
        }
    }

    /// Reads a part given as JSON data (history messages).
    public init(plain: PlainValue) {
        if case .object(let members) = plain, members.count == 1 {
            switch (members[0].key, members[0].value) {
            case ("text", .string(let text)):
                self = .text(text)
                return
            case ("media", .object):
                if let url = members[0].value["url"], case .string(let urlText) = url {
                    let type = members[0].value["contentType"]
                    if case .string(let typeText)? = type {
                        self = .media(url: urlText, contentType: typeText)
                        return
                    }
                    if type == nil {
                        self = .media(url: urlText, contentType: nil)
                        return
                    }
                }
            case ("metadata", let value):
                self = .metadata(value)
                return
            default: break
            }
        }
        self = .other(plain)
    }
}

/// A message of the rendered prompt.
public struct RenderedMessage: Hashable, Sendable {
    public var role: String
    public var content: [RenderedPart]
    /// Message metadata; history messages carry `{"purpose": "history"}`.
    public var metadata: PlainValue?

    public init(role: String, content: [RenderedPart], metadata: PlainValue? = nil) {
        self.role = role
        self.content = content
        self.metadata = metadata
    }

    /// The message as JSON data: `{"role", "content", "metadata"?}`.
    public var plainValue: PlainValue {
        var members: [PlainValue.Member] = [
            .init(key: "role", value: .string(role)),
            .init(key: "content", value: .array(content.map(\.plainValue))),
        ]
        if let metadata { members.append(.init(key: "metadata", value: metadata)) }
        return .object(members)
    }

    /// Reads a message given as JSON data (`{"role": "user", "content": [{"text": "..."}]}`); nil when
    /// it has no string role or no content list.
    public init?(plain: PlainValue) {
        guard case .string(let role)? = plain["role"], case .array(let parts)? = plain["content"] else {
            return nil
        }
        self.init(
            role: role, content: parts.map(RenderedPart.init(plain:)),
            metadata: plain["metadata"].flatMap { $0 == .null ? nil : $0 })
    }

    /// The text of all text parts, concatenated.
    public var text: String {
        content.reduce(into: "") { out, part in
            if case .text(let text) = part { out += text }
        }
    }
}

// MARK: - toMessages

private let markerPrefix = Array("<<<dotprompt:".utf8)
private let rolePrefix = Array("role:".utf8)
private let historyMarker = Array("history".utf8)
private let mediaMarker = Array("media:url".utf8)
private let sectionMarker = Array("section".utf8)
private let markerEnd = Array(">>>".utf8)

extension Array where Element == UInt8 {
    fileprivate func matches(_ pattern: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + pattern.count <= count else { return false }
        for offset in pattern.indices where self[index + offset] != pattern[offset] { return false }
        return true
    }
}

/// Whether `text` is empty after JavaScript's `trim()`.
func isBlankJavaScript(_ text: some StringProtocol) -> Bool {
    text.unicodeScalars.allSatisfy(isJavaScriptWhitespace)
}

/// JavaScript's `source.split(regex)` with one capture group followed by dropping whitespace-only
/// pieces: `match(bytes, index)` returns the end of the capture and the end of the whole match.
private func splitKeepingMarkers(_ text: String, match: ([UInt8], Int) -> (captureEnd: Int, matchEnd: Int)?)
    -> [String]
{
    let bytes = Array(text.utf8)
    var pieces: [String] = []
    var pieceStart = 0
    var index = 0
    while index + markerPrefix.count <= bytes.count {
        guard bytes[index] == 0x3C, bytes.matches(markerPrefix, at: index), let found = match(bytes, index)
        else {
            index += 1
            continue
        }
        pieces.append(String(decoding: bytes[pieceStart..<index], as: UTF8.self))
        pieces.append(String(decoding: bytes[index..<found.captureEnd], as: UTF8.self))
        pieceStart = found.matchEnd
        index = found.matchEnd
    }
    pieces.append(String(decoding: bytes[pieceStart...], as: UTF8.self))
    return pieces.filter { !isBlankJavaScript($0) }
}

/// `/(<<<dotprompt:(?:role:[a-z]+|history))>>>/g`.
private func roleOrHistoryMarker(_ bytes: [UInt8], _ index: Int) -> (captureEnd: Int, matchEnd: Int)? {
    let after = index + markerPrefix.count
    if bytes.matches(rolePrefix, at: after) {
        var scan = after + rolePrefix.count
        while scan < bytes.count && (0x61...0x7A).contains(bytes[scan]) { scan += 1 }
        guard scan > after + rolePrefix.count, bytes.matches(markerEnd, at: scan) else { return nil }
        return (scan, scan + 3)
    }
    if bytes.matches(historyMarker, at: after), bytes.matches(markerEnd, at: after + historyMarker.count) {
        return (after + historyMarker.count, after + historyMarker.count + 3)
    }
    return nil
}

/// `/(<<<dotprompt:(?:media:url|section).*?)>>>/g`, where `.` excludes line terminators.
private func mediaOrSectionMarker(_ bytes: [UInt8], _ index: Int) -> (captureEnd: Int, matchEnd: Int)? {
    let after = index + markerPrefix.count
    guard bytes.matches(mediaMarker, at: after) || bytes.matches(sectionMarker, at: after) else { return nil }
    var scan = after
    while scan < bytes.count {
        if bytes.matches(markerEnd, at: scan) { return (scan, scan + 3) }
        let byte = bytes[scan]
        if byte == 0x0A || byte == 0x0D { return nil }
        // U+2028 and U+2029 (E2 80 A8 / E2 80 A9) end a `.` run too.
        if byte == 0xE2 && scan + 2 < bytes.count && bytes[scan + 1] == 0x80
            && (bytes[scan + 2] == 0xA8 || bytes[scan + 2] == 0xA9)
        {
            return nil
        }
        scan += 1
    }
    return nil
}

/// `toParts`: text, media and pending-section parts of one message's source.
func messageParts(_ source: String) -> [RenderedPart] {
    splitKeepingMarkers(source, match: mediaOrSectionMarker).map { piece in
        if piece.hasPrefix("<<<dotprompt:media:") {
            let fields = piece.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let url = fields.count > 1 ? fields[1] : ""
            let contentType = fields.count > 2 && !fields[2].isEmpty ? fields[2] : nil
            return .media(url: url, contentType: contentType)
        }
        if piece.hasPrefix("<<<dotprompt:section") {
            let fields = piece.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            var metadata: [PlainValue.Member] = []
            if fields.count > 1 { metadata.append(.init(key: "purpose", value: .string(fields[1]))) }
            metadata.append(.init(key: "pending", value: .bool(true)))
            return .metadata(.object(metadata))
        }
        return .text(piece)
    }
}

private func isHistory(_ message: RenderedMessage) -> Bool {
    message.metadata?["purpose"] == .string("history")
}

/// Dotprompt's `toMessages` followed by `insertHistory`: splits the rendered text at role and history
/// markers (text before any marker is `user`; a role marker after only whitespace re-labels the current
/// message), drops whitespace-only pieces, inserts the history (marked `purpose: history`) at
/// `{{history}}` or, without the marker, before the final user message (or at the end).
func assembleMessages(_ rendered: String, history: [RenderedMessage]?) -> [RenderedMessage] {
    enum Source {
        case template(role: String, text: String)
        case given(RenderedMessage)
    }
    var sources: [Source] = [.template(role: "user", text: "")]
    var current = 0
    for piece in splitKeepingMarkers(rendered, match: roleOrHistoryMarker) {
        if piece.hasPrefix("<<<dotprompt:role:") {
            let role = String(piece.dropFirst("<<<dotprompt:role:".count))
            guard case .template(_, let text) = sources[current] else { continue }
            if !isBlankJavaScript(text) {
                sources.append(.template(role: role, text: ""))
                current = sources.count - 1
            } else {
                sources[current] = .template(role: role, text: text)
            }
        } else if piece.hasPrefix("<<<dotprompt:history") {
            for message in history ?? [] {
                var marked = message
                var metadata: [PlainValue.Member] = []
                if case .object(let existing)? = message.metadata { metadata = existing }
                metadata.removeAll { $0.key == "purpose" }
                metadata.append(.init(key: "purpose", value: .string("history")))
                marked.metadata = .object(metadata)
                sources.append(.given(marked))
            }
            sources.append(.template(role: "model", text: ""))
            current = sources.count - 1
        } else if case .template(let role, let text) = sources[current] {
            sources[current] = .template(role: role, text: text + piece)
        }
    }
    let messages: [RenderedMessage] = sources.compactMap { source in
        switch source {
        case .given(let message): return message
        case .template(let role, let text):
            return text.isEmpty ? nil : RenderedMessage(role: role, content: messageParts(text))
        }
    }
    // insertHistory.
    guard let history, !messages.contains(where: isHistory) else { return messages }
    guard let last = messages.last else { return history }
    if last.role == "user" { return messages.dropLast() + history + [last] }
    return messages + history
}

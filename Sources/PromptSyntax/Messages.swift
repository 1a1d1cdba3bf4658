import PromptText

/// A use of one of Dotprompt's message helpers.
public struct PromptMarker: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `{{role "system"}}`; the role is nil when the argument is not a string literal.
        case role(String?)
        /// `{{history}}`.
        case history
        /// `{{section "name"}}`.
        case section(String?)
        /// `{{media url=...}}`.
        case media
        /// `{{#role "x"}}...{{/role}}`: Dotprompt emits the marker and silently drops the body.
        case roleBlock(String?)
        /// `{{#history}}...{{/history}}`: the body is dropped too.
        case historyBlock
    }

    public var kind: Kind
    public var node: TemplateNodeID
    public var range: UTF8Range
    /// Whether the marker is outside every block (inside one it is conditional or repeated).
    public var isTopLevel: Bool
    /// Why Dotprompt will not treat the marker as intended (a role name outside `[a-z]+` stays text).
    public var problem: String?
}

/// One message of the prompt, as Dotprompt's `toMessages` would form it from the template's top-level
/// markers: text before the first marker is `user`; `{{role "x"}}` starts a message unless the current
/// one holds only whitespace and comments (then it just changes that message's role); `{{history}}`
/// marks where the conversation history goes and the text after it is `model`.
public struct MessageSegment: Sendable, Hashable {
    /// `user`, `system`, `model`, ...; nil for a role computed at render time (`{{role someVariable}}`).
    public var role: String?
    /// The marker that set the role (nil for the implicit first message).
    public var markerRange: UTF8Range?
    /// The template text of the message (after its marker, up to the next marker).
    public var contentRange: UTF8Range
    /// The insertion point of the conversation history (`{{history}}`); its content is empty.
    public var isHistory: Bool

    public init(role: String?, markerRange: UTF8Range?, contentRange: UTF8Range, isHistory: Bool = false) {
        self.role = role
        self.markerRange = markerRange
        self.contentRange = contentRange
        self.isHistory = isHistory
    }
}

/// Whether `expression` is the plain name `name` (no `this`, `@`, `../` or dots).
func isSimpleName(_ expression: Expression, _ name: String) -> Bool {
    guard let path = expression.path else { return false }
    return !path.isData && !path.isThis && path.parentDepth == 0 && path.segments.count == 1
        && path.segments[0].name == name && !path.segments[0].isBracketed
}

private func stringArgument(_ call: Call) -> String? {
    guard let first = call.params.first, case .literal(let literal) = first, case .string(let value) = literal.value
    else { return nil }
    return value
}

/// Dotprompt's marker regex accepts only `[a-z]+` role names.
private func isMarkerRoleName(_ role: String) -> Bool {
    !role.isEmpty && role.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
}

func findMarkers(in template: Template) -> [PromptMarker] {
    var markers: [PromptMarker] = []
    for id in template.ids {
        let node = template[id]
        let isTopLevel = node.parent == nil
        switch node.content {
        case .mustache(let mustache):
            let call = mustache.call
            var kind: PromptMarker.Kind?
            var problem: String?
            if isSimpleName(call.callee, "role") {
                let role = stringArgument(call)
                kind = .role(role)
                if let role, !isMarkerRoleName(role) {
                    problem = "Dotprompt only recognises lowercase role names; '\(role)' is sent as text"
                }
            } else if isSimpleName(call.callee, "history") {
                kind = .history
            } else if isSimpleName(call.callee, "section") {
                kind = .section(stringArgument(call))
            } else if isSimpleName(call.callee, "media") {
                kind = .media
            }
            if let kind {
                markers.append(PromptMarker(kind: kind, node: id, range: node.range, isTopLevel: isTopLevel, problem: problem))
            }
        case .block(let block) where block.kind == .normal:
            if isSimpleName(block.open.call.callee, "role") {
                markers.append(
                    PromptMarker(
                        kind: .roleBlock(stringArgument(block.open.call)), node: id, range: node.range, isTopLevel: isTopLevel,
                        problem: "Dotprompt drops the body of a '{{#role}}' block; use '{{role \"...\"}}' followed by the text"))
            } else if isSimpleName(block.open.call.callee, "history") {
                markers.append(
                    PromptMarker(
                        kind: .historyBlock, node: id, range: node.range, isTopLevel: isTopLevel,
                        problem: "Dotprompt drops the body of a '{{#history}}' block; use '{{history}}'"))
            }
        default:
            break
        }
    }
    return markers
}

func segmentMessages(_ template: Template, markers: [PromptMarker], bytes: [UInt8]) -> [MessageSegment] {
    var markerAt: [TemplateNodeID: PromptMarker] = [:]
    for marker in markers where marker.isTopLevel && marker.problem == nil {
        switch marker.kind {
        case .role, .history: markerAt[marker.node] = marker
        default: break
        }
    }
    var segments: [MessageSegment] = []
    var current = MessageSegment(role: "user", markerRange: nil, contentRange: .empty(at: template.range.start))
    var hasContent = false
    func isBlankText(_ range: UTF8Range) -> Bool {
        bytes.javaScriptTrimmed(range).isEmpty
    }
    for id in template.rootNodes {
        let node = template[id]
        guard let marker = markerAt[id] else {
            switch node.content {
            case .comment: break
            case .text: if !isBlankText(node.range) { hasContent = true }
            default: hasContent = true
            }
            continue
        }
        current.contentRange = UTF8Range(start: current.contentRange.start, end: node.range.start)
        if case .role(let role) = marker.kind {
            if hasContent {
                segments.append(current)
                current = MessageSegment(role: role, markerRange: node.range, contentRange: .empty(at: node.range.end))
                hasContent = false
            } else {
                current.role = role
                current.markerRange = node.range
                current.contentRange = .empty(at: node.range.end)
            }
        } else {
            if hasContent { segments.append(current) }
            segments.append(MessageSegment(role: nil, markerRange: node.range, contentRange: .empty(at: node.range.end), isHistory: true))
            current = MessageSegment(role: "model", markerRange: node.range, contentRange: .empty(at: node.range.end))
            hasContent = false
        }
    }
    current.contentRange = UTF8Range(start: current.contentRange.start, end: template.range.end)
    if hasContent { segments.append(current) }
    return segments
}

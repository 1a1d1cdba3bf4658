import PromptSyntax
import PromptText

/// A message of the prompt as the analysis sees it: role, ranges, and the static text that is sent
/// whatever the input (template text nodes, each once).
public struct PromptMessage: Sendable, Hashable {
    /// `system`, `user`, `model`…; `?` when the role is computed at render time.
    public var role: String
    public var markerRange: UTF8Range?
    public var contentRange: UTF8Range
    /// The `{{history}}` insertion point (its content is the conversation so far).
    public var isHistory: Bool
    /// Few-shot material: a static `model` turn, or the `user` turn it answers.
    public var isExample: Bool
    public var staticText: String
    /// The static text as it is interrupted by inputs and blocks: each part is counted on its own, since
    /// the rendered input separates them (BPE never merges across it).
    public var staticParts: [String]
    /// Input variables the message reads, in order of first use.
    public var variables: [String]

    /// The range an editor shows the message's hint after: its marker, or its first line.
    public var anchorRange: UTF8Range { markerRange ?? UTF8Range.empty(at: contentRange.start) }
}

/// The parts of a parsed template the analysis and its rules use.
struct TemplateView {
    var messages: [PromptMessage]
    var prose: [ProseSegment]
    var pieces: [TemplatePiece]
    var references: TemplateReferences
    /// Input variables read anywhere, in order of first use.
    var variables: [String]
}

func makeTemplateView(_ document: PromptDocument) -> TemplateView {
    let template = document.template
    let bytes = Array(document.text.utf8)
    let references = template.references()
    let segments = document.messages.isEmpty
        ? [MessageSegment(role: "user", markerRange: nil, contentRange: document.templateRange)]
        : document.messages

    // Segments are in order; the last one starting at or before the node holds it: a binary search
    // (a scan of every segment per node was quadratic on a line of thousands of role markers).
    let inOrder = zip(segments, segments.dropFirst()).allSatisfy { $0.contentRange.start <= $1.contentRange.start }
    func messageIndex(of range: UTF8Range) -> Int {
        guard inOrder else {
            var found = 0
            for (index, segment) in segments.enumerated() where segment.contentRange.start <= range.start { found = index }
            return found
        }
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].contentRange.start <= range.start { low = middle + 1 } else { high = middle }
        }
        return max(0, low - 1)
    }
    func text(_ range: UTF8Range) -> String {
        String(decoding: bytes[max(0, range.start)..<min(bytes.count, range.end)], as: UTF8.self)
    }

    // Roles, with few-shot detection: a static model turn, and the user turn right before it.
    var roles = segments.map { $0.role ?? "?" }
    for (index, segment) in segments.enumerated() where segment.isHistory { roles[index] = "history" }
    // A model turn is a few-shot answer only when a user turn follows it; a model turn at the end is a
    // prefill (the start of the reply), not an example.
    var userFollows = Array(repeating: false, count: roles.count)  // A user turn comes after index.
    for index in roles.indices.reversed().dropFirst() { userFollows[index] = userFollows[index + 1] || roles[index + 1] == "user" }
    var isExample = roles.indices.map { index in roles[index] == "model" && userFollows[index] }
    for index in roles.indices where isExample[index] && index > 0 && roles[index - 1] == "user" {
        isExample[index - 1] = true
    }

    var prose: [ProseSegment] = []
    var pieces: [TemplatePiece] = []
    var staticText = Array(repeating: "", count: segments.count)
    var staticParts = Array(repeating: [String](), count: segments.count)
    var messageVariables = Array(repeating: [String](), count: segments.count)
    for node in template.nodes {
        let message = messageIndex(of: node.range)
        let role = roles[message]
        switch node.content {
        case .text(let textNode):
            let nodeText = text(node.range)
            var content = nodeText
            if let removed = textNode.removedBackslash, removed.start >= node.range.start, removed.end <= node.range.end {
                content = text(UTF8Range(start: node.range.start, end: removed.start)) + text(UTF8Range(start: removed.end, end: node.range.end))
            }
            staticText[message] += content
            staticParts[message].append(content)
            for chunk in proseChunks(bytes, node.range) {
                prose.append(ProseSegment(text: text(chunk), utf8Start: chunk.start, role: role,
                                          messageIndex: message, isExample: isExample[message]))
            }
            pieces.append(TemplatePiece(.text(nodeText), range: node.range, role: role, messageIndex: message))
        case .mustache(let mustache):
            if !mustache.call.hasArguments, let path = mustache.call.callee.path, !path.isData,
               !TemplateReferenceOptions.dotprompt.knownHelpers.contains(path.original)
            {
                pieces.append(TemplatePiece(.variable(name: path.original, raw: mustache.form != .escaped),
                                            range: node.range, role: role, messageIndex: message))
            } else {
                pieces.append(TemplatePiece(.other, range: node.range, role: role, messageIndex: message))
            }
        case .block(let block):
            pieces.append(TemplatePiece(.other, range: block.open.range, role: role, messageIndex: message))
            for branch in block.elseBranches {
                pieces.append(TemplatePiece(.other, range: branch.tagRange, role: roles[messageIndex(of: branch.tagRange)],
                                            messageIndex: messageIndex(of: branch.tagRange)))
            }
            if let close = block.close {
                pieces.append(TemplatePiece(.other, range: close.range, role: roles[messageIndex(of: close.range)],
                                            messageIndex: messageIndex(of: close.range)))
            }
        case .comment, .partial, .rawBlock, .invalid:
            pieces.append(TemplatePiece(.other, range: node.range, role: role, messageIndex: message))
        }
    }
    var variables: [String] = []
    for reference in references.variables {
        guard let name = reference.inputVariable else { continue }
        if !variables.contains(name) { variables.append(name) }
        let message = messageIndex(of: reference.path.range)
        if !messageVariables[message].contains(name) { messageVariables[message].append(name) }
    }
    let messages = segments.enumerated().map { index, segment in
        PromptMessage(role: roles[index], markerRange: segment.markerRange, contentRange: segment.contentRange,
                      isHistory: segment.isHistory, isExample: isExample[index], staticText: staticText[index], staticParts: staticParts[index],
                      variables: messageVariables[index])
    }
    return TemplateView(messages: messages, prose: prose, pieces: pieces.sorted { $0.range.start < $1.range.start },
                        references: references, variables: variables)
}

/// Text nodes shorter than twice this (bytes) are one chunk; a last chunk is at least half of it.
let proseChunkBytes = 1024
/// A chunk this long is cut at its next possible boundary whatever the line's hash says.
let proseChunkMaximumBytes = 6144

/// Splits a text node into chunks for the wording rules, so that an edit re-runs them on one chunk
/// only (their results are memoized per chunk text). A boundary is a line start after a line that
/// ends a sentence (`.`, `!`, `?`, `:`) or is blank, outside quoted regions and code fences: no
/// sentence, quotation or example block is ever cut in two. Boundaries are content-defined: such a
/// line ends a chunk when its own hash says so (one in eight), not by its distance from the previous
/// boundary, so an edit adds or removes at most one boundary and never shifts the later chunks (which
/// would re-run the rules on the whole rest of the text).
func proseChunks(_ bytes: [UInt8], _ range: UTF8Range) -> [UTF8Range] {
    guard range.length > proseChunkBytes * 2 else { return [range] }
    let quoted = quotedRegions(in: Array(bytes[range.range]))
    var nextQuoted = 0
    var chunks: [UTF8Range] = []
    var start = range.start
    var lineStart = range.start
    var lastNonSpace: UInt8 = 0x0A
    var lineHash: UInt64 = 0xcbf2_9ce4_8422_2325
    var offset = range.start
    while offset < range.end {
        let byte = bytes[offset]
        offset += 1
        if byte == 0x0A {
            let endsSentence = [0x2E, 0x21, 0x3F, 0x3A, 0x0A].contains(lastNonSpace) || lineStart == offset - 1
            let relative = offset - range.start
            let length = offset - start
            let cut = length >= proseChunkMaximumBytes || (lineHash >> 40) % 8 == 0
            // Regions are ordered and disjoint: skip those that end before this line start.
            while nextQuoted < quoted.count, quoted[nextQuoted].upperBound <= relative { nextQuoted += 1 }
            let isQuoted = nextQuoted < quoted.count && quoted[nextQuoted].contains(relative)
            if endsSentence, cut, range.end - offset >= proseChunkBytes / 2, !isQuoted {
                chunks.append(UTF8Range(start: start, end: offset))
                start = offset
            }
            lineStart = offset
            lastNonSpace = 0x0A
            lineHash = 0xcbf2_9ce4_8422_2325
        } else {
            lineHash = (lineHash ^ UInt64(byte)) &* 0x100_0000_01b3
            if byte != 0x20, byte != 0x09, byte != 0x0D { lastNonSpace = byte }
        }
    }
    chunks.append(UTF8Range(start: start, end: range.end))
    return chunks
}

import Foundation
import PromptSyntax
import PromptText

/// A partial that reads an input variable of the prompt including it: Handlebars passes the whole
/// context to `{{> name}}` (no context argument), so the partial's `{{topic}}` is the prompt's input.
public struct PartialRead: Sendable, Hashable {
    public var name: String
    public var path: String
    public var text: String
    /// The uses of the variable in the partial's text.
    public var uses: [UTF8Range]
}

/// The partials (followed through nested partials, each file once) that receive the prompt's context
/// and read input `variable`. Partials given an explicit context (`{{> card person}}`), included inside
/// `each`/`with`, or given the variable as a hash argument (`{{> card topic=x}}`) are not counted.
public func partialsReading(
    variable: String, in template: Template, path: String?, resolver: PartialResolver
) -> [PartialRead] {
    var found: [PartialRead] = []
    var visited: Set<String> = []
    var queue: [(template: Template, path: String?, depth: Int)] = [(template, path, 0)]
    while let (current, currentPath, depth) = queue.popLast() {
        guard depth <= maximumPartialDepth else { continue }
        for name in contextPassingPartials(current, variable: variable) {
            guard case .found(let partialPath, let text) = resolver(name, currentPath),
                visited.insert(partialPath).inserted
            else { continue }
            let partial = parseTemplate(text)
            let uses = variableUses(named: variable, inTemplate: text)
            if !uses.isEmpty {
                found.append(PartialRead(name: name, path: partialPath, text: text, uses: uses))
            }
            queue.append((partial, partialPath, depth + 1))
        }
    }
    return found.sorted { $0.path < $1.path }
}

/// Names of the partials a template includes with its own (root) context, not overriding `variable`.
private func contextPassingPartials(_ template: Template, variable: String) -> [String] {
    var names: [String] = []
    for id in template.ids {
        let inside = template.ancestors(of: id).contains { ancestor in
            guard case .block(let block) = template[ancestor].content, block.kind == .normal,
                let name = block.name
            else { return false }
            let options = TemplateReferenceOptions.dotprompt
            return options.contextChangingHelpers.contains(name)
                || (!block.open.call.hasArguments && !options.knownHelpers.contains(name))
        }
        guard !inside else { continue }
        switch template[id].content {
        case .partial(let partial):
            if partial.context == nil, !partial.hash.contains(where: { $0.key == variable }),
                let name = partial.staticName
            {
                names.append(name)
            }
        case .block(let block) where block.kind == .partialBlock:
            if block.open.call.params.isEmpty, !block.open.call.hash.contains(where: { $0.key == variable }),
                let name = block.name
            {
                names.append(name)
            }
        default:
            break
        }
    }
    return names
}

/// Why renaming input `name` to `newName` is not safe in this prompt, or nil when it is. `readers`
/// are the partials that read the variable through the prompt's context (see `partialsReading`).
public func variableRenameRefusal(
    name: String, newName: String, document: PromptDocument, readers: [PartialRead]
) -> String? {
    variableNewNameProblem(name: name, newName: newName, document: document)
        ?? variableRenameBlocker(name: name, document: document, readers: readers)
}

/// Why `newName` cannot replace input `name`: not a plain name, taken by another input, a helper or
/// a block parameter.
public func variableNewNameProblem(name: String, newName: String, document: PromptDocument) -> String? {
    guard isValidInputName(newName) else {
        return "'\(newName)' is not a valid input name: use letters, digits and _, not starting with a digit"
    }
    guard newName != name else { return nil }
    let references = document.template.references()
    if !variableOccurrences(named: newName, in: document).isEmpty
        || references.variables.contains(where: { $0.inputVariable == newName })
    {
        return "an input named '\(newName)' already exists in this prompt"
    }
    if TemplateReferenceOptions.dotprompt.knownHelpers.contains(newName) {
        return "'\(newName)' is a helper name: {{\(newName)}} would call the helper"
    }
    let lineIndex = document.makeLineIndex()
    for node in document.template.nodes {
        guard case .block(let block) = node.content else { continue }
        let parameters = block.open.blockParameters + block.elseBranches.flatMap(\.blockParameters)
        if let parameter = parameters.first(where: { $0.name == newName }) {
            let line = lineIndex.line(containingUTF8Offset: parameter.range.start) + 1
            return
                "'\(newName)' is a block parameter (as |\(newName)|) on line \(line): uses inside that block would read it instead"
        }
    }
    return nil
}

/// Why input `name` cannot be renamed at all in this prompt: it is spelled with escapes, the whole
/// input is passed on (`{{json this}}`), it is looked up by a string, or a partial reads it.
public func variableRenameBlocker(name: String, document: PromptDocument, readers: [PartialRead]) -> String? {
    let references = document.template.references()
    let lineIndex = document.makeLineIndex()
    func line(_ offset: Int) -> Int { lineIndex.line(containingUTF8Offset: offset) + 1 }
    let bytes = Array(document.text.utf8)
    for use in references.variables where use.inputVariable == name {
        let index = use.path.isData ? 1 : 0
        guard use.path.segments.indices.contains(index) else { continue }
        let segment = use.path.segments[index]
        let plain =
            segment.range.length == name.utf8.count && bytes[segment.range.range].elementsEqual(name.utf8)
        let bracketed = segment.isBracketed && segment.range.length == name.utf8.count + 2
        if !plain && !bracketed {
            return "'\(name)' is written with escapes on line \(line(segment.range.start)); rename it by hand"
        }
    }
    for (_, call) in references.calls {
        if let refusal = lookupRefusal(call, name: name, line: line) { return refusal }
        for expression in call.params + call.hash.map(\.value) {
            guard case .subExpression(let inner) = expression else { continue }
            if let refusal = lookupRefusal(inner, name: name, line: line) { return refusal }
        }
    }
    // The whole input passed on: `{{json this}}`, `{{> card this}}`, `{{#with @root}}` expose every key.
    for reference in references.variables where reference.contextDepth == 0 && reference.blockParameter == nil
    {
        let path = reference.path
        let wholeRoot = path.isData && path.head == "root" && path.segments.count == 1
        let wholeThis = !path.isData && path.isThis && path.segments.isEmpty && path.parentDepth == 0
        if wholeRoot || wholeThis {
            return
                "the whole input is passed on as '\(path.original)' on line \(line(path.range.start)): the key '\(name)' would change with the rename"
        }
    }
    if let reader = readers.first {
        return
            "'\(name)' is also read by partial '\(reader.name)' (\((reader.path as NSString).lastPathComponent)), which other prompts may include"
    }
    return nil
}

private func lookupRefusal(_ call: Call, name: String, line: (Int) -> Int) -> String? {
    guard call.callee.name == "lookup" else { return nil }
    for parameter in call.params {
        if case .literal(let literal) = parameter, case .string(let key) = literal.value, key == name {
            return "'\(name)' is read by name with lookup on line \(line(literal.range.start))"
        }
    }
    return nil
}

/// Why a partial cannot be renamed to `newName`, or nil: the new name stays in the same folder and
/// is a plain file name.
public func partialRenameRefusal(name: String, newName: String) -> String? {
    let oldFolder = name.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(
        separator: "/")
    let newParts = newName.split(separator: "/", omittingEmptySubsequences: false)
    let newFolder = newParts.dropLast().joined(separator: "/")
    guard newFolder == oldFolder else {
        return
            "a partial keeps its folder when renamed: '\(newName)' would move it (keep '\(oldFolder.isEmpty ? "" : oldFolder + "/")')"
    }
    let last = String(newParts.last ?? "")
    guard !last.isEmpty, last.utf8.allSatisfy({ isNameByte($0) || $0 == UInt8(ascii: "-") }) else {
        return "'\(newName)' is not a valid partial name: use letters, digits, _ and -"
    }
    return nil
}

/// `[A-Za-z_][A-Za-z0-9_]*`: a name that is a valid Handlebars path, Picoschema key and JSON key
/// without quoting.
public func isValidInputName(_ name: String) -> Bool {
    guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
        return false
    }
    return name.utf8.allSatisfy(isNameByte)
}

private func isNameByte(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
}

/// The ranges (inside the quotes) of the top-level keys named `name` in a JSON object text, such
/// as a `NAME.sample.json`. Keys written with escapes are not matched.
public func topLevelJSONKeyRanges(named name: String, in text: String) -> [UTF8Range] {
    let bytes = Array(text.utf8)
    var ranges: [UTF8Range] = []
    var depth = 0
    var index = 0
    var expectingKey = false
    while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "{"):
            depth += 1
            expectingKey = depth == 1
        case UInt8(ascii: "["):
            depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
        case UInt8(ascii: ","):
            expectingKey = depth == 1
        case UInt8(ascii: "\""):
            let start = index + 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            if expectingKey, depth == 1, end <= bytes.count,
                bytes[start..<min(end, bytes.count)].elementsEqual(name.utf8)
            {
                ranges.append(UTF8Range(start: start, end: end))
            }
            expectingKey = false
            index = end
        default:
            break
        }
        index += 1
    }
    return ranges
}

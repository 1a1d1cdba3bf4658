import JSONRPC
import LanguageServerProtocol
import PromptAnalysis
import Tokenizer

/// `workspace/executeCommand` `tokenmin.tokenView` with `[{"uri": …}]`: every token of the document in
/// the prompt's encoding, with its range, so editors can shade alternating tokens (the contract is in
/// editors/neovim/README.md). The id is not `tokenmin.showTokenView`, which is VS Code's own command.
struct TokenViewCommand: WorkspaceCommand {
    static let command = "tokenmin.tokenView"

    func run(_ arguments: [LSPAny]?, context: RequestContext) async throws -> LSPAny {
        guard case .object(let argument)? = arguments?.first, case .string(let uri)? = argument["uri"] else {
            throw ResponseError.invalidParams("tokenmin.tokenView takes [{\"uri\": …}]")
        }
        let document = try context.document(DocumentURI(uri))
        let encoding = context.snapshot.positionEncoding
        let analysis = context.snapshot.analyses.analysis(of: document, in: context.snapshot)
        let bpe = BPEEncoding.named(analysis.model.encoding)
        var tokens: [LSPAny] = []
        let bytes = analysis.lineIndex.utf8
        for range in bpe.tokenRanges(document.text) {
            try Task.checkCancellation()
            // A token may end inside a multi-byte character; ranges are widened to whole characters.
            var start = range.lowerBound
            while start > 0, start < bytes.count, bytes[start] & 0xC0 == 0x80 { start -= 1 }
            var end = range.upperBound
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            let lspRange = document.range(of: .init(start: start, end: end), encoding: encoding)
            tokens.append(.object([
                "range": .object([
                    "start": .object(["line": .integer(Int64(lspRange.start.line)), "character": .integer(Int64(lspRange.start.character))]),
                    "end": .object(["line": .integer(Int64(lspRange.end.line)), "character": .integer(Int64(lspRange.end.character))]),
                ]),
                "text": .string(String(decoding: bytes[start..<end], as: UTF8.self)),
            ]))
        }
        // The view counts the file as written; the hints count what is sent. Both numbers travel with
        // the view, each saying what it includes, so the two never seem to disagree.
        return .object([
            "uri": .string(uri), "version": .integer(Int64(document.version)), "encoding": .string(bpe.name.rawValue),
            "tokenCount": .integer(Int64(tokens.count)), "tokens": .array(tokens),
            "counts": .string("the file as written: frontmatter, template syntax and text"),
            "inputTokens": .integer(Int64(analysis.cost.inputTokens)),
            "inputCounts": .string("the rendered messages plus chat framing, as sent per call (the inlay hints)"
                + (analysis.cost.unresolvedVariables.isEmpty ? "" : "; inputs without a value not counted")),
        ])
    }
}

/// Asks clients that support it to re-request inlay hints after settings or watched files change.
struct InlayHintRefresh: StateObserver {
    func stateDidChange(_ changes: [StateChange], snapshot: ServerState, context: NotificationContext) {
        guard snapshot.clientCapabilities.workspace?.inlayHint?.refreshSupport == true,
              snapshot.analyses.servedInlayHints.withLock({ $0 }),
              changes.contains(where: { if case .configurationChanged = $0 { return true }; if case .watchedFilesChanged = $0 { return true }; return false })
        else { return }
        Task { _ = try? await context.client.request(InlayHintRefreshRequest.self, NoParams()) }
    }
}

import LanguageServerProtocol

extension HandlerRegistry {
    /// The handlers of `tokenmin lsp`, one line each. A feature adds its file in this folder and a
    /// line here.
    static let standard: HandlerRegistry = {
        var registry = HandlerRegistry()
        registry.add(Initialized())
        registry.add(SetTrace())
        registry.add(DidOpen())
        registry.add(DidChange())
        registry.add(DidClose())
        registry.add(DidSave())
        registry.add(DidChangeConfiguration())
        registry.add(DidChangeWatchedFiles())
        registry.add(DocumentText())
        registry.add(Status())
        registry.add(PullDiagnostics())
        registry.add(InlayHints())
        registry.add(InlayHintResolve())
        registry.add(HoverHandler())
        registry.add(CodeActionHandler())
        registry.add(CompletionHandler())
        registry.add(DocumentSymbols())
        registry.add(ExecuteCommand.standard)
        registry.add(Formatting())
        registry.add(Definition())
        registry.add(References())
        registry.add(PrepareRename())
        registry.add(Rename())
        registry.add(DocumentHighlights())
        registry.add(FoldingRanges())
        registry.add(SelectionRanges())
        registry.add(WorkspaceDiagnostics())
        registry.observe(PushDiagnostics())
        registry.observe(InlayHintRefresh())
        registry.observe(DependentsRefresh())
        return registry
    }()
}

extension ServerCapabilities {
    /// Lets the text-synchronization handlers each declare their part of `textDocumentSync`.
    mutating func updateTextDocumentSync(_ body: (inout TextDocumentSyncOptions) -> Void) {
        var options = textDocumentSync ?? TextDocumentSyncOptions()
        body(&options)
        textDocumentSync = options
    }
}

// PromptLanguageServer: the session actor, lifecycle, dispatch and per-method handlers of
// `tokenmin lsp`. This is the only place where positions change encoding.

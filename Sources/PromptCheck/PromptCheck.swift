// PromptCheck: headless `tokenmin check` for CI: discovery, reporters, budgets and baselines.
// It shares the analysis with the editor and never imports the language server modules.

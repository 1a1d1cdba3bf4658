// PromptAnalysis: the semantic layer shared by the language server and `tokenmin check`:
// configuration, rules, fixes, counts and costs, hover and inlay data as plain `Sendable` values.

// PromptText: UTF-8 text, line indexes (offset ⇄ line/column in UTF-8, UTF-16 and UTF-32 units) and
// text edits. It knows nothing about prompts or the language server protocol.

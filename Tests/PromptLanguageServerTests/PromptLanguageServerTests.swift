// Tests for the PromptLanguageServer module live in this folder, one file per feature.

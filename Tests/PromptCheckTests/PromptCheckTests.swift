// Tests for the PromptCheck module live in this folder, one file per feature.

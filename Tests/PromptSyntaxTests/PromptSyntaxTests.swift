// Tests for the PromptSyntax module live in this folder, one file per feature.

// Tests for the PromptAnalysis module live in this folder, one file per feature.

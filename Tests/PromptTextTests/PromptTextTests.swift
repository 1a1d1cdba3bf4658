// Tests for the PromptText module live in this folder, one file per feature.

// Tests for the Tokenizer module live in this folder, one file per feature.

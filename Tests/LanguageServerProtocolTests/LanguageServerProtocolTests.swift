// Tests for the LanguageServerProtocol module live in this folder, one file per feature.

// Tests for the JSONRPC module live in this folder, one file per feature.

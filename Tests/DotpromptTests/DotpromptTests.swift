// Tests for the Dotprompt module live in this folder, one file per feature.

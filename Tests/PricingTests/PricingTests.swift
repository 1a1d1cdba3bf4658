// Tests for the Pricing module live in this folder, one file per feature.

// Pricing: the bundled model catalog (providers, aliases, context windows, tokenizer families,
// per-token prices as `Decimal`, source and as-of date) and the LiteLLM price JSON import.
//
// Files:
// - ModelCatalog.swift      the data model, the bundled catalog, loading and writing catalog files
// - ModelResolution.swift   `resolve(_:)` from frontmatter `model:` values, suggestions for unknown ids
// - LiteLLMImport.swift     `importLiteLLM(_:options:)`: LiteLLM JSON → `ModelCatalog`
// - TokenizerFamilies.swift which encoding counts each model's tokens, and the cited estimate ratios
// - CallCost.swift          per-call, cached-prefix and monthly cost; `ChatFormat` message overhead
// - CallVolume.swift        "8M/month", "250k/day" → calls per month
// - USDFormat.swift         `$0.0042`, `$1.2k/month`, `$2.50/MTok`
// - PriceOverride.swift     per-model overrides from configuration, and catalog merging
//
// This module imports only Foundation and CEmbeddedData: token counting and `.prompt` parsing happen
// in the layers above, which hand plain token counts to the arithmetic here.

// Pricing: the bundled model catalog (providers, aliases, context windows, tokenizer families,
// per-token prices as `Decimal`, source and as-of date) and the LiteLLM price JSON import.

// Tokenizer: exact byte-pair encodings (`o200k_base`, `cl100k_base`) identical to tiktoken's
// `encode_ordinary`, with hand-written pre-tokenizers, embedded vocabularies and count-only fast paths.

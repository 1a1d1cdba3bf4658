"""Generates the tokenizer data that tokenmin embeds with C23 `#embed` (Sources/CEmbeddedData/data/).

Outputs (all little-endian, all deterministic):

* `o200k_base.tmbpe`, `cl100k_base.tmbpe`: the BPE vocabularies in rank order.
  Layout: magic `TMBP`, u32 format version (1), u32 token count N, then N records
  `u8 byte_length, bytes...`; the record index is the token id (rank). Ranks in the source files are
  verified to be exactly 0..N-1, so nothing else needs storing.
  Source: OpenAI's `<name>.tiktoken` files, read from the tiktoken cache directory (TIKTOKEN_CACHE_DIR,
  file name = sha1 of the download URL; `Tests/python/setup-venv.sh` fills it from the litellm wheel)
  and verified against the sha256 that tiktoken publishes in `tiktoken_ext/openai_public.py`.

* `unicode_classes.tmuc`: the character class of every Unicode scalar as tiktoken's regex engine
  (Rust `regex-syntax`, whose Unicode version need not match Swift's) sees it. Layout: magic `TMUC`,
  u32 format version (1), u32 block count B, then 4352 u16 block indices (one per 256 code points),
  then B blocks of 256 class bytes. Classes: 0 other (punctuation, symbols, controls, unassigned),
  1 upper (Lu, Lt), 2 lower (Ll), 3 caseless letter (Lm, Lo), 4 mark (M), 5 number (N),
  6 white space (`\\s`) other than CR/LF, 7 CR or LF.
  The classes are measured by asking tiktoken itself: an encoding with the pattern `KK|[\\s\\S]` and a
  vocabulary holding every scalar doubled returns the doubled token exactly for scalars in class K.

Usage: generate_tokenizer_data.py [--check] [OUTPUT_DIR]
  Without --check it writes the files; with --check it regenerates them in memory and exits 1 if any
  committed file differs. OUTPUT_DIR defaults to Sources/CEmbeddedData/data.
"""

import base64
import hashlib
import os
import struct
import sys

# Source of truth: tiktoken_ext/openai_public.py (URL and expected_hash=...).
VOCABS = {
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
}

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEFAULT_OUTPUT = os.path.join(ROOT, "Sources", "CEmbeddedData", "data")


def cache_dir() -> str:
    path = os.environ.get("TIKTOKEN_CACHE_DIR")
    if not path:
        sys.exit("TIKTOKEN_CACHE_DIR is not set (run Tests/python/setup-venv.sh, then point it at .venv/tiktoken-cache)")
    return path


def vocab_blob(name: str) -> bytes:
    url, expected = VOCABS[name]
    path = os.path.join(cache_dir(), hashlib.sha1(url.encode()).hexdigest())
    with open(path, "rb") as source:
        data = source.read()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        sys.exit(f"{name}: sha256 {actual} != tiktoken's {expected}")
    tokens = []
    for line_number, line in enumerate(data.splitlines()):
        encoded, rank = line.split()
        if int(rank) != line_number:
            sys.exit(f"{name}: ranks are not 0..N-1 in order (line {line_number})")
        token = base64.b64decode(encoded)
        if not 1 <= len(token) <= 255:
            sys.exit(f"{name}: token {line_number} has length {len(token)}")
        tokens.append(token)
    out = bytearray(b"TMBP" + struct.pack("<II", 1, len(tokens)))
    for token in tokens:
        out.append(len(token))
        out += token
    return bytes(out)


# Class ids, in the order documented above and in Sources/Tokenizer/UnicodeClasses.swift.
PROBES = [
    (1, r"[\p{Lu}\p{Lt}]"),
    (2, r"\p{Ll}"),
    (3, r"[\p{Lm}\p{Lo}]"),
    (4, r"\p{M}"),
    (5, r"\p{N}"),
    (6, r"\s"),
]


def measured_classes() -> list:
    import tiktoken

    scalars = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    ranks = {bytes([b]): b for b in range(256)}
    for index, scalar in enumerate(scalars):
        ranks[(chr(scalar) * 2).encode()] = 256 + index
    text = "".join(chr(c) * 2 for c in scalars)

    def members(klass: str) -> set:
        probe = tiktoken.Encoding(
            "class-probe", pat_str=f"{klass}{klass}|[\\s\\S]", mergeable_ranks=ranks, special_tokens={}
        )
        return {scalars[t - 256] for t in probe.encode_ordinary(text) if t >= 256}

    classes = [0] * 0x110000
    for class_id, klass in PROBES:
        for scalar in members(klass):
            if classes[scalar] != 0:
                sys.exit(f"U+{scalar:04X} is in two classes ({classes[scalar]} and {class_id})")
            classes[scalar] = class_id
    letters = members(r"\p{L}")
    split_letters = {c for c in range(0x110000) if classes[c] in (1, 2, 3)}
    if letters != split_letters:
        sys.exit("\\p{L} is not the union of Lu/Lt, Ll and Lm/Lo")
    for newline in (0x0A, 0x0D):
        if classes[newline] != 6:
            sys.exit("CR/LF are expected to be white space")
        classes[newline] = 7
    return classes


def class_blob() -> bytes:
    classes = measured_classes()
    blocks: list = []
    block_index: dict = {}
    stage1 = []
    for start in range(0, 0x110000, 256):
        block = bytes(classes[start : start + 256])
        if block not in block_index:
            block_index[block] = len(blocks)
            blocks.append(block)
        stage1.append(block_index[block])
    out = bytearray(b"TMUC" + struct.pack("<II", 1, len(blocks)))
    out += struct.pack(f"<{len(stage1)}H", *stage1)
    for block in blocks:
        out += block
    return bytes(out)


def outputs() -> dict:
    return {
        "o200k_base.tmbpe": vocab_blob("o200k_base"),
        "cl100k_base.tmbpe": vocab_blob("cl100k_base"),
        "unicode_classes.tmuc": class_blob(),
    }


def main() -> None:
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    output_dir = args[0] if args else DEFAULT_OUTPUT
    differing = []
    for name, data in outputs().items():
        path = os.path.join(output_dir, name)
        if check:
            try:
                with open(path, "rb") as committed:
                    same = committed.read() == data
            except FileNotFoundError:
                same = False
            if not same:
                differing.append(name)
            print(f"{name}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}… {'ok' if same else 'DIFFERS'}")
        else:
            with open(path, "wb") as out:
                out.write(data)
            print(f"{name}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}…")
    if differing:
        sys.exit(f"committed data differs from the generator's output: {', '.join(differing)}")


if __name__ == "__main__":
    main()

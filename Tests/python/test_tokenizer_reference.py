"""Compares `tokenmin tokenize` with tiktoken's `encode_ordinary`, token id for token id.

* Every Unicode scalar (all of U+0000...U+10FFFF except surrogates) in several probe contexts, for
  both encodings. Scalars are batched: one text per (encoding, context) holds every scalar's probe,
  so each comparison is a single tokenmin process; a mismatch is located and reported by scalar.
* Random strings drawn from an alphabet of tricky characters (each class of the pre-tokenizer
  regexes, apostrophes and contraction letters, CR/LF and other white space, digits, slashes).

Needs TOKENMIN_BIN (the built `tokenmin` binary; Tests/all.sh sets it) and TIKTOKEN_CACHE_DIR (a
verified vocabulary cache; Tests/python/setup-venv.sh fills it).
"""

import os
import random
import subprocess

import pytest
import tiktoken

ENCODINGS = ["o200k_base", "cl100k_base"]

# Each context places the probe scalar `c` among characters whose pre-tokenization depends on the
# class of `c`: letters of each case, a prefix space, digits, contractions, white space and newlines.
CONTEXTS = [
    "{c}{c}{c}",
    " {c}a'S",
    "A{c}b1",
    "x{c}  \n",
    "'{c}'ll",
    "\t{c}/\n",
]
SEPARATOR = "\u0000"


def tokenmin_bin() -> str:
    path = os.environ.get("TOKENMIN_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"TOKENMIN_BIN must name the built tokenmin binary (got {path!r}); run Tests/all.sh")
    return path


def tokenmin_tokenize(encoding: str, text: str) -> list:
    result = subprocess.run(
        [tokenmin_bin(), "tokenize", "--encoding", encoding, "-"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    return [int(t) for t in result.stdout.split()]


def first_difference(expected: list, actual: list) -> int:
    for index, (e, a) in enumerate(zip(expected, actual)):
        if e != a:
            return index
    return min(len(expected), len(actual))


def describe_mismatch(encoding: tiktoken.Encoding, text: str, expected: list, actual: list) -> str:
    index = first_difference(expected, actual)
    offset = len(encoding.decode_bytes(expected[:index]))
    around = text.encode("utf-8")[max(0, offset - 24) : offset + 24].decode("utf-8", "replace")
    return (
        f"first difference at token {index} (UTF-8 offset {offset}) near {around!r}: "
        f"tiktoken {expected[index:index + 6]} tokenmin {actual[index:index + 6]}"
    )


@pytest.fixture(scope="module")
def scalars() -> list:
    return [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


@pytest.mark.parametrize("name", ENCODINGS)
def test_every_scalar_in_every_context(name: str, scalars: list) -> None:
    encoding = tiktoken.get_encoding(name)
    compared = 0
    failures = []
    for context in CONTEXTS:
        text = SEPARATOR.join(context.format(c=c) for c in scalars)
        expected = encoding.encode_ordinary(text)
        actual = tokenmin_tokenize(name, text)
        if expected != actual:
            failures.append(f"context {context!r}: " + describe_mismatch(encoding, text, expected, actual))
        compared += len(scalars)
    print(f"{name}: compared {compared} scalar probes ({len(scalars)} scalars x {len(CONTEXTS)} contexts)")
    assert not failures, "\n".join(failures)


# Characters chosen to hit every branch of both pre-tokenizers.
ALPHABET = (
    list("aAzZsStTdDmMlLvVrReE'’\"/\\.,!?-_ \t\r\n0123456789")
    + ["\u017f", "\u00e9", "\u00c9", "\u01c5", "\u02b0", "\u4e2d", "\u3042", "\u0301", "\u0308", "\u0903"]
    + ["\u0663", "\u2167", "\u00bd", "\u00a0", "\u3000", "\u2028", "\u0085", "\u000b", "\u000c"]
    + ["\U0001f600", "\u200d", "\U0001f469", "\ufe0f", "\u05d0", "\u0627", "\u0928", "\u093e"]
)


@pytest.mark.parametrize("name", ENCODINGS)
def test_random_strings(name: str) -> None:
    encoding = tiktoken.get_encoding(name)
    rng = random.Random(20240531)
    strings = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40))) for _ in range(20000)]
    # Strings are joined into one text per call; NUL is punctuation in both encodings, so the
    # joined text is itself a random string over the alphabet plus NUL.
    text = SEPARATOR.join(strings)
    expected = encoding.encode_ordinary(text)
    actual = tokenmin_tokenize(name, text)
    print(f"{name}: compared {len(strings)} random strings ({len(text)} characters, {len(expected)} tokens)")
    assert expected == actual, describe_mismatch(encoding, text, expected, actual)


# Runs of one repeated character: tokenmin merges each (byte, length) once and remembers it, so every
# run length must be checked against tiktoken, cold and then warm (the same text twice in one call).
RUN_CHARACTERS = [" ", "\t", "\n", "\r\n", "-", "=", "#", "*", "_", ".", "0", "a", "A", "\u3000", "\u4e2d"]


@pytest.mark.parametrize("name", ENCODINGS)
def test_runs_of_one_character(name: str) -> None:
    encoding = tiktoken.get_encoding(name)
    pieces = [f"x{c * length}y" for c in RUN_CHARACTERS for length in list(range(1, 300)) + [511, 512, 513, 1000, 4097]]
    text = SEPARATOR.join(pieces)
    text = text + SEPARATOR + text
    expected = encoding.encode_ordinary(text)
    actual = tokenmin_tokenize(name, text)
    print(f"{name}: compared {len(pieces)} runs of one character, twice ({len(expected)} tokens)")
    assert expected == actual, describe_mismatch(encoding, text, expected, actual)


# ASCII words of every case shape and length: the pre-tokenizers scan ASCII letter runs eight bytes
# at a time, so lengths cross those steps and the word is followed by each kind of next character
# (ASCII of every class, a contraction, a non-ASCII letter or mark, or the end of the text).
WORD_FOLLOWERS = [" ", ".", "1", "'s", "'LL", "'x", "\n", "/", "_", "\u00e9", "\u00c9", "\u0301", "\u4e2d", "\u00a0", ""]


def ascii_word(rng: random.Random) -> str:
    lower = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz`{") for _ in range(rng.randint(0, 20)))
    upper = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ@[") for _ in range(rng.randint(0, 20)))
    shapes = [lower, upper, upper + lower, lower + upper, upper + lower + upper]
    return rng.choice(shapes)


@pytest.mark.parametrize("name", ENCODINGS)
def test_ascii_words(name: str) -> None:
    encoding = tiktoken.get_encoding(name)
    rng = random.Random(7)
    texts = []
    for _ in range(6000):
        prefix = rng.choice(["", " ", "-", "\t", "(", "\u00bf"])
        texts.append(prefix + ascii_word(rng) + rng.choice(WORD_FOLLOWERS))
    # Each text is also tokenized on its own once in a while, so a word can end the input.
    expected = [encoding.encode_ordinary(SEPARATOR.join(texts))] + [encoding.encode_ordinary(t) for t in texts[:200]]
    actual = [tokenmin_tokenize(name, SEPARATOR.join(texts))]
    actual += [tokenmin_tokenize(name, t) if t else [] for t in texts[:200]]
    for index, (e, a) in enumerate(zip(expected, actual)):
        text = SEPARATOR.join(texts) if index == 0 else texts[index - 1]
        assert e == a, describe_mismatch(encoding, text, e, a)
    print(f"{name}: compared {len(texts)} ASCII words in one text and {len(actual) - 1} on their own")

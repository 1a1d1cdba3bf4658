"""Extracts tiktoken vocabularies from the litellm wheel into a tiktoken cache directory.

The litellm wheel (PyPI) bundles OpenAI's `cl100k_base.tiktoken` and `o200k_base.tiktoken` under the
sha1 of their download URL, which is also the file name tiktoken's cache uses. Each file is verified
against the sha256 that tiktoken itself publishes in `tiktoken_ext/openai_public.py`.

Usage: extract_vocab.py WHEEL_DIR CACHE_DIR
"""

import glob
import hashlib
import os
import sys
import zipfile

# Source of truth: tiktoken_ext/openai_public.py (expected_hash=...).
VOCABS = {
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
}


def main() -> None:
    wheel_dir, cache_dir = sys.argv[1], sys.argv[2]
    wheels = glob.glob(os.path.join(wheel_dir, "litellm-*.whl"))
    if not wheels:
        sys.exit(f"no litellm wheel in {wheel_dir}")
    with zipfile.ZipFile(wheels[0]) as wheel:
        for name, (url, expected) in VOCABS.items():
            key = hashlib.sha1(url.encode()).hexdigest()
            data = wheel.read(f"litellm/litellm_core_utils/tokenizers/{key}")
            actual = hashlib.sha256(data).hexdigest()
            if actual != expected:
                sys.exit(f"{name}: sha256 {actual} != tiktoken's {expected}")
            with open(os.path.join(cache_dir, key), "wb") as out:
                out.write(data)
            print(f"{name}: verified sha256 {actual[:16]}…")


if __name__ == "__main__":
    main()

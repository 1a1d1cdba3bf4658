#!/usr/bin/env bash
# Runs every tokenmin test: the Swift unit and integration tests, then the Python-driven suites
# (tiktoken reference counts, LSP conformance with pytest-lsp, Neovim end-to-end, TextMate grammar),
# then the Swift tests under AddressSanitizer and ThreadSanitizer (Tests/sanitizers.sh).
# It installs what it needs into .venv (PyPI) and apt (Debian) on a fresh machine.
# Usage: bash Tests/all.sh            (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
say() { printf '\n== %s\n' "$*"; }

logs="$root/.build/test-logs"
mkdir -p "$logs"

say "swift build (warnings are errors)"
if ! swift build --build-tests > "$logs/build.log" 2>&1; then
  cat "$logs/build.log"; exit 1
fi
if grep -E "warning:" "$logs/build.log"; then
  echo "the build produced warnings (see above)"; exit 1
fi

say "swift test"
set +e
swift test --skip-build > "$logs/swift-test.log" 2>&1
swift_status=$?
set -e
# Failures in full, then the closing summary lines of XCTest and Swift Testing.
grep -E "error:|' failed" "$logs/swift-test.log" | head -n 60 || true
grep -A1 "^Test Suite 'All tests'" "$logs/swift-test.log" | grep "Executed" | tail -n 1
grep -E "Test run with" "$logs/swift-test.log" | tail -n 1
[ $swift_status -eq 0 ] || { echo "swift test failed (full log: $logs/swift-test.log)"; exit $swift_status; }

say "python test environment (.venv)"
bash Tests/python/setup-venv.sh
export TIKTOKEN_CACHE_DIR="$root/.venv/tiktoken-cache"
export TOKENMIN_BIN="$root/.build/debug/tokenmin"

say "pytest suites"
set +e
"$root/.venv/bin/python" -m pytest -q -p no:cacheprovider Tests/python
status=$?
set -e
# Exit 5 means pytest collected nothing; that is a failure of the suite layout, not a pass.
[ $status -eq 0 ] || { echo "pytest failed (exit $status)"; exit $status; }

say "swift test under AddressSanitizer and ThreadSanitizer"
bash Tests/sanitizers.sh

#!/usr/bin/env bash
# Runs every tokenmin test: the Swift unit and integration tests, then the Python-driven suites
# (tiktoken reference counts, LSP conformance with pytest-lsp, Neovim end-to-end, TextMate grammar).
# It installs what it needs into .venv (PyPI) and apt (Debian) on a fresh machine.
# Usage: bash Tests/all.sh            (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
say() { printf '\n== %s\n' "$*"; }

say "swift build (warnings are errors)"
swift build --build-tests 2>&1 | tee .build-log.txt >/dev/null || { cat .build-log.txt; exit 1; }
if grep -E "warning:" .build-log.txt | grep -v "^warning: 'main'" >/dev/null; then
  grep -E "warning:" .build-log.txt; echo "build produced warnings"; rm -f .build-log.txt; exit 1
fi
rm -f .build-log.txt

say "swift test"
swift test --skip-build 2>&1 | tail -n 40

say "python test environment (.venv)"
bash Tests/python/setup-venv.sh
export TIKTOKEN_CACHE_DIR="$root/.venv/tiktoken-cache"
export TOKENMIN_BIN="$root/.build/debug/tokenmin"

say "pytest suites"
set +e
"$root/.venv/bin/python" -m pytest -q Tests/python
status=$?
set -e
# Exit 5 means pytest collected nothing; that is a failure of the suite layout, not a pass.
exit $status

#!/usr/bin/env bash
# Runs the Swift tests under AddressSanitizer and ThreadSanitizer, each in its own scratch folder
# (.build-asan, .build-tsan; gitignored) so the normal debug build is untouched. Tests that launch
# `tokenmin` find the binary next to the test bundle, so the server and `check` processes they start
# are sanitized too. A sanitizer report fails the run (halt_on_error; the report is printed).
# Usage: bash Tests/sanitizers.sh [address|thread]...   (default: both; from the repository root)
# Extra `swift test` arguments can be passed in SANITIZER_TEST_ARGS (e.g. "--filter Fuzz"); a run is
# stopped after SANITIZER_TIMEOUT seconds (default 1800: a process that aborts on a report can hang).
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=("$@")
[ ${#kinds[@]} -eq 0 ] && kinds=(address thread)
status=0
for kind in "${kinds[@]}"; do
  # Under ThreadSanitizer the suites that time hostile inputs through child `check` processes
  # (50 MB files, 10,000-deep nesting, killed fixes) would take most of an hour and exercise no
  # concurrency the other tests do not: the parallel check runner, the server's sessions, caches
  # and memo run in the remaining suites. AddressSanitizer runs everything.
  skip=()
  case "$kind" in
    address) scratch=.build-asan ;;
    thread) scratch=.build-tsan; skip=(--skip HostileTreeTests --skip FixInterruptTests) ;;
    *) echo "unknown sanitizer '$kind' (address or thread)"; exit 2 ;;
  esac
  logs="$scratch/test-logs"
  mkdir -p "$logs"
  printf '\n== swift build --sanitize=%s\n' "$kind"
  start=$(date +%s)
  if ! swift build --build-tests --sanitize="$kind" --scratch-path "$scratch" > "$logs/build.log" 2>&1; then
    tail -n 40 "$logs/build.log"; exit 1
  fi
  built=$(date +%s)
  printf '== swift test --sanitize=%s (built in %ss)\n' "$kind" $((built - start))
  set +e
  # Reports from every process (the test bundle, and the servers and `check` runs it starts) go to
  # $logs/report.PID; the Swift backtracer is off so an abort ends the process at once.
  rm -f "$logs"/report.*
  options="halt_on_error=1:abort_on_error=1:log_path=$PWD/$logs/report"
  ASAN_OPTIONS="$options:detect_leaks=0" TSAN_OPTIONS="$options:second_deadlock_stack=1" \
    SWIFT_BACKTRACE=enable=no TOKENMIN_SANITIZED=1 \
    timeout --kill-after=30 "${SANITIZER_TIMEOUT:-1800}" \
    swift test --skip-build --sanitize="$kind" --scratch-path "$scratch" "${skip[@]}" ${SANITIZER_TEST_ARGS:-} > "$logs/test.log" 2>&1
  result=$?
  set -e
  end=$(date +%s)
  reports=$(find "$logs" -name 'report.*' | wc -l)
  for report in "$logs"/report.*; do
    if [ -e "$report" ]; then echo "-- $report"; head -n 40 "$report"; fi
  done
  grep -E "error:|' failed" "$logs/test.log" | head -n 20 || true
  grep -A1 "^Test Suite 'All tests'" "$logs/test.log" | grep "Executed" | tail -n 1 || true
  printf '== %s sanitizer: exit %s, %s reports, build %ss, tests %ss (log: %s)\n' \
    "$kind" "$result" "$reports" $((built - start)) $((end - built)) "$logs/test.log"
  [ "$result" -eq 0 ] && [ "$reports" -eq 0 ] || status=1
done
exit $status

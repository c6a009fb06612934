#!/usr/bin/env bash
# Sets the machine up if needed, builds (Debug + ASan/UBSan, warnings as errors) and runs every
# test with CTest: unit, integration (a redis-server of its own) and the NLU evaluations.
# Usage: deploy/test.sh [extra ctest arguments, e.g. -L unit]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then deploy/setup.sh; else deploy/setup.sh || { echo "run deploy/setup.sh as root first" >&2; exit 1; }; fi

preset=${DAIBAN_TEST_PRESET:-dev}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
# Sanitizers: fail on the first error; leaks are reported too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# A failing test gets one more try, and the try is printed so flakiness stays visible. The one
# known flake (SIGTERM under load: drain closed sockets whose request had just been read) is
# fixed; the retry stays as insurance for timing-sensitive tests on a loaded CI machine.
status=0
ctest --preset "$preset" --timeout 300 --repeat until-pass:2 "$@" | tee "build/$preset/ctest.log" ||
  status=$?
if grep -q "Test Failed\|\*\*\*Failed\|\*\*\*Timeout" "build/$preset/ctest.log"; then
  echo "test.sh: some tests passed only on their second try (see above): a flake to fix" >&2
fi
# CTest runs the sanitizer build. The binary we ship differs (optimised, tcmalloc, one shard per
# core less Redis'), so it gets a smoke run of its own: real traffic through the JSON hook and
# WeChat (plain and safe mode) for a few seconds, failing on any error or a 200 without a reply.
# Skipped when a subset of the tests was asked for, or with DAIBAN_SKIP_RELEASE_SMOKE=1.
if [ "$#" -eq 0 ] && [ "${DAIBAN_SKIP_RELEASE_SMOKE:-}" != 1 ]; then
  for mode in hook wechat; do
    MODE=$mode CHECK=1 ROUNDS=1 SECONDS_PER_RUN=3 PORT_BASE=16650 deploy/bench.sh || status=1
  done
fi
# The fuzzers (tests/fuzz: hook JSON, WeChat XML, crypto envelope, NLU, agent commands), each for
# a short bounded time over its seed corpus under ASan/UBSan; a crash fails the run.
if [ "$#" -eq 0 ] && [ "${DAIBAN_SKIP_FUZZ:-}" != 1 ]; then
  deploy/fuzz.sh "${DAIBAN_FUZZ_SECONDS:-20}" || status=1
fi
exit "$status"

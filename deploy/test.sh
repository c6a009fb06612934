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
exit "$status"

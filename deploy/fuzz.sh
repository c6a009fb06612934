#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz: JSON hook, WeChat XML, WeChat crypto, NLU, agent
# commands) with clang under ASan/UBSan into build/fuzz, and runs each for SECONDS (default 60)
# over a copy of its seed corpus (tests/fuzz/corpus/<target>, never written to). Prints, per
# target, execs/s and the corpus size; exits 1 if any target crashed, leaked, timed out or ran out
# of memory, naming the input that did it. Installs nothing: needs clang-14 and libclang-rt-14-dev.
# Usage: deploy/fuzz.sh [SECONDS] [TARGET...]       (DAIBAN_FUZZ_JOBS: build parallelism, 2)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
case $seconds in '' | *[!0-9]*) echo "usage: deploy/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2 ;; esac
all_targets=(fuzz_json_hook fuzz_wechat_xml fuzz_wechat_crypto fuzz_nlu_parse fuzz_agent_command)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

cc=${DAIBAN_FUZZ_CC:-clang-14}
cxx=${DAIBAN_FUZZ_CXX:-clang++-14}
if ! command -v "$cxx" >/dev/null || ! command -v "$cc" >/dev/null; then
  echo "fuzz.sh: $cxx not found; install the Debian packages clang-14 libclang-rt-14-dev" >&2
  exit 2
fi
if ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
  "$cxx" -x c++ -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
  echo "fuzz.sh: $cxx cannot link libFuzzer (-fsanitize=fuzzer); install libclang-rt-14-dev" >&2
  exit 2
fi

build=build/fuzz
mkdir -p "$build"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if ! CC=$cc CXX=$cxx cmake -S tests/fuzz -B "$build" -G Ninja "${launcher[@]}" \
  >"$build/configure.log" 2>&1; then
  cat "$build/configure.log" >&2
  exit 1
fi
if ! cmake --build "$build" -j "${DAIBAN_FUZZ_JOBS:-2}" -- "${targets[@]}" >"$build/build.log" 2>&1; then
  tail -50 "$build/build.log" >&2
  echo "fuzz.sh: build failed (whole log: $build/build.log)" >&2
  exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
printf '%-20s %10s %10s %12s  %s\n' target execs/s runs corpus result
for t in "${targets[@]}"; do
  run=$build/run/$t
  rm -rf "$run"
  mkdir -p "$run/corpus" "$run/artifacts"
  cp tests/fuzz/corpus/"$t"/* "$run/corpus/"
  seeds=$(find "$run/corpus" -type f | wc -l)
  rc=0
  # -timeout: one input taking this long is a hang; -rss_limit_mb: the NLU's tables plus ASan.
  "$build/$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$PWD/$run/artifacts/" "$run/corpus" \
    >"$run/log" 2>&1 || rc=$?
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$run/log" | tail -1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run/log" | tail -1)
  size=$(find "$run/corpus" -type f | wc -l)
  artifact=$(find "$run/artifacts" -type f | head -1)
  if [ "$rc" -ne 0 ] || [ -n "$artifact" ]; then
    status=1
    printf '%-20s %10s %10s %12s  %s\n' "$t" "${eps:--}" "${runs:--}" "$seeds->$size" "FAILED (exit $rc)"
    grep -m1 -E 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error|property failed' \
      "$run/log" >&2 || tail -20 "$run/log" >&2
    echo "  input: ${artifact:-none saved}; log: $run/log" >&2
    echo "  reproduce: $build/$t ${artifact:-}" >&2
  else
    printf '%-20s %10s %10s %12s  %s\n' "$t" "$eps" "$runs" "$seeds->$size" ok
  fi
done
exit "$status"

#!/usr/bin/env bash
# The issue-2/3 benchmark, reproducible in one command: builds release, starts a private Redis
# (AOF everysec, own port, removed afterwards), the bot and a bare Beast hello-world server with
# the same threading, then runs `daiban bench` against each in turn, ROUNDS times, and prints a
# table: messages/s, p50/p99, CPU per message of the server and of Redis, and the bot's RSS.
#
#   deploy/bench.sh                 # JSON hook `help` path vs bare Beast (issue 2)
#   MODE=wechat deploy/bench.sh     # /wechat/demo plain vs safe mode (issue 3)
# Knobs: SECONDS_PER_RUN (10), CONNECTIONS (32), CONVERSATIONS (1000), ROUNDS (3), PORT_BASE (16600),
# RATE (unset: closed loop, each connection sends as soon as it has its answer, so every target
# runs at its own saturation; a number: that many messages/s offered to every target, so CPU per
# message is compared at equal load), CHECK (1: exit non-zero when any run had an error, no
# answers, or a 200 without a reply; deploy/test.sh uses it as a smoke test of the release binary we ship),
# REDIS_VIA (unix: the bot reaches Redis over a unix socket, as a co-located deployment should;
# tcp: over loopback TCP), BASELINE_BIN (another build of `daiban`, e.g. main before a change:
# it runs beside this one on the next port and every round measures both, so a before/after
# comparison comes from one run on one machine state), WAIT_REPLICAS (N: a Redis replica joins the
# private Redis and a second bot with redis.wait_replicas=N runs beside the first, as the
# `daiban-waitN` row: what waiting for a replica's copy of every turn costs; the other rows then
# run with the replica attached too).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${MODE:-hook}
secs=${SECONDS_PER_RUN:-10}
conns=${CONNECTIONS:-32}
convs=${CONVERSATIONS:-1000}
rounds=${ROUNDS:-3}
base=${PORT_BASE:-16600}
redis_port=$base bot_port=$((base + 1)) hello_port=$((base + 2)) baseline_port=$((base + 3))
replica_port=$((base + 4)) wait_port=$((base + 5))
redis_via=${REDIS_VIA:-unix}
pace=()
[ -n "${RATE:-}" ] && pace=(--rate "$RATE")

if [ "${SKIP_BUILD:-}" != 1 ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target daiban hello_server
fi
bin=$root/build/release/daiban
work=$(mktemp -d /tmp/daiban-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# CPU time (user+system, in clock ticks) a process has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
field() { sed -n 's/.*"'"$2"'":\([0-9.]*\).*/\1/p' <<<"$1"; }

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --appendonly yes \
  --appendfsync everysec --save "" --logfile "$work/redis.log" \
  --unixsocket "$work/redis.sock" --unixsocketperm 700 &
pids+=($!)
redis_pid=$!
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done

redis_url=redis://127.0.0.1:$redis_port/0
[ "$redis_via" = unix ] && redis_url=unix://$work/redis.sock
DAIBAN_REDIS=$redis_url DAIBAN_LISTEN=127.0.0.1:$bot_port DAIBAN_DATA_DIR=$work/data \
  "$bin" serve --config deploy/daiban.json 2>"$work/daiban.log" &
pids+=($!)
bot_pid=$!
"$root/build/release/tests/hello_server" "$hello_port" "$(nproc)" >/dev/null 2>&1 &
pids+=($!)
hello_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$bot_port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$bot_port/readyz" >/dev/null || { echo "bench: the bot did not start:" >&2; cat "$work/daiban.log" >&2; exit 1; }

wait_pid=
if [ -n "${WAIT_REPLICAS:-}" ]; then
  mkdir -p "$work/replica"
  redis-server --port "$replica_port" --bind 127.0.0.1 --dir "$work/replica" --appendonly yes \
    --appendfsync everysec --save "" --logfile "$work/replica.log" \
    --replicaof 127.0.0.1 "$redis_port" &
  pids+=($!)
  for _ in $(seq 1 100); do
    redis-cli -p "$redis_port" info replication | grep -q "connected_slaves:1" && break
    sleep 0.1
  done
  # The demo config with "redis" as an object: the address (the same Redis) and wait_replicas.
  python3 - "$redis_url" "$WAIT_REPLICAS" deploy/daiban.json >"$work/daiban-wait.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[3], encoding="utf-8"))
c["redis"] = {"address": sys.argv[1], "wait_replicas": int(sys.argv[2]), "wait_timeout_ms": 1000}
json.dump(c, sys.stdout, ensure_ascii=False)
PY
  DAIBAN_LISTEN=127.0.0.1:$wait_port DAIBAN_DATA_DIR=$work/data-wait \
    "$bin" serve --config "$work/daiban-wait.json" 2>"$work/wait.log" &
  pids+=($!)
  wait_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$wait_port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$wait_port/readyz" >/dev/null || { echo "bench: the bot with wait_replicas did not start:" >&2; cat "$work/wait.log" >&2; exit 1; }
fi

baseline_pid=
if [ -n "${BASELINE_BIN:-}" ]; then
  DAIBAN_REDIS=$redis_url DAIBAN_LISTEN=127.0.0.1:$baseline_port DAIBAN_DATA_DIR=$work/data-baseline \
    "$BASELINE_BIN" serve --config deploy/daiban.json 2>"$work/baseline.log" &
  pids+=($!)
  baseline_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$baseline_port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
fi

hz=$(getconf CLK_TCK)
failed=()
# run NAME PID_OF_SERVER BENCH-ARGS...: one bench run; prints a table row.
run() {
  local name=$1 pid=$2
  shift 2
  local s0 r0 out s1 r1 ok
  # Each run starts from an empty Redis: at these rates a run leaves ~1 M dedupe keys and a
  # 100+ MB AOF behind, and the background AOF rewrites that follow (a forked child, a core
  # each) would bill the next run for the size of the last one, not for its own messages.
  redis-cli -p "$redis_port" flushall >/dev/null
  redis-cli -p "$redis_port" bgrewriteaof >/dev/null
  while redis-cli -p "$redis_port" info persistence | grep -q "aof_rewrite_in_progress:1"; do sleep 0.2; done
  s0=$(ticks "$pid") r0=$(ticks "$redis_pid")
  # `times` (children's user and system time) gives the load generator's own CPU.
  out=$("$bin" bench --connections "$conns" --conversations "$convs" --seconds "$secs" "${pace[@]}" "$@" \
    | tail -1; times)
  s1=$(ticks "$pid") r1=$(ticks "$redis_pid")
  ok=$(field "$out" ok)
  c=$(awk 'NR == 3 { split($1, u, /[ms]/); split($2, y, /[ms]/); print u[1] * 60 + u[2] + y[1] * 60 + y[2] }' <<<"$out")
  # A smoke check: no errors, and every 200 from the bot carried a real reply (not an empty
  # acknowledgement; the hello-world server has no replies to carry).
  if [ "${CHECK:-}" = 1 ] && { [ "$(field "$out" errors)" != 0 ] || [ "${ok:-0}" = 0 ] ||
    { [ "$name" != hello ] && [ "$(field "$out" answered)" != "$ok" ]; }; }; then
    failed+=("$name")
  fi
  awk -v n="$name" -v rps="$(field "$out" rps)" -v p50="$(field "$out" p50_ms)" \
    -v p99="$(field "$out" p99_ms)" -v err="$(field "$out" errors)" -v ok="$ok" \
    -v c="$c" -v s="$((s1 - s0))" -v r="$((r1 - r0))" -v hz="$hz" -v rss="$(rss_mib "$pid")" \
    'BEGIN { printf "%-12s %9.0f %7.2f %7.2f %7d %10.1f %10.1f %10.1f %8s\n", n, rps, p50, p99, err,
             ok ? s * 1e6 / hz / ok : 0, ok ? r * 1e6 / hz / ok : 0, ok ? c * 1e6 / ok : 0, rss }'
}

load="closed loop"
[ -n "${RATE:-}" ] && load="$RATE msg/s offered"
echo "bench: bot -> Redis over $redis_via; $(nproc) cores; ${secs}s per run; load: $load"
printf "%-12s %9s %7s %7s %7s %10s %10s %10s %8s\n" target msg/s p50_ms p99_ms errors \
  srv_us/msg redis_us/m client_us/m rss_MiB
for _ in $(seq 1 "$rounds"); do
  if [ "$mode" = wechat ]; then
    run wechat-plain "$bot_pid" --url "http://127.0.0.1:$bot_port" --wechat
    run wechat-aes "$bot_pid" --url "http://127.0.0.1:$bot_port" --wechat --aes
  else
    run hello "$hello_pid" --url "http://127.0.0.1:$hello_port"
    [ -n "$baseline_pid" ] && run baseline-help "$baseline_pid" --url "http://127.0.0.1:$baseline_port"
    run daiban-help "$bot_pid" --url "http://127.0.0.1:$bot_port"
    if [ -n "$wait_pid" ]; then run "daiban-wait$WAIT_REPLICAS" "$wait_pid" --url "http://127.0.0.1:$wait_port"; fi
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "bench: errors or no answers in: ${failed[*]} (the bot's log follows)" >&2
  tail -n 30 "$work/daiban.log" >&2
  exit 1
fi

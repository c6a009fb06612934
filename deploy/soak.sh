#!/usr/bin/env bash
# Soak: the bot at a fixed message rate for a long time, printing every INTERVAL seconds what
# must stay bounded — the bot's RSS, Redis's used memory, the number of keys (and how many carry
# a TTL), and the latency percentiles of that interval. A private Redis (AOF everysec, own port,
# removed afterwards) and the release binary, as deploy/bench.sh starts them.
#
#   deploy/soak.sh                              # 50 msg/s for 10 minutes, a line a minute
#   RATE=20 DURATION=86400 INTERVAL=600 deploy/soak.sh   # a county's day (see README, "Soak")
# Knobs: RATE (50 msg/s), DURATION (600 s), INTERVAL (60 s), CONVERSATIONS (5000 residents),
# TEXT (你好: the help path; any resident message), PORT_BASE (16800), SKIP_BUILD=1, BIN (another
# daiban binary).
#
# What "flat" means: per message the bot writes a claim (`seen`, 24 h TTL) and the
# conversation (30 days TTL, one per resident). Keys grow with messages until the first claims
# expire (24 h), then stay level; conversations level off at the number of residents writing.
# RSS must level off within minutes (shards' caches, allocator arenas) and never grow with the
# message count.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
rate=${RATE:-50}
duration=${DURATION:-600}
interval=${INTERVAL:-60}
convs=${CONVERSATIONS:-5000}
text=${TEXT:-你好}
base=${PORT_BASE:-16800}
redis_port=$base bot_port=$((base + 1))

if [ -z "${BIN:-}" ] && [ "${SKIP_BUILD:-}" != 1 ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target daiban
fi
bin=${BIN:-$root/build/release/daiban}
work=$(mktemp -d /tmp/daiban-soak.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
field() { sed -n 's/.*"'"$2"'":\([0-9.]*\).*/\1/p' <<<"$1"; }
redis() { redis-cli -s "$work/redis.sock" "$@"; }

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --appendonly yes \
  --appendfsync everysec --save "" --logfile "$work/redis.log" \
  --unixsocket "$work/redis.sock" --unixsocketperm 700 &
pids+=($!)
for _ in $(seq 1 50); do redis ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done

DAIBAN_REDIS=unix://$work/redis.sock DAIBAN_LISTEN=127.0.0.1:$bot_port DAIBAN_DATA_DIR=$work/data \
  "$bin" serve --config deploy/daiban.json 2>"$work/daiban.log" &
pids+=($!)
bot_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$bot_port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$bot_port/readyz" >/dev/null || { echo "soak: the bot did not start:" >&2; cat "$work/daiban.log" >&2; exit 1; }

echo "soak: $rate msg/s for ${duration}s, $convs residents, \"$text\"; a line every ${interval}s"
printf '%8s %9s %8s %10s %9s %9s %8s %8s %7s\n' elapsed sent errors bot_rss_mb redis_mb keys with_ttl p50_ms p99_ms
elapsed=0 total=0 errors_total=0
while [ "$elapsed" -lt "$duration" ]; do
  step=$interval
  [ $((elapsed + step)) -gt "$duration" ] && step=$((duration - elapsed))
  out=$("$bin" bench --url "http://127.0.0.1:$bot_port" --rate "$rate" --seconds "$step" \
          --conversations "$convs" --text "$text" 2>/dev/null | tail -1)
  elapsed=$((elapsed + step))
  sent=$(field "$out" sent); errors=$(field "$out" errors)
  total=$((total + ${sent%.*})); errors_total=$((errors_total + ${errors%.*}))
  used=$(redis info memory | awk -F: '/^used_memory:/ {printf "%.1f", $2 / 1048576}')
  keys=$(redis dbsize)
  expires=$(redis info keyspace | sed -n 's/.*expires=\([0-9]*\).*/\1/p')
  printf '%7ss %9s %8s %10s %9s %9s %8s %8s %7s\n' "$elapsed" "$total" "$errors_total" \
    "$(rss_mib "$bot_pid")" "$used" "$keys" "${expires:-0}" "$(field "$out" p50_ms)" "$(field "$out" p99_ms)"
done
[ "$errors_total" -eq 0 ] || { echo "soak: $errors_total errors (see $work/daiban.log)" >&2; exit 1; }

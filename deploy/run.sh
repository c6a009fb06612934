#!/usr/bin/env bash
# Builds the release binary, starts Redis (unless DAIBAN_REDIS points elsewhere or one already
# answers) and the bot with the demo county, then opens `daiban chat`. Ctrl-C stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ "$(id -u)" -eq 0 ]; then deploy/setup.sh; else deploy/setup.sh || { echo "run deploy/setup.sh as root first" >&2; exit 1; }; fi
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target daiban
bin=$root/build/release/daiban

mkdir -p var/redis var/data var/log
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${DAIBAN_REDIS:-}" ]; then
  if redis-cli -p 6379 ping 2>/dev/null | grep -q PONG; then
    echo "run: using the Redis already answering on 127.0.0.1:6379"
  else
    redis-server deploy/redis.conf --unixsocket "$root/var/redis/redis.sock" --unixsocketperm 700 \
      >var/log/redis.log 2>&1 &
    pids+=($!)
    for _ in $(seq 1 50); do redis-cli -p 6379 ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
    redis-cli -p 6379 ping 2>/dev/null | grep -q PONG ||
      { echo "run: redis-server did not start; see var/log/redis.log" >&2; tail -5 var/log/redis.log >&2; exit 1; }
    # Ours, on this host: the bot uses its unix socket (cheaper than loopback TCP per command).
    export DAIBAN_REDIS="unix://$root/var/redis/redis.sock"
    echo "run: started redis-server (AOF in var/redis, socket var/redis/redis.sock, log in var/log/redis.log)"
  fi
fi

"$bin" check --config deploy/daiban.json
"$bin" serve --config deploy/daiban.json 2>>var/log/daiban.log &
pids+=($!)
listen=${DAIBAN_LISTEN:-127.0.0.1:8080}
for _ in $(seq 1 100); do curl -fs "http://$listen/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://$listen/readyz" >/dev/null || { echo "run: the bot did not become ready; see var/log/daiban.log" >&2; tail -20 var/log/daiban.log >&2; exit 1; }
echo "run: daiban is serving http://$listen (log: var/log/daiban.log)"

if [ -t 0 ] && [ -t 1 ]; then
  echo "run: opening a chat as a resident; try 你好, 我妈住院了想办民政二次救助 — /quit to leave"
  "$bin" chat --url "http://$listen" --tenant demo || true
  echo "run: chat closed; Ctrl-C stops the bot and Redis"
  wait
else
  cat <<MSG
run: not a terminal, so no chat opened. Try:
  $bin chat --url http://$listen --tenant demo                         # as a resident
  $bin chat --url http://$listen --as u_agent_hhl_1 --group g_hhl      # as an agent in a group
MSG
  wait
fi

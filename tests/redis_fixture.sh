#!/usr/bin/env bash
# CTest fixture: starts (or stops) a redis-server of this test run's own, on a free TCP port and a
# unix socket under the build tree. It never touches 6379 or a server it did not start.
# Tests read the address from $DAIBAN_TEST_VAR/redis.addr ("redis://127.0.0.1:PORT/0").
set -euo pipefail
cmd=$1 var=$2
mkdir -p "$var"
pidfile=$var/redis.pid
case $cmd in
start)
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then kill "$(cat "$pidfile")" || true; sleep 0.2; fi
  for attempt in $(seq 1 20); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 30000 ))
    rm -f "$var/redis.sock" "$var/redis.log"
    redis-server --port "$port" --bind 127.0.0.1 --unixsocket "$var/redis.sock" --unixsocketperm 700 \
      --save "" --appendonly no --daemonize yes --pidfile "$pidfile" --logfile "$var/redis.log" \
      --dir "$var" >/dev/null 2>&1 || continue
    for _ in $(seq 1 50); do
      if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
        echo "redis://127.0.0.1:$port/0" > "$var/redis.addr"
        echo "redis-server for tests on port $port (pid $(cat "$pidfile"))"
        exit 0
      fi
      sleep 0.1
    done
  done
  echo "could not start redis-server for the tests (see $var/redis.log)" >&2
  exit 1
  ;;
stop)
  if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; fi
  ;;
esac

#!/bin/sh
# Runs the bridge next to the bot (README.md): installs its npm packages into bridge/node_modules
# from the committed lockfile when they are missing or older than the lockfile (no global
# installs), then starts it.
#   bridge/run.sh [CONFIG] [--check]      CONFIG defaults to $BRIDGE_CONFIG, else bridge/bridge.json
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null 2>&1 || { echo "run.sh: node (>= 18) is required" >&2; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || { echo "run.sh: node >= 18 is required, found $(node --version)" >&2; exit 1; }
if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --prefer-offline --no-audit --no-fund)
fi
config=${BRIDGE_CONFIG:-$here/bridge.json}
if [ $# -gt 0 ]; then
  case $1 in --*) ;; *) config=$1; shift ;; esac
fi
[ -f "$config" ] || { echo "run.sh: no config at $config (copy bridge/config.example.json and edit it)" >&2; exit 1; }
exec node "$here/index.js" --config "$config" "$@"

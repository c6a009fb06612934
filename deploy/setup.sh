#!/usr/bin/env bash
# Installs every system dependency of daiban on Debian bookworm, as root.
# Idempotent and quick when everything is present: it only calls apt when a package is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache git
  libboost1.81-dev libboost-url1.81-dev # Beast, Asio (headers), URL (query strings)
  libhiredis-dev             # RESP reply parser (0.14.1)
  nlohmann-json3-dev catch2 libpugixml-dev libssl-dev
  libopencc-dev libopencc-data # traditional -> simplified
  redis-server redis-tools   # tests start their own; run.sh starts one for the demo
  nodejs npm                 # e2e peers (wechat-crypto, @wecom/crypto)
  clang-format curl
  python3                    # regenerates the corpus's training form (bot/nlu/data/corpus)
  fasttext                   # deploy/nlu_fasttext.sh: the classifier we compare ours with
  libtcmalloc-minimal4       # the server's allocator (CMakeLists.txt DAIBAN_ALLOCATOR)
  libsodium-dev              # console passwords: Argon2id (bot/console/passwords.cpp)
  libjs-chart.js             # the console's charts, served from /usr/share/javascript
  chromium                   # the console's e2e tests drive it headless (puppeteer-core)
  fonts-wqy-microhei         # Chinese glyphs in the console's screenshots
  clang-14 libclang-rt-14-dev # deploy/fuzz.sh: libFuzzer targets under ASan/UBSan (tests/fuzz)
  nginx-light                # tests check deploy/nginx/daiban.conf (nginx -t) and balance replicas through it
)

missing=()
for p in "${packages[@]}"; do
  # dpkg-query answers "install ok installed" only for a fully installed package.
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node may come from elsewhere (the image ships one): accept any node >= 18 with npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
read -r -a missing <<<"${missing[*]}"

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all dependencies present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run 'sudo deploy/setup.sh' (apt needs root)" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The packaged redis-server starts a system instance on 6379; daiban never relies on it.
echo "setup: done"

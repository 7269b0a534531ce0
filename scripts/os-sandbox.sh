#!/usr/bin/env bash
# Runs a command as root in a throw-away copy of this machine (root only):
#   bash scripts/os-sandbox.sh bash -c 'dpkg -i build/sscard_*.deb && ...'
# The command sees this machine's files through an overlay whose writes go to a tmpfs that
# disappears with it: `dpkg -i`, postinst (users, /etc, /var), even `dpkg --purge` leave the
# machine exactly as it was, and parallel test runs never see each other's packages. Private
# mount, network (own loopback: its own port 47815) and PID namespaces, a fresh /run (so no
# systemd appears to be running, as in a container) and /proc. The current directory is kept.
set -euo pipefail
(($#)) || { echo "usage: os-sandbox.sh COMMAND [ARG...]" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "os-sandbox.sh: needs root (unshare, mount, chroot)" >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/sscard-sandbox-XXXXXX")"
trap 'rmdir "$work/lower" "$work/rw" "$work" 2>/dev/null || true' EXIT
mkdir -p "$work/lower" "$work/rw"
unshare --mount --net --pid --fork --propagation private -- bash -c '
  set -e
  work="$1"; cwd="$2"; shift 2
  mount --bind / "$work/lower"
  mount -t tmpfs -o mode=0755 tmpfs "$work/rw"
  mkdir -p "$work/rw/upper" "$work/rw/work" "$work/rw/root"
  new="$work/rw/root"
  mount -t overlay overlay -o "lowerdir=$work/lower,upperdir=$work/rw/upper,workdir=$work/rw/work" "$new"
  mount -t proc proc "$new/proc"
  mount --rbind /dev "$new/dev"
  mount --rbind /sys "$new/sys"
  mount -t tmpfs -o mode=0755 tmpfs "$new/run"
  mkdir -p "$new/run/pcscd" "$new/run/lock"
  ip link set lo up
  exec chroot "$new" bash -c "cd \"\$1\" && shift && exec \"\$@\"" sandbox "$cwd" "$@"
' sandbox "$work" "$PWD" "$@"

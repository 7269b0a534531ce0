#!/usr/bin/env bash
# Builds native-shims/build/libsscard-nodelay.so (the TCP_NODELAY preload for pcscd, see
# native-shims/tcp-nodelay-preload.c and docs/pcsc.md). Rebuilds only when the source is newer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/native-shims/tcp-nodelay-preload.c"
out_dir="$root/native-shims/build"
out="$out_dir/libsscard-nodelay.so"
if [[ -f "$out" && "$out" -nt "$src" ]]; then
  exit 0
fi
command -v cc >/dev/null 2>&1 || { echo "build-preload: no C compiler (cc) found; install build-essential" >&2; exit 1; }
mkdir -p "$out_dir"
echo "build-preload: compiling $out" >&2
cc -shared -fPIC -O2 -Wall -Wextra -o "$out.tmp" "$src" -ldl
mv -f "$out.tmp" "$out"

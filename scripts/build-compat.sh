#!/usr/bin/env bash
# Builds native-shims/build/libsscard-mohrss.so (the MOHRSS iReadCardBas entry point as a client of
# the sscard daemon, docs/c-libraries.md) with the system C compiler. Rebuilds only when the source is newer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/native-shims/compat/sscard-mohrss.c"
out_dir="$root/native-shims/build"
out="$out_dir/libsscard-mohrss.so"
if [[ -f "$out" && "$out" -nt "$src" ]]; then
  exit 0
fi
command -v cc >/dev/null 2>&1 || { echo "build-compat: no C compiler (cc) found; install build-essential" >&2; exit 1; }
mkdir -p "$out_dir"
echo "build-compat: compiling $out" >&2
cc -shared -fPIC -O2 -Wall -Wextra -fvisibility=hidden -o "$out.tmp" "$src"
mv -f "$out.tmp" "$out"

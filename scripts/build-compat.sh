#!/usr/bin/env bash
# Builds the C compatibility libraries (docs/c-libraries.md) with the system C compiler into
# native-shims/build/: libsscard-mohrss.so (iReadCardBas), libsscard-nhsa-sscard.so (the NHSA
# SSCard flavour), libsscard-nhsa-heasec.so (the HeaSecReadInfo flavour). Each rebuilds only when a source is newer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/native-shims/compat"
out_dir="$root/native-shims/build"
command -v cc >/dev/null 2>&1 || { echo "build-compat: no C compiler (cc) found; install build-essential" >&2; exit 1; }
mkdir -p "$out_dir"
build() {
  local out="$out_dir/$1" src="$dir/$2"
  local common=("$dir/sscard-daemon-client.c" "$dir/sscard-national-pin.c")
  local fresh=1 f
  for f in "$src" "${common[@]}" "$dir"/*.h; do [[ -f "$out" && "$out" -nt "$f" ]] || fresh=0; done
  [[ $fresh == 1 ]] && return 0
  echo "build-compat: compiling $out" >&2
  cc -shared -fPIC -O2 -Wall -Wextra -fvisibility=hidden -o "$out.tmp" "$src" "${common[@]}"
  mv -f "$out.tmp" "$out"
}
build libsscard-mohrss.so sscard-mohrss.c
build libsscard-nhsa-sscard.so sscard-nhsa-sscard.c
build libsscard-nhsa-heasec.so sscard-nhsa-heasec.c

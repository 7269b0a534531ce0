#!/usr/bin/env bash
# Builds the C compatibility libraries (docs/c-libraries.md) into native-shims/build/:
#   (default)   with the system C compiler: libsscard-mohrss.so (iReadCardBas, its HSM steps, the PIN functions), libsscard-nhsa-sscard.so
#               (the NHSA SSCard flavour), libsscard-nhsa-heasec.so (the HeaSecReadInfo flavour);
#   --windows   with the mingw-w64 cross compilers: windows/{x86,x64}/SSCardDriver.dll, SSCard.dll and
#               HeaSecReadInfo.dll, __stdcall with undecorated exports from native-shims/compat/win/*.def.
# Each rebuilds only when a source is newer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/native-shims/compat"
out_dir="$root/native-shims/build"
common=("$dir/sscard-daemon-client.c" "$dir/sscard-national-pin.c") # linked into every library
shared=("${common[@]}" "$dir"/*.h)
fresh() { # fresh OUT SOURCE...: OUT exists and is newer than every SOURCE
  local out="$1" src
  shift
  [[ -f "$out" ]] || return 1
  for src in "$@"; do [[ "$out" -nt "$src" ]] || return 1; done
}

if [[ "${1:-}" == "--windows" ]]; then
  # 32-bit: the .def maps each vendor name to the stdcall symbol (Init = Init@8); x64 has no
  # decoration, so its .def is the same list without the "= ..." part.
  for arch in x86 x64; do
    case $arch in x86) cc=i686-w64-mingw32-gcc ;; x64) cc=x86_64-w64-mingw32-gcc ;; esac
    command -v "$cc" >/dev/null 2>&1 || { echo "build-compat: no $cc; install gcc-mingw-w64-i686 gcc-mingw-w64-x86-64" >&2; exit 1; }
    mkdir -p "$out_dir/windows/$arch"
    for pair in SSCardDriver:sscard-mohrss.c SSCard:sscard-nhsa-sscard.c HeaSecReadInfo:sscard-nhsa-heasec.c; do
      name="${pair%%:*}" src="$dir/${pair#*:}" def="$dir/win/${pair%%:*}.def"
      out="$out_dir/windows/$arch/$name.dll"
      fresh "$out" "$src" "$def" "${shared[@]}" && continue
      echo "build-compat: compiling $out" >&2
      if [[ $arch == x64 ]]; then
        sed 's/ *=.*//' "$def" >"$out.def"
        def="$out.def"
      fi
      "$cc" -shared -O2 -Wall -Wextra -Werror -static-libgcc -o "$out.tmp" "$src" "${common[@]}" "$def" -lws2_32
      rm -f "$out.def"
      mv -f "$out.tmp" "$out"
    done
  done
  exit 0
fi

command -v cc >/dev/null 2>&1 || { echo "build-compat: no C compiler (cc) found; install build-essential" >&2; exit 1; }
mkdir -p "$out_dir"
build() {
  local out="$out_dir/$1" src="$dir/$2"
  fresh "$out" "$src" "${shared[@]}" && return 0
  echo "build-compat: compiling $out" >&2
  cc -shared -fPIC -O2 -Wall -Wextra -fvisibility=hidden -o "$out.tmp" "$src" "${common[@]}"
  mv -f "$out.tmp" "$out"
}
build libsscard-mohrss.so sscard-mohrss.c
build libsscard-nhsa-sscard.so sscard-nhsa-sscard.c
build libsscard-nhsa-heasec.so sscard-nhsa-heasec.c

#!/usr/bin/env bash
# Idempotent machine setup for the PC/SC tests (used by .ci/run and `npm test`), docs/pcsc.md:
#  1. apt packages pcscd libpcsclite-dev pcsc-tools vsmartcard-vpcd opensc, only when missing
#     (+ a C compiler for the preload when there is none);
#  2. builds the TCP_NODELAY preload (native-shims/build/libsscard-nodelay.so);
#  3. starts pcscd with the preload when none runs, and waits until it is ready.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "setup: $*" >&2; }
as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# chromium for the browser tests; fonts-liberation because --no-install-recommends would leave it without fonts;
# postgresql for the shared card-status store tests (the tests start private servers themselves);
# systemd (systemd-analyze verify of the package's units), libnss3-tools (certutil: doctor's
# Chromium trust check and the local CA in the test browser profile), openssl (test certificates)
# for the deployment tests (docs/deploy.md); fonts-wqy-microhei for the demo page's Chinese labels
# in screenshots; iproute2 (ip) for the browser matrix's own network namespace (docs/browsers.md);
# python3 for the ctypes test of the C compatibility libraries, gcc-mingw-w64-i686/-x86-64 for their
# Windows build and wine64 to run the x64 DLLs in the tests (docs/c-libraries.md).
packages=(pcscd libpcsclite-dev pcsc-tools vsmartcard-vpcd opensc chromium fonts-liberation fonts-wqy-microhei postgresql systemd libnss3-tools openssl iproute2 python3 gcc-mingw-w64-i686 gcc-mingw-w64-x86-64 wine64)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
if ((${#missing[@]})); then
  command -v apt-get >/dev/null 2>&1 || { say "error: missing ${missing[*]} and no apt-get"; exit 1; }
  say "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
    || { say "error: apt-get update failed"; exit 1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2 || { say "error: apt-get install ${missing[*]} failed"; exit 1; }
else
  say "packages present"
fi
# vpcd's reader.conf entry (two readers on TCP 35963/35964) comes with the package.
[[ -f /etc/reader.conf.d/vpcd ]] || { say "error: /etc/reader.conf.d/vpcd missing (vsmartcard-vpcd)"; exit 1; }

bash "$root/scripts/build-preload.sh" || { say "error: building the preload failed"; exit 1; }
bash "$root/scripts/build-compat.sh" || { say "error: building the C compatibility library failed"; exit 1; }
SSCARD_REQUIRE_PRELOAD=1 bash "$root/scripts/pcscd.sh" start || { say "error: pcscd did not start"; exit 1; }
say "pcscd ready"

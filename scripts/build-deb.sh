#!/usr/bin/env bash
# Builds the Debian package (docs/deploy.md):
#   bash scripts/build-deb.sh [--version 0.1.0-1] [--out DIR] [--compress xz|gzip|zstd|none]
# Prints the path of the .deb. Uses the compiled dist/ (built first unless SSCARD_SKIP_BUILD=1),
# the production part of node_modules (native addons as built here), and this machine's Node.js
# binary, bundled: Debian 12 ships Node 18 (sscard needs >= 20.10) and the native addons are built
# for one Node ABI, so the package carries the runtime they were built for.
# The package holds no vpcd, no TCP_NODELAY preload, no tests, benchmarks or scripts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { echo "build-deb: $*" >&2; }

version="$(node -p "require('./package.json').version")-1"
out="$root/build"
compress=xz
while (($#)); do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --compress) compress="$2"; shift 2 ;;
    *) echo "usage: build-deb.sh [--version V] [--out DIR] [--compress xz|gzip|zstd|none]" >&2; exit 2 ;;
  esac
done
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || { say "error: bad version '$version'"; exit 2; }
command -v dpkg-deb >/dev/null || { say "error: dpkg-deb missing"; exit 1; }

if [[ "${SSCARD_SKIP_BUILD:-}" != 1 ]]; then npx tsc -p tsconfig.json; fi
[[ -f dist/src/cli/main.js ]] || { say "error: dist/ not built"; exit 1; }

node_bin="$(command -v node)"
node_bin="$(readlink -f "$node_bin")"
node_major="$("$node_bin" -p 'process.versions.node.split(".")[0]')"
((node_major >= 20)) || { say "error: Node $node_major found; the package bundles Node >= 20"; exit 1; }
arch="$(dpkg --print-architecture)"

stage_root="$(mktemp -d "${TMPDIR:-/tmp}/sscard-deb-XXXXXX")"
trap 'rm -rf "$stage_root"' EXIT
pkg="$stage_root/sscard"
app="$pkg/usr/lib/sscard/app"
mkdir -p "$app/dist" "$pkg/usr/lib/sscard/node/bin" "$pkg/usr/bin" "$pkg/DEBIAN" \
  "$pkg/usr/lib/systemd/user" "$pkg/usr/lib/systemd/system" "$pkg/usr/share/sscard/defaults" \
  "$pkg/usr/share/doc/sscard"

say "staging the program"
cp -a dist/src dist/simulators "$app/dist/"
install -D -m 0755 bin/sscard "$app/bin/sscard"
mkdir -p "$app/dist/native-shims"
cp -a dist/native-shims/pcsclite.js dist/native-shims/node-hid.js "$app/dist/native-shims/"
cp -a apdu-specs "$app/"
mkdir -p "$app/simulators"
cp -a simulators/profiles "$app/simulators/"
cp package.json package-lock.json "$app/"
find "$app/dist" -name '*.map' -delete

say "staging production node_modules (offline prune of a copy)"
cp -a node_modules "$app/"
(cd "$app" && npm prune --omit=dev --offline --no-audit --no-fund --ignore-scripts >/dev/null 2>&1) \
  || { say "error: npm prune failed"; exit 1; }
rm -f "$app/node_modules/.sscard-lock-hash" "$app/node_modules/.package-lock.json"
# Build leftovers of the native addons: only build/Release/*.node is loaded.
find "$app/node_modules" -path '*/build/Release/obj*' -prune -exec rm -rf {} + 2>/dev/null || true
find "$app/node_modules" -path '*/build/Release/.deps' -prune -exec rm -rf {} + 2>/dev/null || true
find "$app/node_modules" \( -name '*.a' -o -name 'test_extension.node' \) -delete 2>/dev/null || true
rm -rf "$app/node_modules/.bin" "$app/node_modules/.vite" "$app/node_modules/.vite-temp"
find "$app/node_modules" -type d -empty -delete
[[ ! -e "$app/node_modules/vitest" && ! -e "$app/node_modules/typescript" ]] || { say "error: dev dependencies left after prune"; exit 1; }
# node-hid: prebuilds for other systems.
find "$app/node_modules/node-hid/prebuilds" -mindepth 1 -maxdepth 1 ! -name "*linux-x64*" -exec rm -rf {} + 2>/dev/null || true

say "bundling Node.js $("$node_bin" --version) from $node_bin"
install -m 0755 "$node_bin" "$pkg/usr/lib/sscard/node/bin/node"
install -m 0755 packaging/debian/sscard "$pkg/usr/bin/sscard"
install -m 0755 packaging/debian/session-setup "$pkg/usr/lib/sscard/session-setup"
install -m 0644 packaging/debian/sscard-user.service "$pkg/usr/lib/systemd/user/sscard.service"
install -m 0644 packaging/debian/sscard-system.service "$pkg/usr/lib/systemd/system/sscard.service"
install -m 0644 packaging/debian/daemon.json packaging/debian/config.json packaging/debian/default "$pkg/usr/share/sscard/defaults/"
install -m 0644 docs/deploy.md "$pkg/usr/share/doc/sscard/deploy.md"
{
  echo "sscard: MIT license (see the source repository)."
  echo
  echo "Bundled Node.js runtime (/usr/lib/sscard/node):"
  if [[ -f /usr/share/doc/nodejs/copyright ]]; then cat /usr/share/doc/nodejs/copyright; else echo "MIT license, https://nodejs.org"; fi
} >"$pkg/usr/share/doc/sscard/copyright"
for s in postinst prerm postrm; do install -m 0755 "packaging/debian/$s" "$pkg/DEBIAN/$s"; done

installed_kb="$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: sscard
Version: $version
Architecture: $arch
Maintainer: sscard maintainers <sscard@localhost>
Section: misc
Priority: optional
Installed-Size: $installed_kb
Depends: pcscd, libpcsclite1, libc6, libstdc++6, libgcc-s1, ca-certificates, passwd, util-linux
Recommends: libnss3-tools, libccid
Suggests: chromium
Description: social security card (社会保障卡) middleware and local daemon for HIS web pages
 Reads the Chinese national social security card through PC/SC readers and serves it to
 hospital and pharmacy web pages through a local WebSocket daemon (127.0.0.1 only), started
 with the user's session (systemd user unit) or, on kiosks, as a system service.
 Bundles its own Node.js runtime. Configuration: /etc/sscard/ and /etc/default/sscard.
CONTROL

mkdir -p "$out"
deb="$out/sscard_${version}_${arch}.deb"
say "dpkg-deb (-Z$compress)"
dpkg-deb --root-owner-group "-Z$compress" --build "$pkg" "$deb" >/dev/null
say "built $deb ($(du -h "$deb" | cut -f1), installed $((installed_kb / 1024)) MB)"
echo "$deb"

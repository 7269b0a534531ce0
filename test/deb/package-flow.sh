#!/usr/bin/env bash
# The Debian package's life on one machine, run INSIDE scripts/os-sandbox.sh (root, a throw-away
# copy of this machine, no systemd as PID 1): pre-seeded config -> dpkg -i -> units verified ->
# the system unit's command line started -> /health -> doctor green with a simulated card ->
# doctor with pcscd stopped -> the registry URL from config.json -> a registry entry -> upgrade to
# a higher version (config, tokens, CA, registry kept) -> the per-user unit -> dpkg -r (config
# kept) -> dpkg --purge (everything gone). With SSCARD_TLS=yes throughout: the kiosk certificate
# made at install and trusted system-wide, a user's made at login and trusted in their NSS store,
# both daemons answering https:// verified against those stores.
#   bash test/deb/package-flow.sh OLD.deb NEW.deb
# Prints "ok: ..." per passed check and "FACT name=value" lines; exits non-zero at the first failure.
set -euo pipefail
old_deb="$1"; new_deb="$2"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
unit_sys=/usr/lib/systemd/system/sscard.service
unit_user=/usr/lib/systemd/user/sscard.service
node=/usr/lib/sscard/node/bin/node
cic=110100D156000005123456789ABCDEF0
daemon_pid=""; card_pid=""

ok() { echo "ok: $*"; }
fact() { echo "FACT $1=$2"; }
die() { echo "FAILED: $*" >&2; exit 1; }
cleanup() {
  [[ -n "$daemon_pid" ]] && kill "$daemon_pid" 2>/dev/null || true
  [[ -n "$card_pid" ]] && kill "$card_pid" 2>/dev/null || true
  bash "$repo/scripts/pcscd.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
sha() { sha256sum "$1" | cut -d' ' -f1; }

# Runs a command with the user, environment (Environment= lines, then the EnvironmentFile, as
# systemd.exec(5) orders them) and umask the system unit gives the daemon; execs (no fork).
exec_as_unit() {
  local envs=() line
  while IFS= read -r line; do envs+=("${line#Environment=}"); done < <(grep '^Environment=' "$unit_sys")
  local user; user="$(sed -n 's/^User=//p' "$unit_sys")"
  exec setpriv --reuid="$user" --regid="$user" --init-groups -- env -i PATH=/usr/bin:/bin HOME=/var/lib/sscard "${envs[@]}" bash -c 'set -a; [ -f /etc/default/sscard ] && . /etc/default/sscard; set +a; umask 0077; exec "$@"' as-unit "$@"
}

as_unit() { (exec_as_unit "$@"); }

# The user unit's lines, run as a desktop user the way `systemd --user` would: the user's own
# HOME (so ~/.local/share/sscard and ~/.local/state/sscard), Environment=, EnvironmentFile,
# ExecStartPre=, then ExecStart= (the pid held is the daemon's own).
exec_as_user_unit() {
  local user="$1"; shift
  local envs=() line
  while IFS= read -r line; do envs+=("${line#Environment=}"); done < <(grep '^Environment=' "$unit_user")
  exec setpriv --reuid="$user" --regid="$user" --init-groups -- env -i PATH=/usr/bin:/bin HOME="/home/$user" "${envs[@]}" bash -c 'set -a; [ -f /etc/default/sscard ] && . /etc/default/sscard; set +a; umask 0077; exec "$@"' as-user-unit "$@"
}

# Starts the system unit's ExecStart= line as systemd would (its user, env, umask); no systemd needed.
start_unit_command() {
  local exec; exec="$(sed -n 's/^ExecStart=//p' "$unit_sys")"
  [[ -n "$exec" ]] || die "no ExecStart in $unit_sys"
  fact exec_start "$exec"
  # A backgrounded function is a subshell: `exec` makes the subshell become the daemon, so the
  # pid held is the daemon's own.
  (exec_as_unit bash -c "exec $exec") >/tmp/sscard-unit.out 2>/tmp/sscard-unit.err &
  daemon_pid=$!
  for _ in $(seq 1 200); do
    if health >/dev/null 2>&1; then return 0; fi
    kill -0 "$daemon_pid" 2>/dev/null || { cat /tmp/sscard-unit.out /tmp/sscard-unit.err >&2; die "the unit's command exited"; }
    sleep 0.1
  done
  cat /tmp/sscard-unit.out /tmp/sscard-unit.err >&2
  die "no /health within 20 s"
}
stop_unit_command() {
  kill -0 "$daemon_pid" 2>/dev/null || { cat /tmp/sscard-unit.out /tmp/sscard-unit.err >&2; die "the daemon had exited before the stop"; }
  kill -TERM "$daemon_pid"; wait "$daemon_pid" || true; daemon_pid=""
  ! health >/dev/null 2>&1 || die "port 47815 still answers after the daemon stopped"
}
health() { "$node" -e 'fetch("http://127.0.0.1:47815/health").then(r=>r.text()).then(t=>{process.stdout.write(t)}).catch(()=>process.exit(1))'; }
# GET https://127.0.0.1:47815/health trusting only the CAs in file $1 (Node's own list is not
# asked for a local CA: verification succeeds only through that file).
https_health() { NODE_EXTRA_CA_CERTS="$1" "$node" -e 'fetch("https://127.0.0.1:47815/health").then(r=>r.text()).then(t=>{process.stdout.write(t)}).catch((e)=>{console.error(String(e.cause||e));process.exit(1)})'; }
bundle=/etc/ssl/certs/ca-certificates.crt

# --- 1. pre-configuration, placed before install
mkdir -p /etc/sscard
cat >/etc/sscard/daemon.json <<'JSON'
{ "port": 47815, "allowedOrigins": ["https://his.example.org"], "logLevel": "info" }
JSON
cat >/etc/sscard/config.json <<'JSON'
{ "site": "110100-pkg-test-counter", "operator": "it.admin" }
JSON
cat >/etc/default/sscard <<'SH'
SSCARD_ENABLE_USER_UNIT=yes
SSCARD_SYSTEM_UNIT=yes
SSCARD_BROWSER_POLICY=yes
SSCARD_TLS=yes
SSCARD_DAEMON_ARGS=--tls
SH
seed_daemon="$(sha /etc/sscard/daemon.json)"; seed_default="$(sha /etc/default/sscard)"

# --- 2. install: no questions (stdin closed), pre-seeded files untouched
DEBIAN_FRONTEND=noninteractive dpkg -i "$old_deb" </dev/null || die "dpkg -i $old_deb"
fact installed_version "$(dpkg-query -W -f='${Version}' sscard)"
ok "dpkg -i installed without questions"
[[ "$(sha /etc/sscard/daemon.json)" == "$seed_daemon" && "$(sha /etc/default/sscard)" == "$seed_default" ]] || die "pre-seeded config changed by the install"
ok "pre-seeded /etc/sscard/daemon.json and /etc/default/sscard kept as placed"
sscard --version >/dev/null || die "sscard --version"
ok "/usr/bin/sscard runs with the bundled Node ($("$node" --version))"
grep -q '"https://his.example.org"' /etc/chromium/policies/managed/sscard.json || die "browser policy missing"
ok "browser policy written for the pre-seeded origin (opt-in)"
getent passwd sscard >/dev/null || die "no sscard user"
[[ "$(stat -c '%a %U' /var/lib/sscard)" == "700 sscard" && "$(stat -c '%a %U' /var/log/sscard)" == "700 sscard" ]] || die "kiosk dirs"
ok "kiosk user sscard, /var/lib/sscard and /var/log/sscard 0700"
[[ -L /etc/systemd/user/default.target.wants/sscard.service ]] || die "user unit not enabled globally"
[[ -L /etc/systemd/system/multi-user.target.wants/sscard.service ]] || die "system unit not enabled"
ok "user unit enabled for every user, system unit enabled (SSCARD_SYSTEM_UNIT=yes)"
dpkg -L sscard | grep -Eq 'vpcd|nodelay|/test/|/bench/' && die "package ships vpcd/preload/test parts"
ok "no vpcd, preload, test or bench files in the package"
kiosk_ca=/var/lib/sscard/tls/ca.pem
[[ "$(stat -c '%a %U' /var/lib/sscard/tls/daemon-key.pem 2>/dev/null)" == "600 sscard" && -f "$kiosk_ca" ]] || die "SSCARD_TLS=yes: no kiosk certificate from sscard cert"
cmp -s "$kiosk_ca" /usr/local/share/ca-certificates/sscard-local-ca.crt || die "kiosk CA not placed for update-ca-certificates"
ca_line="$(sed -n 2p "$kiosk_ca")"
grep -qF "$ca_line" "$bundle" || die "kiosk CA not in $bundle"
ok "SSCARD_TLS=yes: the kiosk certificate made by sscard cert (key 0600, user sscard), its CA in the system store"

# --- 3. the units, as systemd reads them
out="$(systemd-analyze verify "$unit_sys" 2>&1)" || die "systemd-analyze verify $unit_sys: $out"
! grep -Eiq 'unknown|failed|ignoring|not found|not executable' <<<"$out" || die "systemd-analyze verify $unit_sys: $out"
rt="$(mktemp -d)"; chmod 700 "$rt"
out="$(XDG_RUNTIME_DIR="$rt" systemd-analyze --user verify "$unit_user" 2>&1)" || die "systemd-analyze --user verify: $out"
! grep -Eiq 'unknown|failed|ignoring|not found|not executable' <<<"$out" || die "systemd-analyze --user verify $unit_user: $out"
ok "systemd-analyze verify: system and user units clean"

# --- 4. PC/SC with a simulated card in vpcd (this sandbox's own pcscd)
SSCARD_REQUIRE_PRELOAD=1 bash "$repo/scripts/pcscd.sh" start >/dev/null 2>&1 || die "pcscd did not start"
sscard sim serve --profile demo --slot 0 >/tmp/sscard-card.out 2>&1 &
card_pid=$!
for _ in $(seq 1 100); do grep -q '^serving SIMULATED card' /tmp/sscard-card.out && break; sleep 0.1; done
grep -q '^serving SIMULATED card' /tmp/sscard-card.out || die "sim serve: $(cat /tmp/sscard-card.out)"

# --- 5. the system unit's command line, then /health
start_unit_command
h="$(health)"; fact health "$h"
grep -q '"name":"sscard"' <<<"$h" && grep -q '"pcsc":"up"' <<<"$h" || die "health: $h"
ok "the unit's command line answers /health"
# through /usr/bin/sscard and the launcher (each execs the next): the daemon is the bundled node with the memory settings
cmdline="$(tr '\0' ' ' </proc/"$daemon_pid"/cmdline)"; fact daemon_cmdline "$cmdline"
[[ "$cmdline" == "$node --max-semi-space-size=1 --initial-old-space-size=16 --max-old-space-size=512 --no-concurrent-recompilation /usr/lib/sscard/app/dist/src/cli/main.js daemon "* ]] || die "daemon command line: $cmdline"
tr '\0' '\n' </proc/"$daemon_pid"/environ | grep -qx 'MALLOC_ARENA_MAX=1' || die "daemon environment: no MALLOC_ARENA_MAX=1"
ok "the daemon runs under the launcher's node flags and malloc settings (docs/performance.md)"
hs="$(https_health "$bundle")" || die "https /health with the system store: $hs"
grep -q '"name":"sscard"' <<<"$hs" || die "https health: $hs"
ok "daemon --tls answers https://127.0.0.1:47815/health, verified against the system store"
[[ -s /var/log/sscard/daemon.log && "$(stat -c %a /var/log/sscard/daemon.log)" == 600 ]] || die "no log file"
ok "log file /var/log/sscard/daemon.log (0600)"

# --- 6. doctor, green with the simulated card
for _ in $(seq 1 50); do as_unit sscard readers 2>/dev/null | grep -q 'Virtual PCD 00 00.*yes' && break; sleep 0.1; done
set +e; as_unit sscard doctor >/tmp/doctor.txt 2>&1; rc=$?; set -e
cat /tmp/doctor.txt | sed 's/^/doctor| /'
[[ $rc -eq 0 ]] || die "doctor not green (exit $rc)"
grep -q 'all checks passed' /tmp/doctor.txt || die "doctor summary"
grep -Eq '^\[ok  \] readers .*Virtual PCD 00 00: card' /tmp/doctor.txt || die "doctor did not see the card"
grep -Eq '^\[ok  \] certificate .*/var/lib/sscard/tls/daemon.pem valid to' /tmp/doctor.txt && grep -Eq '^\[ok  \] trust-system .*in /etc/ssl/certs/ca-certificates.crt' /tmp/doctor.txt || die "doctor: certificate / trust-system not green"
ok "sscard doctor green (exit 0) with a simulated card; certificate and trust-system ok"
set +e; setpriv --reuid=sscard --regid=sscard --init-groups -- env -i PATH=/usr/bin:/bin HOME=/var/lib/sscard sscard doctor --system >/tmp/doctor-system.txt 2>&1; rc=$?; set -e
[[ $rc -eq 0 ]] || { cat /tmp/doctor-system.txt >&2; die "doctor --system as sscard (exit $rc)"; }
useradd --create-home --shell /bin/bash clerk0
set +e; setpriv --reuid=clerk0 --regid=clerk0 --init-groups -- env -i PATH=/usr/bin:/bin HOME=/home/clerk0 sscard doctor --system --json >/tmp/doctor-clerk.json 2>&1; rc=$?; set -e
"$node" -e '
  const r = JSON.parse(require("fs").readFileSync("/tmp/doctor-clerk.json", "utf8"));
  const f = r.checks.find((c) => c.check === "tokens");
  if (f.code !== "NO_ACCESS" || f.message !== "this user may not read /var/lib/sscard") { console.error(JSON.stringify(f)); process.exit(1); }
' || die "doctor --system as another user: $(cat /tmp/doctor-clerk.json)"
[[ $rc -eq 1 ]] || die "doctor --system as another user: exit $rc"
ok "doctor --system: green as sscard; NO_ACCESS (exit 1) as another user"

# --- 7. doctor with pcscd stopped
bash "$repo/scripts/pcscd.sh" stop >/dev/null 2>&1
set +e; as_unit sscard doctor --json >/tmp/doctor.json 2>&1; rc=$?; set -e
"$node" -e '
  const r = JSON.parse(require("fs").readFileSync("/tmp/doctor.json", "utf8"));
  const f = r.checks.find((c) => c.check === "pcscd");
  if (r.ok || f.code !== "PCSCD_DOWN" || f.message !== "pcscd is not reachable: /run/pcscd/pcscd.comm does not exist") { console.error(JSON.stringify(f)); process.exit(1); }
' || die "doctor with pcscd stopped: $(cat /tmp/doctor.json)"
[[ $rc -eq 1 ]] || die "doctor exit $rc with pcscd stopped"
ok "doctor with pcscd stopped: PCSCD_DOWN, exit 1"
SSCARD_REQUIRE_PRELOAD=1 bash "$repo/scripts/pcscd.sh" start >/dev/null 2>&1 || die "pcscd restart"

# --- 7b. the package's config.json carries the registry URL (status.db); doctor probes that store
cp /etc/sscard/config.json /tmp/config.json.orig
cat >/etc/sscard/config.json <<'JSON'
{ "site": "110100-pkg-test-counter", "operator": "it.admin", "status": { "db": "postgres://sscard_app:pkg-secret@127.0.0.1:9/sscard" } }
JSON
set +e; as_unit sscard doctor --json >/tmp/doctor-pg.json 2>&1; rc=$?; set -e
"$node" -e '
  const r = JSON.parse(require("fs").readFileSync("/tmp/doctor-pg.json", "utf8"));
  const f = r.checks.find((c) => c.check === "registry");
  if (f.code !== "REGISTRY_UNREACHABLE" || !f.message.includes("card-status database postgres://127.0.0.1:9/sscard unreachable")) { console.error(JSON.stringify(f)); process.exit(1); }
' || die "doctor with status.db: $(cat /tmp/doctor-pg.json)"
! grep -q pkg-secret /tmp/doctor-pg.json || die "doctor printed the registry password"
[[ $rc -eq 1 ]] || die "doctor exit $rc with an unreachable registry"
cp /tmp/config.json.orig /etc/sscard/config.json
ok "config.json status.db: doctor probes that PostgreSQL registry (REGISTRY_UNREACHABLE on a closed port, exit 1, no password shown)"

# --- 8. state to keep across the upgrade: a registry entry, the tokens, an admin's config edit
as_unit sscard lock --temporary --card "$cic" --card-number A12345674 >/dev/null || die "lock"
as_unit sscard status --card "$cic" --card-number A12345674 --json | grep -q '"temporary"' || die "status after lock"
tok="$(sha /var/lib/sscard/daemon-token)"; ca_sha="$(sha "$kiosk_ca")"
sed -i 's/"logLevel": "info"/"logLevel": "warn"/' /etc/sscard/daemon.json
edited="$(sha /etc/sscard/daemon.json)"
stop_unit_command

# --- 9. upgrade to the rebuilt, higher version
DEBIAN_FRONTEND=noninteractive dpkg -i "$new_deb" </dev/null || die "upgrade"
fact upgraded_version "$(dpkg-query -W -f='${Version}' sscard)"
[[ "$(sha /etc/sscard/daemon.json)" == "$edited" ]] || die "upgrade changed the edited config"
[[ "$(sha /var/lib/sscard/daemon-token)" == "$tok" ]] || die "upgrade changed the token"
[[ "$(sha "$kiosk_ca")" == "$ca_sha" ]] && grep -qF "$ca_line" "$bundle" || die "upgrade changed or untrusted the local CA"
as_unit sscard status --card "$cic" --card-number A12345674 --json | grep -q '"temporary"' || die "registry lost in the upgrade"
ok "upgrade kept config (admin edit), tokens, the trusted local CA and the registry entry"
start_unit_command
grep -q '"name":"sscard"' <<<"$(health)" || die "health after upgrade"
ok "/health after the upgrade"
stop_unit_command

# --- 9b. the per-user unit (the default): a desktop user's session starts it
useradd --create-home --shell /bin/bash counter1
pre="$(sed -n 's/^ExecStartPre=-//p' "$unit_user")"; exec_user="$(sed -n 's/^ExecStart=//p' "$unit_user")"
(exec_as_user_unit counter1 bash -c "$pre") || die "ExecStartPre $pre"
(exec_as_user_unit counter1 bash -c "exec $exec_user") >/tmp/sscard-user.out 2>/tmp/sscard-user.err &
daemon_pid=$!
for _ in $(seq 1 200); do health >/dev/null 2>&1 && break; sleep 0.1; done
grep -q '"name":"sscard"' <<<"$(health)" || { cat /tmp/sscard-user.err >&2; die "user unit: no /health"; }
[[ "$(stat -c '%a %U' /home/counter1/.local/share/sscard/daemon-token)" == "600 counter1" ]] || die "user token"
user_ca=/home/counter1/.local/share/sscard/tls/ca.pem
[[ -f "$user_ca" ]] || die "session-setup made no certificate for counter1"
hs="$(https_health "$user_ca")" || die "user daemon https /health with the user's CA: $hs"
grep -q '"name":"sscard"' <<<"$hs" || die "user https health: $hs"
[[ -f /home/counter1/.local/state/sscard/daemon.log && "$(stat -c %a /home/counter1/.local/state/sscard)" == 700 ]] || die "user log file (level warn after the edit above: may be empty)"
set +e; (exec_as_user_unit counter1 sscard doctor) >/tmp/doctor-user.txt 2>&1; rc=$?; set -e
sed 's/^/doctor(counter1)| /' /tmp/doctor-user.txt
[[ $rc -eq 0 ]] || die "doctor as counter1 (exit $rc)"
grep -Eq '^\[ok  \] certificate .*/home/counter1/.local/share/sscard/tls/daemon.pem' /tmp/doctor-user.txt && grep -Eq '^\[ok  \] trust-chromium .*/home/counter1/.pki/nssdb' /tmp/doctor-user.txt || die "doctor as counter1: certificate / trust-chromium not green"
ok "user unit as counter1: /health and https (its own CA, trusted in its NSS store at login), token and log in the user's home, doctor green"
stop_unit_command

# --- 10. remove: program gone, config and data kept
dpkg -r sscard </dev/null >/dev/null || die "dpkg -r"
[[ ! -e /usr/bin/sscard && -f /etc/sscard/daemon.json && -f /var/lib/sscard/status.sqlite ]] || die "after remove"
[[ ! -e /etc/systemd/user/default.target.wants/sscard.service && ! -e /etc/systemd/system/multi-user.target.wants/sscard.service ]] || die "unit links left"
ok "dpkg -r: program and unit links gone, config and data kept"

# --- 11. purge: everything gone
dpkg --purge sscard </dev/null >/dev/null || die "dpkg --purge"
for p in /etc/sscard /etc/default/sscard /var/lib/sscard /var/log/sscard /etc/chromium/policies/managed/sscard.json /usr/lib/sscard /usr/local/share/ca-certificates/sscard-local-ca.crt; do
  [[ ! -e "$p" ]] || die "$p left after purge"
done
dpkg-query -W -f='${Status}' sscard 2>/dev/null | grep -q 'not-installed' || ! dpkg-query -W sscard >/dev/null 2>&1 || die "still known to dpkg"
! grep -qF "$ca_line" "$bundle" || die "the local CA is still in $bundle after purge"
ok "dpkg --purge: config, tokens, registry, logs, browser policy and the trusted CA removed"
[[ -f /home/counter1/.local/share/sscard/daemon-token ]] || die "purge touched a home directory"
ok "purge left the user's own ~/.local/share/sscard alone"
echo "PACKAGE FLOW PASSED"

#!/usr/bin/env bash
# Start / stop pcscd without systemd, with the TCP_NODELAY preload (docs/pcsc.md).
#   scripts/pcscd.sh start    start pcscd when none runs; wait for "daemon ready" (<= 10 s)
#   scripts/pcscd.sh stop     SIGTERM, then SIGKILL after 5 s; removes stale files
#   scripts/pcscd.sh kill     SIGKILL (simulates a crash: stale files are left, as after a real one)
#   scripts/pcscd.sh restart  stop + start
#   scripts/pcscd.sh status   exit 0 when pcscd runs and its socket exists; prints pid and preload
# Facts used (docs/pcsc.md): `setsid pcscd --foreground --info` works without systemd;
# wait for the log line `daemon ready` and the socket; never `--auto-exit` (quits after 60 s idle);
# a second pcscd refuses to start while one runs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preload="$root/native-shims/build/libsscard-nodelay.so"
run_dir=/run/pcscd
sock="$run_dir/pcscd.comm"
pid_file="$run_dir/pcscd.pid"
state_dir="${SSCARD_PCSCD_DIR:-/tmp/sscard-pcscd}"
log="$state_dir/pcscd.log"
ready_timeout_s="${SSCARD_PCSCD_TIMEOUT:-10}"

say() { echo "pcscd.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }
as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# Pid of the running pcscd, or nothing. A zombie (state Z: a killed child not yet reaped) is dead.
running_pid() {
  local pid=""
  [[ -r "$pid_file" ]] && pid="$(tr -dc '0-9' <"$pid_file" || true)"
  if [[ -z "$pid" ]]; then pid="$(pgrep -x pcscd | head -n1 || true)"; fi
  [[ -n "$pid" ]] || return 0
  [[ -r "/proc/$pid/stat" ]] || return 0
  local st; st="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "$st" != "Z" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "pcscd" ]] && echo "$pid"
  return 0
}

has_preload() { grep -q libsscard-nodelay "/proc/$1/maps" 2>/dev/null; }

remove_stale() {
  if [[ -e "$sock" || -e "$pid_file" ]]; then
    say "removing stale $sock / $pid_file (no pcscd process)"
    as_root rm -f "$sock" "$pid_file"
  fi
}

do_status() {
  local pid; pid="$(running_pid)"
  if [[ -z "$pid" ]]; then say "not running"; return 1; fi
  if [[ ! -S "$sock" ]]; then say "pid $pid runs but $sock is missing"; return 1; fi
  if has_preload "$pid"; then say "running (pid $pid, TCP_NODELAY preload loaded)";
  else say "running (pid $pid, WITHOUT the TCP_NODELAY preload: ~44 ms per APDU on vpcd)"; fi
  echo "$pid"
}

do_start() {
  local pid; pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    if [[ -S "$sock" ]]; then
      if ! has_preload "$pid"; then
        # setup.sh (CI, the test command) needs the preload: without it every APDU stalls ~44 ms.
        if [[ "${SSCARD_REQUIRE_PRELOAD:-}" == 1 ]]; then
          say "pcscd pid $pid runs without the preload: restarting it with the preload"
          do_stop TERM
          do_start
          return $?
        fi
        say "warning: pcscd pid $pid runs without the preload; use: $0 restart"
      fi
      return 0
    fi
    die "pcscd pid $pid runs but $sock does not exist; stop it first ($0 stop)"
  fi
  remove_stale
  command -v pcscd >/dev/null 2>&1 || die "pcscd is not installed (run scripts/setup.sh)"
  [[ -f "$preload" ]] || bash "$root/scripts/build-preload.sh"
  mkdir -p "$state_dir"
  : >"$log"
  say "starting pcscd (log $log)"
  # setsid: own session, so a test runner's process group signals do not reach it.
  # stdio on files only: a caller's pipes (execFile) must not stay open while pcscd runs.
  # SSCARD_PCSCD_NO_PRELOAD=1 starts the bare pcscd: only the bench's baseline uses it.
  local pre="$preload"
  if [[ "${SSCARD_PCSCD_NO_PRELOAD:-}" == 1 ]]; then pre=""; say "starting WITHOUT the preload (bench baseline)"; fi
  LD_PRELOAD="$pre" setsid pcscd --foreground --info </dev/null >>"$log" 2>&1 &
  local child=$!
  local deadline=$((SECONDS + ready_timeout_s))
  while (( SECONDS < deadline )); do
    if grep -q "daemon ready" "$log" 2>/dev/null && [[ -S "$sock" ]]; then
      say "ready (pid $child)"
      return 0
    fi
    if ! kill -0 "$child" 2>/dev/null; then
      tail -n 20 "$log" >&2 || true
      die "pcscd exited during start-up (log above, $log)"
    fi
    sleep 0.05
  done
  tail -n 20 "$log" >&2 || true
  die "pcscd did not log 'daemon ready' within ${ready_timeout_s}s ($log)"
}

do_stop() {
  local signal="${1:-TERM}" pid; pid="$(running_pid)"
  if [[ -z "$pid" ]]; then remove_stale; return 0; fi
  say "stopping pcscd pid $pid (SIG$signal)"
  as_root kill "-$signal" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 5))
  while [[ -n "$(running_pid)" ]] && (( SECONDS < deadline )); do sleep 0.05; done
  if [[ -n "$(running_pid)" ]]; then
    say "pcscd pid $pid ignored SIG$signal; sending SIGKILL"
    as_root kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  [[ -z "$(running_pid)" ]] || die "could not stop pcscd pid $pid"
  [[ "$signal" == "KILL" ]] || remove_stale
}

case "${1:-}" in
  start) do_start ;;
  stop) do_stop TERM ;;
  kill) do_stop KILL ;;
  restart) do_stop TERM; do_start ;;
  status) do_status ;;
  *) echo "usage: $0 start|stop|kill|restart|status" >&2; exit 2 ;;
esac

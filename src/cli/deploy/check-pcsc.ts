import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { PcscSnapshot } from '../../compose/deploy-probes.js';
import type { DoctorContext } from './doctor-context.js';
import { fail, pass, skip, warn, type Finding } from './finding.js';

/** pcscd's socket (compiled into libpcsclite; docs/pcsc.md). */
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
/** vpcd's reader.conf entry: present when the virtual reader (simulator, test benches) is installed. */
export const VPCD_READER_CONF = '/etc/reader.conf.d/vpcd';
/** The TCP_NODELAY preload (docs/pcsc.md): its file name as it appears in /proc/<pid>/maps. */
export const PRELOAD_NAME = 'libsscard-nodelay';

export function checkPcscd(ctx: DoctorContext, snap: PcscSnapshot | undefined): Finding {
  if (!snap) return skip('pcscd', 'PCSC_DISABLED', 'SSCARD_NO_PCSC=1: PC/SC is switched off for this shell');
  if (snap.up) return pass('pcscd', `reachable (${PCSCD_SOCKET})`);
  const why = existsSync(PCSCD_SOCKET) ? `${PCSCD_SOCKET} exists but pcscd does not answer` : `${PCSCD_SOCKET} does not exist`;
  return fail('pcscd', 'PCSCD_DOWN', `pcscd is not reachable: ${why}`, 'start it: `sudo systemctl enable --now pcscd.socket` (without systemd: `sudo pcscd`); is the pcscd package installed?');
}

export function checkReaders(_ctx: DoctorContext, snap: PcscSnapshot | undefined): Finding {
  if (!snap) return skip('readers', 'PCSC_DISABLED', 'SSCARD_NO_PCSC=1');
  if (!snap.up) return skip('readers', 'PCSCD_DOWN', 'needs pcscd (see above)');
  if (snap.readers.length === 0) {
    return fail('readers', 'NO_READER', 'pcscd sees no smart-card reader', 'plug the reader in (USB), then run `pcsc_scan`; a reader that pcsc_scan does not list needs its driver (libccid or the vendor driver)');
  }
  const list = snap.readers.map((r) => `${r.reader.name}: ${r.cardPresent ? `card (ATR ${r.atr})` : 'no card'}`).join('; ');
  const cards = snap.readers.filter((r) => r.cardPresent).length;
  return pass('readers', `${snap.readers.length} reader(s), ${cards} with a card — ${list}`);
}

/**
 * The TCP_NODELAY preload matters only where vpcd (the virtual reader over TCP) is used: without
 * it every APDU waits ~44 ms for Nagle + delayed ACK (docs/pcsc.md). Looks at the running pcscd's
 * memory map.
 */
export function checkPreload(_ctx: DoctorContext, snap: PcscSnapshot | undefined): Finding {
  if (!snap) return skip('preload', 'PCSC_DISABLED', 'SSCARD_NO_PCSC=1');
  const vpcdReaders = (snap?.readers ?? []).some((r) => /virtual pcd/i.test(r.reader.name));
  if (!existsSync(VPCD_READER_CONF) && !vpcdReaders) return pass('preload', 'not needed: vpcd (the virtual reader) is not installed');
  const pids = pcscdPids();
  if (pids.length === 0) return skip('preload', 'PCSCD_DOWN', 'vpcd is installed but no pcscd process is visible');
  const maps = pids.map(mapsOf);
  if (maps.some((m) => m === undefined)) {
    // /proc/<pid>/maps of another user's process needs ptrace rights (proc(5)): only root can look.
    return warn('preload', 'PRELOAD_UNKNOWN', `vpcd is installed; this user cannot read pcscd's memory map (pid ${pids.join(', ')}) to see the TCP_NODELAY preload`, 'run `sudo sscard doctor` to check it');
  }
  const loaded = pids.filter((_pid, i) => maps[i]!.includes(PRELOAD_NAME));
  if (loaded.length === pids.length) return pass('preload', `vpcd in use; pcscd (pid ${pids.join(', ')}) has the TCP_NODELAY preload`);
  return fail(
    'preload',
    'NO_PRELOAD',
    `vpcd is installed but pcscd (pid ${pids.join(', ')}) runs without the TCP_NODELAY preload: every APDU on the virtual reader waits ~44 ms`,
    'restart pcscd with LD_PRELOAD=<path>/libsscard-nodelay.so (docs/pcsc.md; in a checkout: `bash scripts/pcscd.sh restart`), or remove vsmartcard-vpcd from counter machines',
  );
}

function pcscdPids(): number[] {
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const e of entries) {
    if (!/^[0-9]+$/.test(e)) continue;
    try {
      // Only a pcscd of our own PID namespace (containers and test sandboxes run their own).
      if (readFileSync(`/proc/${e}/comm`, 'utf8').trim() === 'pcscd' && samePidNamespace(e)) pids.push(Number(e));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** pcscd's memory map, or undefined when this user may not read it. */
function mapsOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch {
    return undefined;
  }
}

/** True unless /proc shows the process in another PID namespace (unreadable: assume ours). */
function samePidNamespace(pid: string): boolean {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`) === readlinkSync('/proc/self/ns/pid');
  } catch {
    return true;
  }
}

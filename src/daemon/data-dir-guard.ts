import { mkdirSync, statSync } from 'node:fs';
import { DaemonError } from './daemon-error.js';

/** What the daemon writes (tokens, the status database and its WAL): owner only. */
export const DAEMON_UMASK = 0o077;

/**
 * Makes the data directory safe to hold tokens and holder data, or refuses to start:
 * created 0700 when missing; an existing one must be a directory owned by the daemon's user and
 * writable by nobody else. A group- or world-writable directory lets another user replace the
 * token or database files; a directory owned by someone else is theirs to read. A readable but
 * not writable one (0755) is accepted: what the daemon writes into it is 0600 (umask 077).
 */
export function secureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new DaemonError('DATA_DIR', `cannot create the data directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { cause: e });
  }
  const st = statSync(dir);
  if (!st.isDirectory()) throw new DaemonError('DATA_DIR', `the data directory ${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new DaemonError('DATA_DIR', `the data directory ${dir} belongs to user ${st.uid}, not to the daemon's user ${uid}: refusing to keep tokens and holder data there (use a directory of your own, e.g. set SSCARD_DATA_DIR)`);
  }
  const mode = st.mode & 0o777;
  if (mode & 0o022) {
    throw new DaemonError(
      'DATA_DIR',
      `the data directory ${dir} is writable by ${mode & 0o002 ? 'every user' : 'its group'} (mode ${mode.toString(8).padStart(3, '0')}): another user could replace its files; run chmod 700 ${dir}`,
    );
  }
}

/** Sets the process umask so that every file the daemon creates is owner-only. */
export function applyDaemonUmask(): void {
  try {
    process.umask(DAEMON_UMASK);
  } catch {
    /* worker threads cannot change the umask; files are still created with explicit modes */
  }
}

import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where sscard keeps state that is not data (the daemon's log files): `$SSCARD_STATE_DIR`, else
 * `$XDG_STATE_HOME/sscard`, else `~/.local/state/sscard` (XDG Base Directory Specification,
 * "state"). The system unit sets it to the systemd LogsDirectory (/var/log/sscard).
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SSCARD_STATE_DIR) return env.SSCARD_STATE_DIR;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'sscard');
  return join(env.HOME || homedir(), '.local', 'state', 'sscard');
}

/** The daemon's current log file (rotated ones sit next to it as daemon.log.1, .2, ...). */
export const DAEMON_LOG_FILE = 'daemon.log';

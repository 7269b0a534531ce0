import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { COUNTER_TOKEN_FILE, READER_TOKEN_FILE } from '../../daemon/daemon-tokens.js';
import type { DoctorContext } from './doctor-context.js';
import { fail, modeText, pass, type Finding } from './finding.js';

const uid = (): number | undefined => (typeof process.getuid === 'function' ? process.getuid() : undefined);

/** The two daemon token files: present, mode 0600, owned by this user (docs/daemon.md, "Tokens"). */
export function checkTokens(ctx: DoctorContext): Finding {
  // A data directory of another user: EACCES here (doctor reports NO_ACCESS), not a false "missing".
  if (existsSync(ctx.dataDir)) accessSync(ctx.dataDir, constants.R_OK | constants.X_OK);
  const present: string[] = [];
  for (const name of [READER_TOKEN_FILE, COUNTER_TOKEN_FILE]) {
    const file = join(ctx.dataDir, name);
    if (!existsSync(file)) {
      return fail('tokens', 'TOKEN_MISSING', `${file} does not exist`, 'start the daemon once: it creates the token files (mode 0600)');
    }
    const st = statSync(file);
    if (st.mode & 0o077) {
      return fail(
        'tokens',
        'TOKEN_EXPOSED',
        `${file} is readable by others (mode ${modeText(st.mode)}): the token may have leaked`,
        `delete it (\`rm ${file}\`) and restart the daemon: a new token is made with mode 0600; give the new token to the local programs that use it`,
      );
    }
    const me = uid();
    if (me !== undefined && st.uid !== me) {
      return fail('tokens', 'TOKEN_OWNER', `${file} belongs to uid ${st.uid}, not to this user (uid ${me})`, `\`sudo chown ${me} ${file}\`, or run doctor as the user the daemon runs as`);
    }
    present.push(name);
  }
  return pass('tokens', `${present.join(', ')} in ${ctx.dataDir}, mode 600`);
}

/**
 * The data directory (registry, tokens, TLS keys) and the state directory (logs): only the user
 * may enter (0700). Files inside inherit the protection of the directory (SQLite creates its files
 * with the umask).
 */
export function checkDataDirs(ctx: DoctorContext): Finding {
  const checked: string[] = [];
  for (const [dir, what] of [
    [ctx.dataDir, 'data directory'],
    [ctx.stateDir, 'log directory'],
  ] as const) {
    if (!existsSync(dir)) continue;
    const st = statSync(dir);
    if (st.mode & 0o077) {
      return fail('data-dir', 'DATA_DIR_OPEN', `the ${what} ${dir} is open to others (mode ${modeText(st.mode)})`, `\`chmod 700 ${dir}\` (it holds the card-status registry, tokens and keys, or logs)`);
    }
    checked.push(`${dir} (700)`);
  }
  if (checked.length === 0) return pass('data-dir', `${ctx.dataDir} not created yet (the daemon creates it with mode 700)`);
  return pass('data-dir', checked.join(', '));
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from './protocol/api-level.js';
import { DaemonError } from './daemon-error.js';

export const READER_TOKEN_FILE = 'daemon-token';
export const COUNTER_TOKEN_FILE = 'daemon-counter-token';

export interface DaemonTokens {
  readonly readerFile: string;
  readonly counterFile: string;
  /** The role a presented token grants, or undefined (constant-time comparison). */
  roleOf(presented: string): Role | undefined;
}

/**
 * The per-user tokens for clients without an Origin (local programs): created on first start
 * (32 random bytes, base64url) in files mode 0600 in the data directory (0700). A token file
 * readable by group or others is refused: whoever can read it can act as the user.
 */
export function loadOrCreateTokens(dataDir: string): DaemonTokens {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new DaemonError('TOKEN_FILE', `cannot create the data directory ${dataDir}`, { cause: e });
  }
  const readerFile = join(dataDir, READER_TOKEN_FILE);
  const counterFile = join(dataDir, COUNTER_TOKEN_FILE);
  const reader = Buffer.from(tokenIn(readerFile));
  const counter = Buffer.from(tokenIn(counterFile));
  return {
    readerFile,
    counterFile,
    roleOf(presented: string): Role | undefined {
      const p = Buffer.from(presented);
      if (p.length === counter.length && timingSafeEqual(p, counter)) return 'counter';
      if (p.length === reader.length && timingSafeEqual(p, reader)) return 'reader';
      return undefined;
    },
  };
}

function tokenIn(file: string): string {
  try {
    if (!existsSync(file)) {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    }
    // Checked as found: a token that others could read may have leaked, so it is refused rather
    // than quietly tightened (the admin deletes it and a new one is made on the next start).
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      throw new DaemonError('TOKEN_FILE', `${file} is readable by others (mode ${mode.toString(8)}): it may have leaked; delete it to get a new one`);
    }
    const token = readFileSync(file, 'utf8').trim();
    if (!/^[A-Za-z0-9_-]{32,}$/.test(token)) throw new DaemonError('TOKEN_FILE', `${file} does not hold a token; delete it to get a new one`);
    return token;
  } catch (e) {
    if (e instanceof DaemonError) throw e;
    throw new DaemonError('TOKEN_FILE', `cannot create or read the token file ${file}`, { cause: e });
  }
}

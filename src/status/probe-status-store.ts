import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { loadStatusConfig } from './status-config.js';
import { APPLICATION_ID, SCHEMA_VERSION } from './sqlite-schema.js';
import { StatusError } from './status-error.js';

export interface StoreProbe {
  readonly backend: 'sqlite';
  readonly location: string;
  /** False when the store does not exist yet (it is created on first use). */
  readonly exists: boolean;
  /** The store's schema version, and the newest this build knows. */
  readonly schemaVersion: number | undefined;
  readonly supportedVersion: number;
  /** Cards recorded (a read that proves the store answers). */
  readonly cards: number | undefined;
}

/**
 * Looks at the card-status store without changing it (no migration, no file creation): for
 * `sscard doctor`. Throws StatusError STORE_UNAVAILABLE (cannot open or read), STORE_NOT_SSCARD,
 * STORE_VERSION_UNSUPPORTED, or BAD_CONFIG from the config file.
 */
export function probeStatusStore(env: NodeJS.ProcessEnv = process.env): StoreProbe {
  const config = loadStatusConfig({ env });
  const file = config.databaseFile;
  const base = { backend: 'sqlite' as const, location: file, supportedVersion: SCHEMA_VERSION };
  if (!existsSync(file)) return { ...base, exists: false, schemaVersion: undefined, cards: undefined };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (appId !== APPLICATION_ID) throw new StatusError('STORE_NOT_SSCARD', `${file} is not an sscard status store (application_id ${appId})`);
    if (version > SCHEMA_VERSION) {
      throw new StatusError('STORE_VERSION_UNSUPPORTED', `${file} has schema version ${version}; this sscard knows up to ${SCHEMA_VERSION}`);
    }
    const row = db.prepare('SELECT count(*) AS n FROM cards').get() as { n: number };
    return { ...base, exists: true, schemaVersion: version, cards: row.n };
  } catch (e) {
    if (e instanceof StatusError) throw e;
    throw new StatusError('STORE_UNAVAILABLE', `${file} cannot be read: ${(e as Error).message}`, undefined, { cause: e });
  } finally {
    db?.close();
  }
}

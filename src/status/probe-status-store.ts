import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PgCardStatusStore } from './pg-card-status-store.js';
import { PG_SCHEMA_VERSION } from './pg-schema.js';
import { describeDatabase, loadStatusConfig } from './status-config.js';
import { APPLICATION_ID, SCHEMA_VERSION } from './sqlite-schema.js';
import { StatusError } from './status-error.js';

export interface StoreProbe {
  readonly backend: 'sqlite' | 'postgres';
  /** The file, or the database URL without user and password (docs/status.md). */
  readonly location: string;
  /** False when the store does not exist yet (an SQLite file is created on first use). */
  readonly exists: boolean;
  /** The store's schema version, and the newest this build knows. */
  readonly schemaVersion: number | undefined;
  readonly supportedVersion: number;
  /** Cards recorded (a read that proves the store answers). */
  readonly cards: number | undefined;
}

/** How long doctor waits for a PostgreSQL registry to answer the first connection. */
const PG_CONNECT_TIMEOUT_MS = 3000;

/**
 * Looks at the card-status store `SSCARD_STATUS_DB` / `status.db` names without changing it (no
 * migration, no file creation): for `sscard doctor`. Throws StatusError STORE_UNAVAILABLE (cannot
 * open, connect or read), STORE_NOT_SSCARD, STORE_VERSION_UNSUPPORTED (newer than this build),
 * STORE_SCHEMA_OUTDATED (a PostgreSQL schema an administrator has to migrate), or BAD_CONFIG.
 */
export async function probeStatusStore(env: NodeJS.ProcessEnv = process.env): Promise<StoreProbe> {
  const config = loadStatusConfig({ env });
  const db = config.database;
  if (db.kind === 'postgres') return probePg(db.url, describeDatabase(db));
  return probeSqlite(db.file);
}

/**
 * PostgreSQL: the store the daemon would open, one connection, its first attempt awaited
 * (`ready()`): when the store is not `up` (unreachable, refused, schema not this build's) the
 * read fails with the same typed reason the daemon's operations would give.
 */
async function probePg(url: string, location: string): Promise<StoreProbe> {
  const store = PgCardStatusStore.open(url, { poolSize: 1, where: location, connectTimeoutMs: PG_CONNECT_TIMEOUT_MS });
  try {
    await store.ready();
    const { schemaVersion, cards } = await store.inspect();
    return { backend: 'postgres', location, exists: true, schemaVersion, supportedVersion: PG_SCHEMA_VERSION, cards };
  } finally {
    await store.close();
  }
}

function probeSqlite(file: string): StoreProbe {
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

import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { readPgSchema, migratePg, PG_SCHEMA_VERSION } from './pg-schema.js';
import { translatePgError } from './pg-errors.js';
import { APPLICATION_ID, SCHEMA_VERSION } from './sqlite-schema.js';
import { SqliteCardStatusStore } from './sqlite-card-status-store.js';
import { describeDatabase, type StatusConfig } from './status-config.js';
import { StatusError } from './status-error.js';

/** What `sscard registry check` reports (docs/status.md, "Operations"). */
export interface RegistryCheck {
  readonly backend: 'sqlite' | 'postgres';
  readonly location: string;
  /** `ready`: schema is this build's; `absent`: no database yet; `outdated`: run migrate. */
  readonly schema: 'ready' | 'absent' | 'outdated';
  readonly version: number;
  readonly knownVersion: number;
  readonly cards: number;
  readonly auditEntries: number;
  /** PostgreSQL: the server's clock minus this machine's (ms); expiry uses the server's. */
  readonly clockSkewMs?: number;
  readonly serverVersion?: string;
}

/**
 * Reads the store's schema version and size without changing anything. Throws the typed reason
 * when the store is unreachable, belongs to something else or is newer than this build.
 */
export async function checkRegistry(config: StatusConfig): Promise<RegistryCheck> {
  const db = config.database;
  const location = describeDatabase(db);
  if (db.kind === 'sqlite') {
    if (!existsSync(db.file)) return { backend: 'sqlite', location, schema: 'absent', version: 0, knownVersion: SCHEMA_VERSION, cards: 0, auditEntries: 0 };
    // Opening checks application_id and refuses newer schemas (and brings an older one up to date:
    // the embedded store migrates itself, docs/status.md).
    const store = SqliteCardStatusStore.open(db.file, { policy: config.policy });
    await store.close();
    const raw = new Database(db.file, { readonly: true });
    try {
      const version = raw.pragma('user_version', { simple: true }) as number;
      if ((raw.pragma('application_id', { simple: true }) as number) !== APPLICATION_ID) throw new StatusError('STORE_NOT_SSCARD', `${db.file} is not an sscard status store`);
      const count = (t: string) => (raw.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      return { backend: 'sqlite', location, schema: 'ready', version, knownVersion: SCHEMA_VERSION, cards: count('cards'), auditEntries: count('audit') };
    } finally {
      raw.close();
    }
  }
  return withPg(db.url, location, async (c) => {
    const { version } = await readPgSchema(c, location);
    const t0 = Date.now();
    const info = await c.query<{ now: Date; v: string }>('SELECT now() AS now, current_setting($1) AS v', ['server_version']);
    const skew = info.rows[0]!.now.getTime() - (t0 + Date.now()) / 2;
    const base = { backend: 'postgres' as const, location, version, knownVersion: PG_SCHEMA_VERSION, clockSkewMs: Math.round(skew), serverVersion: info.rows[0]!.v };
    if (version < PG_SCHEMA_VERSION) return { ...base, schema: version === 0 ? 'absent' : 'outdated', cards: 0, auditEntries: 0 };
    const n = await c.query<{ cards: string; audit: string }>('SELECT (SELECT count(*) FROM cards WHERE revision > 0)::text AS cards, (SELECT count(*) FROM audit)::text AS audit');
    return { ...base, schema: 'ready', cards: Number(n.rows[0]!.cards), auditEntries: Number(n.rows[0]!.audit) };
  });
}

/**
 * Applies the pending migrations (forward only). PostgreSQL: one transaction under an advisory
 * lock, as a role that may create tables; SQLite: what opening the file does. Returns [from, to].
 */
export async function migrateRegistry(config: StatusConfig): Promise<{ backend: 'sqlite' | 'postgres'; location: string; from: number; to: number }> {
  const db = config.database;
  const location = describeDatabase(db);
  if (db.kind === 'sqlite') {
    let from = 0;
    if (existsSync(db.file)) {
      const raw = new Database(db.file, { readonly: true });
      try {
        from = raw.pragma('user_version', { simple: true }) as number;
      } finally {
        raw.close();
      }
    }
    await SqliteCardStatusStore.open(db.file, { policy: config.policy }).close();
    return { backend: 'sqlite', location, from, to: SCHEMA_VERSION };
  }
  const [from, to] = await withPg(db.url, location, (c) => migratePg(c, location));
  return { backend: 'postgres', location, from, to };
}

async function withPg<T>(url: string, where: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, application_name: 'sscard-admin' });
  c.on('error', () => undefined); // reported through the failing query
  try {
    await c.connect();
    return await fn(c);
  } catch (e) {
    throw translatePgError(e, where);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Throws STORE_SCHEMA_OUTDATED unless the checked store can be used as it is (`registry check` exit 1). */
export function assertRegistryReady(r: RegistryCheck): void {
  if (r.schema === 'outdated' || (r.schema === 'absent' && r.backend === 'postgres')) {
    throw new StatusError('STORE_SCHEMA_OUTDATED', `schema version ${r.version}, this sscard needs ${r.knownVersion}: run \`sscard registry migrate\``);
  }
}

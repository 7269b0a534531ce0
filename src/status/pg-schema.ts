import type { ClientBase } from 'pg';
import { StatusError } from './status-error.js';

/** Name the schema table carries in `application` (tells our tables from another application's). */
export const PG_APPLICATION = 'sscard-status';

/** `pg_advisory_xact_lock` key of migrations ('SSCS'): two migrators never interleave. */
const MIGRATION_LOCK = 0x53534353;

/**
 * PostgreSQL migrations, in order: PG_MIGRATIONS[i] takes the schema from version i to i + 1.
 * Forward only: never edit a published entry; append a new one (docs/status.md, "Store").
 * The same tables as the SQLite store (`sqlite-schema.ts`), JSON parts as jsonb.
 */
export const PG_MIGRATIONS: readonly string[] = [
  // v1: cards, the append-only audit trail (enforced by triggers for every role, the owner too).
  `
  CREATE TABLE cards (
    cic          text PRIMARY KEY CHECK (cic ~ '^[0-9]{6}[0-9A-F]{26}$'),
    card_number  text NOT NULL CHECK (length(card_number) = 9),
    ssn          text CHECK (ssn IS NULL OR length(ssn) = 18),
    lock         jsonb,
    replacement  jsonb,
    cancellation jsonb,
    chip_blocks  jsonb NOT NULL DEFAULT '[]',
    revision     integer NOT NULL,
    updated_at   text NOT NULL
  );
  CREATE INDEX cards_by_ssn ON cards (ssn);
  CREATE INDEX cards_temporary_until ON cards ((lock->>'until')) WHERE lock->>'kind' = 'temporary';

  CREATE TABLE audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          text NOT NULL,
    action      text NOT NULL CHECK (action IN ('lock-temporary', 'lock-formal', 'release', 'auto-release',
                  'replacement-requested', 'cancel', 'block-application', 'block-card', 'pin-reset', 'pin-unblock')),
    cic         text NOT NULL,
    card_number text NOT NULL,
    ssn         text,
    site        text NOT NULL,
    operator    text NOT NULL,
    until       text,
    sw          text,
    reason      text CHECK (reason IS NULL OR length(reason) <= 200)
  );
  CREATE INDEX audit_by_at ON audit (at);
  CREATE INDEX audit_by_cic ON audit (cic, id);

  CREATE FUNCTION sscard_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'audit trail is append-only' USING ERRCODE = 'insufficient_privilege';
  END $$;
  CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION sscard_audit_append_only();
  CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION sscard_audit_append_only();
  `,
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** What `checkPgSchema` found. */
export interface PgSchemaInfo {
  /** 0 = no sscard tables yet. */
  readonly version: number;
  readonly known: number;
}

/**
 * Reads the schema version without changing anything (what the daemon and the CLI do at start:
 * their role needs no DDL rights). Throws STORE_NOT_SSCARD when `sscard_schema` belongs to
 * something else, STORE_VERSION_UNSUPPORTED when it is newer than this build.
 */
export async function readPgSchema(client: ClientBase, where: string): Promise<PgSchemaInfo> {
  const t = await client.query<{ reg: string | null }>("SELECT to_regclass('sscard_schema')::text AS reg");
  if (t.rows[0]?.reg == null) return { version: 0, known: PG_SCHEMA_VERSION };
  const r = await client.query<{ application: string; version: number }>('SELECT application, version FROM sscard_schema');
  const row = r.rows[0];
  if (!row || row.application !== PG_APPLICATION) {
    throw new StatusError('STORE_NOT_SSCARD', `${where}: table sscard_schema does not belong to the sscard card-status registry`);
  }
  if (row.version > PG_SCHEMA_VERSION) {
    throw new StatusError(
      'STORE_VERSION_UNSUPPORTED',
      `${where} has schema version ${row.version}; this sscard knows up to ${PG_SCHEMA_VERSION} (was it migrated by a newer sscard?)`,
    );
  }
  return { version: row.version, known: PG_SCHEMA_VERSION };
}

/** Throws unless the schema is exactly the one this build uses (start-up check of every process). */
export async function checkPgSchema(client: ClientBase, where: string): Promise<void> {
  const { version } = await readPgSchema(client, where);
  if (version < PG_SCHEMA_VERSION) {
    throw new StatusError(
      'STORE_SCHEMA_OUTDATED',
      `${where} has schema version ${version}, this sscard needs ${PG_SCHEMA_VERSION}: an administrator runs \`sscard registry migrate\``,
    );
  }
}

/**
 * Brings the schema to PG_SCHEMA_VERSION in one transaction (PostgreSQL DDL is transactional: a
 * failed migration leaves nothing behind), under an advisory lock. Returns [from, to].
 * Needs a role that may create tables (docs/status.md, "Roles and grants").
 */
export async function migratePg(client: ClientBase, where: string): Promise<[number, number]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const { version } = await readPgSchema(client, where);
    if (version === 0) {
      await client.query(
        `CREATE TABLE IF NOT EXISTS sscard_schema (
           singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
           application text NOT NULL,
           version     integer NOT NULL)`,
      );
      await client.query('INSERT INTO sscard_schema (application, version) VALUES ($1, 0)', [PG_APPLICATION]);
    }
    for (let v = version; v < PG_SCHEMA_VERSION; v++) await client.query(PG_MIGRATIONS[v]!);
    await client.query('UPDATE sscard_schema SET version = $1', [PG_SCHEMA_VERSION]);
    await client.query('COMMIT');
    return [version, PG_SCHEMA_VERSION];
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

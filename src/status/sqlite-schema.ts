import type BetterSqlite3 from 'better-sqlite3';
import { StatusError } from './status-error.js';

/** `PRAGMA application_id` of an sscard status database ('SSCS'): tells our file from others. */
export const APPLICATION_ID = 0x53534353;

/**
 * Schema migrations, in order: MIGRATIONS[i] takes `PRAGMA user_version` from i to i + 1.
 * Never edit a published entry; append a new one (docs/status.md, "Store").
 */
export const MIGRATIONS: readonly string[] = [
  // v1: cards, chip blocks (JSON in the card row), the append-only audit trail.
  `
  CREATE TABLE cards (
    cic          TEXT PRIMARY KEY CHECK (length(cic) = 32),
    card_number  TEXT NOT NULL CHECK (length(card_number) = 9),
    ssn          TEXT CHECK (ssn IS NULL OR length(ssn) = 18),
    lock         TEXT CHECK (lock IS NULL OR json_valid(lock)),
    replacement  TEXT CHECK (replacement IS NULL OR json_valid(replacement)),
    cancellation TEXT CHECK (cancellation IS NULL OR json_valid(cancellation)),
    chip_blocks  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(chip_blocks)),
    revision     INTEGER NOT NULL,
    updated_at   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX cards_by_ssn ON cards (ssn);
  CREATE INDEX cards_by_card_number ON cards (card_number);

  CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('lock-temporary', 'lock-formal', 'release', 'auto-release',
                  'replacement-requested', 'cancel', 'block-application', 'block-card', 'pin-reset', 'pin-unblock')),
    cic         TEXT NOT NULL,
    card_number TEXT NOT NULL,
    ssn         TEXT,
    site        TEXT NOT NULL,
    operator    TEXT NOT NULL,
    until       TEXT,
    sw          TEXT,
    reason      TEXT CHECK (reason IS NULL OR length(reason) <= 200)
  ) STRICT;
  CREATE INDEX audit_by_at ON audit (at);
  CREATE INDEX audit_by_cic ON audit (cic, id);

  -- The trail is append-only: docs/reference/business-rules.md asks who locked/released what, where and when.
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to SCHEMA_VERSION inside one IMMEDIATE transaction (two processes opening
 * a new file at once: the second waits, then sees the first one's work). Refuses files of another
 * application and schemas newer than this build.
 */
export function migrate(db: BetterSqlite3.Database, file: string): void {
  check(db, file);
  if ((db.pragma('user_version', { simple: true }) as number) === SCHEMA_VERSION) return;
  db.transaction(() => {
    const from = check(db, file);
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function check(db: BetterSqlite3.Database, file: string): number {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId !== 0 && appId !== APPLICATION_ID) {
    throw new StatusError('STORE_NOT_SSCARD', `${file} is an SQLite database of another application (application_id ${appId})`);
  }
  if (appId === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0 || version !== 0) throw new StatusError('STORE_NOT_SSCARD', `${file} holds tables that are not an sscard status store`);
  }
  if (version > SCHEMA_VERSION) {
    throw new StatusError(
      'STORE_VERSION_UNSUPPORTED',
      `${file} has schema version ${version}; this sscard knows up to ${SCHEMA_VERSION} (was it written by a newer sscard?)`,
    );
  }
  return version;
}

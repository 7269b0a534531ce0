import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { auditEntryOf, type AuditDraft, type AuditEntry, type AuditQuery, type AuditRow } from './audit-entry.js';
import type { CardRecord, StatusOperation } from './card-record.js';
import { chipBlocksSchema, eventRecordSchema, lockRecordSchema } from './card-record-schema.js';
import type { CardStatusStore, StoreRead, StoreState } from './card-status-store.js';
import { migrate } from './sqlite-schema.js';
import { defaultStatusPolicy, type StatusPolicy } from './status-policy.js';
import { applyOperation, settleExpiredLock } from './status-rules.js';
import { StatusError } from './status-error.js';

export interface SqliteStoreOptions {
  readonly policy?: StatusPolicy;
  /** How long a writer waits for another process's write transaction (default 5000 ms). */
  readonly busyTimeoutMs?: number;
}

interface CardRow {
  cic: string;
  card_number: string;
  ssn: string | null;
  lock: string | null;
  replacement: string | null;
  cancellation: string | null;
  chip_blocks: string;
  revision: number;
}

/**
 * The default store: one SQLite file (WAL, synchronous=FULL, busy_timeout), shared safely by the
 * CLI and the daemon on one machine. Every change is one IMMEDIATE transaction: read the card,
 * apply the rules, write the card and its audit entries (docs/status.md, "Store").
 */
export class SqliteCardStatusStore implements CardStatusStore {
  private readonly db: Database.Database;
  private readonly policy: StatusPolicy;
  private readonly openedAt = new Date().toISOString();

  private constructor(readonly file: string, options: SqliteStoreOptions) {
    this.policy = options.policy ?? defaultStatusPolicy;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      this.db = new Database(file);
      // Before WAL mode: SQLite creates `-wal` and `-shm` with the database file's mode, and all
      // three hold social security numbers.
      tightenModes(file);
    } catch (e) {
      throw translate(e, file);
    }
    try {
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      migrate(this.db, file);
      tightenModes(file);
    } catch (e) {
      this.db.close();
      throw translate(e, file);
    }
  }

  /**
   * Prepared once per SQL text and reused: preparing was ~4 % of the daemon's CPU under load (the
   * status lookup of every card.read / card.status), docs/performance.md.
   */
  private readonly statements = new Map<string, Database.Statement>();
  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  static open(file: string, options: SqliteStoreOptions = {}): SqliteCardStatusStore {
    return new SqliteCardStatusStore(file, options);
  }

  async read(identity: { cardIdentificationCode: string; cardNumber: string }, at: string | null): Promise<StoreRead> {
    const now = at ?? new Date().toISOString();
    return this.guard(() => {
      const row = this.stmt('SELECT * FROM cards WHERE cic = ?').get(identity.cardIdentificationCode) as CardRow | undefined;
      if (row && row.card_number !== identity.cardNumber) {
        throw new StatusError('IDENTITY_MISMATCH', `card identification code ${identity.cardIdentificationCode} is registered with another card number; check both`);
      }
      return { record: row ? this.toRecord(row) : undefined, at: now };
    });
  }

  async findBySsn(ssn: string, at: string | null): Promise<{ records: CardRecord[]; at: string }> {
    const now = at ?? new Date().toISOString();
    return this.guard(() => ({ records: (this.stmt('SELECT * FROM cards WHERE ssn = ? ORDER BY cic').all(ssn) as CardRow[]).map((r) => this.toRecord(r)), at: now }));
  }

  async apply(op: StatusOperation): Promise<StoreRead & { record: CardRecord }> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          // The instant is taken once the write lock is held (BEGIN IMMEDIATE), so a change that
          // waited for another process's commit is never dated before it (docs/status.md).
          const timed = { ...op, at: op.at ?? new Date().toISOString() };
          const row = this.stmt('SELECT * FROM cards WHERE cic = ?').get(op.identity.cardIdentificationCode) as CardRow | undefined;
          const outcome = applyOperation(row ? this.toRecord(row) : undefined, timed, this.policy);
          this.write(outcome.record, outcome.audit, timed.at);
          return { record: outcome.record, at: timed.at };
        })
        .immediate(),
    );
  }

  state(): StoreState {
    return { backend: 'sqlite', state: this.db.open ? 'up' : 'down', location: this.file, since: this.openedAt };
  }

  async settleExpired(at: string | null): Promise<number> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const now = at ?? new Date().toISOString();
          const rows = this.db
            .prepare("SELECT * FROM cards WHERE json_extract(lock, '$.kind') = 'temporary' AND json_extract(lock, '$.until') <= ?")
            .all(now) as CardRow[];
          for (const row of rows) {
            const settled = settleExpiredLock(this.toRecord(row), new Date(now));
            if (settled) this.write({ ...settled.record, revision: settled.record.revision + 1 }, settled.audit, now);
          }
          return rows.length;
        })
        .immediate(),
    );
  }

  async audit(query: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.since !== undefined) (where.push('at >= ?'), args.push(query.since));
    if (query.until !== undefined) (where.push('at < ?'), args.push(query.until));
    if (query.cardIdentificationCode !== undefined) (where.push('cic = ?'), args.push(query.cardIdentificationCode));
    if (query.action !== undefined) (where.push('action = ?'), args.push(query.action));
    const limit = Math.max(1, Math.min(query.limit ?? 10_000, 1_000_000));
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ${limit}`;
    return this.guard(() =>
      (this.db.prepare(sql).all(...args) as AuditRow[]).map(auditEntryOf),
    );
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private write(rec: CardRecord, audit: readonly AuditDraft[], at: string): void {
    this.db
      .prepare(
        `INSERT INTO cards (cic, card_number, ssn, lock, replacement, cancellation, chip_blocks, revision, updated_at)
         VALUES (@cic, @card_number, @ssn, @lock, @replacement, @cancellation, @chip_blocks, @revision, @at)
         ON CONFLICT (cic) DO UPDATE SET ssn = excluded.ssn, lock = excluded.lock, replacement = excluded.replacement,
           cancellation = excluded.cancellation, chip_blocks = excluded.chip_blocks, revision = excluded.revision,
           updated_at = excluded.updated_at`,
      )
      .run({
        cic: rec.cardIdentificationCode,
        card_number: rec.cardNumber,
        ssn: rec.ssn,
        lock: rec.lock && JSON.stringify(rec.lock),
        replacement: rec.replacement && JSON.stringify(rec.replacement),
        cancellation: rec.cancellation && JSON.stringify(rec.cancellation),
        chip_blocks: JSON.stringify(rec.chipBlocks),
        revision: rec.revision,
        at,
      });
    const insert = this.db.prepare(
      `INSERT INTO audit (at, action, cic, card_number, ssn, site, operator, until, sw, reason)
       VALUES (@at, @action, @cardIdentificationCode, @cardNumber, @ssn, @site, @operator, @until, @sw, @reason)`,
    );
    for (const a of audit) insert.run(a);
  }

  private toRecord(row: CardRow): CardRecord {
    try {
      return {
        cardIdentificationCode: row.cic,
        cardNumber: row.card_number,
        ssn: row.ssn,
        lock: row.lock === null ? null : lockRecordSchema.parse(JSON.parse(row.lock)),
        replacement: row.replacement === null ? null : eventRecordSchema.parse(JSON.parse(row.replacement)),
        cancellation: row.cancellation === null ? null : eventRecordSchema.parse(JSON.parse(row.cancellation)),
        chipBlocks: chipBlocksSchema.parse(JSON.parse(row.chip_blocks)),
        revision: row.revision,
      };
    } catch (e) {
      throw new StatusError('STORE_CORRUPT', `${this.file}: the row of card ${row.cic} fails validation`, undefined, { cause: e });
    }
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw translate(e, this.file);
    }
  }
}

/** better-sqlite3 / fs errors -> StatusError; StatusErrors (rule refusals) pass through. */
function translate(e: unknown, file: string): unknown {
  if (e instanceof StatusError) return e;
  const code = (e as { code?: unknown })?.code;
  const msg = (e as Error)?.message ?? String(e);
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
      return new StatusError('STORE_CORRUPT', `${file} is not a readable sscard status database (${msg})`, undefined, { cause: e });
    }
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return new StatusError('STORE_BUSY', `${file} stayed locked by another process beyond busy_timeout (${msg})`, undefined, { cause: e });
    }
    if (code.startsWith('SQLITE_') || code.startsWith('E')) {
      return new StatusError('STORE_UNAVAILABLE', `cannot use ${file}: ${msg}`, undefined, { cause: e });
    }
  }
  return e;
}

/** The database and its WAL / shared-memory files readable by the owner only (where we own them). */
function tightenModes(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch {
      /* absent, or not the owner: leave as is */
    }
  }
}

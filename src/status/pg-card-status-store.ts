import type { PoolClient } from 'pg';
import { auditEntryOf, type AuditDraft, type AuditEntry, type AuditQuery, type AuditRow } from './audit-entry.js';
import type { CardRecord, StatusOperation } from './card-record.js';
import { chipBlocksSchema, eventRecordSchema, lockRecordSchema } from './card-record-schema.js';
import type { CardStatusStore, StoreRead, StoreState } from './card-status-store.js';
import { CHANGE_CHANNEL, PgConnection, type PgConnectionOptions } from './pg-connection.js';
import { defaultStatusPolicy, type StatusPolicy } from './status-policy.js';
import { applyOperation, settleExpiredLock } from './status-rules.js';
import { StatusError } from './status-error.js';

export interface PgStoreOptions extends Omit<PgConnectionOptions, 'url' | 'where'> {
  readonly policy?: StatusPolicy;
  readonly where?: string;
}

/** The database server's clock as the ISO text the records use (ms precision, UTC). */
const DB_NOW = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

interface CardRow {
  cic: string;
  card_number: string;
  ssn: string | null;
  lock: unknown;
  replacement: unknown;
  cancellation: unknown;
  chip_blocks: unknown;
  revision: number;
  db_now: string;
}

/**
 * The shared store: one PostgreSQL database for every counter, hospital and daemon of a region
 * (docs/status.md, "Shared store"). Each change is one READ COMMITTED transaction that takes the
 * card's row lock (`SELECT ... FOR UPDATE`) before applying the rules: changes to one card are
 * serialised by the database, changes to different cards never wait for each other, and no
 * retry loop is needed (the reasons for row locks over SERIALIZABLE are in docs/status.md).
 * Expiry and audit instants use the server's clock unless the caller fixes the time.
 */
export class PgCardStatusStore implements CardStatusStore {
  private readonly conn: PgConnection;
  private readonly policy: StatusPolicy;
  readonly where: string;

  private constructor(url: string, o: PgStoreOptions) {
    this.policy = o.policy ?? defaultStatusPolicy;
    this.where = o.where ?? 'postgres';
    this.conn = new PgConnection({ ...o, url, where: this.where });
  }

  /** Starts connecting at once (in the background); operations wait for the first attempt. */
  static open(url: string, o: PgStoreOptions): PgCardStatusStore {
    return new PgCardStatusStore(url, o);
  }

  ready(): Promise<void> {
    return this.conn.ready();
  }

  state(): StoreState {
    return this.conn.state();
  }

  onChange(listener: (cic: string) => void): () => void {
    return this.conn.onChange(listener);
  }

  /**
   * The schema version and the number of cards recorded, read through the store's own connection
   * (so it fails exactly as an operation would: STORE_UNAVAILABLE, STORE_SCHEMA_OUTDATED,
   * STORE_VERSION_UNSUPPORTED, STORE_NOT_SSCARD). For `sscard doctor`; changes nothing.
   */
  async inspect(): Promise<{ schemaVersion: number; cards: number }> {
    return this.conn.use(async () => {
      const r = await this.conn.pool.query<{ version: number; cards: string }>(
        'SELECT (SELECT version FROM sscard_schema) AS version, (SELECT count(*) FROM cards WHERE revision > 0)::text AS cards',
      );
      return { schemaVersion: r.rows[0]!.version, cards: Number(r.rows[0]!.cards) };
    });
  }

  async read(identity: { cardIdentificationCode: string; cardNumber: string }, at: string | null): Promise<StoreRead> {
    return this.conn.use(async () => {
      // One round trip: the server's time and the row (if any).
      const r = await this.conn.pool.query<CardRow>(`SELECT ${DB_NOW} AS db_now, c.* FROM (SELECT 1) one LEFT JOIN cards c ON c.cic = $1`, [
        identity.cardIdentificationCode,
      ]);
      const row = r.rows[0]!;
      if (row.cic !== null && row.card_number !== identity.cardNumber) {
        throw new StatusError('IDENTITY_MISMATCH', `card identification code ${identity.cardIdentificationCode} is registered with another card number; check both`);
      }
      return { record: row.cic === null ? undefined : this.toRecord(row), at: at ?? row.db_now };
    });
  }

  async findBySsn(ssn: string, at: string | null): Promise<{ records: CardRecord[]; at: string }> {
    return this.conn.use(async () => {
      const r = await this.conn.pool.query<CardRow>(`SELECT ${DB_NOW} AS db_now, * FROM cards WHERE ssn = $1 AND revision > 0 ORDER BY cic`, [ssn]);
      const now = at ?? r.rows[0]?.db_now ?? (await this.conn.pool.query<{ t: string }>(`SELECT ${DB_NOW} AS t`)).rows[0]!.t;
      return { records: r.rows.map((x) => this.toRecord(x)), at: now };
    });
  }

  async apply(op: StatusOperation): Promise<StoreRead & { record: CardRecord }> {
    const cic = op.identity.cardIdentificationCode;
    return this.transaction(async (c) => {
      // A card never seen gets a placeholder row (revision 0) so that its row lock exists; two
      // first changes of one card then queue on that lock instead of racing on the insert. A
      // refused change rolls the placeholder back.
      await c.query(`INSERT INTO cards (cic, card_number, ssn, revision, updated_at) VALUES ($1, $2, NULL, 0, '') ON CONFLICT (cic) DO NOTHING`, [
        cic,
        op.identity.cardNumber,
      ]);
      const r = await c.query<CardRow>(`SELECT ${DB_NOW} AS db_now, * FROM cards WHERE cic = $1 FOR UPDATE`, [cic]);
      const row = r.rows[0]!;
      const at = op.at ?? row.db_now; // taken after the lock: instants follow the commit order of the card
      const current = row.revision === 0 && row.card_number === op.identity.cardNumber ? undefined : this.toRecord(row);
      const outcome = applyOperation(current, { ...op, at }, this.policy);
      await this.write(c, outcome.record, outcome.audit, at);
      return { record: outcome.record, at };
    });
  }

  async settleExpired(at: string | null): Promise<number> {
    return this.transaction(async (c) => {
      const now = at ?? (await c.query<{ t: string }>(`SELECT ${DB_NOW} AS t`)).rows[0]!.t;
      // SKIP LOCKED: a card being changed right now settles its own expiry inside that change.
      const r = await c.query<CardRow>(
        `SELECT $1::text AS db_now, * FROM cards WHERE lock->>'kind' = 'temporary' AND lock->>'until' <= $1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      for (const row of r.rows) {
        const settled = settleExpiredLock(this.toRecord(row), new Date(now));
        if (settled) await this.write(c, { ...settled.record, revision: settled.record.revision + 1 }, settled.audit, now);
      }
      return r.rows.length;
    });
  }

  async audit(query: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => (args.push(v), where.push(sql.replace('?', `$${args.length}`)));
    if (query.since !== undefined) add('at >= ?', query.since);
    if (query.until !== undefined) add('at < ?', query.until);
    if (query.cardIdentificationCode !== undefined) add('cic = ?', query.cardIdentificationCode);
    if (query.action !== undefined) add('action = ?', query.action);
    const limit = Math.max(1, Math.min(query.limit ?? 10_000, 1_000_000));
    const sql = `SELECT id::text AS id, at, action, cic, card_number, ssn, site, operator, until, sw, reason FROM audit ${
      where.length ? `WHERE ${where.join(' AND ')}` : ''
    } ORDER BY audit.id LIMIT ${limit}`;
    return this.conn.use(async () =>
      (await this.conn.pool.query<AuditRow>(sql, args)).rows.map(auditEntryOf),
    );
  }

  close(): Promise<void> {
    return this.conn.close();
  }

  /** BEGIN ... COMMIT on one pooled client; a refusal or failure rolls back (nothing half-written). */
  private transaction<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return this.conn.use(async () => {
      const c = await this.conn.pool.connect();
      let broken: unknown;
      let committing = false;
      // A socket error between two queries of the transaction: the next query fails with it; the
      // listener would otherwise be missing and the error unhandled.
      const onError = (e: Error) => (broken ??= e);
      c.on('error', onError);
      try {
        await c.query('BEGIN');
        const out = await fn(c);
        committing = true;
        await c.query('COMMIT');
        return out;
      } catch (e) {
        broken = e instanceof StatusError ? undefined : e;
        await c.query('ROLLBACK').catch((re: unknown) => (broken ??= re));
        if (committing && !(e instanceof StatusError)) {
          // The connection died while COMMIT was in flight: the change may or may not be in.
          throw new StatusError('STORE_UNAVAILABLE', `card-status database ${this.where} was lost during COMMIT: the change may or may not have been made; look the card up again`, undefined, {
            cause: e,
          });
        }
        throw e;
      } finally {
        c.off('error', onError);
        c.release(broken instanceof Error ? broken : undefined);
      }
    });
  }

  private async write(c: PoolClient, rec: CardRecord, audit: readonly AuditDraft[], at: string): Promise<void> {
    await c.query(
      `UPDATE cards SET card_number = $2, ssn = $3, lock = $4::jsonb, replacement = $5::jsonb, cancellation = $6::jsonb,
         chip_blocks = $7::jsonb, revision = $8, updated_at = $9 WHERE cic = $1`,
      [
        rec.cardIdentificationCode,
        rec.cardNumber,
        rec.ssn,
        rec.lock && JSON.stringify(rec.lock),
        rec.replacement && JSON.stringify(rec.replacement),
        rec.cancellation && JSON.stringify(rec.cancellation),
        JSON.stringify(rec.chipBlocks),
        rec.revision,
        at,
      ],
    );
    if (audit.length === 0) return;
    const cols = 10;
    const values = audit.map((_, i) => `(${Array.from({ length: cols }, (_, j) => `$${i * cols + j + 1}`).join(', ')})`).join(', ');
    await c.query(
      `INSERT INTO audit (at, action, cic, card_number, ssn, site, operator, until, sw, reason) VALUES ${values}`,
      audit.flatMap((a) => [a.at, a.action, a.cardIdentificationCode, a.cardNumber, a.ssn, a.site, a.operator, a.until, a.sw, a.reason]),
    );
    // Delivered to every LISTENing daemon when (and only if) this transaction commits.
    await c.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, rec.cardIdentificationCode]);
  }

  private toRecord(row: CardRow): CardRecord {
    try {
      return {
        cardIdentificationCode: row.cic,
        cardNumber: row.card_number,
        ssn: row.ssn,
        lock: row.lock === null ? null : lockRecordSchema.parse(row.lock),
        replacement: row.replacement === null ? null : eventRecordSchema.parse(row.replacement),
        cancellation: row.cancellation === null ? null : eventRecordSchema.parse(row.cancellation),
        chipBlocks: chipBlocksSchema.parse(row.chip_blocks),
        revision: row.revision,
      };
    } catch (e) {
      throw new StatusError('STORE_CORRUPT', `${this.where}: the row of card ${row.cic} fails validation`, undefined, { cause: e });
    }
  }
}

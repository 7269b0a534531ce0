import { createRequire } from 'node:module';
import type pgTypes from 'pg';
import { isCardIdentificationCode } from './card-identity.js';
import type { StoreState } from './card-status-store.js';
import { checkPgSchema } from './pg-schema.js';
import { isConnectionError, translatePgError } from './pg-errors.js';
import { StatusError } from './status-error.js';

/**
 * `pg` (~15 MB resident) is loaded on the first PostgreSQL connection, not with the module: the
 * daemon and the CLI import this file whatever the store is, and the default store is SQLite
 * (docs/status.md, "Store"). `pg` is CommonJS, so a synchronous require keeps the constructor sync.
 */
let loaded: typeof pgTypes | undefined;
function pgModule(): typeof pgTypes {
  loaded ??= createRequire(import.meta.url)('pg') as typeof pgTypes;
  return loaded;
}

/** The LISTEN/NOTIFY channel of committed status changes; the payload is the card identification code only. */
export const CHANGE_CHANNEL = 'sscard_card_status';

export interface PgConnectionOptions {
  readonly url: string;
  /** Pool size per process (docs/status.md, "Pool size"). */
  readonly poolSize: number;
  /** Location for messages (no password). */
  readonly where: string;
  /** Reconnect backoff: first delay and cap (default 250 ms doubling up to 5 s, ±20 % jitter). */
  readonly backoffMs?: { readonly first: number; readonly max: number };
  /** How long a connection attempt may take (default 3 s). */
  readonly connectTimeoutMs?: number;
  /** Server-side statement_timeout (default 10 s: a row lock held by a stuck counter). */
  readonly statementTimeoutMs?: number;
}

/**
 * The pool the store queries through, and one dedicated client that LISTENs for changes and
 * watches the server: when it loses the connection the store is `down` (operations fail at once
 * with STORE_UNAVAILABLE instead of waiting for timeouts) and it reconnects with exponential
 * backoff; on reconnect it checks the schema again and reports the cards changed meanwhile.
 */
export class PgConnection {
  readonly pool: pgTypes.Pool;
  private listener: pgTypes.Client | undefined;
  private current: StoreState;
  private failure: StatusError | undefined;
  private readonly subscribers = new Set<(cic: string) => void>();
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private delay: number;
  private readonly first: Promise<void>;
  /** Highest audit id seen at the last (re)connect: the cards changed after it are reported on the next. */
  private seenAuditId: string | undefined;
  private connecting = false;

  constructor(private readonly o: PgConnectionOptions) {
    const base = this.clientConfig();
    this.pool = new (pgModule().Pool)({ ...base, max: o.poolSize, idleTimeoutMillis: 30_000 });
    // An idle pooled client whose server went away: the pool drops it; the listener notices too.
    this.pool.on('error', (e) => this.lost(e));
    this.delay = o.backoffMs?.first ?? 250;
    this.current = { backend: 'postgres', state: 'connecting', location: o.where, since: new Date().toISOString() };
    this.first = this.connect();
  }

  /** Resolves once the first connection attempt is over. */
  ready(): Promise<void> {
    return this.first;
  }

  state(): StoreState {
    return this.current;
  }

  /** Runs `fn` when the store is up; throws the typed reason at once when it is down. */
  async use<T>(fn: () => Promise<T>): Promise<T> {
    await this.first;
    if (this.closed) throw new StatusError('STORE_UNAVAILABLE', `card-status database ${this.o.where}: the store is closed`);
    if (this.current.state !== 'up') {
      throw this.failure ?? new StatusError('STORE_UNAVAILABLE', `card-status database ${this.o.where} unreachable: lock status unknown`);
    }
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof StatusError) && isConnectionError(e)) this.lost(e);
      throw translatePgError(e, this.o.where);
    }
  }

  onChange(listener: (cic: string) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  private clientConfig(): pgTypes.ClientConfig {
    const statement = this.o.statementTimeoutMs ?? 10_000;
    return {
      connectionString: this.o.url,
      connectionTimeoutMillis: this.o.connectTimeoutMs ?? 3000,
      statement_timeout: statement,
      // A silent network (no FIN, no RST): the client gives up a little after the server would have.
      query_timeout: statement + 2000,
      keepAlive: true,
      application_name: 'sscard',
    };
  }

  private async connect(): Promise<void> {
    if (this.closed || this.connecting) return;
    this.connecting = true;
    // Named apart in pg_stat_activity: `sscard-listen` (one per process) vs `sscard` (the pool).
    const client = new (pgModule().Client)({ ...this.clientConfig(), application_name: 'sscard-listen' });
    client.on('error', (e) => this.lost(e, client));
    client.on('end', () => this.lost(new Error('Connection terminated'), client));
    client.on('notification', (m) => {
      if (m.channel === CHANGE_CHANNEL && typeof m.payload === 'string' && isCardIdentificationCode(m.payload)) this.emit(m.payload);
    });
    try {
      await client.connect();
      await checkPgSchema(client, this.o.where);
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      const max = await client.query<{ id: string }>('SELECT coalesce(max(id), 0)::text AS id FROM audit');
      const previous = this.seenAuditId;
      this.seenAuditId = max.rows[0]!.id;
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.listener = client;
      this.failure = undefined;
      this.delay = this.o.backoffMs?.first ?? 250;
      this.setState('up');
      // Changes committed while this process was disconnected: report them now (a page re-reads).
      if (previous !== undefined) {
        const missed = await client.query<{ cic: string }>('SELECT DISTINCT cic FROM audit WHERE id > $1::bigint AND id <= $2::bigint', [previous, this.seenAuditId]);
        for (const r of missed.rows) this.emit(r.cic);
      }
    } catch (e) {
      client.removeAllListeners('end');
      if (this.listener === client) this.listener = undefined;
      await client.end().catch(() => undefined);
      this.failure = translatePgError(e, this.o.where) as StatusError;
      this.setState('down', this.failure.code);
      this.schedule();
    } finally {
      this.connecting = false;
    }
  }

  /** The listener (or a pooled client) lost the server: down, and reconnect with backoff. */
  private lost(e: unknown, client?: pgTypes.Client): void {
    if (this.closed) return;
    if (client && client !== this.listener) return; // a client already given up
    const l = this.listener;
    this.listener = undefined;
    if (l) {
      l.removeAllListeners('end');
      l.end().catch(() => undefined);
    }
    if (this.current.state === 'down' && this.timer) return;
    this.failure = translatePgError(e, this.o.where) as StatusError;
    this.setState('down', this.failure.code);
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    const jitter = 0.8 + Math.random() * 0.4;
    const wait = Math.round(this.delay * jitter);
    this.delay = Math.min(this.delay * 2, this.o.backoffMs?.max ?? 5000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, wait);
    this.timer.unref();
  }

  private setState(state: StoreState['state'], error?: string): void {
    if (this.current.state === state && this.current.error === error) return;
    this.current = { backend: 'postgres', state, location: this.o.where, since: new Date().toISOString(), ...(error ? { error } : {}) };
  }

  private emit(cic: string): void {
    for (const s of this.subscribers) {
      try {
        s(cic);
      } catch {
        /* a subscriber's failure is its own */
      }
    }
  }
}

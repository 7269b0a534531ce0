import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { CardStatusRegistry } from '../../src/status/card-status-registry.js';
import { PgCardStatusStore } from '../../src/status/pg-card-status-store.js';
import { migratePg, PG_SCHEMA_VERSION } from '../../src/status/pg-schema.js';
import { StatusError } from '../../src/status/status-error.js';
import { migrateAndGrant, postgresSkipReason, startTestPostgres, type TestPostgres } from '../support/postgres-server.js';
import { registryContract } from '../support/status-contract.js';

// A real PostgreSQL server of our own (private data dir and socket); CI=true without one fails.
const skip = postgresSkipReason();
let server: TestPostgres | undefined;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: server!.adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe.skipIf(skip !== undefined)('PostgreSQL store', () => {
  beforeAll(async () => {
    server = await startTestPostgres();
    await migrateAndGrant(server);
  });
  afterAll(() => server?.stop());

  // The registry runs as sscard_app (DML grants only): the daemon's role needs no DDL rights.
  registryContract('PostgreSQL (shared region store)', () => ({
    async open(clock, policy) {
      const store = PgCardStatusStore.open(server!.appUrl, { policy, poolSize: 4, where: 'test' });
      await store.ready();
      return new CardStatusRegistry(store, clock);
    },
    async tamperAudit(kind) {
      // As the owner (superuser) even: the trigger refuses.
      return admin((c) => c.query(kind === 'update' ? "UPDATE audit SET reason = 'x'" : 'DELETE FROM audit').then(() => undefined, (e: unknown) => e));
    },
    async openWithNewerSchema() {
      await admin((c) => c.query('UPDATE sscard_schema SET version = 99'));
      const store = PgCardStatusStore.open(server!.appUrl, { poolSize: 1, where: 'test' });
      try {
        await store.ready();
        return await new CardStatusRegistry(store).statusOf({ cardIdentificationCode: '320500D15600000500BF7C7A48FB4966', cardNumber: 'X00000019' }).then(
          () => undefined,
          (e: unknown) => e,
        );
      } finally {
        await store.close();
        await admin((c) => c.query('UPDATE sscard_schema SET version = $1', [PG_SCHEMA_VERSION]));
      }
    },
    async close() {},
  }));

  it('TRUNCATE of the audit is refused too; the app role cannot UPDATE or DELETE it nor run DDL', async () => {
    const e = await admin((c) => c.query('TRUNCATE audit').then(() => undefined, (x: unknown) => x));
    expect(String((e as Error).message)).toMatch(/append-only/);
    const app = new pg.Client({ connectionString: server!.appUrl });
    await app.connect();
    try {
      for (const sql of ['DELETE FROM audit', "UPDATE audit SET reason = 'x'", 'CREATE TABLE x (a int)', 'DROP TABLE audit']) {
        const err = await app.query(sql).then(() => undefined, (x: unknown) => x);
        expect((err as { code?: string }).code, sql).toBe('42501'); // insufficient_privilege
      }
    } finally {
      await app.end();
    }
  });

  it('expiry and instants come from the database clock; a fixed clock (SSCARD_NOW) still rules when given', async () => {
    const cic = '320500D156000005FFFF000148FB4966';
    const card = { cardIdentificationCode: cic, cardNumber: 'X00000019' };
    const store = PgCardStatusStore.open(server!.appUrl, { poolSize: 2, where: 'test' });
    const dbClock = new CardStatusRegistry(store, 'database');
    // A counter whose clock says 8 days ago makes a temporary lock (fixed clock, as SSCARD_NOW does).
    const skewed = new CardStatusRegistry(store, { now: () => new Date(Date.now() - 8 * 24 * 3600_000) });
    try {
      const made = await skewed.lock(card, 'temporary', { site: '320500-12333', operator: 'skewed' });
      expect(made.kind).toBe('temporarily-locked');
      // By the database's time it has already ended.
      const now = await dbClock.statusOf(card);
      expect(now.kind).toBe('normal');
      const serverNow = await admin((c) => c.query<{ t: Date }>('SELECT now() AS t')).then((r) => r.rows[0]!.t.getTime());
      expect(Math.abs(Date.parse(now.evaluatedAt) - serverNow)).toBeLessThan(5000);
      const locked = await dbClock.lock(card, 'temporary', { site: '320500-12333', operator: 'db' });
      expect(Date.parse(locked.until!) - Date.parse(locked.since!)).toBe(7 * 24 * 3600_000);
      // The auto-release was written at the lock's end, the new lock at the server's time.
      const trail = await dbClock.audit({ card: cic });
      expect(trail.map((t) => t.action)).toEqual(['lock-temporary', 'auto-release', 'lock-temporary']);
      expect(trail[1]!.at).toBe(made.until);
    } finally {
      await store.close();
    }
  });

  it('an unmigrated database is STORE_SCHEMA_OUTDATED; migrate is idempotent and needs the owner', async () => {
    await admin((c) => c.query('CREATE DATABASE empty_one'));
    const url = server!.adminUrl.replace('/sscard?', '/empty_one?');
    const store = PgCardStatusStore.open(url, { poolSize: 1, where: 'empty' });
    try {
      await store.ready();
      expect(store.state()).toMatchObject({ backend: 'postgres', state: 'down', error: 'STORE_SCHEMA_OUTDATED' });
      const e = await new CardStatusRegistry(store).statusOf({ cardIdentificationCode: '320500D15600000500BF7C7A48FB4966', cardNumber: 'X00000019' }).catch((x: unknown) => x);
      expect((e as StatusError).code).toBe('STORE_SCHEMA_OUTDATED');
    } finally {
      await store.close();
    }
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      expect(await migratePg(c, 'empty')).toEqual([0, PG_SCHEMA_VERSION]);
      expect(await migratePg(c, 'empty')).toEqual([PG_SCHEMA_VERSION, PG_SCHEMA_VERSION]);
    } finally {
      await c.end();
    }
  });

  it('a NOTIFY on the channel with anything but a card identification code is ignored', async () => {
    const store = PgCardStatusStore.open(server!.appUrl, { poolSize: 1, where: 'test' });
    await store.ready();
    const seen: string[] = [];
    store.onChange((c) => seen.push(c));
    try {
      await admin(async (c) => {
        for (const payload of ['garbage', "'; DROP TABLE audit; --", 'x'.repeat(32), '320500D15600000500BF7C7A48FB4966']) await c.query('SELECT pg_notify($1, $2)', ['sscard_card_status', payload]);
      });
      await expect.poll(() => seen.length, { timeout: 2000 }).toBe(1);
      expect(seen).toEqual(['320500D15600000500BF7C7A48FB4966']);
    } finally {
      await store.close();
    }
  });

  it('sscard registry check / migrate on a new database: outdated (exit 1), migrated, ready', async () => {
    await admin((c) => c.query('CREATE DATABASE cli_one'));
    const env = { ...process.env, SSCARD_STATUS_DB: server!.adminUrl.replace('/sscard?', '/cli_one?'), SSCARD_CONFIG: '' };
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js'), 'registry', ...args], { env, encoding: 'utf8' });
    const before = cli('check', '--json');
    expect(before.status).toBe(1);
    // --json: the report, then (the CLI's convention for refusals) the error as a second document.
    const [report, refusal] = before.stdout.split(/(?<=\n\})\n/);
    expect(JSON.parse(report!)).toMatchObject({ backend: 'postgres', schema: 'absent', version: 0 });
    expect(JSON.parse(refusal!)).toMatchObject({ error: { code: 'STORE_SCHEMA_OUTDATED' } });
    expect(before.stderr).toContain('STORE_SCHEMA_OUTDATED');
    const m = cli('migrate');
    expect(m.status).toBe(0);
    expect(m.stdout).toMatch(/migrated schema 0 -> 1/);
    expect(cli('migrate').stdout).toMatch(/already at version 1/);
    const after = cli('check', '--json');
    expect(after.status).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ schema: 'ready', version: 1, knownVersion: 1, cards: 0, auditEntries: 0 });
    expect(after.stdout).not.toContain('postgres@'); // no user in the location
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_SCHEMA_VERSION } from '../../src/status/pg-schema.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { doctorEnv, runDoctor } from '../support/doctor.js';
import { migrateAndGrant, postgresSkipReason, startTestPostgres, type TestPostgres } from '../support/postgres-server.js';

/**
 * `sscard doctor`'s registry check against a real private PostgreSQL (as the daemon's DML-only
 * role): green with the schema version and the card count; an older schema and a newer one are
 * their own findings with exit 1; the server stopped is REGISTRY_UNREACHABLE. CI=true without a
 * PostgreSQL server fails (postgresSkipReason).
 */
const skip = postgresSkipReason();

describe.skipIf(skip !== undefined)('sscard doctor: PostgreSQL registry', () => {
  let server: TestPostgres;
  let daemon: TestDaemon;
  let env: NodeJS.ProcessEnv;
  let location: string;

  async function setVersion(v: number): Promise<void> {
    const c = new pg.Client({ connectionString: server.adminUrl });
    await c.connect();
    try {
      await c.query('UPDATE sscard_schema SET version = $1', [v]);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    server = await startTestPostgres();
    await migrateAndGrant(server);
    daemon = await startTestDaemon({}, { pcsc: false });
    writeFileSync(join(daemon.dataDir, 'daemon.json'), JSON.stringify({ port: daemon.port }));
    // The registry URL comes from the config file's `status.db`, as a package pre-seeds it.
    const config = join(daemon.dataDir, 'status-config.json');
    writeFileSync(config, JSON.stringify({ site: '110100-test-counter', operator: 'test.operator', status: { db: server.appUrl } }));
    env = doctorEnv({ SSCARD_DATA_DIR: daemon.dataDir, SSCARD_NO_PCSC: '1', SSCARD_CONFIG: config });
    location = `postgres://${server.socketDir}/sscard`;
  });
  afterAll(async () => {
    await daemon?.stop();
    server?.stop();
  });

  it('green: reachable, schema version, card count; exit 0', async () => {
    const r = await runDoctor(env);
    expect(r.byCheck('registry')).toMatchObject({ status: 'pass', message: `postgres ${location}: reachable, schema version ${PG_SCHEMA_VERSION}, 0 card record(s)` });
    expect(r.code, JSON.stringify(r.checks.filter((c) => c.status === 'fail'))).toBe(0);
  });

  it('an older schema: REGISTRY_SCHEMA_OUTDATED naming both versions and the migrate command; exit 1', async () => {
    await setVersion(PG_SCHEMA_VERSION - 1);
    try {
      const r = await runDoctor(env);
      const f = r.byCheck('registry');
      expect(f).toMatchObject({
        status: 'fail',
        code: 'REGISTRY_SCHEMA_OUTDATED',
        message: `${location} has schema version ${PG_SCHEMA_VERSION - 1}, this sscard needs ${PG_SCHEMA_VERSION}: an administrator runs \`sscard registry migrate\``,
      });
      expect(f.fix).toContain('sscard registry migrate');
      expect(r.code).toBe(1);
    } finally {
      await setVersion(PG_SCHEMA_VERSION);
    }
  });

  it('a newer schema: REGISTRY_SCHEMA_NEWER; exit 1', async () => {
    await setVersion(PG_SCHEMA_VERSION + 1);
    try {
      const r = await runDoctor(env);
      expect(r.byCheck('registry')).toMatchObject({
        status: 'fail',
        code: 'REGISTRY_SCHEMA_NEWER',
        message: `${location} has schema version ${PG_SCHEMA_VERSION + 1}; this sscard knows up to ${PG_SCHEMA_VERSION} (was it migrated by a newer sscard?)`,
      });
      expect(r.code).toBe(1);
    } finally {
      await setVersion(PG_SCHEMA_VERSION);
    }
  });

  it('the server stopped: REGISTRY_UNREACHABLE; back: green again', async () => {
    server.halt('fast');
    try {
      const r = await runDoctor(env);
      const f = r.byCheck('registry');
      expect(f.status).toBe('fail');
      expect(f.code).toBe('REGISTRY_UNREACHABLE');
      expect(f.message).toMatch(new RegExp(`^the card-status registry cannot be used \\(STORE_UNAVAILABLE\\): card-status database ${location.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} unreachable \\(`));
      expect(r.code).toBe(1);
    } finally {
      server.resume();
    }
    const r = await runDoctor(env);
    expect(r.byCheck('registry').status).toBe('pass');
  });
});

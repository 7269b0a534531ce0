import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCardStatusRegistry } from '../../../src/status/open-card-status-registry.js';
import { describeDatabase, loadStatusConfig } from '../../../src/status/status-config.js';
import { StatusError } from '../../../src/status/status-error.js';
import { CLI } from '../../support/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sscard-dbcfg-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    return (e as StatusError).code;
  }
  return undefined;
}

describe('store selection: SSCARD_STATUS_DB / config status.db (docs/status.md "Store")', () => {
  it('nothing = the SQLite file in the data dir; a path = that SQLite file; a postgres URL = PostgreSQL', () => {
    expect(loadStatusConfig({ env: { SSCARD_DATA_DIR: dir } }).database).toEqual({ kind: 'sqlite', file: join(dir, 'status.sqlite') });
    expect(loadStatusConfig({ env: { SSCARD_DATA_DIR: dir, SSCARD_STATUS_DB: join(dir, 'x.db') } }).database).toEqual({ kind: 'sqlite', file: join(dir, 'x.db') });
    for (const url of ['postgres://app@db.example/sscard', 'postgresql://app:secret@10.0.0.5:5432/sscard?sslmode=verify-full']) {
      expect(loadStatusConfig({ env: { SSCARD_DATA_DIR: dir, SSCARD_STATUS_DB: url } }).database).toEqual({ kind: 'postgres', url, poolSize: 4 });
    }
  });

  it('the environment wins over the config file; the config file sets db and poolSize', () => {
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify({ status: { db: 'postgres://a@h/db', poolSize: 9 } }));
    expect(loadStatusConfig({ env: { SSCARD_DATA_DIR: dir } }).database).toEqual({ kind: 'postgres', url: 'postgres://a@h/db', poolSize: 9 });
    expect(loadStatusConfig({ env: { SSCARD_DATA_DIR: dir, SSCARD_STATUS_DB: join(dir, 'y.db') } }).database.kind).toBe('sqlite');
    expect(loadStatusConfig({ env: { SSCARD_DATA_DIR: dir, SSCARD_STATUS_DB_POOL: '2' } }).database).toMatchObject({ poolSize: 2 });
  });

  it('bad settings are BAD_CONFIG and never echo the URL (it may hold a password)', () => {
    const bad = [
      { SSCARD_STATUS_DB: 'mysql://root:hunter2@db/x' },
      { SSCARD_STATUS_DB: 'postgres://root:hunter2@[::1/x' },
      { SSCARD_STATUS_DB: 'postgres://a@h/db', SSCARD_STATUS_DB_POOL: '0' },
      { SSCARD_STATUS_DB: 'postgres://a@h/db', SSCARD_STATUS_DB_POOL: 'many' },
      { SSCARD_STATUS_DB: 'postgres://a@h/db', SSCARD_STATUS_DB_POOL: '101' },
    ];
    for (const env of bad) {
      let err: unknown;
      try {
        loadStatusConfig({ env: { SSCARD_DATA_DIR: dir, ...env } });
      } catch (e) {
        err = e;
      }
      expect((err as StatusError).code, JSON.stringify(env)).toBe('BAD_CONFIG');
      expect((err as Error).message).not.toContain('hunter2');
    }
    const cfg = join(dir, 'config.json');
    for (const status of [{ db: 5 }, { db: '' }, { poolSize: 0 }, { pool: 3 }, 'postgres://x']) {
      writeFileSync(cfg, JSON.stringify({ status }));
      expect(codeOf(() => loadStatusConfig({ env: { SSCARD_DATA_DIR: dir } })), JSON.stringify(status)).toBe('BAD_CONFIG');
    }
  });

  it('the location shown in /health, messages and `registry check` has no user or password', () => {
    expect(describeDatabase({ kind: 'postgres', url: 'postgresql://app:secret@db.example:5432/sscard?sslmode=require', poolSize: 4 })).toBe('postgres://db.example:5432/sscard');
    expect(describeDatabase({ kind: 'postgres', url: 'postgresql://app@localhost/sscard?host=%2Ftmp%2Fsock', poolSize: 4 })).toBe('postgres:///tmp/sock/sscard');
  });

  it('an unreachable PostgreSQL: the registry opens, reads and changes fail typed at once (status unknown, never normal)', async () => {
    // A socket directory with no server in it: nothing is listening, nothing leaves the machine.
    const url = `postgresql://nobody@localhost:5999/none?host=${encodeURIComponent(dir)}`;
    const { registry } = openCardStatusRegistry({ env: { SSCARD_DATA_DIR: dir, SSCARD_STATUS_DB: url, SSCARD_CONFIG: '' } });
    try {
      await registry.ready();
      expect(registry.storeState()).toMatchObject({ backend: 'postgres', state: 'down', error: 'STORE_UNAVAILABLE', location: `postgres://${dir}/none` });
      const card = { cardIdentificationCode: '320500D15600000500BF7C7A48FB4966', cardNumber: 'X00000019' };
      const read = await registry.statusOf(card).catch((e: unknown) => e);
      expect((read as StatusError).code).toBe('STORE_UNAVAILABLE');
      expect((read as Error).message).toMatch(/lock status unknown/);
      const change = await registry.lock(card, 'temporary', { site: '320500-12333', operator: 'x' }).catch((e: unknown) => e);
      expect((change as StatusError).code).toBe('STORE_UNAVAILABLE');
    } finally {
      await registry.close();
    }
  });

  it('CLI with the shared database unreachable: `read` shows the card with status unknown; `status` and changes fail typed', () => {
    const env = { ...process.env, SSCARD_DATA_DIR: dir, SSCARD_CONFIG: '', SSCARD_NO_PCSC: '1', SSCARD_SITE: '320500-12333', SSCARD_OPERATOR: 'x', SSCARD_STATUS_DB: `postgresql://nobody@localhost:5999/none?host=${encodeURIComponent(dir)}` };
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 20_000 });
    const read = run('read', '--sim');
    expect(read.status).toBe(0);
    expect(read.stdout).toMatch(/Status\s+unknown \(STORE_UNAVAILABLE\)/);
    const card = ['--card', '320500D15600000500BF7C7A48FB4966', '--card-number', 'X00000019'];
    const status = run('status', ...card);
    expect(status.status).toBe(1);
    expect(status.stderr).toMatch(/STORE_UNAVAILABLE: .*lock status unknown/);
    expect(status.stdout).not.toMatch(/normal/);
    const lock = run('lock', '--temporary', ...card);
    expect(lock.status).toBe(1);
    expect(lock.stderr).toContain('STORE_UNAVAILABLE');
    expect(lock.stderr).not.toContain('nobody'); // the URL's user is not echoed
  });

  it('sscard status names the store that answered (human and --json)', () => {
    const env = { ...process.env, SSCARD_DATA_DIR: dir, SSCARD_CONFIG: '', SSCARD_STATUS_DB: '' };
    const card = ['--card', '320500D15600000500BF7C7A48FB4966', '--card-number', 'X00000019'];
    const human = spawnSync(process.execPath, [CLI, 'status', ...card], { env, encoding: 'utf8' });
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`store\\s+sqlite ${join(dir, 'status.sqlite').replace(/[.]/g, '\\.')} \\(up\\)`));
    const json = spawnSync(process.execPath, [CLI, 'status', ...card, '--json'], { env, encoding: 'utf8' });
    expect(JSON.parse(json.stdout).store).toEqual({ backend: 'sqlite', state: 'up', location: join(dir, 'status.sqlite') });
  });
});

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDaemonConfig } from '../../../src/daemon/daemon-config.js';
import { createDaemonLogger } from '../../../src/daemon/daemon-logger.js';
import { startDaemon } from '../../../src/daemon/start-daemon.js';
import { LogSink, RpcSocket } from '../../support/daemon.js';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI === 'true') throw new Error('the file-mode tests need root (to create a directory of another user and read as `nobody`)');

const CARD = { cardIdentificationCode: '110100D15600000500000000000000AB', cardNumber: 'A12345674', ssn: '110105199003071036' };

async function daemonIn(dataDir: string, env: Record<string, string> = {}) {
  const logs = new LogSink();
  const d = await startDaemon({
    config: parseDaemonConfig({ port: 0, logLevel: 'info' }),
    dataDir,
    log: createDaemonLogger('info', logs),
    pcsc: false,
    env: { ...process.env, SSCARD_DATA_DIR: dataDir, SSCARD_CONFIG: '', SSCARD_SITE: '110100-test-counter', SSCARD_OPERATOR: 'test.operator', ...env },
  });
  return Object.assign(d, { logs });
}

/** Runs `node -e code` as the user `nobody`: another local user trying the daemon's files. */
function asNobody(code: string): string {
  const r = spawnSync(process.execPath, ['-e', code], { uid: NOBODY, gid: NOBODY, encoding: 'utf8', env: {} });
  return `${r.stdout}${r.stderr}`.trim();
}

/**
 * The daemon's files against a second OS user: the data directory and everything the daemon
 * writes there (tokens, the status database and its WAL / shared-memory files).
 */
describe.runIf(isRoot)('daemon data directory and file modes (second OS user: nobody)', () => {
  it('a pre-existing 0755 data directory: the token files, status.sqlite, -wal and -shm are 0600 and `nobody` cannot read any of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-0755-'));
    chmodSync(dir, 0o755);
    const d = await daemonIn(dir);
    try {
      const s = await RpcSocket.ready(d.port, { token: readToken(d.tokens.counterFile) });
      const r = await s.call('card.lock', { ...CARD, kind: 'temporary', reason: 'lost on the bus' });
      expect(r.error).toBeUndefined();
      s.close();
      const files = readdirSync(dir).filter((f) => f !== 'daemon.json');
      expect(files).toEqual(expect.arrayContaining(['daemon-token', 'daemon-counter-token', 'status.sqlite', 'status.sqlite-wal', 'status.sqlite-shm']));
      for (const f of files) expect([f, (statSync(join(dir, f)).mode & 0o777).toString(8)]).toEqual([f, '600']);
      for (const f of files) {
        expect(asNobody(`try { require('fs').readFileSync(${JSON.stringify(join(dir, f))}); console.log('READ') } catch (e) { console.log(e.code) }`)).toBe('EACCES');
      }
    } finally {
      await d.stop(100);
    }
  });

  it('a missing data directory is created 0700', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sscard-new-')), 'data');
    const d = await daemonIn(dir);
    await d.stop(100);
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
  });

  it.each([
    ['group-writable (0775)', 0o775, /writable by its group \(mode 775\)/],
    ['world-writable (0777)', 0o777, /writable by every user \(mode 777\)/],
    ['world-writable with sticky bit (1777)', 0o1777, /writable by every user/],
  ])('refuses to start on a %s data directory, with a clear error, and writes nothing there', async (_label, mode, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-loose-'));
    chmodSync(dir, mode);
    await expect(daemonIn(dir)).rejects.toMatchObject({ code: 'DATA_DIR', message: expect.stringMatching(message) });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses to start on a data directory owned by another user (nobody's 0700 directory)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-foreign-'));
    chownSync(dir, NOBODY, NOBODY);
    await expect(daemonIn(dir)).rejects.toMatchObject({ code: 'DATA_DIR', message: expect.stringMatching(/belongs to user 65534/) });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a separate status data directory (SSCARD_DATA_DIR) is checked too', async () => {
    const tokens = mkdtempSync(join(tmpdir(), 'sscard-tok-'));
    const status = mkdtempSync(join(tmpdir(), 'sscard-st-'));
    chmodSync(status, 0o777);
    await expect(daemonIn(tokens, { SSCARD_DATA_DIR: status })).rejects.toMatchObject({ code: 'DATA_DIR' });
    expect(existsSync(join(status, 'status.sqlite'))).toBe(false);
  });

  it('`sscard daemon` refuses a world-writable data directory with a clear message and a non-zero exit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sscard-cli-'));
    chmodSync(dir, 0o777);
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', '..', 'dist', 'src', 'cli', 'main.js'), 'daemon'], {
      env: { ...process.env, SSCARD_DATA_DIR: dir, SSCARD_NO_PCSC: '1' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/writable by every user.*chmod 700/);
  });
});

function readToken(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { doctorEnv, runDoctor } from '../../support/doctor.js';
import { startTestDaemon, type TestDaemon } from '../../support/daemon.js';
import { makeTestCerts } from '../../support/test-certs.js';

const CHECK_ORDER = ['pcscd', 'readers', 'preload', 'daemon', 'tokens', 'data-dir', 'registry', 'certificate', 'trust-system', 'trust-chromium', 'browser-policy', 'clock'];

/** Broken set-ups `sscard doctor` must diagnose (each: the exact finding and a non-zero exit). In-process: no PC/SC (SSCARD_NO_PCSC=1). */
describe('sscard doctor (broken set-ups)', () => {
  let daemon: TestDaemon | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  /** A running in-process daemon, and doctor's env pointing at its data dir and port. */
  async function healthyDaemon(config: Record<string, unknown> = {}): Promise<NodeJS.ProcessEnv> {
    daemon = await startTestDaemon(config, { pcsc: false });
    const env = doctorEnv({ SSCARD_DATA_DIR: daemon.dataDir, SSCARD_NO_PCSC: '1' });
    writeFileSync(join(daemon.dataDir, 'daemon.json'), JSON.stringify({ port: daemon.port, ...config }));
    return env;
  }

  it('a healthy set-up without PC/SC: every check passes or is skipped, in the documented order, exit 0', async () => {
    const env = await healthyDaemon();
    const r = await runDoctor(env);
    expect(r.checks.map((c) => c.check)).toEqual(CHECK_ORDER);
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.byCheck('daemon').message).toMatch(new RegExp(`^running \\(pid ${process.pid}, port ${daemon!.port}, version `));
    expect(r.byCheck('tokens')).toMatchObject({ status: 'pass', message: `daemon-token, daemon-counter-token in ${daemon!.dataDir}, mode 600` });
    expect(r.code, JSON.stringify(r.checks.filter((c) => c.status === 'fail'))).toBe(0);
    expect(r.ok).toBe(true);
  });

  it('token world-readable: TOKEN_EXPOSED naming the file and its mode', async () => {
    const env = await healthyDaemon();
    const file = join(daemon!.dataDir, 'daemon-token');
    chmodSync(file, 0o644);
    const r = await runDoctor(env);
    expect(r.byCheck('tokens')).toMatchObject({ status: 'fail', code: 'TOKEN_EXPOSED', message: `${file} is readable by others (mode 644): the token may have leaked` });
    expect(r.byCheck('tokens').fix).toContain(`rm ${file}`);
    expect(r.code).toBe(1);
  });

  it('port taken by another program: PORT_TAKEN naming its pid', async () => {
    server = createServer((_req, res) => res.end('hello from something else'));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const env = doctorEnv({ SSCARD_NO_PCSC: '1' });
    mkdirSync(env.SSCARD_DATA_DIR!, { recursive: true, mode: 0o700 });
    writeFileSync(join(env.SSCARD_DATA_DIR!, 'daemon.json'), JSON.stringify({ port }));
    const r = await runDoctor(env);
    const f = r.byCheck('daemon');
    expect(f.code).toBe('PORT_TAKEN');
    expect(f.message).toMatch(new RegExp(`^port ${port} is held by another program: pid ${process.pid} \\(.*node.*\\) answers with HTTP 200 that is not sscard's /health$`));
    expect(r.code).toBe(1);
  });

  it('daemon not running: DAEMON_NOT_RUNNING', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const env = doctorEnv({ SSCARD_NO_PCSC: '1' });
    mkdirSync(env.SSCARD_DATA_DIR!, { recursive: true, mode: 0o700 });
    writeFileSync(join(env.SSCARD_DATA_DIR!, 'daemon.json'), JSON.stringify({ port }));
    const r = await runDoctor(env);
    expect(r.byCheck('daemon')).toMatchObject({ status: 'fail', code: 'DAEMON_NOT_RUNNING', message: `nothing listens on 127.0.0.1:${port}: the daemon is not running` });
    expect(r.byCheck('tokens').code).toBe('TOKEN_MISSING');
    expect(r.code).toBe(1);
  });

  it('expired certificate: CERT_EXPIRED with the file and the date', async () => {
    const env = await healthyDaemon();
    const c = makeTestCerts(daemon!.dataDir, { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2025-01-01T00:00:00Z') });
    const r = await runDoctor(env);
    expect(r.byCheck('certificate')).toMatchObject({ status: 'fail', code: 'CERT_EXPIRED', message: `the daemon certificate ${c.cert} expired on 2025-01-01T00:00:00.000Z` });
    expect(r.byCheck('certificate').fix).toContain('sscard cert --renew');
    expect(r.code).toBe(1);
  });

  it('certificate key readable by others: CERT_KEY_EXPOSED', async () => {
    const env = await healthyDaemon();
    const now = Date.now();
    const c = makeTestCerts(daemon!.dataDir, { notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 30 * 86_400_000) });
    chmodSync(join(c.dir, 'daemon-key.pem'), 0o644);
    const r = await runDoctor(env);
    expect(r.byCheck('certificate')).toMatchObject({ status: 'fail', code: 'CERT_KEY_EXPOSED', message: `${join(c.dir, 'daemon-key.pem')} is readable by others (mode 644): the key may have leaked` });
    expect(r.code).toBe(1);
  });

  it('a valid certificate that nobody trusts: CA_NOT_TRUSTED_SYSTEM and CA_NOT_TRUSTED_CHROMIUM; one store trusts it: the other is a warning; both: both pass', async () => {
    const env = await healthyDaemon();
    const now = Date.now();
    const c = makeTestCerts(daemon!.dataDir, { notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 30 * 86_400_000) });
    let r = await runDoctor(env);
    expect(r.byCheck('certificate').status).toBe('pass');
    expect(r.byCheck('trust-system')).toMatchObject({ status: 'fail', code: 'CA_NOT_TRUSTED_SYSTEM', message: `the local CA (${c.ca}) is not in the system store ${env.SSCARD_CA_BUNDLE}` });
    expect(r.byCheck('trust-chromium')).toMatchObject({ status: 'fail', code: 'CA_NOT_TRUSTED_CHROMIUM' });
    expect(r.code).toBe(1);

    // Trust it the way docs/deploy.md says: the system bundle, and the user's NSS db with certutil.
    writeFileSync(env.SSCARD_CA_BUNDLE!, readFileSync(c.ca));
    // The system store alone (the package's kiosk set-up): the NSS store is a warning, exit 0.
    r = await runDoctor(env);
    expect(r.byCheck('trust-system').status).toBe('pass');
    expect(r.byCheck('trust-chromium')).toMatchObject({ status: 'warn', code: 'CA_NOT_TRUSTED_CHROMIUM' });
    expect(r.byCheck('trust-chromium').message).toMatch(/; the system store trusts it \(a kiosk daemon\): Chromium reads each browser user's own NSS store$/);
    expect(r.code, JSON.stringify(r.checks.filter((c) => c.status === 'fail'))).toBe(0);
    const nss = join(env.HOME!, '.pki', 'nssdb');
    mkdirSync(nss, { recursive: true });
    execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${nss}`]);
    execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-t', 'C,,', '-n', 'sscard local CA', '-i', c.ca]);
    r = await runDoctor(env);
    expect(r.byCheck('trust-system').status).toBe('pass');
    expect(r.byCheck('trust-chromium')).toMatchObject({ status: 'pass', message: `the local CA is trusted in ${nss} as "sscard local CA"` });
    expect(r.code, JSON.stringify(r.checks.filter((c) => c.status === 'fail'))).toBe(0);

    // The NSS store alone (the package's per-user set-up): the system store is a warning, exit 0.
    writeFileSync(env.SSCARD_CA_BUNDLE!, '');
    r = await runDoctor(env);
    expect(r.byCheck('trust-chromium').status).toBe('pass');
    expect(r.byCheck('trust-system')).toMatchObject({ status: 'warn', code: 'CA_NOT_TRUSTED_SYSTEM' });
    expect(r.code, JSON.stringify(r.checks.filter((c) => c.status === 'fail'))).toBe(0);
  });

  it('registry unreachable: REGISTRY_UNREACHABLE with the store error', async () => {
    const env = await healthyDaemon();
    // The daemon keeps answering; the store doctor reads is a file that is not a database.
    const db = join(daemon!.dataDir, 'status.sqlite');
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
    writeFileSync(db, 'this is not an SQLite database, it is a text file of the same name'.repeat(20));
    const r = await runDoctor(env);
    expect(r.byCheck('registry')).toMatchObject({
      status: 'fail',
      code: 'REGISTRY_UNREACHABLE',
      message: `the card-status registry cannot be used (STORE_UNAVAILABLE): ${db} cannot be read: file is not a database`,
    });
    expect(r.code).toBe(1);
  });

  it('PostgreSQL registry on a closed port: REGISTRY_UNREACHABLE, exit 1, the password never shown', async () => {
    const env = await healthyDaemon();
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const r = await runDoctor({ ...env, SSCARD_STATUS_DB: `postgres://sscard_app:s3cret-pw@127.0.0.1:${port}/sscard` });
    const f = r.byCheck('registry');
    expect(f).toMatchObject({
      status: 'fail',
      code: 'REGISTRY_UNREACHABLE',
      message: `the card-status registry cannot be used (STORE_UNAVAILABLE): card-status database postgres://127.0.0.1:${port}/sscard unreachable (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}): lock status unknown`,
    });
    expect(JSON.stringify(r.checks) + r.stderr).not.toContain('s3cret-pw');
    expect(r.code).toBe(1);
  });

  it('bad input: a registry setting that is neither a postgres:// URL nor a path is REGISTRY_CONFIG', async () => {
    const env = await healthyDaemon();
    const r = await runDoctor({ ...env, SSCARD_STATUS_DB: 'mysql://db.example/sscard' });
    expect(r.byCheck('registry')).toMatchObject({ status: 'fail', code: 'REGISTRY_CONFIG', message: 'SSCARD_STATUS_DB / status.db must be a postgres:// URL or an SQLite file path' });
    expect(r.code).toBe(1);
  });

  it('data directory open to others: DATA_DIR_OPEN', async () => {
    const env = await healthyDaemon();
    chmodSync(daemon!.dataDir, 0o755);
    const r = await runDoctor(env);
    expect(r.byCheck('data-dir')).toMatchObject({ status: 'fail', code: 'DATA_DIR_OPEN', message: `the data directory ${daemon!.dataDir} is open to others (mode 755)` });
    expect(r.code).toBe(1);
  });

  it('browser policy: missing is a warning (exit 0), stale or unreadable is a failure', async () => {
    const env = await healthyDaemon({ allowedOrigins: ['https://his.example.org'] });
    let r = await runDoctor(env);
    expect(r.byCheck('browser-policy')).toMatchObject({ status: 'warn', code: 'BROWSER_POLICY_MISSING' });
    expect(r.code, JSON.stringify(r.checks.filter((c) => c.status === 'fail'))).toBe(0);

    mkdirSync(env.SSCARD_BROWSER_POLICY_DIR!, { recursive: true });
    const policy = join(env.SSCARD_BROWSER_POLICY_DIR!, 'sscard.json');
    writeFileSync(policy, JSON.stringify({ LocalNetworkAccessAllowedForUrls: ['https://old-his.example.org'] }));
    r = await runDoctor(env);
    expect(r.byCheck('browser-policy')).toMatchObject({ status: 'fail', code: 'BROWSER_POLICY_STALE', message: `${policy} does not allow https://his.example.org` });
    expect(r.code).toBe(1);

    writeFileSync(policy, '{ not json');
    r = await runDoctor(env);
    expect(r.byCheck('browser-policy')).toMatchObject({ status: 'fail', code: 'BROWSER_POLICY_BAD' });

    // `sscard browser-policy --write` writes the one doctor accepts.
    const { runCli } = await import('../../support/cli.js');
    const w = runCli(['browser-policy', '--write'], { env });
    expect(w.code).toBe(0);
    expect(JSON.parse(readFileSync(policy, 'utf8'))).toEqual({
      LocalNetworkAccessAllowedForUrls: ['https://his.example.org'],
      LoopbackNetworkAllowedForUrls: ['https://his.example.org'],
    });
    r = await runDoctor(env);
    expect(r.byCheck('browser-policy')).toMatchObject({ status: 'pass', message: `${policy} allows https://his.example.org` });
    expect(r.code, JSON.stringify(r.checks.filter((c) => c.status === 'fail'))).toBe(0);
  });

  it('bad input: an unreadable daemon config is a BAD_CONFIG finding, not a crash; SSCARD_NOW is a clock warning', async () => {
    const env = doctorEnv({ SSCARD_NO_PCSC: '1', SSCARD_NOW: '2026-12-08T09:00:00+08:00' });
    mkdirSync(env.SSCARD_DATA_DIR!, { recursive: true, mode: 0o700 });
    writeFileSync(join(env.SSCARD_DATA_DIR!, 'daemon.json'), '{"port": "forty-seven"}');
    const r = await runDoctor(env);
    expect(r.byCheck('daemon')).toMatchObject({ status: 'fail', code: 'BAD_CONFIG' });
    expect(r.byCheck('daemon').message).toContain('port');
    expect(r.byCheck('clock')).toMatchObject({ status: 'warn', code: 'CLOCK_FIXED' });
    expect(r.code).toBe(1);
  });
});

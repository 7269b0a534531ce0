import 'reflect-metadata';
import { chmodSync, mkdtempSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { NameConstraints, id_ce_nameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { CA_DAYS, RENEW_BEFORE_DAYS, SERVER_DAYS, ensureDaemonCertificate } from '../../../src/daemon/tls/cert-store.js';
import { issueServerCertificate, signedBy, subjectAltNames } from '../../../src/daemon/tls/local-ca.js';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { runCli } from '../../support/cli.js';

const DAY = 86_400_000;
const fresh = () => mkdtempSync(join(tmpdir(), 'sscard-cert-'));
const mode = (f: string) => statSync(f).mode & 0o777;

describe('local CA and daemon certificate (sscard cert, daemon --tls)', () => {
  it('creates a CA constrained to the loopback names and a server certificate for 127.0.0.1, ::1, localhost; keys 0600, dir 0700', async () => {
    const dataDir = fresh();
    const now = new Date('2026-12-01T00:00:00Z');
    const c = await ensureDaemonCertificate({ dataDir, now });
    expect(c.created).toEqual({ ca: true, server: true });
    expect(mode(c.paths.dir)).toBe(0o700);
    expect(mode(c.paths.caKey)).toBe(0o600);
    expect(mode(c.paths.key)).toBe(0o600);
    expect(subjectAltNames(c.certPem)).toEqual(['ip:127.0.0.1', 'ip:::1', 'dns:localhost']);
    expect(await signedBy(c.certPem, c.caPem)).toBe(true);
    expect(Math.round((c.ca.notAfter.getTime() - now.getTime()) / DAY)).toBe(CA_DAYS);
    expect(Math.round((c.server.notAfter.getTime() - now.getTime()) / DAY)).toBe(SERVER_DAYS);
    expect(c.warnings).toEqual([]);

    const ca = new x509.X509Certificate(c.caPem);
    const ext = ca.getExtension(id_ce_nameConstraints)!;
    expect(ext.critical).toBe(true);
    const nc = AsnConvert.parse(ext.value, NameConstraints);
    expect(nc.permittedSubtrees!.map((s) => s.base.iPAddress ?? s.base.dNSName)).toEqual(['127.0.0.1/32', '::1/128', 'localhost']);
    expect(ca.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0 });
    const leaf = new x509.X509Certificate(c.certPem);
    expect(leaf.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
  });

  it('the Name Constraints hold: a certificate the CA key signs for another name is refused by TLS clients', async () => {
    const c = await ensureDaemonCertificate({ dataDir: fresh() });
    const ca = { certPem: c.caPem, keyPem: readFileSync(c.paths.caKey, 'utf8') };
    const rogue = await issueServerCertificate(ca, { ips: ['127.0.0.1'], dnsNames: ['bank.example'], now: new Date(), days: 30 });
    const errorWith = async (cert: { certPem: string; keyPem: string }) => {
      const server = createServer({ cert: cert.certPem, key: cert.keyPem });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as AddressInfo).port;
      try {
        return await new Promise<string>((resolve) => {
          const s = tlsConnect({ host: '127.0.0.1', port, ca: c.caPem, servername: 'bank.example' }, () => {
            s.end();
            resolve('accepted');
          });
          s.on('error', (e: NodeJS.ErrnoException) => resolve(`${e.code}: ${e.message}`));
        });
      } finally {
        server.close();
      }
    };
    expect(await errorWith({ certPem: c.certPem, keyPem: c.keyPem })).toMatch(/^ERR_TLS_CERT_ALTNAME_INVALID: /); // control: chain fine, name wrong
    // OpenSSL: X509_V_ERR_PERMITTED_VIOLATION (47), which Node names by its text only
    expect(await errorWith(rogue)).toBe('UNSPECIFIED: permitted subtree violation');
  });

  it('is idempotent; renews the server certificate (same CA) on request and near its end; replaces the CA only when asked or expired', async () => {
    const dataDir = fresh();
    const now = new Date('2026-12-01T00:00:00Z');
    const first = await ensureDaemonCertificate({ dataDir, now });
    const again = await ensureDaemonCertificate({ dataDir, now });
    expect(again.created).toEqual({ ca: false, server: false });
    expect(again.server.sha256).toBe(first.server.sha256);

    const renewed = await ensureDaemonCertificate({ dataDir, now, renew: true });
    expect(renewed.created).toEqual({ ca: false, server: true });
    expect(renewed.ca.sha256).toBe(first.ca.sha256);
    expect(renewed.server.sha256).not.toBe(first.server.sha256);

    const nearEnd = new Date(renewed.server.notAfter.getTime() - (RENEW_BEFORE_DAYS - 1) * DAY);
    const rotated = await ensureDaemonCertificate({ dataDir, now: nearEnd });
    expect(rotated.created).toEqual({ ca: false, server: true });
    expect(rotated.server.notAfter.getTime()).toBeGreaterThan(renewed.server.notAfter.getTime());

    const newCa = await ensureDaemonCertificate({ dataDir, now, newCa: true });
    expect(newCa.created).toEqual({ ca: true, server: true });
    expect(newCa.ca.sha256).not.toBe(first.ca.sha256);
    expect(await signedBy(newCa.certPem, first.caPem)).toBe(false);
    expect(await signedBy(newCa.certPem, newCa.caPem)).toBe(true);
  });

  it('warns before the CA ends, and the server certificate never outlives its CA', async () => {
    const dataDir = fresh();
    const c = await ensureDaemonCertificate({ dataDir, now: new Date('2026-12-01T00:00:00Z') });
    const late = new Date(c.ca.notAfter.getTime() - 40 * DAY);
    const w = await ensureDaemonCertificate({ dataDir, now: late });
    expect(w.created).toEqual({ ca: false, server: true });
    expect(w.server.notAfter.getTime()).toBeLessThanOrEqual(w.ca.notAfter.getTime());
    expect(w.warnings).toEqual([
      expect.stringMatching(/^the local CA expires in 40 days .*run `sscard cert --new-ca`/),
    ]);
    const expired = await ensureDaemonCertificate({ dataDir, now: new Date(c.ca.notAfter.getTime() + DAY) });
    expect(expired.created.ca).toBe(true);
  });

  it('bad files get typed errors: a key readable by others, a missing key, a file that is no certificate', async () => {
    const dataDir = fresh();
    const c = await ensureDaemonCertificate({ dataDir });
    chmodSync(c.paths.caKey, 0o644);
    await expect(ensureDaemonCertificate({ dataDir })).rejects.toMatchObject({ code: 'TLS_KEY_EXPOSED', layer: 'tls' });
    chmodSync(c.paths.caKey, 0o600);
    writeFileSync(c.paths.cert, 'not a certificate');
    await expect(ensureDaemonCertificate({ dataDir })).rejects.toMatchObject({ code: 'TLS_FILES', message: expect.stringContaining('is not a PEM certificate') });
    unlinkSync(c.paths.key);
    await expect(ensureDaemonCertificate({ dataDir })).rejects.toMatchObject({ code: 'TLS_FILES', message: expect.stringContaining('is missing') });
    writeFileSync(c.paths.key, 'garbage', { mode: 0o600 });
    await expect(ensureDaemonCertificate({ dataDir })).rejects.toMatchObject({ code: 'TLS_FILES', message: expect.stringContaining('PKCS#8') });
    expect(readFileSync(c.paths.caCert, 'utf8')).toBe(c.caPem); // the CA was left alone
  });

  it('sscard cert prints the paths and how to trust the CA; the second run changes nothing', () => {
    const dataDir = fresh();
    const env = { ...process.env, SSCARD_DATA_DIR: dataDir };
    const first = runCli(['cert'], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`CA:          ${join(dataDir, 'tls', 'ca.pem')}  (NEW: trust it, see below)`);
    expect(first.stdout).toContain('certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n "sscard local CA"');
    expect(first.stdout).toContain('security add-trusted-cert');
    expect(first.stdout).toContain('certutil -addstore -f Root');
    const second = runCli(['cert'], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('NEW');
    expect(second.stdout).not.toContain('(new)');
    chmodSync(join(dataDir, 'tls', 'daemon-key.pem'), 0o640);
    const exposed = runCli(['cert'], { env });
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toMatch(/^sscard: TLS_KEY_EXPOSED: .*daemon-key\.pem is readable by others/);
    // daemon --tls refuses to start on it (before listening), with the same typed error
    writeFileSync(join(dataDir, 'daemon.json'), JSON.stringify({ port: 0 })); // any free port, should it ever start
    const daemon = runCli(['daemon', '--tls'], { env, timeoutMs: 15_000 });
    expect(daemon.code).toBe(2);
    expect(daemon.stderr).toMatch(/^sscard: TLS_KEY_EXPOSED: /);
    expect(daemon.stdout).not.toContain('listening');
  });
});

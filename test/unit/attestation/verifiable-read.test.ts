import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../../simulators/load-profile.js';
import { installationKeyPath } from '../../../src/compose/installation-key-file.js';
import { fromHex } from '../../../src/core/hex.js';
import { cardKeyContext } from '../../../src/keys/card-key-context.js';
import { initInstallationKey, loadInstallationKey } from '../../../src/keys/installation/installation-key.js';
import { KeyError } from '../../../src/keys/key-error.js';
import { SoftKeyService } from '../../../src/keys/soft/soft-key-service.js';
import { attestRead } from '../../../src/service/attestation/sign-attestation.js';
import { NonceBook, verifyAttestedRead } from '../../../src/service/attestation/verify-attestation.js';
import { toHex } from '../../../src/core/hex.js';
import { fromCompactAttestation, toCompactAttestation } from '../../../src/service/attestation/compact-attestation.js';
import { runCli } from '../../support/cli.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';

/** Verifiable reads (docs/verifiable-reads.md): keys init, card.read with a nonce, the verifier. */
describe('installation key file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sscard-ikey-'));

  it('keys init writes a 0600 file, prints ed25519:<base64>, refuses to overwrite; load checks mode and content', () => {
    const file = join(dir, 'k.json');
    const key = initInstallationKey(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(key.publicKey).toMatch(/^ed25519:[A-Za-z0-9+/]{43}=$/);
    expect(loadInstallationKey(file).publicKey).toBe(key.publicKey);
    expect(() => initInstallationKey(file)).toThrow(expect.objectContaining({ code: 'KEY_FILE_EXISTS' }));
    expect(initInstallationKey(file, { force: true }).publicKey).not.toBe(key.publicKey);
    chmodSync(file, 0o644);
    expect(() => loadInstallationKey(file)).toThrow(expect.objectContaining({ code: 'KEY_FILE_PERMISSIONS' }));
  });

  it('bad key files are typed errors', () => {
    const file = join(dir, 'bad.json');
    expect(() => loadInstallationKey(file)).toThrow(expect.objectContaining({ code: 'KEY_FILE_MISSING' }));
    for (const text of ['{ nope', '{"version":1}', JSON.stringify({ version: 1, algorithm: 'Ed25519', privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', publicKey: `ed25519:${'A'.repeat(43)}=` })]) {
      writeFileSync(file, text, { mode: 0o600 });
      expect(() => loadInstallationKey(file)).toThrow(KeyError);
      expect(() => loadInstallationKey(file)).toThrow(expect.objectContaining({ code: 'KEY_FILE_INVALID' }));
    }
    // a valid private key with another key's public key
    const a = join(dir, 'a.json');
    initInstallationKey(a);
    const other = initInstallationKey(join(dir, 'b.json'));
    const doc = JSON.parse(readFileSync(a, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...doc, publicKey: other.publicKey }), { mode: 0o600 });
    expect(() => loadInstallationKey(file)).toThrow(/does not belong/);
  });
});

describe('card.read with a nonce (daemon) and the verifier', () => {
  let d: TestDaemon;
  let bare: TestDaemon;
  let s: RpcSocket;
  let publicKey: string;
  const book = new NonceBook();
  const demo = loadProfile('demo');

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sscard-attest-'));
    publicKey = initInstallationKey(installationKeyPath(dataDir)).publicKey;
    d = await startTestDaemon({ simulated: { enabled: true, profiles: ['demo'] } }, { pcsc: false, dataDir });
    bare = await startTestDaemon({ simulated: { enabled: true, profiles: ['demo'] } }, { pcsc: false });
    s = await RpcSocket.ready(d.port, { token: d.readerToken });
  });
  afterAll(async () => {
    s?.close();
    await d?.stop();
    await bare?.stop();
  });

  async function attested(nonce: string) {
    const r = await s.ok('card.read', { nonce });
    return { data: r.data, attestation: r.attestation };
  }

  it('returns the card INTERNAL AUTHENTICATE answer over the nonce and a signature the verifier accepts once', async () => {
    const nonce = book.issue();
    const doc = await attested(nonce);
    expect(doc.attestation).toMatchObject({ version: 1, algorithm: 'Ed25519', nonce, reader: { id: 'sim:0:demo' } });
    // The card's answer is INTERNAL AUTHENTICATE over r8 = nonce[0..8], d8 = nonce[8..16] (the simulator's test keys).
    const ctx = cardKeyContext({ algorithmId: demo.algorithm, regionCode: demo.card.cardIdentificationCode.slice(0, 6), atr: fromHex(demo.atr) });
    const expected = await SoftKeyService.withTestKeys().internalAuth(ctx, fromHex(nonce).subarray(0, 8), fromHex(nonce).subarray(8));
    expect(doc.attestation.cardResponse).toBe(toHex(expected));
    expect(doc.data.holder.data.name).toBe(demo.holder.name);
    const consume = (n: string) => book.consume(n);
    expect(verifyAttestedRead(doc, { publicKey, nonce, consumeNonce: consume })).toMatchObject({ ok: true });
    // replayed: the same document (or another read with the same nonce) a second time
    expect(verifyAttestedRead(doc, { publicKey, nonce, consumeNonce: consume })).toEqual({ ok: false, reason: 'NONCE_REPLAYED' });
  });

  it('tampering with any field fails (per field)', async () => {
    const nonce = book.issue();
    const doc = await attested(nonce);
    const j = (x: unknown) => JSON.parse(JSON.stringify(x));
    const changes: [string, (x: any) => void][] = [
      ['data: holder name', (x) => (x.data.holder.data.name = '王小亮')],
      ['data: ssn', (x) => (x.data.holder.data.ssn = '110105199003071044')],
      ['data: card number', (x) => (x.data.card.cardNumber = 'A12345675')],
      ['data: an added field', (x) => (x.data.extra = 1)],
      ['nonce', (x) => (x.attestation.nonce = book.issue())],
      ['cardResponse', (x) => (x.attestation.cardResponse = '0000000000000000')],
      ['reader id', (x) => (x.attestation.reader.id = 'pcsc:Other Reader')],
      ['reader name', (x) => (x.attestation.reader.name = 'Other Reader')],
      ['time', (x) => (x.attestation.time = new Date(Date.parse(x.attestation.time) - 1000).toISOString())],
      ['keyId', (x) => (x.attestation.keyId = '0000000000000000')],
      ['signature', (x) => (x.attestation.signature = Buffer.from(Buffer.from(x.attestation.signature, 'base64').map((b: number, i: number) => (i === 0 ? b ^ 1 : b))).toString('base64'))],
      ['version', (x) => (x.attestation.version = 2)],
      ['algorithm', (x) => (x.attestation.algorithm = 'SM2')],
      ['attestation missing', (x) => delete x.attestation],
    ];
    for (const [what, change] of changes) {
      const t = j(doc);
      change(t);
      const r = verifyAttestedRead(t, { publicKey, nonce: what === 'nonce' ? t.attestation.nonce : nonce });
      const reason = what === 'keyId' ? 'WRONG_KEY' : ['version', 'algorithm', 'attestation missing'].includes(what) ? 'BAD_DOCUMENT' : 'BAD_SIGNATURE';
      expect(r, what).toEqual({ ok: false, reason });
    }
    expect(verifyAttestedRead(doc, { publicKey, nonce })).toMatchObject({ ok: true });
  });

  it("another installation's key, a nonce the server did not issue, an old signature: refused", async () => {
    const nonce = book.issue();
    const doc = await attested(nonce);
    const other = initInstallationKey(join(mkdtempSync(join(tmpdir(), 'sscard-other-')), 'k.json'));
    expect(verifyAttestedRead(doc, { publicKey: other.publicKey, nonce })).toEqual({ ok: false, reason: 'WRONG_KEY' });
    // signed by the other installation and claiming this one's key id
    const forged = attestRead(other, { data: doc.data, nonce, cardResponse: doc.attestation.cardResponse, reader: doc.attestation.reader, time: new Date() });
    const claimed = { ...forged, attestation: { ...forged.attestation, keyId: doc.attestation.keyId } };
    expect(verifyAttestedRead(claimed, { publicKey, nonce })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verifyAttestedRead(doc, { publicKey, nonce: book.issue() })).toEqual({ ok: false, reason: 'NONCE_MISMATCH' });
    expect(verifyAttestedRead(doc, { publicKey, nonce, now: new Date(Date.now() + 600_000) })).toEqual({ ok: false, reason: 'TOO_OLD' });
    expect(verifyAttestedRead(doc, { publicKey, nonce, now: new Date(Date.now() - 600_000) })).toEqual({ ok: false, reason: 'IN_FUTURE' });
    expect(verifyAttestedRead(doc, { publicKey: 'ed25519:short', nonce })).toEqual({ ok: false, reason: 'BAD_PUBLIC_KEY' });
    expect(verifyAttestedRead('not a document', { publicKey, nonce })).toEqual({ ok: false, reason: 'BAD_DOCUMENT' });
  });

  it('bad input: a malformed nonce is INVALID_PARAMS; without an installation key ATTESTATION_UNAVAILABLE; a read without a nonce is unchanged', async () => {
    for (const nonce of ['00', 'zz'.repeat(16), 12]) expect((await s.call('card.read', { nonce })).error?.data.code).toBe('INVALID_PARAMS');
    const b = await RpcSocket.ready(bare.port, { token: bare.readerToken });
    expect((await b.call('card.read', { nonce: book.issue() })).error?.data.code).toBe('ATTESTATION_UNAVAILABLE');
    expect((await b.ok('card.read', {})).attestation).toBeUndefined();
    b.close();
  });
});

describe('NHSA signature buffer: the ThCardReader `sign` (compact form, installation-chosen nonce)', () => {
  let d: TestDaemon;
  let publicKey: string;
  const ORIGIN = 'http://his.example.org:8080';
  const read = async (port: number, token: string) =>
    (await fetch(`http://127.0.0.1:${port}/api/entry?param=sicard`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<{ code: number; data: string; sign: string }>;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sscard-attest-nhsa-'));
    publicKey = initInstallationKey(installationKeyPath(dataDir)).publicKey;
    d = await startTestDaemon({ allowedOrigins: [ORIGIN], simulated: { enabled: true, profiles: ['v1-zhang-san'] }, bridges: { thCardReader: { enabled: true, port: 0 } } }, { pcsc: false, dataDir });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('sign is a verifiable read of exactly `data`, that `sscard verify --installation-nonce` accepts; a tampered one fails', async () => {
    const r = await read(d.bridges.thCardReader!.port, d.readerToken);
    expect(r.code).toBe(200);
    expect(r.sign).toMatch(/^sscard-vr1\.[A-Za-z0-9_-]+$/);
    expect(r.sign.length).toBeLessThan(1024); // fits the smallest signature buffer callers pass
    const doc = fromCompactAttestation(r.sign) as { data: string; attestation: { nonce: string; reader: { id: string } } };
    expect(doc.data).toBe(r.data);
    expect(doc.attestation).toMatchObject({ version: 1, algorithm: 'Ed25519', reader: { id: 'sim:0:v1-zhang-san' } });
    expect(doc.attestation.nonce).toMatch(/^[0-9A-F]{32}$/);
    const seen = new Set<string>();
    const consumeNonce = (n: string) => !seen.has(n) && Boolean(seen.add(n));
    expect(verifyAttestedRead(doc, { publicKey, nonce: null, consumeNonce })).toMatchObject({ ok: true });
    expect(verifyAttestedRead(doc, { publicKey, nonce: null, consumeNonce })).toEqual({ ok: false, reason: 'NONCE_REPLAYED' });
    expect(verifyAttestedRead(doc, { publicKey, nonce: null, now: new Date(Date.now() + 600_000) })).toEqual({ ok: false, reason: 'TOO_OLD' });
    // a second read gets a fresh nonce of its own
    expect((fromCompactAttestation((await read(d.bridges.thCardReader!.port, d.readerToken)).sign) as typeof doc).attestation.nonce).not.toBe(doc.attestation.nonce);

    const cli = (text: string, ...extra: string[]) => runCli(['verify', '-', '--public-key', publicKey, ...extra], { input: text });
    const ok = cli(r.sign, '--installation-nonce');
    expect(ok.stdout, ok.stderr).toMatch(/^OK: signed by key [0-9a-f]{16} at .*, reader /);
    expect(ok.code).toBe(0);
    const tampered = toCompactAttestation({ ...doc, data: r.data.replace('张三', '李四') });
    expect(cli(tampered, '--installation-nonce')).toMatchObject({ code: 1, stdout: 'FAILED: BAD_SIGNATURE\n' });
    const flipped = r.sign.slice(0, -2) + (r.sign.at(-2) === 'A' ? 'B' : 'A') + r.sign.at(-1);
    expect(cli(flipped, '--installation-nonce').stdout).toMatch(/^FAILED: (BAD_SIGNATURE|BAD_DOCUMENT)/);
    expect(cli(r.sign, '--nonce', '00'.repeat(16)).stdout).toBe('FAILED: NONCE_MISMATCH\n');
    expect(cli(r.sign).code).not.toBe(0); // --nonce or --installation-nonce is required
    expect(cli(r.sign, '--installation-nonce', '--max-age', '0').stdout).toMatch(/^(OK|FAILED: TOO_OLD)/);
  });

  it('without an installation key the sign stays empty', async () => {
    const bare = await startTestDaemon({ simulated: { enabled: true, profiles: ['v1-zhang-san'] }, bridges: { thCardReader: { enabled: true, port: 0 } } }, { pcsc: false });
    try {
      expect(await read(bare.bridges.thCardReader!.port, bare.readerToken)).toMatchObject({ code: 200, sign: '' });
    } finally {
      await bare.stop();
    }
  });
});

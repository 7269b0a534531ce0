import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { request } from 'node:http';
import { MAX_MESSAGE_BYTES } from '../../../src/daemon/protocol/api-level.js';
import { RpcSocket, startTestDaemon, upgradeStatus, type TestDaemon } from '../../support/daemon.js';

const ALLOWED = 'http://127.0.0.1:8111';
const COUNTER_PAGE = 'http://127.0.0.1:8112';

function httpGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Issue #6 security: a hostile page in the same browser gets nothing. Real sockets against the
 * daemon in this process (built-in simulated readers; no PC/SC needed for these checks).
 */
describe('daemon security checks (real sockets)', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon(
      { allowedOrigins: [ALLOWED, { origin: COUNTER_PAGE, role: 'counter' }], simulated: { enabled: true, profiles: ['demo'] }, limits: { pinVerifyPerMinute: 3 } },
      { pcsc: false },
    );
  });
  afterAll(() => d.stop());

  it('listens on 127.0.0.1 and ::1 only', () => {
    expect(d.listening).toEqual([`127.0.0.1:${d.port}`, `[::1]:${d.port}`]);
  });

  it('token files are created 0600 in the data dir', () => {
    expect(statSync(d.tokens.readerFile).mode & 0o777).toBe(0o600);
    expect(statSync(d.tokens.counterFile).mode & 0o777).toBe(0o600);
    expect(d.readerToken).not.toBe(d.counterToken);
  });

  it('an allow-listed origin connects with its role; a foreign origin is refused (403)', async () => {
    const s = await RpcSocket.ready(d.port, { origin: ALLOWED });
    expect((await s.ok('hello', { minApiLevel: 1, maxApiLevel: 1 })).role).toBe('reader');
    s.close();
    expect(await upgradeStatus(d.port, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(d.port, { origin: 'http://127.0.0.1:8111.evil.example' })).toBe(403);
    expect(await upgradeStatus(d.port, { origin: 'https://127.0.0.1:8111' })).toBe(403); // other scheme = other origin
    expect(await upgradeStatus(d.port, { origin: 'null' })).toBe(403); // sandboxed iframes, file://
  });

  it('a foreign origin is refused even with a valid token (pages never use tokens)', async () => {
    expect(await upgradeStatus(d.port, { origin: 'http://evil.example', token: d.readerToken })).toBe(403);
  });

  it('no Origin and no token: 401; wrong token: 403; the token: reader role; the counter token: counter role', async () => {
    expect(await upgradeStatus(d.port, {})).toBe(401);
    expect(await upgradeStatus(d.port, { token: 'x'.repeat(43) })).toBe(403);
    const r = await RpcSocket.open(d.port, { token: d.readerToken });
    expect((await r.ok('hello', { minApiLevel: 1, maxApiLevel: 1 })).role).toBe('reader');
    r.close();
    const c = await RpcSocket.open(d.port, { token: d.counterToken });
    expect((await c.ok('hello', { minApiLevel: 1, maxApiLevel: 1 })).role).toBe('counter');
    c.close();
  });

  it('Host must be the loopback name with the port (DNS rebinding): ws and http refused', async () => {
    expect(await upgradeStatus(d.port, { origin: ALLOWED, host: `evil.example:${d.port}` })).toBe(421);
    expect(await upgradeStatus(d.port, { token: d.readerToken, host: `evil.example:${d.port}` })).toBe(421);
    expect(await upgradeStatus(d.port, { token: d.readerToken, host: `127.0.0.1:${d.port + 1}` })).toBe(421);
    expect(await upgradeStatus(d.port, { token: d.readerToken, host: `localhost:${d.port}` })).toBe(101);
    expect(await upgradeStatus(d.port, { token: d.readerToken, host: `[::1]:${d.port}`, address: '[::1]' })).toBe(101);
    expect((await httpGet(d.port, '/health', { Host: `evil.example:${d.port}` })).status).toBe(421);
  });

  it('counter methods with a reader token or a reader origin: FORBIDDEN; with the counter role they run', async () => {
    const ident = { cardIdentificationCode: '110100D156000005123456789ABCDEF0', cardNumber: 'A12345674', kind: 'temporary' };
    for (const o of [{ token: d.readerToken }, { origin: ALLOWED }]) {
      const s = await RpcSocket.ready(d.port, o);
      for (const m of ['card.lock', 'card.release', 'card.block', 'pin.reset', 'pin.unblock']) {
        const r = await s.call(m, m === 'card.lock' ? ident : {});
        expect(r.error?.data).toEqual({ code: 'FORBIDDEN', required: 'counter' });
      }
      s.close();
    }
    const counter = await RpcSocket.ready(d.port, { origin: COUNTER_PAGE });
    expect((await counter.ok('card.lock', ident)).status.kind).toBe('temporarily-locked');
    expect((await counter.ok('card.release', { cardIdentificationCode: ident.cardIdentificationCode, cardNumber: ident.cardNumber })).status.kind).toBe('normal');
    counter.close();
  });

  it('oversize message: the connection is closed (1009), others keep working', async () => {
    const s = await RpcSocket.ready(d.port, { token: d.readerToken });
    s.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'readers.list', params: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } }));
    expect(await s.closed).toBe(1009);
    const t = await RpcSocket.ready(d.port, { token: d.readerToken });
    expect((await t.ok('readers.list')).readers.length).toBe(1);
    t.close();
  });

  it('10,000 malformed messages: each answered with a typed error, while a correct client is served throughout', async () => {
    const good = await RpcSocket.ready(d.port, { origin: ALLOWED });
    const junk = ['{', 'null', '[]', '[1,2]', '{"jsonrpc":"1.0","id":1,"method":"x"}', '{"jsonrpc":"2.0","id":{},"method":"x"}', '\u0000\u0001', '{"jsonrpc":"2.0","method":"hello"}', '"str"', '{"jsonrpc":"2.0","id":1,"method":"card.read","params":"x"}'];
    let goodReplies = 0;
    let flooding = true;
    const serving = (async () => {
      while (flooding || goodReplies < 10) {
        const r = await good.ok('card.read', {});
        expect(r.data.card.cardNumber).toBe('A12345674');
        goodReplies++;
      }
    })();
    // 10 connections x 1,000 messages: each stays under the cut-off (200 burst + 1,000 refusals),
    // so every single message must come back answered.
    let answered = 0;
    const codes = new Set<string | undefined>();
    for (let c = 0; c < 10; c++) {
      const bad = await RpcSocket.ready(d.port, { token: d.readerToken });
      for (let i = 0; i < 1000; i++) {
        bad.sendRaw(junk[i % junk.length]!);
        if (i % 250 === 0) await new Promise((r) => setImmediate(r));
      }
      const deadline = Date.now() + 10_000;
      while (bad.replies.length < 1001 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const flood = bad.replies.slice(1); // [0] is hello's
      expect(flood).toHaveLength(1000);
      expect(flood.every((r) => r.error && !/\bat .*\.(ts|js):\d|stack/i.test(JSON.stringify(r)))).toBe(true); // no stack traces
      for (const r of flood) codes.add(r.error?.data.code);
      answered += flood.length;
      bad.close();
    }
    flooding = false;
    await serving;
    expect(answered).toBe(10_000);
    expect([...codes].sort()).toEqual(['INVALID_PARAMS', 'INVALID_REQUEST', 'PARSE_ERROR', 'RATE_LIMITED']);
    expect(goodReplies).toBeGreaterThanOrEqual(10);
    // A connection that keeps ignoring the rate limit is cut off with 1008; the daemon goes on.
    const rude = await RpcSocket.ready(d.port, { token: d.readerToken });
    for (let i = 0; i < 1500 && rude.isOpen; i++) rude.sendRaw('{');
    expect(await rude.closed).toBe(1008);
    expect((await good.ok('readers.list')).readers).toHaveLength(1);
    good.close();
  });

  it('/health: a foreign origin gets no answer (the connection closed, like a closed port; node reports ECONNRESET), an allow-listed one CORS; SIMULATED flag; no personal data', async () => {
    await expect(httpGet(d.port, '/health', { Origin: 'http://evil.example' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    const local = await httpGet(d.port, '/health');
    expect(local.status).toBe(200);
    expect(local.headers['access-control-allow-origin']).toBeUndefined();
    const ok = await httpGet(d.port, '/health', { Origin: ALLOWED });
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    const body = JSON.parse(ok.body);
    expect(body).toEqual({ name: 'sscard', version: '0.1.0', apiLevel: 2, minApiLevel: 1, readers: 1, pcsc: 'down', simulated: true, statusStore: { backend: 'sqlite', state: 'up' } });
    expect((await httpGet(d.port, '/other')).status).toBe(404);
  });

  it('a burst over the per-connection rate limit: every request is answered under its own id', async () => {
    const s = await RpcSocket.ready(d.port, { token: d.readerToken });
    // default bucket: 200 at once, 50/s; 300 requests sent in one go
    const replies = await Promise.all(Array.from({ length: 300 }, () => s.call('readers.list', {}, 5000)));
    const limited = replies.filter((r) => r.error?.data?.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.result).length).toBeGreaterThan(0);
    expect(replies.every((r) => r.id !== null && r.id !== undefined)).toBe(true);
    s.close();
  });

  it('pin.verify is rate-limited per origin across connections (RATE_LIMITED); only PINs presented to the card count', async () => {
    const codes: string[] = [];
    // the third is refused by the last-try guard before the PIN reaches the card: not charged
    for (const params of [{ pin: '000000' }, { pin: '000000' }, { pin: '000000' }, { pin: '123456', confirmLastTry: true }, { pin: '123456' }, { pin: '123456' }]) {
      const s = await RpcSocket.ready(d.port, { origin: ALLOWED });
      const r = await s.call('pin.verify', params);
      codes.push(r.error?.data.code ?? 'OK');
      s.close();
    }
    expect(codes).toEqual(['WRONG_PIN', 'WRONG_PIN', 'LAST_TRY_NOT_CONFIRMED', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('logs: method names, codes and reader ids only; never PINs, tokens, names or numbers from the card', async () => {
    const s = await RpcSocket.ready(d.port, { token: d.readerToken });
    await s.call('pin.verify', { pin: '913572' });
    await s.call('pin.verify', { pin: '12ab' });
    await s.ok('card.read', {});
    // a PIN typed into the reader field: refused, and logged only as an unknown reader
    expect(await s.code('card.read', { reader: '482915' })).toBe('READER_NOT_FOUND');
    s.close();
    const log = d.logs.text;
    expect(log).toMatch(/"method":"card.read"/);
    expect(log).toMatch(/"reader":"\(unknown reader\)"/);
    for (const secret of ['913572', '12ab', '482915', d.readerToken, d.counterToken, '王小明', '110105199003071036', 'A12345674', '110100D156000005']) {
      expect(log).not.toContain(secret);
    }
  });
});

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeReason } from '../../../src/status/reason-text.js';
import { parseOperator } from '../../../src/status/status-policy.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../../support/daemon.js';

const CARD = { cardIdentificationCode: '110100D15600000500000000000000AB', cardNumber: 'A12345674' };

/** Sends raw bytes and returns the first line of the answer ('' when the socket is closed without one). */
function rawHttp(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write(text));
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
    s.on('error', reject);
    s.setTimeout(5000, () => s.destroy());
  });
}

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

/** The smaller weaknesses of the daemon, each probed as an attacker (or a confused page) would. */
describe('daemon: smaller weaknesses (real sockets)', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon({ simulated: { enabled: true, profiles: ['demo'] } }, { pcsc: false });
  });
  afterAll(() => d.stop(100));

  it('INVALID_PARAMS never repeats an unknown key: a PIN sent as a key name is not echoed', async () => {
    const s = await RpcSocket.ready(d.port, { token: d.readerToken });
    const r = await s.call('pin.verify', { pin: '123456', '987654': true, pni: '246813' });
    expect(r.error?.data.code).toBe('INVALID_PARAMS');
    const text = JSON.stringify(r);
    expect(text).not.toContain('987654');
    expect(text).not.toContain('pni');
    expect(text).not.toContain('246813');
    expect(r.error?.data.issues).toEqual([{ path: [], message: 'unknown keys (2); names are not repeated' }]);
    s.close();
    expect(d.logs.text).not.toContain('987654');
  });

  it('two Host headers: 400 for HTTP and for a WebSocket upgrade', async () => {
    const host = `127.0.0.1:${d.port}`;
    expect(await rawHttp(d.port, `GET /health HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\n\r\n`)).toBe('HTTP/1.1 400 Bad Request');
    expect(await rawHttp(d.port, `GET /health HTTP/1.1\r\nHost: evil.example\r\nHost: ${host}\r\n\r\n`)).toMatch(/^HTTP\/1.1 4(00|21)/);
    const upgrade =
      `GET / HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${d.readerToken}\r\n\r\n`;
    expect(await rawHttp(d.port, upgrade)).toBe('HTTP/1.1 400 Bad Request');
    // one Host header still works
    expect(await rawHttp(d.port, `GET /health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).toBe('HTTP/1.1 200 OK');
  });

  it('reason and operator holding a 4-16 digit run (a PIN typed into the wrong field) are refused with a clear error, never echoed', async () => {
    const s = await RpcSocket.ready(d.port, { token: d.counterToken });
    for (const params of [
      { reason: 'customer said pin 123456' },
      { reason: 'pin ９８７６' }, // full-width digits
      { operator: 'op1234' },
      { operator: '1234567890123456' },
    ]) {
      const r = await s.call('card.lock', { ...CARD, kind: 'temporary', ...params });
      expect(r.error?.data.code).toBe('INVALID_PARAMS');
      expect(r.error?.data.issues).toEqual([{ path: [Object.keys(params)[0]], message: expect.stringMatching(/4 or more digits in a row/) }]);
      expect(JSON.stringify(r)).not.toMatch(/123456|９８７６|1234/);
    }
    // short numbers and ISO dates are fine
    const ok = await s.call('card.lock', { ...CARD, kind: 'temporary', reason: 'lost on 2026-11-30, bus 42', operator: 'E012' });
    expect(ok.error).toBeUndefined();
    s.close();
    // the same rule in the registry itself (CLI and any other face)
    expect(codeOf(() => sanitizeReason('PIN 0000'))).toBe('BAD_REASON');
    expect(sanitizeReason('lost on 2026-11-30')).toBe('lost on 2026-11-30');
    expect(codeOf(() => parseOperator('E01234'))).toBe('BAD_OPERATOR');
  });
});

describe('daemon misconfiguration is reported as the daemon\'s fault, not the client\'s', () => {
  it.each([
    ['a bad site', { SSCARD_SITE: 'not-a-site' }],
    ['no site', { SSCARD_SITE: '' }],
    ['a bad default operator and none in the request', { SSCARD_OPERATOR: 'bad operator!' }],
  ])('%s: card.lock answers STATUS_UNAVAILABLE / DAEMON_NOT_CONFIGURED (not INVALID_PARAMS), and the daemon logs it at start', async (_label, env) => {
    const d = await startTestDaemon({}, { pcsc: false, env: { ...process.env, SSCARD_CONFIG: '', SSCARD_SITE: '110100-test-counter', SSCARD_OPERATOR: 'test.operator', ...env } });
    try {
      const s = await RpcSocket.ready(d.port, { token: d.counterToken });
      const r = await s.call('card.lock', { ...CARD, kind: 'temporary' });
      expect(r.error?.data).toEqual({ code: 'STATUS_UNAVAILABLE', reason: 'DAEMON_NOT_CONFIGURED' });
      s.close();
      expect(d.logs.text).toMatch(/DAEMON_NOT_CONFIGURED/);
    } finally {
      await d.stop(100);
    }
  });
});

describe('SSCARD_NO_PCSC=1 is honoured by the daemon', () => {
  it('no PC/SC reader source is created (the start line says pcsc: false)', async () => {
    const d = await startTestDaemon({}, { env: { ...process.env, SSCARD_CONFIG: '', SSCARD_NO_PCSC: '1' } });
    try {
      expect(d.logs.text).toMatch(/"pcsc":false.*"daemon listening"/);
      const health = await fetch(`http://127.0.0.1:${d.port}/health`).then((r) => r.json());
      expect(health).toMatchObject({ pcsc: 'down', readers: 0 });
    } finally {
      await d.stop(100);
    }
  });
});

import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { parseDaemonConfig } from '../../../src/daemon/daemon-config.js';
import type { CardTransport } from '../../../src/transport/card-transport.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';
import { startTestDaemon, type TestDaemon } from '../../support/daemon.js';

/**
 * The ThCardReader-style HTTP dialect (docs/bridges.md) over real loopback sockets: the routes and
 * replies, and the daemon's admission rules in front of them (foreign Origin, rebinding Host, token).
 */
const ORIGIN = 'http://his.example.org:8080';
const ZHANG_SAN = '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000||';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

function get(port: number, path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const post = (port: number, path: string, body: string, headers: Record<string, string> = { origin: ORIGIN }) => get(port, path, { 'content-type': 'application/json', ...headers }, 'POST', body);

/** A simulated reader whose card connects only when the test opens the gate: reads stay in flight. */
class GatedReaderSource extends InProcessReaderSource {
  #open: () => void = () => undefined;
  #gate = new Promise<void>((r) => (this.#open = r));
  connects = 0;
  override async connect(readerName: string): Promise<CardTransport> {
    this.connects++;
    await this.#gate;
    return super.connect(readerName);
  }
  open(): void {
    this.#open();
  }
}

const SECRET = 'S3cr3t-CSB-key-0123456789';
const ACCESS = 'AK-9f8e7d6c5b4a';
const INIT = {
  IP: '10.1.2.3',
  PORT: 8080,
  TIMEOUT: 30,
  LOG_PATH: 'C:/HeaSec/log',
  EC_URL: 'http://10.1.2.3:8080/localcfc/api/hsecfc/localQrCodeQuery',
  CARD_PASSTYPE: '1',
  API_NAME: 'hsa-csb',
  API_VERSION: '1.0.0',
  ACCESS_KEY: ACCESS,
  SECRETKEY: SECRET,
  ORG_ID: 'H32010000001',
  EXT: { any: 'thing' },
  AREA_CODE: '320100',
  SFZ_DRIVER_TYPE: 0,
};

describe('ThCardReader bridge', () => {
  let d: TestDaemon;
  let port: number;
  beforeAll(async () => {
    d = await startTestDaemon({ allowedOrigins: [ORIGIN], simulated: { enabled: true, profiles: ['v1-zhang-san'] }, bridges: { thCardReader: { enabled: true, port: 0, resetDriverRoute: '/ResetDriver' } } }, { pcsc: false });
    port = d.bridges.thCardReader!.port;
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('is off by default (config) and not started unless enabled', async () => {
    expect(parseDaemonConfig({}).bridges).toEqual({ thCardReader: { enabled: false, port: 8321, resetDriverRoute: '/api/resetDriver' }, decard: { enabled: false, port: 50150 } });
    const plain = await startTestDaemon({}, { pcsc: false });
    expect(plain.bridges.thCardReader).toBeUndefined();
    await plain.stop();
  });

  it.each(['/readcard/entry?param=sicard', '/api/entry?param=sicard'])('GET %s from an allowed page: code 200 and the 11-field string', async (path) => {
    const r = await get(port, path, { origin: ORIGIN });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(r.body).toEqual({ code: 200, message: 'success', data: ZHANG_SAN, sign: '', readCardResult: ZHANG_SAN, nationalCode: 0 });
  });

  it('a local program with the reader token is served; without one it is refused', async () => {
    expect((await get(port, '/api/entry?param=sicard', { authorization: `Bearer ${d.readerToken}` })).body.data).toBe(ZHANG_SAN);
    expect((await get(port, '/api/entry?param=sicard', {})).status).toBe(401);
    expect((await get(port, '/api/entry?param=sicard', { authorization: 'Bearer not-the-token-at-all' })).status).toBe(403);
  });

  it('a foreign Origin and a rebinding Host get nothing', async () => {
    const foreign = await get(port, '/readcard/entry?param=sicard', { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(foreign.body).toMatchObject({ code: 1001, data: null, readCardResult: null });
    expect(JSON.stringify(foreign.body)).not.toContain('639900');
    const rebound = await get(port, '/readcard/entry?param=sicard', { origin: ORIGIN, host: `evil.example:${port}` });
    expect(rebound.status).toBe(421);
    expect(JSON.stringify(rebound.body)).not.toContain('639900');
    expect((await get(port, '/readcard/entry?param=sicard', { origin: ORIGIN, host: `127.0.0.1:${port + 1}` })).status).toBe(421);
  });

  it('bad input: unknown param, route and method; preflight for an allowed page', async () => {
    expect((await get(port, '/readcard/entry?param=idcard', { origin: ORIGIN })).body).toMatchObject({ code: 1001, message: expect.stringMatching(/not supported/) });
    expect((await get(port, '/readcard/entry', { origin: ORIGIN })).body).toMatchObject({ code: 1001 });
    expect((await get(port, '/api/entry?param=test', { origin: ORIGIN })).body).toMatchObject({ code: 200 });
    expect((await get(port, '/nope', { origin: ORIGIN })).status).toBe(404);
    expect((await get(port, '/api/entry?param=sicard', { origin: ORIGIN }, 'POST')).status).toBe(405);
    expect((await get(port, '/%', { origin: ORIGIN })).status).toBeGreaterThanOrEqual(400);
    const pre = await get(port, '/api/entry?param=sicard', { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-private-network': 'true' }, 'OPTIONS');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-private-network']).toBe('true');
    expect((await get(port, '/api/entry?param=sicard', { origin: 'https://evil.example' }, 'OPTIONS')).status).toBe(403);
  });

  it('a PIN-like digit run where a param or route goes is masked in the reply, never echoed (bridge fuzz)', async () => {
    const param = await get(port, '/readcard/entry?param=58209163', { origin: ORIGIN });
    expect(param.body.message).toBe('not supported: param=******** (sscard answers sicard and test)');
    const route = await get(port, '/national/731904', { origin: ORIGIN });
    expect(route).toMatchObject({ status: 404, body: { code: 1001, message: 'no route /national/******' } });
    expect((await get(port, '/readcard/entry?param=idcard', { origin: ORIGIN })).body.message).toMatch(/^not supported: param=idcard /);
  });

  it('POST /api/jiangsu/init: a valid Init config is accepted; credentials are neither logged nor echoed', async () => {
    const r = await post(port, '/api/jiangsu/init', JSON.stringify(INIT));
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(r.body).toEqual({ code: 200, message: 'success', data: null, sign: '', readCardResult: null });
    expect(d.logs.text).toContain('jiangsu init accepted');
    expect((await post(port, '/api/jiangsu/init', JSON.stringify({ ORG_ID: 'H1', unknownKey: [1] }))).body.code).toBe(200); // a subset; other keys ignored
    expect(d.logs.text).not.toContain(SECRET);
    expect(d.logs.text).not.toContain(ACCESS);
    const pre = await get(port, '/api/jiangsu/init', { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }, 'OPTIONS');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-methods']).toContain('POST');
    expect(pre.headers['access-control-allow-headers']).toMatch(/Content-Type/);
  });

  it('POST /api/jiangsu/init: a bad config is BAD_INIT_CONFIG naming the key, never the value; foreign pages, GET and huge bodies are refused', async () => {
    const bad = async (body: string, message: string) => {
      const r = await post(port, '/api/jiangsu/init', body);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 1001, message, data: null });
      return r;
    };
    await bad(JSON.stringify({ ...INIT, PORT: '8080' }), 'BAD_INIT_CONFIG: PORT: must be a port number 1-65535');
    await bad(JSON.stringify({ ...INIT, CARD_PASSTYPE: 3 }), 'BAD_INIT_CONFIG: CARD_PASSTYPE: must be "1" (card PIN) or "2" (database password)');
    await bad(JSON.stringify({ ...INIT, TIMEOUT: -1 }), 'BAD_INIT_CONFIG: TIMEOUT: must be whole seconds 0-86400');
    const secret = await bad(JSON.stringify({ ...INIT, SECRETKEY: [SECRET] }), 'BAD_INIT_CONFIG: SECRETKEY: must be a string');
    expect(JSON.stringify(secret.body)).not.toContain(SECRET);
    await bad(`{"SECRETKEY": "${SECRET}"`, 'BAD_INIT_CONFIG: the body is not JSON');
    await bad('[]', 'BAD_INIT_CONFIG: the body must be a JSON object');
    expect(d.logs.text).not.toContain(SECRET);
    expect((await get(port, '/api/jiangsu/init', { origin: ORIGIN })).status).toBe(405);
    expect((await post(port, '/api/jiangsu/init', JSON.stringify({ EXT: 'x'.repeat(20_000) }))).status).toBe(413);
    const foreign = await post(port, '/api/jiangsu/init', JSON.stringify(INIT), { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect((await post(port, '/api/jiangsu/init', JSON.stringify(INIT), {})).status).toBe(401);
  });

  it('ResetDriver on the configured route (GET or POST): success, nothing to clear; the default route is then unknown', async () => {
    const expected = { code: 200, message: 'success: sscard keeps no driver cache, nothing to reset', data: null, sign: '', readCardResult: null };
    expect((await get(port, '/ResetDriver', { origin: ORIGIN })).body).toEqual(expected);
    expect((await post(port, '/ResetDriver', '')).body).toEqual(expected);
    expect((await get(port, '/ResetDriver', { origin: ORIGIN }, 'DELETE')).status).toBe(405);
    expect((await get(port, '/api/resetDriver', { origin: ORIGIN })).status).toBe(404);
    expect((await get(port, '/ResetDriver', { origin: 'https://evil.example' })).status).toBe(403);
    // reads go on as before
    expect((await get(port, '/api/entry?param=sicard', { origin: ORIGIN })).body.data).toBe(ZHANG_SAN);
    expect(() => parseDaemonConfig({ bridges: { thCardReader: { resetDriverRoute: 'no-slash' } } })).toThrow();
  });

  it('no card: code 1001 with the national -2', async () => {
    d.simulated!.remove(0);
    const r = await get(port, '/api/entry?param=sicard', { origin: ORIGIN });
    expect(r.body).toMatchObject({ code: 1001, nationalCode: -2, data: null });
  });

  it('a port held by another program (the original service) is reported, and the daemon does not start', async () => {
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const held = (holder.address() as { port: number }).port;
    await expect(startTestDaemon({ bridges: { thCardReader: { enabled: true, port: held } } }, { pcsc: false })).rejects.toMatchObject({ code: 'LISTEN_FAILED', message: expect.stringMatching(/EADDRINUSE.*holds it/) });
    await new Promise<void>((r) => holder.close(() => r()));
  });

  it('requests cap: reads beyond limits.maxPending in flight get 429 at once, over real sockets; the count goes back down', async () => {
    const gated = new GatedReaderSource([{ profileId: 'v1-zhang-san', card: createSimulatedCard('v1-zhang-san') }]);
    const g = await startTestDaemon({ allowedOrigins: [ORIGIN], limits: { maxPending: 2 }, bridges: { thCardReader: { enabled: true, port: 0 } } }, { pcsc: false, extraSources: [gated] });
    try {
      const p = g.bridges.thCardReader!.port;
      const first = get(p, '/api/entry?param=sicard', { origin: ORIGIN });
      while (gated.connects < 1) await new Promise((r) => setTimeout(r, 5));
      // the first read waits at the card; of two more requests one joins it in flight, the other is over the cap and answered at once
      const more = [get(p, '/api/entry?param=sicard', { origin: ORIGIN }), get(p, '/readcard/entry?param=sicard', { origin: ORIGIN })];
      const busy = await Promise.race(more);
      expect(busy.status).toBe(429);
      expect(busy.body).toEqual({ code: 1001, message: 'busy: too many reads in flight', data: null, sign: '', readCardResult: null });
      expect(busy.headers['access-control-allow-origin']).toBe(ORIGIN);
      gated.open();
      const all = await Promise.all([first, ...more]);
      expect(all.map((r) => r.status).sort()).toEqual([200, 200, 429]);
      expect(all.filter((r) => r.status === 200).map((r) => r.body.data)).toEqual([ZHANG_SAN, ZHANG_SAN]);
      // nothing stays counted: two reads at once are both served again
      const again = await Promise.all([get(p, '/api/entry?param=sicard', { origin: ORIGIN }), get(p, '/api/entry?param=sicard', { origin: ORIGIN })]);
      expect(again.map((r) => r.body.code)).toEqual([200, 200]);
    } finally {
      await g.stop();
    }
  });
});

import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDaemonConfig } from '../../../src/daemon/daemon-config.js';
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

function get(port: number, path: string, headers: Record<string, string>, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ThCardReader bridge', () => {
  let d: TestDaemon;
  let port: number;
  beforeAll(async () => {
    d = await startTestDaemon({ allowedOrigins: [ORIGIN], simulated: { enabled: true, profiles: ['v1-zhang-san'] }, bridges: { thCardReader: { enabled: true, port: 0 } } }, { pcsc: false });
    port = d.bridges.thCardReader!.port;
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('is off by default (config) and not started unless enabled', async () => {
    expect(parseDaemonConfig({}).bridges).toEqual({ thCardReader: { enabled: false, port: 8321 }, decard: { enabled: false, port: 50150 } });
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
});

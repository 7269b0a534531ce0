import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { ensureDaemonCertificate, type DaemonCertificate } from '../../../src/daemon/tls/cert-store.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';
import { renewIfDue } from '../../../src/cli/commands/daemon-browser-reach.js';
import { LogSink, startTestDaemon, type TestDaemon } from '../../support/daemon.js';
import { createDaemonLogger } from '../../../src/daemon/daemon-logger.js';

const PAGE = 'https://his.example.org';

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, o: { ca?: string; method?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { method: o.method ?? 'GET', headers: o.headers, ...(o.ca ? { ca: o.ca } : {}) });
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket and says hello; resolves with the hello result, or rejects with the HTTP status of a refusal. */
function hello(url: string, o: { origin?: string; token?: string; ca?: string; host?: string }): Promise<{ role: string }> {
  const headers: Record<string, string> = {};
  if (o.token) headers.Authorization = `Bearer ${o.token}`;
  if (o.host) headers.Host = o.host;
  const ws = new WebSocket(url, { headers, ...(o.origin ? { origin: o.origin } : {}), ...(o.ca ? { ca: o.ca } : {}) });
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_q, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { minApiLevel: 1, maxApiLevel: 1 } })));
    ws.once('message', (d) => {
      ws.close();
      resolve((JSON.parse(String(d)) as { result: { role: string } }).result);
    });
  });
}

const statusOf = (p: Promise<unknown>) => p.then(() => 101, (e: { status?: number }) => e.status ?? -1);

describe('daemon --tls --demo: one port for https/wss and http/ws, the bridge socket, the pages it serves', () => {
  let d: TestDaemon;
  let tls: DaemonCertificate;
  let tlsDir: string;
  const sim = new InProcessReaderSource([{ profileId: 'demo', card: createSimulatedCard('demo') }]);

  beforeAll(async () => {
    tlsDir = mkdtempSync(join(tmpdir(), 'sscard-tls-'));
    tls = await ensureDaemonCertificate({ dataDir: tlsDir });
    d = await startTestDaemon({ allowedOrigins: [PAGE] }, { pcsc: false, extraSources: [sim], tls, demo: true });
  });
  afterAll(() => d.stop());

  it('serves wss:// and ws:// on the same port; the certificate verifies against the CA for 127.0.0.1, [::1] and localhost', async () => {
    expect(await hello(`wss://127.0.0.1:${d.port}/`, { token: d.readerToken, ca: tls.caPem })).toMatchObject({ role: 'reader' });
    expect(await hello(`ws://127.0.0.1:${d.port}/`, { token: d.readerToken })).toMatchObject({ role: 'reader' });
    expect(await hello(`wss://localhost:${d.port}/`, { origin: PAGE, ca: tls.caPem, host: `localhost:${d.port}` })).toMatchObject({ role: 'reader' });
    if (d.listening.includes(`[::1]:${d.port}`)) {
      expect(JSON.parse((await get(`https://[::1]:${d.port}/health`, { ca: tls.caPem })).body)).toMatchObject({ name: 'sscard' });
    }
    expect(JSON.parse((await get(`http://127.0.0.1:${d.port}/health`)).body)).toMatchObject({ name: 'sscard', simulated: true });
    // Without the CA the certificate is not trusted (no silent downgrade either way).
    await expect(get(`https://127.0.0.1:${d.port}/health`)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('bad input on the shared port: garbage bytes get a 400, a half TLS hello is dropped, the daemon keeps serving', async () => {
    const answer = await new Promise<string>((resolve) => {
      const s = netConnect(d.port, '127.0.0.1', () => s.write(Buffer.from('\x00\x01\x02 garbage\r\n\r\n', 'latin1')));
      let got = '';
      s.on('data', (c) => (got += c.toString('latin1')));
      s.on('close', () => resolve(got));
      s.on('error', () => resolve(got));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    await new Promise<void>((resolve) => {
      const s = netConnect(d.port, '127.0.0.1', () => {
        s.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01]));
        setTimeout(() => s.destroy(), 50);
      });
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
    expect(await hello(`wss://127.0.0.1:${d.port}/`, { token: d.readerToken, ca: tls.caPem })).toMatchObject({ role: 'reader' });
  });

  it('a running daemon takes a renewed certificate for new connections when the check finds it due', async () => {
    const fingerprint = () =>
      new Promise<string>((resolve, reject) => {
        // The renewal is made 'in the future' (its notBefore too): only which certificate is served matters here.
        const s = tlsConnect({ host: '127.0.0.1', port: d.port, rejectUnauthorized: false }, () => {
          resolve(s.getPeerCertificate().fingerprint256.replaceAll(':', '').toLowerCase());
          s.end();
        });
        s.on('error', reject);
      });
    expect(await fingerprint()).toBe(tls.server.sha256);
    const logs = new LogSink();
    const notDue = await renewIfDue({ dataDir: tlsDir, apply: (c) => d.server.setCertificate(c), log: createDaemonLogger('info', logs) });
    expect(notDue?.created.server).toBe(false);
    const soon = new Date(tls.server.notAfter.getTime() - 10 * 86_400_000);
    const renewed = await renewIfDue({ dataDir: tlsDir, now: soon, apply: (c) => d.server.setCertificate(c), log: createDaemonLogger('info', logs) });
    expect(renewed?.created).toEqual({ ca: false, server: true });
    expect(await fingerprint()).toBe(renewed!.server.sha256);
    expect(logs.text).toContain('TLS certificate renewed');
    // A broken tls directory is logged; the certificate in use stays.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(tlsDir, 'tls', 'daemon.pem'), 'garbage');
    expect(await renewIfDue({ dataDir: tlsDir, apply: () => expect.fail('must not apply'), log: createDaemonLogger('info', logs) })).toBeUndefined();
    expect(logs.text).toContain('"code":"TLS_FILES"');
    expect(await fingerprint()).toBe(renewed!.server.sha256);
  });

  it('/bridge/ws: only the daemon own origin may open it, for an allow-listed page origin, which becomes the connection origin', async () => {
    const self = `http://127.0.0.1:${d.port}`;
    const bridge = (origin: string, page: string | null, host?: string) =>
      hello(`ws://127.0.0.1:${d.port}/bridge/ws${page === null ? '' : `?origin=${encodeURIComponent(page)}`}`, { origin, ...(host ? { host } : {}) });
    expect(await bridge(self, PAGE)).toMatchObject({ role: 'reader' });
    expect(await bridge(`https://localhost:${d.port}`, PAGE)).toMatchObject({ role: 'reader' });
    expect(d.logs.text).toContain(`"principal":"origin:${PAGE}"`);
    expect(await statusOf(bridge(PAGE, PAGE))).toBe(403); // a page cannot name itself through the bridge path
    expect(await statusOf(bridge('https://evil.example', PAGE))).toBe(403);
    expect(await statusOf(bridge(self, 'https://evil.example'))).toBe(403);
    expect(await statusOf(bridge(self, null))).toBe(403);
    expect(await statusOf(bridge(self, 'null'))).toBe(403);
    expect(await statusOf(bridge(self, `${PAGE}/path`))).toBe(403);
    expect(await statusOf(bridge(self, PAGE, `evil.example:${d.port}`))).toBe(421);
    expect(await statusOf(bridge(`http://127.0.0.1:${d.port + 1}`, PAGE))).toBe(403); // another local port is another origin
    expect(await statusOf(hello(`ws://127.0.0.1:${d.port}/other`, { origin: PAGE }))).toBe(404);
  });

  it('with --demo the daemon own origin connects on / as reader; foreign origins are still refused', async () => {
    expect(await hello(`ws://127.0.0.1:${d.port}/`, { origin: `http://127.0.0.1:${d.port}` })).toMatchObject({ role: 'reader' });
    expect(await statusOf(hello(`ws://127.0.0.1:${d.port}/`, { origin: 'https://evil.example' }))).toBe(403);
  });

  it('serves /bridge, /bridge/check, /demo/ and /sdk/ (never framed, no traversal, GET only)', async () => {
    const base = `http://127.0.0.1:${d.port}`;
    const bridge = await get(`${base}/bridge`);
    expect(bridge.status).toBe(200);
    expect(bridge.headers['x-frame-options']).toBe('DENY');
    expect(bridge.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    expect(bridge.body).toContain("if (event.source !== opener) return;");
    expect(JSON.parse((await get(`${base}/bridge/check?origin=${encodeURIComponent(PAGE)}`)).body)).toEqual({ allowed: true });
    expect(JSON.parse((await get(`${base}/bridge/check?origin=https%3A%2F%2Fevil.example`)).body)).toEqual({ allowed: false });
    expect(JSON.parse((await get(`${base}/bridge/check?origin=%00%ff`)).body)).toEqual({ allowed: false });
    expect((await get(`${base}/bridge/check?origin=${encodeURIComponent(PAGE)}`, { headers: { Origin: PAGE } })).headers['access-control-allow-origin']).toBeUndefined();
    expect((await get(`${base}/`)).status).toBe(302);
    const demo = await get(`${base}/demo/`);
    expect(demo.status).toBe(200);
    expect(demo.body).toContain('社保卡读卡演示');
    expect((await get(`${base}/demo/demo.js`)).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get(`${base}/sdk/client/index.js`)).status).toBe(200);
    expect((await get(`${base}/sdk/daemon/protocol/api-level.js`)).status).toBe(200);
    for (const bad of ['/sdk/../../package.json', '/sdk/client/%2e%2e/%2e%2e/package.json', '/sdk/daemon/daemon-tokens.js', '/demo/../../package.json', '/demo/x.json']) {
      expect({ bad, status: (await get(`${base}${bad}`)).status }).toEqual({ bad, status: 404 });
    }
    expect((await get(`${base}/bridge`, { method: 'POST' })).status).toBe(405);
  });

  it('without --demo there is no demo page and the own origin is not admitted on /', async () => {
    const plain = await startTestDaemon({}, { pcsc: false });
    try {
      expect((await get(`http://127.0.0.1:${plain.port}/demo/`)).status).toBe(404);
      expect((await get(`http://127.0.0.1:${plain.port}/bridge`)).status).toBe(200);
      expect(await statusOf(hello(`ws://127.0.0.1:${plain.port}/`, { origin: `http://127.0.0.1:${plain.port}` }))).toBe(403);
    } finally {
      await plain.stop();
    }
  });
});

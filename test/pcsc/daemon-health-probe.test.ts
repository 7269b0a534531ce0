import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, ensureChromium } from '../support/chromium.js';
import { startTestDaemon, type TestDaemon } from '../support/daemon.js';

const browser = ensureChromium();

function pageServer(html: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(html()));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

/** A port where nothing listens (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** What a page learns from fetching `/health` of a port, in every mode a page can use. */
const PROBE = (daemonPort: number, closed: number) => `<!doctype html><script type="module">
async function probe(port) {
  const out = {};
  for (const mode of ['no-cors', 'cors']) {
    try { const r = await fetch('http://127.0.0.1:' + port + '/health', { mode, cache: 'no-store' }); out[mode] = 'answered:' + r.type + ':' + r.status; }
    catch (e) { out[mode] = 'failed:' + e.name; }
  }
  try { await new Promise((ok, ko) => { const i = new Image(); i.onload = ok; i.onerror = () => ko(new Error('img')); i.src = 'http://127.0.0.1:' + port + '/health'; }); out.img = 'loaded'; }
  catch { out.img = 'error'; }
  return out;
}
window.result = { daemon: await probe(${daemonPort}), closed: await probe(${closed}) };
</script>`;

/**
 * A page that is not allow-listed must not be able to tell that sscard runs: fetching the
 * daemon's /health (no-cors, cors, an <img>) fails exactly as against a closed port.
 * Headless Chromium (Debian's), a fresh profile.
 */
describe.skipIf(!browser.available)(`/health probed by a foreign page in headless Chromium (${browser.reason})`, () => {
  let d: TestDaemon;
  let foreign: { server: Server; origin: string };
  let allowed: { server: Server; origin: string };
  let context: BrowserContext;
  let userDataDir: string;
  let closed = 0;

  beforeAll(async () => {
    let port = 0;
    foreign = await pageServer(() => PROBE(port, closed));
    allowed = await pageServer(() => PROBE(port, closed));
    d = await startTestDaemon({ allowedOrigins: [allowed.origin] }, { pcsc: false });
    port = d.port;
    closed = await closedPort();
    userDataDir = mkdtempSync(join(tmpdir(), 'sscard-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await d?.stop(100);
    foreign?.server.close();
    allowed?.server.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  const run = async (origin: string) => {
    const page = await context.newPage();
    await page.goto(origin);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 20_000 });
    const r = (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as { daemon: Record<string, string>; closed: Record<string, string> };
    await page.close();
    return r;
  };

  it('a foreign page: no-cors fetch, cors fetch and <img> of /health fail exactly as against a closed port', async () => {
    const r = await run(foreign.origin);
    expect(r.closed).toEqual({ 'no-cors': 'failed:TypeError', cors: 'failed:TypeError', img: 'error' });
    expect(r.daemon).toEqual(r.closed);
    expect(d.logs.text).toMatch(/"reason":"FOREIGN_PAGE_HTTP"/);
  });

  it('the allow-listed page still reads /health with CORS (the probe is not just a broken daemon)', async () => {
    const r = await run(allowed.origin);
    expect(r.daemon.cors).toBe('answered:cors:200');
    expect(r.closed.cors).toBe('failed:TypeError');
  });
});

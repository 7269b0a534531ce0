import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureChromium } from '../support/chromium.js';
import { ROOT } from '../support/cli.js';
import { spawnDaemon, type DaemonChild } from '../support/daemon.js';
import { READER_0, ensurePcscd, sleep } from '../support/pcscd.js';

const pcsc = await ensurePcscd();
const browser = ensureChromium();
const available = pcsc.available && browser.available;

/** Serves the SDK's compiled modules (client + protocol constants only) and one page. */
function pageServer(page: (daemonPort: number) => string, daemonPort: () => number): Promise<{ server: Server; origin: string }> {
  const dist = join(ROOT, 'dist', 'src');
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(page(daemonPort()));
      return;
    }
    const rel = normalize(path.replace(/^\/sdk\//, ''));
    if (path.startsWith('/sdk/') && (rel.startsWith('client/') || rel.startsWith('daemon/protocol/')) && rel.endsWith('.js')) {
      try {
        res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(join(dist, rel)));
        return;
      } catch {
        /* 404 below */
      }
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

const GOOD_PAGE = (port: number) => `<!doctype html><meta charset="utf-8"><title>HIS</title><script type="module">
import { SscardClient } from '/sdk/client/index.js';
window.log = { events: [], read: null, error: null, hello: null };
try {
  const client = await SscardClient.connect({ url: 'ws://127.0.0.1:${port}/', clientName: 'his-page' });
  window.log.hello = client.hello;
  client.on('*', (e) => window.log.events.push(e));
  await client.subscribe();
  window.readCard = async () => { window.log.read = await client.request('card.read', { reader: '${READER_0}' }); return true; };
  window.ready = true;
} catch (e) { window.log.error = { code: e.code, message: e.message }; window.ready = true; }
</script>`;

const EVIL_PAGE = (port: number) => `<!doctype html><meta charset="utf-8"><title>evil</title><script type="module">
window.loot = { wsOpened: false, wsMessages: [], wsClosed: null, health: null, healthNoCors: null, sdkError: null };
const ws = new WebSocket('ws://127.0.0.1:${port}/');
ws.onopen = () => { window.loot.wsOpened = true; ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { minApiLevel: 1, maxApiLevel: 1 } })); };
ws.onmessage = (m) => window.loot.wsMessages.push(String(m.data));
ws.onclose = (e) => { window.loot.wsClosed = e.code; };
try { const r = await fetch('http://127.0.0.1:${port}/health'); window.loot.health = await r.text(); } catch (e) { window.loot.health = 'blocked: ' + e.name; }
try { const r = await fetch('http://127.0.0.1:${port}/health', { mode: 'no-cors' }); window.loot.healthNoCors = { type: r.type, body: await r.text() }; } catch (e) { window.loot.healthNoCors = 'blocked'; }
try {
  const { SscardClient } = await import('/sdk/client/index.js');
  await SscardClient.connect({ url: 'ws://127.0.0.1:${port}/' });
} catch (e) { window.loot.sdkError = e.code; }
window.done = true;
</script>`;

/**
 * Issue #6 in a real browser (Debian's Chromium, headless, fresh profile): an allow-listed HIS
 * page reads the card and gets events; a hostile page on another origin gets nothing.
 */
describe.skipIf(!available)(`daemon from headless Chromium (${pcsc.reason}; ${browser.reason})`, () => {
  let d: DaemonChild;
  let good: { server: Server; origin: string };
  let evil: { server: Server; origin: string };
  let context: BrowserContext;
  let userDataDir: string;
  const card = new VpcdClient(createSimulatedCard('demo'), { slot: 0 });

  beforeAll(async () => {
    let port = 0;
    good = await pageServer(GOOD_PAGE, () => port);
    evil = await pageServer(EVIL_PAGE, () => port);
    d = await spawnDaemon({ allowedOrigins: [good.origin] });
    port = d.port;
    userDataDir = mkdtempSync(join(tmpdir(), 'sscard-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await card.remove();
    await d?.proc.stop();
    good?.server.close();
    evil?.server.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('an allow-listed page connects, gets the card-inserted event, and reads the card', async () => {
    const page = await context.newPage();
    await page.goto(good.origin);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 10_000 });
    const before = await page.evaluate(() => (window as unknown as { log: unknown }).log);
    expect(before).toMatchObject({ error: null, hello: { apiLevel: 2, role: 'reader', simulatedReaders: false } });
    await card.insert();
    await page.waitForFunction(() => (window as unknown as { log: { events: { type: string }[] } }).log.events.some((e) => e.type === 'card-inserted'), undefined, { timeout: 5000 });
    await page.evaluate(() => (window as unknown as { readCard: () => Promise<boolean> }).readCard());
    const log = (await page.evaluate(() => (window as unknown as { log: unknown }).log)) as {
      read: { data: { card: { cardNumber: string }; holder: { data: { name: string } } }; reader: { simulated: boolean } };
      events: unknown[];
    };
    expect(log.read.data.card.cardNumber).toBe('A12345674');
    expect(log.read.data.holder.data.name).toBe('王小明');
    expect(log.read.reader.simulated).toBe(false);
    expect(log.events).toContainEqual({ type: 'card-inserted', reader: { id: `pcsc:${READER_0}`, name: READER_0, kind: 'pcsc', simulated: false } });
    await page.close();
  });

  it('a hostile page (not allow-listed) gets nothing: WebSocket refused, /health without CORS, no data', async () => {
    await sleep(100);
    const page = await context.newPage();
    await page.goto(evil.origin);
    await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 10_000 });
    const loot = (await page.evaluate(() => (window as unknown as { loot: unknown }).loot)) as {
      wsOpened: boolean;
      wsMessages: string[];
      wsClosed: number | null;
      health: string;
      healthNoCors: { type: string; body: string };
      sdkError: string;
    };
    expect(loot.wsOpened).toBe(false);
    expect(loot.wsMessages).toEqual([]);
    expect(loot.wsClosed).toBe(1006); // handshake refused (403)
    expect(loot.health).toBe('blocked: TypeError'); // CORS: no Access-Control-Allow-Origin
    expect(loot.healthNoCors).toEqual({ type: 'opaque', body: '' });
    expect(loot.sdkError).toBe('CONNECTION_FAILED');
    await page.close();
  });
});

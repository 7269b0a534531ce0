import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureChromium } from '../support/chromium.js';
import { spawnDaemon, type DaemonChild } from '../support/daemon.js';
import { ensurePcscd, sleep } from '../support/pcscd.js';

const pcsc = await ensurePcscd();
const browser = ensureChromium();
const available = pcsc.available && browser.available;
/** The dialect's own port: this test runs in its own network namespace (scripts/ns-run.sh). */
const BRIDGE_PORT = 8321;
const ZHANG_SAN = '639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|000000000000||';

const PAGE = `<!doctype html><meta charset="utf-8"><title>HIS</title><script type="module">
window.result = {};
try { const r = await fetch('http://127.0.0.1:${BRIDGE_PORT}/readcard/entry?param=sicard'); window.result.cors = await r.json(); } catch (e) { window.result.cors = 'blocked: ' + e.name; }
try { const r = await fetch('http://127.0.0.1:${BRIDGE_PORT}/api/entry?param=sicard', { mode: 'no-cors' }); window.result.noCors = { type: r.type, body: await r.text() }; } catch (e) { window.result.noCors = 'blocked'; }
window.done = true;
</script>`;

function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

/**
 * The ThCardReader-style bridge (docs/bridges.md) from headless Chromium with a card in pcscd +
 * vpcd: an allow-listed page reads the 11-field string; a page on another origin gets nothing.
 */
describe.skipIf(!available)(`ThCardReader bridge from headless Chromium (${pcsc.reason}; ${browser.reason})`, () => {
  let d: DaemonChild;
  let good: { server: Server; origin: string };
  let evil: { server: Server; origin: string };
  let context: BrowserContext;
  let userDataDir: string;
  const card = new VpcdClient(createSimulatedCard('v1-zhang-san'), { slot: 0 });

  beforeAll(async () => {
    good = await pageServer();
    evil = await pageServer();
    d = await spawnDaemon({ allowedOrigins: [good.origin], bridges: { thCardReader: { enabled: true, port: BRIDGE_PORT } } });
    await card.insert();
    await sleep(1500); // pcscd polls vpcd every ~400 ms
    userDataDir = mkdtempSync(join(tmpdir(), 'sscard-chromium-th-'));
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

  async function visit(origin: string) {
    const page = await context.newPage();
    await page.goto(origin);
    await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 15_000 });
    const r = (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as { cors: unknown; noCors: { type: string; body: string } };
    await page.close();
    return r;
  }

  it('an allow-listed page gets code 200 and the 11-field string', async () => {
    const r = await visit(good.origin);
    expect(r.cors).toEqual({ code: 200, message: 'success', data: ZHANG_SAN, sign: '', readCardResult: ZHANG_SAN, nationalCode: 0 });
  });

  it('a page on another origin gets nothing (no CORS, an opaque empty no-cors answer)', async () => {
    const r = await visit(evil.origin);
    expect(r.cors).toBe('blocked: TypeError');
    expect(r.noCors).toEqual({ type: 'opaque', body: '' });
  });
});

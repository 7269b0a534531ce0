import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveCard, type CliProcess } from '../support/cli-process.js';
import { RpcSocket, spawnDaemon, type DaemonChild } from '../support/daemon.js';
import { READER_0, ensurePcscd, pcscd, sleep } from '../support/pcscd.js';

const available = await ensurePcscd();

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Issue #6: pcscd restarts while clients are connected: service-down / service-up events, then reads work again. */
describe.skipIf(!available.available)(`daemon across a pcscd restart (${available.reason})`, () => {
  let d: DaemonChild;
  let card: CliProcess;
  const clients: RpcSocket[] = [];

  beforeAll(async () => {
    card = await serveCard('demo', 0);
    d = await spawnDaemon({});
    for (let i = 0; i < 3; i++) {
      const s = await RpcSocket.ready(d.port, { token: d.readerToken });
      await s.ok('events.subscribe');
      clients.push(s);
    }
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await d?.proc.stop();
    await card?.stop();
    await pcscd('start');
  });

  it('service-down then service-up on every connection; SERVICE_DOWN meanwhile; then reads work again', async () => {
    const s = clients[0]!;
    await until(async () => (await s.ok('readers.list')).readers.some((r: { cardPresent: boolean }) => r.cardPresent), 5000, 'card');
    expect((await s.ok('card.read', { reader: READER_0 })).data.card.cardNumber).toBe('A12345674');

    await pcscd('stop');
    await until(() => clients.every((c) => c.events.some((e) => e.type === 'service-down')), 5000, 'service-down on every client');
    expect((await s.ok('readers.list')).pcscUp).toBe(false);
    expect(['SERVICE_DOWN', 'NO_CARD', 'CARD_REMOVED']).toContain(await s.code('card.read', { reader: READER_0 }));

    await pcscd('start');
    await until(() => clients.every((c) => c.events.some((e) => e.type === 'service-up')), 10_000, 'service-up on every client');
    // `sim serve` re-inserts its card once vpcd listens again
    await until(async () => (await s.ok('readers.list')).readers.some((r: { cardPresent: boolean }) => r.cardPresent), 10_000, 'card back');
    for (const c of clients) {
      expect(c.isOpen).toBe(true);
      expect((await c.ok('card.read', { reader: READER_0 })).data.card.cardNumber).toBe('A12345674');
      const types = c.events.map((e) => e.type);
      expect(types.indexOf('service-down')).toBeLessThan(types.indexOf('service-up'));
      expect(JSON.stringify(c.events)).not.toMatch(/atr|A12345674/i);
    }
  });
});

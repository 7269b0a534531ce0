import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePcsc } from '../../../native-shims/fake-pcsc.js';
import { PcscReaderMonitor } from '../../../src/transport/pcsc/pcsc-reader-monitor.js';
import { PcscConnector } from '../../../src/transport/pcsc/pcsc-connector.js';
import type { ReaderEvent } from '../../../src/transport/reader-monitor.js';
import { GET_CHALLENGE_8, TEST_ATR, TEST_ATR_HEX, testCardResponse } from '../../support/test-card.js';

const R0 = 'Fake Reader 00';
const R1 = 'Fake Reader 01';
const card = { atr: TEST_ATR, transmit: testCardResponse };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function brief(e: ReaderEvent): string {
  switch (e.type) {
    case 'card-inserted':
      return `${e.type} ${e.reader.name} ${e.atr}`;
    case 'reader-added':
    case 'reader-removed':
    case 'card-removed':
      return `${e.type} ${e.reader.name}`;
    default:
      return e.type;
  }
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('PcscReaderMonitor over the fake PC/SC', () => {
  let fake: FakePcsc;
  let monitor: PcscReaderMonitor;
  let events: string[];

  beforeEach(() => {
    fake = new FakePcsc();
    fake.addReader(R0);
    fake.addReader(R1);
    fake.insertCard(R0, card);
    monitor = new PcscReaderMonitor({ binding: fake, retryInitialMs: 20, retryMaxMs: 80, settleMinMs: 5 });
    events = [];
    monitor.on((e) => events.push(brief(e)));
  });

  afterEach(async () => {
    await monitor.stop();
    expect(fake.openHandles()).toEqual({ contexts: 0, readers: 0 });
    expect(fake.contexts.flatMap((c) => c.created).some((r) => r.closedBeforeFirstStatus)).toBe(false);
  });

  it('enumerates readers and cards at start, with stable ids and upper-case ATR', async () => {
    await monitor.start();
    expect(events).toEqual([`reader-added ${R0}`, `reader-added ${R1}`, `card-inserted ${R0} ${TEST_ATR_HEX}`]);
    expect(monitor.readers()).toEqual([
      { reader: { id: `pcsc:${R0}`, name: R0, kind: 'pcsc', simulated: false }, cardPresent: true, atr: TEST_ATR_HEX },
      { reader: { id: `pcsc:${R1}`, name: R1, kind: 'pcsc', simulated: false }, cardPresent: false },
    ]);
  });

  it('card insert / remove edges, reader hot-plug and unplug', async () => {
    await monitor.start();
    events.length = 0;
    fake.insertCard(R1, card);
    fake.removeCard(R0);
    await until(() => events.length >= 2);
    fake.addReader('Hot Reader');
    await until(() => events.length >= 3);
    fake.removeReader(R1);
    await until(() => events.length >= 5);
    expect(events).toEqual([
      `card-inserted ${R1} ${TEST_ATR_HEX}`,
      `card-removed ${R0}`,
      'reader-added Hot Reader',
      `card-removed ${R1}`,
      `reader-removed ${R1}`,
    ]);
    expect(monitor.readers().map((r) => r.reader.name)).toEqual([R0, 'Hot Reader']);
  });

  it('no event for status changes that keep presence and ATR (e.g. our own exclusive connect)', async () => {
    const connector = new PcscConnector({ manager: monitor.manager });
    await monitor.start();
    events.length = 0;
    const t = await connector.connect(R0);
    await t.transmit(GET_CHALLENGE_8);
    await sleep(20);
    await t.close();
    await sleep(20);
    expect(events).toEqual([]);
  });

  it('service down then up: service-down once, prune vanished readers, service-up, resumes events', async () => {
    await monitor.start();
    events.length = 0;
    fake.serviceDown();
    await until(() => events.includes('service-down'));
    const attemptsAtDown = fake.establishAttempts;
    await sleep(300);
    // backoff 20, 40, 80, 80...: a handful of attempts in 300 ms, not a spin (the lower bound is
    // loose: timers fire late on a loaded CI machine; the upper bound is the point)
    const attempts = fake.establishAttempts - attemptsAtDown;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(7);
    // while down: old reader objects closed, last known state kept
    expect(fake.openHandles().readers).toBe(0);
    expect(monitor.readers()).toHaveLength(2);
    fake.removeReader(R1);
    fake.removeCard(R0);
    const upAt = Date.now();
    fake.serviceUp();
    await until(() => events.includes('service-up'));
    expect(Date.now() - upAt).toBeLessThan(300);
    expect(events).toEqual(['service-down', `card-removed ${R0}`, `reader-removed ${R1}`, 'service-up']);
    events.length = 0;
    fake.insertCard(R0, card);
    await until(() => events.length >= 1);
    expect(events).toEqual([`card-inserted ${R0} ${TEST_ATR_HEX}`]);
  });

  it('a context error alone (no reader error) also triggers recovery', async () => {
    await monitor.start();
    events.length = 0;
    fake.failContexts(0x80100013);
    await until(() => events.includes('service-up'));
    expect(events).toEqual(['service-down', 'service-up']);
    expect(fake.contexts.filter((c) => !c.closed)).toHaveLength(1);
  });

  it('starts while the service is down: start() resolves, service-down, then up', async () => {
    fake.serviceDown();
    await monitor.start();
    expect(events).toEqual(['service-down']);
    fake.serviceUp();
    await until(() => events.includes('service-up'));
    expect(events).toEqual(['service-down', `reader-added ${R0}`, `reader-added ${R1}`, `card-inserted ${R0} ${TEST_ATR_HEX}`, 'service-up']);
  });

  it('a reader error that is not a service loss removes only that reader', async () => {
    await monitor.start();
    events.length = 0;
    fake.failReader(R1, 0x80100017);
    await until(() => events.length >= 1);
    expect(events).toEqual([`reader-removed ${R1}`]);
  });

  it('stop() right after start() closes everything (no reader closed before its first status)', async () => {
    const started = monitor.start();
    await monitor.stop();
    await started;
    await sleep(10);
  });

  it('listeners can unsubscribe; a throwing listener does not break others', async () => {
    const seen: string[] = [];
    const off = monitor.on(() => {
      throw new Error('listener bug');
    });
    monitor.on((e) => seen.push(e.type));
    const removed: string[] = [];
    const offRemoved = monitor.on((e) => removed.push(e.type));
    await monitor.start();
    off();
    expect(seen).toContain('card-inserted');
    offRemoved();
    const before = removed.length;
    fake.removeCard(R0);
    await until(() => seen.includes('card-removed'));
    expect(removed).toHaveLength(before); // the unsubscribed listener saw nothing more
  });
});

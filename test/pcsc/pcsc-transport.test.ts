import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { PcscConnector } from '../../src/transport/pcsc/pcsc-connector.js';
import { PcscReaderMonitor } from '../../src/transport/pcsc/pcsc-reader-monitor.js';
import type { ReaderEvent } from '../../src/transport/reader-monitor.js';
import { TransportError } from '../../src/transport/transport-error.js';
import { READER_0, READER_1, ensurePcscd, run, waitFor } from '../support/pcscd.js';
import { CHALLENGE, GET_CHALLENGE_8, TEST_ATR_HEX, TestCard } from '../support/test-card.js';

const pcscd = await ensurePcscd();

describe.skipIf(!pcscd.available)(`PC/SC transport against pcscd + vpcd (${pcscd.reason})`, () => {
  let monitor: PcscReaderMonitor;
  let connector: PcscConnector;
  let events: ReaderEvent[] = [];
  const clients: VpcdClient[] = [];

  const cardIn = (reader: string): boolean => monitor.readers().some((r) => r.reader.name === reader && r.cardPresent);
  async function insert(options: ConstructorParameters<typeof VpcdClient>[1] = {}): Promise<VpcdClient> {
    const client = new VpcdClient(new TestCard(), options);
    clients.push(client);
    await client.insert();
    // docs/pcsc.md: insertion is seen 25-485 ms later (pcscd polls every ~400 ms)
    await waitFor(() => cardIn(options.slot === 1 ? READER_1 : READER_0), 3000, 'card-inserted');
    return client;
  }

  beforeAll(async () => {
    monitor = new PcscReaderMonitor();
    monitor.on((e) => events.push(e));
    await monitor.start();
    connector = new PcscConnector({ manager: monitor.manager });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.remove()));
    await waitFor(() => !cardIn(READER_0) && !cardIn(READER_1), 3000, 'card-removed');
    events = [];
  });

  afterAll(async () => {
    await connector?.close();
    await monitor?.stop();
  });

  it('monitor lists both vpcd readers with stable ids', () => {
    expect(monitor.readers().map((r) => r.reader.id)).toEqual([`pcsc:${READER_0}`, `pcsc:${READER_1}`]);
  });

  it('monitor sees the card inserted (ATR upper-case hex) and removed', async () => {
    const client = await insert();
    expect(events).toContainEqual({ type: 'card-inserted', reader: expect.objectContaining({ name: READER_0 }), atr: TEST_ATR_HEX });
    expect(monitor.readers().find((r) => r.reader.name === READER_0)).toMatchObject({ cardPresent: true, atr: TEST_ATR_HEX });
    await client.remove();
    await waitFor(() => events.some((e) => e.type === 'card-removed' && e.reader.name === READER_0), 3000, 'card-removed');
  });

  it('connector + transport: exclusive connect, ATR, round trip, close', async () => {
    await insert();
    const transport = await connector.connect(READER_0);
    try {
      expect(Buffer.from(transport.atr).toString('hex').toUpperCase()).toBe(TEST_ATR_HEX);
      expect(await transport.transmit(GET_CHALLENGE_8)).toEqual(Uint8Array.of(...CHALLENGE, 0x90, 0x00));
      expect(await transport.transmit(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00))).toEqual(Uint8Array.of(0x6d, 0x00));
    } finally {
      await transport.close();
    }
    await transport.close();
    await expect(transport.transmit(GET_CHALLENGE_8)).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
    // the slot is free again for the next operation
    const again = await connector.connect(`pcsc:${READER_0}`);
    await again.close();
  });

  it('slot 1 works too, and an empty reader gives NO_CARD', async () => {
    await insert({ slot: 1 });
    const transport = await connector.connect(READER_1);
    try {
      expect(await transport.transmit(GET_CHALLENGE_8)).toHaveLength(10);
    } finally {
      await transport.close();
    }
    await expect(connector.connect(READER_0)).rejects.toMatchObject({ code: 'NO_CARD', platformCode: 0x8010000c });
  });

  it('card pulled at APDU n -> CARD_REMOVED (the pulled APDU and the next one)', async () => {
    const client = await insert({ pullAtApdu: 2 });
    const transport = await connector.connect(READER_0);
    try {
      await transport.transmit(GET_CHALLENGE_8);
      await transport.transmit(GET_CHALLENGE_8);
      const started = Date.now();
      const error = await transport.transmit(GET_CHALLENGE_8).catch((e: unknown) => e);
      console.info(`pulled APDU reported after ${Date.now() - started} ms: ${String(error)}`);
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'CARD_REMOVED' });
      expect(client.inserted).toBe(false);
      await expect(transport.transmit(GET_CHALLENGE_8)).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    } finally {
      await transport.close();
    }
    await waitFor(() => !cardIn(READER_0), 3000, 'card-removed after the pull');
    await expect(connector.connect(READER_0)).rejects.toMatchObject({ code: 'NO_CARD' });
  });

  it('median APDU round trip < 5 ms (catches a pcscd without the TCP_NODELAY preload)', async () => {
    await insert();
    const transport = await connector.connect(READER_0);
    const times: number[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        const start = process.hrtime.bigint();
        await transport.transmit(GET_CHALLENGE_8);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    } finally {
      await transport.close();
    }
    times.sort((a, b) => a - b);
    const median = times[times.length >> 1] ?? Infinity;
    console.info(`median APDU round trip: ${(median * 1000).toFixed(0)} µs (p90 ${((times[180] ?? 0) * 1000).toFixed(0)} µs)`);
    // docs/pcsc.md: ~44,000 µs without the fix, ~150 µs with the preload
    expect(median, 'pcscd without the TCP_NODELAY preload? run scripts/pcscd.sh restart').toBeLessThan(5);
  });

  it('another process cannot use the card during our exclusive operation', async () => {
    await insert();
    const transport = await connector.connect(READER_0);
    try {
      const other = await run('opensc-tool', ['-r', READER_0, '-s', '0084000008'], 20_000);
      expect(other.code).not.toBe(0);
      expect(`${other.stdout}${other.stderr}`).toMatch(/Reader in use by another application/);
    } finally {
      await transport.close();
    }
    // positive control: once our operation ends, the same command goes through
    const after = await run('opensc-tool', ['-r', READER_0, '-s', '0084000008'], 20_000);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/SW1=0x90, SW2=0x00/);
  });
});

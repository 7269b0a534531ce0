import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePcsc } from '../../../native-shims/fake-pcsc.js';
import { PcscConnector } from '../../../src/transport/pcsc/pcsc-connector.js';
import { PcscContextManager } from '../../../src/transport/pcsc/pcsc-context.js';
import { TransportError, type TransportErrorCode } from '../../../src/transport/transport-error.js';
import { CHALLENGE, GET_CHALLENGE_8, TEST_ATR, testCardResponse } from '../../support/test-card.js';

const R0 = 'Fake Reader 00';
const R1 = 'Fake Reader 01';

async function rejection(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

describe('PcscConnector + PcscCardTransport over the fake PC/SC', () => {
  let fake: FakePcsc;
  let connector: PcscConnector;

  beforeEach(() => {
    fake = new FakePcsc();
    fake.addReader(R0);
    fake.addReader(R1);
    fake.insertCard(R0, { atr: TEST_ATR, transmit: testCardResponse });
    connector = new PcscConnector({ binding: fake, serviceWaitMs: 300, removalCheckMs: 100, retryInitialMs: 20, retryMaxMs: 50, settleMinMs: 5 });
  });

  afterEach(async () => {
    await connector.close();
    expect(fake.openHandles()).toEqual({ contexts: 0, readers: 0 });
    expect(fake.contexts.flatMap((c) => c.created).some((r) => r.closedBeforeFirstStatus)).toBe(false);
  });

  it('connects exclusive, transmits, reports the ATR and closes idempotently', async () => {
    const transport = await connector.connect(R0);
    expect(transport.reader).toEqual({ id: `pcsc:${R0}`, name: R0, kind: 'pcsc', simulated: false });
    expect(Buffer.from(transport.atr)).toEqual(Buffer.from(TEST_ATR));
    expect(await transport.transmit(GET_CHALLENGE_8)).toEqual(Uint8Array.of(...CHALLENGE, 0x90, 0x00));
    expect(await transport.transmit(Uint8Array.of(0, 0xb0, 0, 0, 0))).toEqual(Uint8Array.of(0x6d, 0x00));
    await Promise.all([transport.close(), transport.close()]);
    await transport.close();
    expect((await rejection(transport.transmit(GET_CHALLENGE_8))).code).toBe('TRANSPORT_CLOSED');
  });

  it('a transmit or close made while nothing is pending reaches the binding before it returns; one call at a time', async () => {
    // docs/performance.md "Where the time of one sequential read goes": the session decodes the
    // previous answer while the next exchange is in flight, so the binding call cannot wait a microtask.
    const transport = await connector.connect(R0);
    const raw = connector.manager.reader(R0)!;
    const calls: string[] = [];
    const transmit = raw.transmit.bind(raw);
    raw.transmit = (...args) => {
      calls.push('transmit');
      transmit(...args);
    };
    const disconnect = raw.disconnect.bind(raw);
    raw.disconnect = (...args) => {
      calls.push('disconnect');
      disconnect(...args);
    };
    const first = transport.transmit(GET_CHALLENGE_8);
    expect(calls).toEqual(['transmit']);
    const second = transport.transmit(GET_CHALLENGE_8); // queued behind the one in flight
    const closing = transport.close();
    expect(calls).toEqual(['transmit']);
    expect(await first).toEqual(Uint8Array.of(...CHALLENGE, 0x90, 0x00));
    await second;
    await closing;
    expect(calls).toEqual(['transmit', 'transmit', 'disconnect']);
    const again = await connector.connect(R0);
    const rawAgain = connector.manager.reader(R0)!;
    const disconnectAgain = rawAgain.disconnect.bind(rawAgain);
    let disconnects = 0;
    rawAgain.disconnect = (...args) => {
      disconnects++;
      disconnectAgain(...args);
    };
    const idleClose = again.close();
    expect(disconnects).toBe(1);
    await idleClose;
  });

  it('accepts a reader id as well as a name', async () => {
    const transport = await connector.connect(`pcsc:${R0}`);
    await transport.close();
  });

  it.each<[string, number, TransportErrorCode]>([
    ['connect', 0x8010000b, 'SHARING_VIOLATION'],
    ['connect', 0x80100066, 'UNRESPONSIVE_CARD'],
    ['connect', 0x80100068, 'CARD_RESET'],
    ['connect', 0x8010000a, 'TIMEOUT'],
    ['connect', 0x80100017, 'READER_NOT_FOUND'],
    ['connect', 0x80100003, 'IO_ERROR'],
    ['transmit', 0x80100069, 'CARD_REMOVED'],
    ['transmit', 0x80100068, 'CARD_RESET'],
    ['transmit', 0x80100066, 'UNRESPONSIVE_CARD'],
    ['transmit', 0x8010000a, 'TIMEOUT'],
    ['transmit', 0x80100002, 'CANCELLED'],
    ['transmit', 0x80100016, 'IO_ERROR'],
  ])('injected %s fault status %d -> %s', async (operation, status, code) => {
    fake.injectFault({ operation: operation as 'connect' | 'transmit', status, reader: R0 });
    if (operation === 'connect') {
      const error = await rejection(connector.connect(R0));
      expect(error.code).toBe(code);
      expect(error.platformCode).toBe(status);
      // the lock was released: the next connect works
      await (await connector.connect(R0)).close();
    } else {
      const transport = await connector.connect(R0);
      const error = await rejection(transport.transmit(GET_CHALLENGE_8));
      expect(error.code).toBe(code);
      expect(error.platformCode).toBe(status);
      await transport.close();
    }
  });

  it('NO_CARD, READER_NOT_FOUND and NO_READERS', async () => {
    expect((await rejection(connector.connect(R1))).code).toBe('NO_CARD');
    expect((await rejection(connector.connect('No Such Reader'))).code).toBe('READER_NOT_FOUND');
    fake.removeReader(R0);
    fake.removeReader(R1);
    await new Promise((r) => setTimeout(r, 20));
    expect((await rejection(connector.connect(R0))).code).toBe('NO_READERS');
  });

  it('card pulled after connect -> CARD_REMOVED, then NO_CARD', async () => {
    const transport = await connector.connect(R0);
    fake.removeCard(R0);
    const error = await rejection(transport.transmit(GET_CHALLENGE_8));
    expect(error.code).toBe('CARD_REMOVED');
    expect(error.platformCode).toBe(0x80100069);
    await transport.close();
    expect((await rejection(connector.connect(R0))).code).toBe('NO_CARD');
  });

  it('another process holding the card exclusively -> SHARING_VIOLATION', async () => {
    const other = fake.createContext();
    other.on('error', () => undefined); // close() emits "Command cancelled"
    const reader = await new Promise<import('../../../native-shims/pcsclite.js').PcscReader>((resolve) => other.on('reader', (r) => r.name === R0 && resolve(r)));
    await new Promise<void>((resolve, reject) => reader.connect({ share_mode: 1, protocol: 3 }, (e) => (e ? reject(e) : resolve())));
    const error = await rejection(connector.connect(R0));
    expect(error.code).toBe('SHARING_VIOLATION');
    await new Promise<void>((resolve) => reader.disconnect(0, () => resolve()));
    await new Promise((r) => setImmediate(r));
    for (const r of Object.values(other.readers)) r.close();
    other.close();
    await new Promise((r) => setTimeout(r, 10));
  });

  it('one operation at a time per reader: a second connect waits for close', async () => {
    const first = await connector.connect(R0);
    let secondDone = false;
    const second = connector.connect(R0).then((t) => {
      secondDone = true;
      return t;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(secondDone).toBe(false);
    await first.close();
    const t2 = await second;
    expect(await t2.transmit(GET_CHALLENGE_8)).toHaveLength(10);
    await t2.close();
  });

  describe('connection handover (docs/pcsc.md)', () => {
    /** Counts SCardConnect / SCardDisconnect on the reader object the connector uses. */
    async function counted(): Promise<{ connects: () => number; disconnects: () => number; connected: () => boolean }> {
      await (await connector.connect(R0)).close(); // the reader object exists after a first use
      const raw = connector.manager.reader(R0)!;
      await afterTurn({ connected: () => raw.connected });
      let c = 0;
      let d = 0;
      const connect = raw.connect.bind(raw);
      const disconnect = raw.disconnect.bind(raw);
      raw.connect = (o, cb) => (c++, connect(o, cb));
      raw.disconnect = (disp, cb) => (d++, disconnect(disp, cb));
      return { connects: () => c, disconnects: () => d, connected: () => raw.connected };
    }
    /** Past the turn in which a handed-over handle can be claimed, and its disconnect. */
    async function afterTurn(n: { connected: () => boolean }): Promise<void> {
      await new Promise((r) => setImmediate(r));
      for (let i = 0; i < 100 && n.connected(); i++) await new Promise((r) => setTimeout(r, 5));
    }

    it('an operation queued behind another gets its connected handle: no disconnect + connect between them', async () => {
      const n = await counted();
      const first = await connector.connect(R0);
      const queued = connector.connect(R0);
      await first.close({ nextQueued: true });
      const second = await queued;
      expect(await second.transmit(GET_CHALLENGE_8)).toEqual(Uint8Array.of(...CHALLENGE, 0x90, 0x00));
      expect(Buffer.from(second.atr)).toEqual(Buffer.from(TEST_ATR));
      expect([n.connects(), n.disconnects()]).toEqual([1, 0]);
      await second.close();
      await afterTurn(n); // nobody claimed it: the idle reader is released
      expect([n.connects(), n.disconnects(), n.connected()]).toEqual([1, 1, false]);
    });

    it('a connect made in the same turn as the close (the next queued operation) takes the handle', async () => {
      const n = await counted();
      const first = await connector.connect(R0);
      await first.close({ nextQueued: true });
      const second = await connector.connect(R0);
      expect(await second.transmit(GET_CHALLENGE_8)).toHaveLength(10);
      expect([n.connects(), n.disconnects()]).toEqual([1, 0]);
      await second.close();
      await afterTurn(n);
      expect(n.disconnects()).toBe(1);
    });

    it('a free reader with the service up: SCardConnect is issued in the caller\'s turn; a held one waits (docs/performance.md)', async () => {
      const n = await counted();
      const connecting = connector.connect(R0);
      expect(n.connects()).toBe(1); // no await yet: the binding call is already made
      const first = await connecting;
      const queued = connector.connect(R0);
      expect(n.connects()).toBe(1);
      await first.close();
      const second = await queued;
      expect(n.connects()).toBe(2);
      expect(await second.transmit(GET_CHALLENGE_8)).toHaveLength(10);
      await second.close();
      expect((await rejection(connector.connect(R0, { signal: AbortSignal.abort() }))).code).toBe('CANCELLED');
      expect(n.connects()).toBe(2);
    });

    it('without nextQueued, close() resolves after the disconnect (the card is free for other processes)', async () => {
      const n = await counted();
      const first = await connector.connect(R0);
      await first.close();
      expect([n.connects(), n.disconnects(), n.connected()]).toEqual([1, 1, false]);
    });

    it('a connection whose transmit failed is disconnected, the next operation connects afresh', async () => {
      const n = await counted();
      const first = await connector.connect(R0);
      fake.injectFault({ operation: 'transmit', status: 0x80100016, reader: R0 });
      expect((await rejection(first.transmit(GET_CHALLENGE_8))).code).toBe('IO_ERROR');
      const queued = connector.connect(R0);
      await first.close({ nextQueued: true });
      const second = await queued;
      expect([n.connects(), n.disconnects()]).toEqual([2, 1]);
      expect(await second.transmit(GET_CHALLENGE_8)).toHaveLength(10);
      await second.close();
    });

    it('unclaimed (the waiter gave up): disconnected after the turn, the next operation connects afresh', async () => {
      const n = await counted();
      const first = await connector.connect(R0);
      const controller = new AbortController();
      const waiting = connector.connect(R0, { signal: controller.signal });
      controller.abort();
      expect((await rejection(waiting)).code).toBe('CANCELLED');
      await first.close({ nextQueued: true });
      await afterTurn(n);
      expect([n.connects(), n.disconnects(), n.connected()]).toEqual([1, 1, false]);
      const again = await connector.connect(R0);
      expect(await again.transmit(GET_CHALLENGE_8)).toHaveLength(10);
      expect(n.connects()).toBe(2);
      await again.close();
    });
  });

  it('abort while waiting -> CANCELLED; pre-aborted -> CANCELLED', async () => {
    const first = await connector.connect(R0);
    const controller = new AbortController();
    const waiting = connector.connect(R0, { signal: controller.signal });
    controller.abort();
    expect((await rejection(waiting)).code).toBe('CANCELLED');
    expect((await rejection(connector.connect(R0, { signal: AbortSignal.abort() }))).code).toBe('CANCELLED');
    await first.close();
  });

  it('service down: NO_SERVICE while down, transmit on the old connection NO_SERVICE, works after recovery', async () => {
    const transport = await connector.connect(R0);
    fake.serviceDown();
    const error = await rejection(transport.transmit(GET_CHALLENGE_8));
    expect(error.code).toBe('NO_SERVICE');
    await transport.close();
    expect((await rejection(connector.connect(R0))).code).toBe('NO_SERVICE');
    fake.serviceUp();
    const again = await connector.connect(R0);
    expect(await again.transmit(GET_CHALLENGE_8)).toHaveLength(10);
    await again.close();
  });

  it('injected context establishment fault -> NO_SERVICE then recovery', async () => {
    const fresh = new FakePcsc();
    fresh.addReader(R0);
    fresh.insertCard(R0, { atr: TEST_ATR, transmit: testCardResponse });
    fresh.injectFault({ operation: 'establish', status: 0x8010001d, times: 2 });
    const manager = new PcscContextManager({ binding: fresh, retryInitialMs: 10, retryMaxMs: 20, settleMinMs: 5 });
    const c = new PcscConnector({ manager, serviceWaitMs: 1000 });
    const t = await c.connect(R0);
    expect(fresh.establishAttempts).toBe(3);
    await t.close();
    await c.close(); // does not own the manager
    expect(fresh.openHandles().contexts).toBe(1);
    await manager.stop();
    expect(fresh.openHandles()).toEqual({ contexts: 0, readers: 0 });
  });

  it('rejects too-short commands with PROTOCOL_ERROR without touching the card', async () => {
    const transport = await connector.connect(R0);
    expect((await rejection(transport.transmit(Uint8Array.of(0, 0x84)))).code).toBe('PROTOCOL_ERROR');
    await transport.close();
  });

  it('empty response while the card goes away -> CARD_REMOVED (vpcd pull behaviour)', async () => {
    fake.insertCard(R1, {
      atr: TEST_ATR,
      transmit: () => {
        fake.removeCard(R1);
        return new Uint8Array(0);
      },
    });
    const transport = await connector.connect(R1);
    const error = await rejection(transport.transmit(GET_CHALLENGE_8));
    expect(error.code).toBe('CARD_REMOVED');
    await transport.close();
  });

  it('empty response with the card still present -> PROTOCOL_ERROR; NOT_TRANSACTED -> IO_ERROR', async () => {
    const quick = new PcscConnector({ manager: connector.manager, removalCheckMs: 30 });
    fake.insertCard(R1, { atr: TEST_ATR, transmit: () => new Uint8Array(0) });
    const transport = await quick.connect(R1);
    expect((await rejection(transport.transmit(GET_CHALLENGE_8))).code).toBe('PROTOCOL_ERROR');
    fake.injectFault({ operation: 'transmit', status: 0x80100016, reader: R1 });
    const error = await rejection(transport.transmit(GET_CHALLENGE_8));
    expect(error.code).toBe('IO_ERROR');
    expect(error.platformCode).toBe(0x80100016);
    await transport.close();
  });

  it('a reader busy for longer than busyWaitMs -> TIMEOUT', async () => {
    const impatient = new PcscConnector({ manager: connector.manager, busyWaitMs: 30 });
    const first = await impatient.connect(R0);
    const error = await rejection(impatient.connect(R0));
    expect(error.code).toBe('TIMEOUT');
    await first.close();
    await (await impatient.connect(R0)).close();
  });
});

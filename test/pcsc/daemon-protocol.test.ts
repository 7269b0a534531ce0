import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedCard } from '../../simulators/create-card.js';
import { loadProfile } from '../../simulators/load-profile.js';
import { VpcdClient } from '../../simulators/vpcd-client.js';
import { expectedCard, expectedHolder } from '../contract/expected-from-profile.js';
import { RpcSocket, spawnDaemon, type DaemonChild } from '../support/daemon.js';
import { READER_0, READER_1, ensurePcscd, sleep, waitFor } from '../support/pcscd.js';

const available = await ensurePcscd();
const ORIGIN = 'http://127.0.0.1:8121';
const ID0 = `pcsc:${READER_0}`;
const ID1 = `pcsc:${READER_1}`;

/**
 * Issue #6 protocol over a real socket: `sscard daemon` in a child process, simulated cards
 * plugged into the real pcscd through vpcd by this process (asynchronous: never blocks the loop).
 */
describe.skipIf(!available.available)(`daemon protocol through pcscd + vpcd (${available.reason})`, () => {
  let d: DaemonChild;
  let tight: DaemonChild;
  let reader: RpcSocket;
  let counter: RpcSocket;
  let watcher: RpcSocket;
  const cards: VpcdClient[] = [];

  const present = async (id: string) =>
    ((await reader.ok('readers.list')).readers as { id: string; cardPresent: boolean }[]).some((r) => r.id === id && r.cardPresent);

  async function insert(profile: string, slot: 0 | 1, options: { pullAtApdu?: number } = {}): Promise<VpcdClient> {
    const c = new VpcdClient(createSimulatedCard(profile), { slot, ...options });
    cards.push(c);
    await c.insert();
    const id = slot === 0 ? ID0 : ID1;
    const deadline = Date.now() + 5000;
    while (!(await present(id))) {
      if (Date.now() > deadline) throw new Error(`card not seen in ${id}`);
      await sleep(50);
    }
    return c;
  }

  beforeAll(async () => {
    d = await spawnDaemon({ allowedOrigins: [ORIGIN], counterKeys: { allowTestKeys: true }, limits: { pinVerifyPerMinute: 100 } });
    tight = await spawnDaemon({ limits: { queueTimeoutMs: 1, operationTimeoutMs: 10_000 } });
    reader = await RpcSocket.ready(d.port, { token: d.readerToken });
    counter = await RpcSocket.ready(d.port, { token: d.counterToken });
    watcher = await RpcSocket.ready(d.port, { origin: ORIGIN });
    await watcher.ok('events.subscribe');
  });

  afterEach(async () => {
    await Promise.all(cards.splice(0).map((c) => c.remove()));
    await waitFor(() => true, 0, '');
    for (const id of [ID0, ID1]) {
      const deadline = Date.now() + 5000;
      while (await present(id)) {
        if (Date.now() > deadline) throw new Error(`card still in ${id}`);
        await sleep(50);
      }
    }
  });

  afterAll(async () => {
    for (const s of [reader, counter, watcher]) s?.close();
    expect(await d?.proc.stop()).toBe(0); // graceful shutdown on SIGINT: exit 0
    await tight?.proc.stop();
  });

  it('hello: negotiates the highest common level, says simulated readers are off; HELLO_REQUIRED before it; UNSUPPORTED_API_LEVEL', async () => {
    const s = await RpcSocket.open(d.port, { token: d.readerToken });
    expect(await s.code('readers.list')).toBe('HELLO_REQUIRED');
    expect((await s.call('hello', { minApiLevel: 3, maxApiLevel: 9 })).error?.data).toEqual({ code: 'UNSUPPORTED_API_LEVEL', min: 1, max: 2 });
    const h = await s.ok('hello', { minApiLevel: 1, maxApiLevel: 7 });
    expect(h).toMatchObject({ apiLevel: 2, role: 'reader', simulatedReaders: false, server: { name: 'sscard' } });
    // a level-1 client is still served, without the level-2 methods
    const old = await RpcSocket.open(d.port, { token: d.counterToken });
    expect((await old.ok('hello', { minApiLevel: 1, maxApiLevel: 1 })).methods).not.toContain('card.cancel');
    expect(await old.code('audit.list', {})).toBe('METHOD_NOT_FOUND');
    old.close();
    s.close();
  });

  it('readers.list: both vpcd readers, not simulated, no ATR', async () => {
    await insert('demo', 1);
    const r = await reader.ok('readers.list');
    expect(r.pcscUp).toBe(true);
    expect(r.readers).toEqual([
      { id: ID0, name: READER_0, kind: 'pcsc', simulated: false, cardPresent: false },
      { id: ID1, name: READER_1, kind: 'pcsc', simulated: false, cardPresent: true },
    ]);
  });

  it('card.read: the card in the named reader, decoded, with its registry status; only to the connection that asked', async () => {
    await insert('v2-long-name', 0);
    const before = watcher.replies.length;
    const r = await reader.ok('card.read', { reader: READER_0 });
    const p = loadProfile('v2-long-name');
    expect(r.reader).toEqual({ id: ID0, name: READER_0, kind: 'pcsc', simulated: false });
    expect(r.application).toBe('social');
    expect(r.data.card).toEqual(expectedCard(p));
    expect(r.data.holder).toMatchObject({ status: "read", data: expectedHolder(p) });
    expect(r.status.kind).toBe('normal');
    expect(watcher.replies.length).toBe(before); // nothing reached the other connection
    expect(JSON.stringify(watcher.events)).not.toContain(p.holder.name);
  });

  it('card.read errors: NO_CARD, READER_NOT_FOUND, AMBIGUOUS_READER, CARD_REMOVED, INVALID_PARAMS, METHOD_NOT_FOUND', async () => {
    expect(await reader.code('card.read', {})).toBe('NO_CARD');
    expect(await reader.code('card.read', { reader: READER_0 })).toBe('NO_CARD');
    expect(await reader.code('card.read', { reader: 'Nope 00 00' })).toBe('READER_NOT_FOUND');
    await insert('demo', 0);
    await insert('v1-zhang-san', 1);
    const amb = await reader.call('card.read', {});
    expect(amb.error?.data).toEqual({ code: 'AMBIGUOUS_READER', readers: [READER_0, READER_1] });
    expect(await reader.code('card.read', { reader: READER_0, application: 'financial' })).toBe('INVALID_PARAMS');
    expect(await reader.code('card.read', { reader: READER_0, extra: true })).toBe('INVALID_PARAMS');
    expect(await reader.code('card.format', {})).toBe('METHOD_NOT_FOUND');
    await Promise.all(cards.splice(0).map((c) => c.remove()));
    await waitFor(() => true, 0, '');
    while ((await present(ID0)) || (await present(ID1))) await sleep(50);
    await insert('demo', 0, { pullAtApdu: 2 });
    expect(await reader.code('card.read', { reader: READER_0 })).toBe('CARD_REMOVED');
  });

  it('BUSY_TIMEOUT: a request that waits in the queue longer than allowed', async () => {
    await insert('demo', 0);
    const s = await RpcSocket.ready(tight.port, { token: tight.readerToken });
    // pin.status, not card.read: identical card.reads queued together share one run (docs/performance.md "Coalescing").
    const replies = await Promise.all([0, 1, 2].map(() => s.call('pin.status', { reader: READER_0 })));
    const codes = replies.map((r) => r.error?.data.code ?? 'OK');
    expect(codes[0]).toBe('OK');
    expect(codes.slice(1)).toContain('BUSY_TIMEOUT');
    s.close();
  });

  it('card.status / card.lock / card.release: normal -> temporarily-locked -> STATUS_REFUSED -> normal', async () => {
    await insert('demo', 1);
    const p = loadProfile('demo');
    const ident = { cardIdentificationCode: p.card.cardIdentificationCode, cardNumber: p.card.cardNumber };
    expect((await reader.ok('card.status', {})).status.kind).toBe('normal');
    const locked = await counter.ok('card.lock', { ...ident, kind: 'temporary', reason: 'lost at the market' });
    expect(locked.status).toMatchObject({ kind: 'temporarily-locked', site: '110100-test-counter', operator: 'test.operator' });
    expect((await reader.ok('card.status', { reader: ID1 })).status.kind).toBe('temporarily-locked');
    expect((await reader.ok('card.read', {})).status.kind).toBe('temporarily-locked');
    expect((await counter.call('card.lock', { ...ident, kind: 'temporary' })).error?.data).toMatchObject({ code: 'STATUS_REFUSED', reason: 'ALREADY_LOCKED' });
    expect((await counter.ok('card.release', ident)).status.kind).toBe('normal');
    expect((await counter.call('card.release', ident)).error?.data).toMatchObject({ code: 'STATUS_REFUSED', reason: 'NOT_LOCKED' });
    expect(await counter.code('card.lock', { ...ident, cardNumber: 'bad', kind: 'temporary' })).toBe('INVALID_PARAMS');
    expect(await reader.code('card.lock', { ...ident, kind: 'temporary' })).toBe('FORBIDDEN');
  });

  it('events: card-inserted / card-removed for the vpcd reader, without ATR or card data', async () => {
    watcher.events.length = 0;
    const c = await insert('demo', 0);
    await c.remove();
    cards.splice(cards.indexOf(c), 1);
    const deadline = Date.now() + 5000;
    while (!watcher.events.some((e) => e.type === 'card-removed')) {
      if (Date.now() > deadline) throw new Error('no card-removed event');
      await sleep(20);
    }
    const rdr = { id: ID0, name: READER_0, kind: 'pcsc', simulated: false };
    expect(watcher.events).toEqual([
      { type: 'card-inserted', reader: rdr },
      { type: 'card-removed', reader: rdr },
    ]);
  });

  it('a client that disconnects mid-queue: its requests are dropped, the others are served', async () => {
    await insert('demo', 0);
    const quitter = await RpcSocket.ready(d.port, { token: d.readerToken });
    for (let i = 0; i < 5; i++) quitter.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 100 + i, method: 'card.read', params: { reader: READER_0 } }));
    quitter.close();
    const r = await reader.ok('card.read', { reader: READER_0 });
    expect(r.data.card.cardNumber).toBe('A12345674');
  });

  it('pin.status / pin.verify / pin.change: WRONG_PIN, PIN_FORMAT, PIN_POLICY, LAST_TRY_NOT_CONFIRMED, PIN_BLOCKED', async () => {
    await insert('demo', 0);
    const st = await reader.ok('pin.status', {});
    expect(st).toMatchObject({ reader: { id: ID0 }, blocked: false });
    const limit = st.triesLeft as number;
    expect(limit).toBeGreaterThanOrEqual(2);
    expect(await reader.ok('pin.verify', { pin: '123456' })).toEqual({ reader: { id: ID0, name: READER_0, kind: 'pcsc', simulated: false }, ok: true });
    expect((await reader.call('pin.verify', { pin: '1234' })).error?.data).toMatchObject({ code: 'PIN_FORMAT' });
    expect(await reader.code('pin.verify', { pin: '12345x' })).toBe('INVALID_PARAMS');
    expect((await reader.call('pin.change', { oldPin: '123456', newPin: '111111' })).error?.data).toEqual({ code: 'PIN_POLICY', reason: 'ALL_SAME_DIGITS' });
    // demo holder born 1990-03-07: YYMMDD as a 6-digit PIN is refused
    expect((await reader.call('pin.change', { oldPin: '123456', newPin: '900307' })).error?.data).toEqual({ code: 'PIN_POLICY', reason: 'BIRTH_DATE' });
    expect((await reader.ok('pin.change', { oldPin: '123456', newPin: '135790' })).ok).toBe(true);
    expect((await reader.ok('pin.verify', { pin: '135790' })).ok).toBe(true);
    for (let left = limit - 1; left >= 1; left--) {
      expect((await reader.call('pin.verify', { pin: '000000' })).error?.data).toMatchObject({ code: 'WRONG_PIN', triesLeft: left });
    }
    expect((await reader.call('pin.verify', { pin: '000000' })).error?.data).toEqual({ code: 'LAST_TRY_NOT_CONFIRMED', triesLeft: 1 });
    expect(await reader.code('pin.verify', { pin: '000000', confirmLastTry: true })).toBe('PIN_BLOCKED');
    expect(await reader.ok('pin.status', {})).toMatchObject({ triesLeft: 0, blocked: true });
    expect(await reader.code('pin.verify', { pin: '135790', confirmLastTry: true })).toBe('PIN_BLOCKED');
    // counter: unblock (tries back, PIN unchanged), then reset (new PIN)
    expect(await reader.code('pin.unblock', {})).toBe('FORBIDDEN');
    expect((await counter.ok('pin.unblock', {})).ok).toBe(true);
    expect((await reader.ok('pin.status', {})).blocked).toBe(false);
    expect((await reader.ok('pin.verify', { pin: '135790' })).ok).toBe(true);
    expect((await counter.ok('pin.reset', { newPin: '246813' })).ok).toBe(true);
    expect((await reader.ok('pin.verify', { pin: '246813' })).ok).toBe(true);
  });

  it('CARD_LOCKED: PIN use refused while the card is locked in the registry', async () => {
    await insert('demo', 0);
    const p = loadProfile('demo');
    const ident = { cardIdentificationCode: p.card.cardIdentificationCode, cardNumber: p.card.cardNumber };
    await counter.ok('card.lock', { ...ident, kind: 'temporary' });
    try {
      const e = (await reader.call('pin.verify', { pin: '123456' })).error?.data;
      expect(e).toMatchObject({ code: 'CARD_LOCKED', kind: 'temporarily-locked' });
      expect(typeof e?.until).toBe('string');
      expect(await reader.code('pin.change', { oldPin: '123456', newPin: '135790' })).toBe('CARD_LOCKED');
    } finally {
      await counter.ok('card.release', ident);
    }
    expect((await reader.ok('pin.verify', { pin: '123456' })).ok).toBe(true);
  });

  it('card.block: CONFIRMATION_MISMATCH for another card number; then blocked on the chip and in the registry', async () => {
    await insert('v1-zhang-san', 1);
    expect(await reader.code('card.block', { confirm: 'BLOCK-APPLICATION', cardNumber: 'X00000019' })).toBe('FORBIDDEN');
    expect(await counter.code('card.block', { confirm: 'BLOCK-APPLICATION', cardNumber: 'A12345674' })).toBe('CONFIRMATION_MISMATCH');
    expect(await counter.code('card.block', { confirm: 'YES', cardNumber: 'X00000019' })).toBe('INVALID_PARAMS');
    const r = await counter.ok('card.block', { confirm: 'BLOCK-APPLICATION', cardNumber: 'X00000019' });
    expect(r.status.kind).toBe('blocked-on-chip');
    expect(await reader.code('card.read', {})).toBe('APPLICATION_BLOCKED');
  });
});

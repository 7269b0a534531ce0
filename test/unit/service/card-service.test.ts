import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSimulatedCard } from '../../../simulators/create-card.js';
import { TranscriptRecorder } from '../../../src/apdu/transcript-recorder.js';
import { SocialSecuritySession } from '../../../src/cards/social-security/social-security-session.js';
import { CardService, type OperationInfo } from '../../../src/service/card-service.js';
import { ReaderRegistry } from '../../../src/service/reader-registry.js';
import { InProcessReaderSource } from '../../../src/transport/in-process/in-process-reader-source.js';

const SELECT_MF = Uint8Array.of(0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(profiles = ['demo', 'v1-zhang-san'], options: ConstructorParameters<typeof CardService>[1] = {}) {
  const source = new InProcessReaderSource(profiles.map((profileId) => ({ profileId, card: createSimulatedCard(profileId) })));
  const registry = new ReaderRegistry([source]);
  await registry.start();
  const service = new CardService(registry, options);
  const ids = registry.readers().map((r) => r.reader.id);
  return { source, registry, service, ids };
}

describe('CardService: per-reader FIFO, timeouts, cancellation', () => {
  let stopAll: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stopAll?.();
    stopAll = undefined;
  });

  it('runs operations on one reader one at a time, in arrival order; other readers in parallel', async () => {
    const { registry, service, ids } = await setup();
    stopAll = () => registry.stop();
    const order: string[] = [];
    const active = new Map<string, number>();
    let maxActive = 0;
    let parallelAcrossReaders = false;
    const op = (reader: string, name: string) =>
      service.run({ label: name, reader }, async (ctx) => {
        const n = (active.get(reader) ?? 0) + 1;
        active.set(reader, n);
        maxActive = Math.max(maxActive, n);
        if ([...active.values()].filter((x) => x > 0).length > 1) parallelAcrossReaders = true;
        order.push(`${name}:start`);
        await ctx.stack.transmit(SELECT_MF);
        await sleep(20);
        await ctx.stack.transmit(SELECT_MF);
        order.push(`${name}:end`);
        active.set(reader, n - 1);
        return name;
      });
    const results = await Promise.all([op(ids[0]!, 'a1'), op(ids[0]!, 'a2'), op(ids[1]!, 'b1'), op(ids[0]!, 'a3')]);
    expect(results).toEqual(['a1', 'a2', 'b1', 'a3']);
    expect(maxActive).toBe(1);
    expect(parallelAcrossReaders).toBe(true);
    const a = order.filter((x) => x.startsWith('a'));
    expect(a).toEqual(['a1:start', 'a1:end', 'a2:start', 'a2:end', 'a3:start', 'a3:end']);
  });

  it('release(): ends the hold before the body returns when nothing waits; with an operation queued the close stays after the body', async () => {
    const { registry, service, ids } = await setup(['demo']);
    stopAll = () => registry.stop();
    const outcomes: string[] = [];
    const op = (name: string) =>
      service.run({ label: name, reader: ids[0] }, async (ctx) => {
        await ctx.stack.transmit(SELECT_MF);
        await ctx.release();
        await ctx.release(); // idempotent
        outcomes.push(
          await ctx.stack.transmit(SELECT_MF).then(
            () => `${name}:still open`,
            (e: { code?: string }) => `${name}:${e.code}`,
          ),
        );
      });
    await op('alone');
    await Promise.all([op('first'), op('second')]);
    expect(outcomes).toEqual(['alone:TRANSPORT_CLOSED', 'first:still open', 'second:TRANSPORT_CLOSED']);
  });

  it('typed results: a full read through the queue; the transcript hook records each operation', async () => {
    const recorded = new Map<number, { info: OperationInfo; rec: TranscriptRecorder }>();
    const { registry, service, ids } = await setup(['demo'], {
      transcript: (info) => {
        const rec = new TranscriptRecorder();
        recorded.set(info.id, { info, rec });
        return rec;
      },
    });
    stopAll = () => registry.stop();
    const read = await service.run({ label: 'card.read', reader: ids[0] }, (ctx) => new SocialSecuritySession(ctx.stack).read());
    expect(read.card.cardNumber).toBe('A12345674');
    const [entry] = [...recorded.values()];
    expect(entry!.info).toMatchObject({ label: 'card.read', reader: { id: ids[0], simulated: true } });
    expect(entry!.rec.exchanges.length).toBeGreaterThanOrEqual(3);
    expect(entry!.rec.exchanges[0]!.command).toMatch(/^00A40400/);
  });

  it('reader choice without waiting: NO_CARD, AMBIGUOUS_READER, READER_NOT_FOUND, NO_READER', async () => {
    const { source, registry, service, ids } = await setup();
    stopAll = () => registry.stop();
    await expect(service.run({ label: 'x' }, async () => 1)).rejects.toMatchObject({ code: 'AMBIGUOUS_READER' });
    await expect(service.run({ label: 'x', reader: 'nope' }, async () => 1)).rejects.toMatchObject({ code: 'READER_NOT_FOUND' });
    source.remove(0);
    await expect(service.run({ label: 'x', reader: ids[0] }, async () => 1)).rejects.toMatchObject({ code: 'NO_CARD' });
    expect(await service.run({ label: 'x' }, async (c) => c.info.reader.id)).toBe(ids[1]);
    source.remove(1);
    await expect(service.run({ label: 'x' }, async () => 1)).rejects.toMatchObject({ code: 'NO_CARD' });
    const empty = new CardService(new ReaderRegistry([]));
    await expect(empty.run({ label: 'x' }, async () => 1)).rejects.toMatchObject({ code: 'NO_READER' });
  });

  it('a queued operation gives up with BUSY_TIMEOUT; the queue goes on', async () => {
    const { registry, service, ids } = await setup(['demo'], { queueTimeoutMs: 50 });
    stopAll = () => registry.stop();
    const long = service.run({ label: 'long', reader: ids[0] }, async () => {
      await sleep(150);
      return 'long';
    });
    await expect(service.run({ label: 'short', reader: ids[0] }, async () => 'short')).rejects.toMatchObject({ code: 'BUSY_TIMEOUT' });
    expect(await long).toBe('long');
    expect(await service.run({ label: 'after', reader: ids[0] }, async () => 'after')).toBe('after');
  });

  it('operation timeout: TIMEOUT at once, the body stops at its next APDU, then the reader is free', async () => {
    const { registry, service, ids } = await setup(['demo'], { operationTimeoutMs: 50 });
    stopAll = () => registry.stop();
    let apdusAfterTimeout = 0;
    let bodyError: unknown;
    const started = Date.now();
    const p = service.run({ label: 'slow', reader: ids[0] }, async (ctx) => {
      await ctx.stack.transmit(SELECT_MF);
      await sleep(120);
      try {
        await ctx.stack.transmit(SELECT_MF);
        apdusAfterTimeout++;
      } catch (e) {
        bodyError = e;
        throw e;
      }
    });
    await expect(p).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(110);
    expect(await service.run({ label: 'next', reader: ids[0] }, async () => 'next')).toBe('next');
    expect(apdusAfterTimeout).toBe(0);
    expect(bodyError).toMatchObject({ code: 'TIMEOUT' });
  });

  it('requester abort: queued operations are dropped, the running one stops at the next APDU boundary', async () => {
    const { registry, service, ids } = await setup(['demo']);
    stopAll = () => registry.stop();
    const client = new AbortController();
    const ran: string[] = [];
    let running!: () => void;
    const inBody = new Promise<void>((r) => (running = r));
    const first = service.run({ label: 'first', reader: ids[0], signal: client.signal }, async (ctx) => {
      ran.push('first');
      await ctx.stack.transmit(SELECT_MF);
      running();
      await sleep(50);
      await ctx.stack.transmit(SELECT_MF); // throws CANCELLED: the client is gone
      ran.push('first-after-abort');
    });
    const queued = service.run({ label: 'queued', reader: ids[0], signal: client.signal }, async () => void ran.push('queued'));
    const other = service.run({ label: 'other', reader: ids[0] }, async () => void ran.push('other'));
    await inBody;
    client.abort();
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(queued).rejects.toMatchObject({ code: 'CANCELLED' });
    await other;
    expect(ran).toEqual(['first', 'other']);
  });

  it('stop(): queued operations fail SHUTTING_DOWN, the running one finishes, new ones are refused', async () => {
    const { registry, service, ids } = await setup(['demo']);
    stopAll = () => registry.stop();
    const running = service.run({ label: 'r', reader: ids[0] }, async () => {
      await sleep(30);
      return 'done';
    });
    const queued = service.run({ label: 'q', reader: ids[0] }, async () => 'q').catch((e: unknown) => e);
    await sleep(1);
    await service.stop(1000);
    expect(await running).toBe('done');
    expect(await queued).toMatchObject({ code: 'SHUTTING_DOWN' });
    await expect(service.run({ label: 'late', reader: ids[0] }, async () => 1)).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
  });
});

describe('CardService: coalescing of identical queued read-only operations (shared-run.ts)', () => {
  let stopAll: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stopAll?.();
    stopAll = undefined;
  });

  /** Holds the reader until `free()`; what queues meanwhile is "queued, not started". */
  function holdReader(service: CardService, reader: string) {
    let free!: () => void;
    const gate = new Promise<void>((r) => (free = r));
    const held = service.run({ label: 'hold', reader }, async (ctx) => {
      await ctx.stack.transmit(SELECT_MF);
      await gate;
      return 'held';
    });
    return { held, free };
  }

  it('requests queued with the same key share one run and its result; one arriving after the start runs again', async () => {
    const { registry, service, ids } = await setup(['demo']);
    stopAll = () => registry.stop();
    const { held, free } = holdReader(service, ids[0]!);
    let runs = 0;
    const read = (owner: object) =>
      service.run({ label: 'card.read', reader: ids[0], owner, coalesce: 'card.read' }, async (ctx) => {
        runs++;
        const r = await new SocialSecuritySession(ctx.stack).read();
        await sleep(10);
        return r;
      });
    const queued = [read({}), read({}), read({})];
    const other = service.run({ label: 'card.read', reader: ids[0], coalesce: 'other-key' }, async () => 'other');
    await sleep(5);
    free();
    await held;
    await sleep(1); // the shared run has started: a new request is not let in
    const late = read({});
    const results = await Promise.all(queued);
    expect(results[0]!.card.cardNumber).toBe('A12345674');
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
    expect(await other).toBe('other');
    expect((await late).card.cardNumber).toBe('A12345674');
    expect(await late).not.toBe(results[0]);
    expect(runs).toBe(2);
    expect(service.pending(ids[0]!)).toBe(0);
  });

  it('on an idle reader the operation starts in the caller\'s turn (its connect is called before any await); queued ones wait', async () => {
    const { registry, service, ids } = await setup(['demo']);
    stopAll = () => registry.stop();
    const connects: string[] = [];
    const connect = registry.connect.bind(registry);
    registry.connect = (reader, signal) => (connects.push(reader), connect(reader, signal));
    const body = async (ctx: { stack: { transmit(c: Uint8Array): Promise<Uint8Array> } }) => ctx.stack.transmit(SELECT_MF);
    const shared = service.run({ label: 'card.read', reader: ids[0], coalesce: 'card.read' }, body);
    expect(connects).toEqual([ids[0]]); // no await yet
    // started: an identical request now (same turn) waits for the next run, as one arriving later would
    const next = service.run({ label: 'card.read', reader: ids[0], coalesce: 'card.read' }, body);
    const single = service.run({ label: 'pin.status', reader: ids[0] }, body);
    expect(connects).toHaveLength(1);
    expect(await shared).toBeInstanceOf(Uint8Array);
    await Promise.all([next, single]);
    expect(connects).toHaveLength(3);
    // an idle reader again, without coalescing: the same
    const alone = service.run({ label: 'pin.status', reader: ids[0] }, body);
    expect(connects).toHaveLength(4);
    await alone;
    // a requester already gone is refused without a connect
    const gone = service.run({ label: 'pin.status', reader: ids[0], signal: AbortSignal.abort() }, body);
    await expect(gone).rejects.toMatchObject({ code: 'CANCELLED' });
    const goneShared = service.run({ label: 'card.read', reader: ids[0], signal: AbortSignal.abort(), coalesce: 'card.read' }, body);
    await expect(goneShared).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(connects).toHaveLength(4);
    expect(service.pending(ids[0]!)).toBe(0);
  });

  it("a long-lived requester's signal keeps nothing per request once its shared runs are over (no AbortSignal.any)", async () => {
    // Node 20's AbortSignal.any keeps a WeakRef per call in each source signal: with a daemon
    // connection's signal as the source, a connection's heap grew with its contended requests.
    const { registry, service, ids } = await setup(['demo']);
    stopAll = () => registry.stop();
    const any = vi.spyOn(AbortSignal, 'any');
    try {
      const connection = new AbortController();
      for (let round = 0; round < 20; round++) {
        const { held, free } = holdReader(service, ids[0]!); // so that the members wait
        const members = [0, 1, 2].map(() =>
          service.run({ label: 'card.read', reader: ids[0], signal: connection.signal, owner: connection, coalesce: 'card.read' }, async (ctx) => {
            await ctx.stack.transmit(SELECT_MF);
            return 'read';
          }),
        );
        free();
        await held;
        expect(await Promise.all(members)).toEqual(['read', 'read', 'read']);
      }
      expect(any).not.toHaveBeenCalled();
      expect(getEventListeners(connection.signal, 'abort')).toHaveLength(0);
      expect(Object.getOwnPropertySymbols(connection.signal).map(String)).not.toContain('Symbol(kDependantSignals)');
    } finally {
      any.mockRestore();
    }
  });

  it('a member whose signal is already aborted while the reader is busy is answered CANCELLED at once, not queued', async () => {
    const { registry, service, ids } = await setup(['demo']);
    stopAll = () => registry.stop();
    const { held, free } = holdReader(service, ids[0]!);
    let ran = false;
    const gone = service.run({ label: 'card.read', reader: ids[0], signal: AbortSignal.abort(), coalesce: 'card.read' }, async () => {
      ran = true;
      return 'read';
    });
    await expect(gone).rejects.toMatchObject({ code: 'CANCELLED' });
    free();
    await held;
    expect(ran).toBe(false);
  });

  it('a member that cancels gets CANCELLED alone, queued or running; when every member left, the run stops', async () => {
    const { registry, service, ids } = await setup(['demo']);
    stopAll = () => registry.stop();
    const { held, free } = holdReader(service, ids[0]!);
    const steps: string[] = [];
    let release!: () => void;
    const inBody = new Promise<void>((r) => (release = r));
    const body = async (ctx: { stack: { transmit(c: Uint8Array): Promise<Uint8Array> } }) => {
      steps.push('start');
      await ctx.stack.transmit(SELECT_MF);
      await inBody;
      await ctx.stack.transmit(SELECT_MF);
      steps.push('end');
      return 'shared';
    };
    const [a, b, c] = [new AbortController(), new AbortController(), new AbortController()];
    const pa = service.run({ label: 'r', reader: ids[0], signal: a.signal, coalesce: 'r' }, body);
    const pb = service.run({ label: 'r', reader: ids[0], signal: b.signal, coalesce: 'r' }, body);
    const pc = service.run({ label: 'r', reader: ids[0], signal: c.signal, coalesce: 'r' }, body);
    a.abort(); // queued
    await expect(pa).rejects.toMatchObject({ code: 'CANCELLED' });
    free();
    await held;
    await sleep(5);
    expect(steps).toEqual(['start']);
    b.abort(); // running: c still wants it
    await expect(pb).rejects.toMatchObject({ code: 'CANCELLED' });
    release();
    expect(await pc).toBe('shared');
    expect(steps).toEqual(['start', 'end']);

    // Every member gone while running: the run stops at its next APDU, the reader is free again.
    const again = holdReader(service, ids[0]!);
    const [d, e] = [new AbortController(), new AbortController()];
    let reachedSecond = false;
    let go!: () => void;
    const wait = new Promise<void>((r) => (go = r));
    const stopping = async (ctx: { stack: { transmit(c: Uint8Array): Promise<Uint8Array> } }) => {
      await ctx.stack.transmit(SELECT_MF);
      await wait;
      await ctx.stack.transmit(SELECT_MF);
      reachedSecond = true;
      return 'x';
    };
    const pd = service.run({ label: 'r', reader: ids[0], signal: d.signal, coalesce: 'r' }, stopping);
    const pe = service.run({ label: 'r', reader: ids[0], signal: e.signal, coalesce: 'r' }, stopping);
    again.free();
    await again.held;
    await sleep(5);
    d.abort();
    e.abort();
    await expect(pd).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(pe).rejects.toMatchObject({ code: 'CANCELLED' });
    go();
    expect(await service.run({ label: 'after', reader: ids[0] }, async () => 'free')).toBe('free');
    expect(reachedSecond).toBe(false);
  });

  it('each member keeps its own place in the round-robin: the run starts at the earliest member turn', async () => {
    const { registry, service, ids } = await setup(['demo']);
    stopAll = () => registry.stop();
    const { held, free } = holdReader(service, ids[0]!);
    const order: string[] = [];
    const [ownerA, ownerB] = [{}, {}];
    const op = (name: string, owner: object) => service.run({ label: name, reader: ids[0], owner }, async () => void order.push(name));
    const shared = (name: string, owner: object) =>
      service.run({ label: 'read', reader: ids[0], owner, coalesce: 'read' }, async () => {
        order.push(`shared(${name})`);
        return name;
      });
    // A queues a1, a2 and then the read; B queues only the read: alone, A's read would run after a2.
    const all = [op('a1', ownerA), op('a2', ownerA), shared('A', ownerA), shared('B', ownerB), op('b2', ownerB)];
    free();
    await held;
    const [, , ra, rb] = await Promise.all(all);
    // Round-robin: a1 (A), then B's turn starts the shared run for both, then a2, b2.
    expect(order).toEqual(['a1', 'shared(A)', 'a2', 'b2']);
    expect([ra, rb]).toEqual(['A', 'A']);
  });
});

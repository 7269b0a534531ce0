import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TranscriptRecorder } from '../../src/apdu/transcript-recorder.js';
import type { Transmitter } from '../../src/apdu/transmitter.js';
import type { OperationInfo } from '../../src/service/card-service.js';
import { serveCard, type CliProcess } from '../support/cli-process.js';
import { RpcSocket, startTestDaemon, type TestDaemon } from '../support/daemon.js';
import { READER_0, READER_1, ensurePcscd, waitFor } from '../support/pcscd.js';

const available = await ensurePcscd();

/** Records the wire of one operation and appends each exchange to a per-reader log shared by all operations. */
class InterleaveRecorder extends TranscriptRecorder {
  constructor(
    private readonly info: OperationInfo,
    private readonly wire: Map<string, number[]>,
  ) {
    super();
  }
  override wrap(inner: Transmitter): Transmitter {
    const t = super.wrap(inner);
    return {
      transmit: async (command) => {
        const log = this.wire.get(this.info.reader.id) ?? [];
        this.wire.set(this.info.reader.id, log);
        log.push(this.info.id); // command sent
        const r = await t.transmit(command);
        log.push(this.info.id); // response received
        return r;
      },
    };
  }
}

/**
 * Issue #6: 50 clients x 100 mixed operations on 4 readers = 2 vpcd slots behind the real pcscd
 * (cards served by `sscard sim serve` children) + 2 built-in simulated readers (in-process).
 * The daemon runs in this process so the card service's transcript hook can record every APDU.
 */
describe.skipIf(!available.available)(`daemon under load (${available.reason})`, () => {
  let d: TestDaemon;
  const servers: CliProcess[] = [];
  const wire = new Map<string, number[]>();
  const transcripts: { info: OperationInfo; rec: TranscriptRecorder }[] = [];

  beforeAll(async () => {
    servers.push(await serveCard('demo', 0), await serveCard('v1-zhang-san', 1));
    d = await startTestDaemon(
      {
        simulated: { enabled: true, profiles: ['v2-long-name', 'v1-empty-version'] },
        logLevel: 'warn',
        // 50 local programs share the reader token (one principal): raised from the per-origin
        // defaults of 32 connections and 64 requests in flight (docs/daemon.md, "Limits").
        limits: { maxConnectionsPerOrigin: 64, maxPendingPerOrigin: 1000 },
      },
      {
        transcript: (info) => {
          const rec = new InterleaveRecorder(info, wire);
          transcripts.push({ info, rec });
          return rec;
        },
      },
    );
    await waitFor(() => d.registry.readers().filter((r) => r.cardPresent).length === 4, 5000, '4 readers with a card');
  });
  afterAll(async () => {
    await d?.stop();
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('50 clients x 100 mixed operations: every reply arrives, no interleaved APDUs within an operation', async () => {
    const readers = d.registry.readers().map((r) => r.reader.id);
    expect(readers).toEqual([`pcsc:${READER_0}`, `pcsc:${READER_1}`, 'sim:0:v2-long-name', 'sim:1:v1-empty-version']);
    const latencies: number[] = [];
    const outcomes = new Map<string, number>();
    // Latency by kind: shows where the tail is (the queue of the vpcd readers, docs/daemon.md).
    const byGroup = new Map<string, number[]>();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async (_, client) => {
        const s = await RpcSocket.ready(d.port, { token: d.readerToken });
        const ops = Array.from({ length: 100 }, (_, i) => {
          const reader = readers[(client + i) % 4]!;
          const kind = i % 10;
          if (kind < 3) return ['readers.list', {}] as const;
          if (kind < 8) return ['card.read', { reader }] as const;
          return ['card.status', { reader }] as const;
        });
        // 8 requests in flight per client
        for (let i = 0; i < ops.length; i += 8) {
          await Promise.all(
            ops.slice(i, i + 8).map(async ([method, params]) => {
              const t0 = performance.now();
              const r = await s.call(method, params, 120_000);
              const ms = performance.now() - t0;
              latencies.push(ms);
              const group = method === 'readers.list' ? 'readers.list' : String((params as { reader?: string }).reader).startsWith('pcsc:') ? 'vpcd card op' : 'simulated card op';
              byGroup.set(group, [...(byGroup.get(group) ?? []), ms]);
              const key = `${method}:${r.error ? r.error.data.code : 'OK'}`;
              outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
            }),
          );
        }
        s.close();
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    console.info(
      `50x100: ${latencies.length} replies in ${seconds.toFixed(1)} s = ${(latencies.length / seconds).toFixed(0)} req/s; p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms; ${JSON.stringify(Object.fromEntries(outcomes))}`,
    );
    for (const [group, l] of byGroup) {
      l.sort((a, b) => a - b);
      const q = (x: number) => l[Math.min(l.length - 1, Math.floor(x * l.length))]!.toFixed(1);
      console.info(`  ${group}: n=${l.length} p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms`);
    }
    expect(latencies).toHaveLength(5000);
    expect(Object.fromEntries(outcomes)).toEqual({ 'readers.list:OK': 1500, 'card.read:OK': 2500, 'card.status:OK': 1000 });
    // At most one operation per card read / status: identical requests still queued on a reader
    // share one (docs/performance.md "Coalescing"); every reply above came from one of these.
    console.info(`  card operations run for 3500 card requests: ${transcripts.length}`);
    expect(transcripts.length).toBeGreaterThan(0);
    expect(transcripts.length).toBeLessThanOrEqual(3500);
    for (const { rec } of transcripts) expect(rec.exchanges.length).toBeGreaterThanOrEqual(3);
    for (const [reader, log] of wire) {
      const runs: number[] = [];
      for (const id of log) if (runs[runs.length - 1] !== id) runs.push(id);
      // each operation's APDUs form one contiguous run on its reader
      expect(new Set(runs).size, `interleaving on ${reader}`).toBe(runs.length);
    }
    expect([...wire.keys()].sort()).toEqual([...readers].sort());
  });
});

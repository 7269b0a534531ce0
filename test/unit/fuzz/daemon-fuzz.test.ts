import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzDaemon } from '../../support/fuzz/rpc-fuzz.js';
import { startTestDaemon, type TestDaemon } from '../../support/daemon.js';

/**
 * R1 fuzzing of the daemon's message path: mutated JSON-RPC messages (JSON-level and byte-level)
 * into a real daemon socket with simulated readers. Every message gets an answer with a result
 * or a declared wire error (never INTERNAL), or a protocol close (1008 / 1009); never silence.
 * CI: 1,500 messages; SSCARD_FUZZ_LONG=1: 120,000 (figures in docs/fuzzing.md).
 */
const LONG = process.env.SSCARD_FUZZ_LONG === '1';
const INPUTS = LONG ? 120_000 : 1500;
const SEED = Number(process.env.SSCARD_FUZZ_SEED ?? 20261201);

describe(`daemon fuzzing: ${INPUTS} mutated JSON-RPC messages (seed ${SEED})`, () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon(
      {
        simulated: { enabled: true, profiles: ['demo'] },
        // The per-connection rate limits would answer most of a fast fuzz run RATE_LIMITED: raised
        // so that the messages reach the method handlers.
        limits: { requestsPerSecond: 10_000, burst: 100_000, pinVerifyPerMinute: 600, maxPendingPerOrigin: 10_000 },
        logLevel: 'warn',
      },
      { pcsc: false },
    );
  });
  afterAll(() => d.stop(100));

  it('every message: a result, a declared wire error or a protocol close; no INTERNAL, no silence; memory bounded', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const f = await fuzzDaemon({ port: d.port, token: d.counterToken, inputs: INPUTS, seed: SEED });
    const heapGrowthMb = Math.round((process.memoryUsage().heapUsed - heapBefore) / 1e6);
    if (LONG || process.env.SSCARD_FUZZ_REPORT === '1') console.log(JSON.stringify({ ...f, heapGrowthMb, connections: d.server.connectionCount }));
    expect(f.inputs).toBe(INPUTS);
    expect(f.untyped).toEqual([]);
    expect(f.hangs).toEqual([]);
    expect(f.results + f.typedTotal + Object.values(f.closes).reduce((a, b) => a + b, 0)).toBe(INPUTS);
    expect(f.typed.PARSE_ERROR).toBeGreaterThan(0);
    expect(f.typed.INVALID_PARAMS).toBeGreaterThan(0);
    expect(f.results).toBeGreaterThan(0);
    // the daemon still serves a well-formed client afterwards
    const { RpcSocket } = await import('../../support/daemon.js');
    const s = await RpcSocket.ready(d.port, { token: d.readerToken });
    expect((await s.ok('readers.list')).readers.length).toBe(1);
    s.close();
    if (LONG) expect(heapGrowthMb).toBeLessThan(200);
  }, LONG ? 3_600_000 : 60_000);
});

import { describe, expect, it } from 'vitest';
import { PbocSession } from '../../../src/cards/pboc/pboc-session.js';
import { SocialSecuritySession } from '../../../src/cards/social-security/social-security-session.js';
import { PinBuffer } from '../../../src/core/pin-buffer.js';
import { SoftKeyService } from '../../../src/keys/soft/soft-key-service.js';
import { fuzzCardPath, type CardFuzzPath } from '../../support/fuzz/card-fuzz.js';

/**
 * R1 fuzzing of the card decoders: mutated card responses through the real processor stack into
 * every card path. The table is the harness's whole configuration: a new path (PBOC, photo) is
 * one entry. CI runs a few hundred inputs per path; SSCARD_FUZZ_LONG=1 runs 100,000+ in all
 * (figures in docs/fuzzing.md).
 */
const keys = SoftKeyService.withTestKeys();
const session = (stack: Parameters<CardFuzzPath['run']>[0], atr: Uint8Array) => new SocialSecuritySession(stack, { atr });
const pboc = (stack: Parameters<CardFuzzPath['run']>[0]) => new PbocSession(stack, { terminal: { now: () => new Date('2026-12-01T08:00:00Z'), random: (n) => new Uint8Array(n).fill(0x5a) } });

export const CARD_FUZZ_PATHS: readonly CardFuzzPath[] = [
  { name: 'ssse read (2.0, read to end)', profile: 'demo', run: (s, atr) => session(s, atr).read() },
  { name: 'ssse read (1.0 card)', profile: 'v1-zhang-san', run: (s, atr) => session(s, atr).read() },
  { name: 'ssse read with RKSSSE authentication (3.0, SM4)', profile: 'v3-sm4', run: (s, atr) => session(s, atr).read({ keys }) },
  { name: 'internal authentication (genuine check)', profile: 'demo', run: (s, atr) => session(s, atr).read({ keys, checkGenuine: true }) },
  { name: 'pin status', profile: 'demo', run: (s, atr) => session(s, atr).pinStatus() },
  { name: 'pin verify', profile: 'demo', run: (s, atr) => withPin(['123456'], ([p]) => session(s, atr).verifyPin(p!, { confirmLastTry: true })) },
  { name: 'pin change', profile: 'demo', run: (s, atr) => withPin(['123456', '135790'], ([a, b]) => session(s, atr).changePin(a!, b!, { confirmLastTry: true })) },
  { name: 'pin reload (counter, PUK MAC + encryption)', profile: 'demo', run: (s, atr) => withPin(['246813'], ([p]) => session(s, atr).reloadPin(keys, p!)) },
  { name: 'pin unblock (counter, PUK MAC)', profile: 'demo', run: (s, atr) => session(s, atr).unblockPin(keys) },
  { name: 'photo read (RKSSSE, chained short READ BINARY)', profile: 'v3-sm4', run: (s, atr) => session(s, atr).readPhoto({ keys }) },
  { name: 'photo read (extended Le)', profile: 'v2-long-name', run: (s, atr) => session(s, atr).readPhoto({ keys, extendedLe: 'always' }) },
  { name: 'pboc read (records, no GPO)', profile: 'demo', run: (s) => pboc(s).read() },
  { name: 'pboc read with GPO (format 1)', profile: 'pboc-gpo-format1', run: (s) => pboc(s).read({ gpo: true }) },
  { name: 'pboc read, records need GPO', profile: 'pboc-needs-gpo', run: (s) => pboc(s).read() },
];

async function withPin<T>(digits: string[], fn: (pins: PinBuffer[]) => Promise<T>): Promise<T> {
  const pins = digits.map((d) => PinBuffer.fromString(d));
  try {
    return await fn(pins);
  } finally {
    for (const p of pins) p.wipe();
  }
}

const LONG = process.env.SSCARD_FUZZ_LONG === '1';
/** 100,000+ in the long run across the paths; a few seconds in CI. */
const INPUTS = LONG ? Math.ceil(120_000 / CARD_FUZZ_PATHS.length) : 100;
const SEED = Number(process.env.SSCARD_FUZZ_SEED ?? 20261201);

describe(`card fuzzing: ${INPUTS} mutated responses per path (seed ${SEED}${LONG ? ', long run' : ''})`, () => {
  it.each(CARD_FUZZ_PATHS.map((p) => [p.name, p] as const))('%s: data or a typed error for every input, bounded transmits, no hang', async (_name, path) => {
    const heapBefore = process.memoryUsage().heapUsed;
    const f = await fuzzCardPath(path, { inputs: INPUTS, seed: SEED });
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    if (LONG || process.env.SSCARD_FUZZ_REPORT === '1') console.log(JSON.stringify({ ...f, heapGrowthMb: Math.round(heapGrowthMb) }));
    expect(f.inputs).toBe(INPUTS);
    expect(f.untyped).toEqual([]);
    expect(f.hangs).toEqual([]);
    expect(f.ok + f.typedTotal).toBe(INPUTS);
    expect(f.typedTotal).toBeGreaterThan(0); // the mutations do reach the decoders
    expect(f.maxTransmits).toBeLessThanOrEqual(128); // the per-operation budget
    if (LONG) expect(heapGrowthMb).toBeLessThan(200);
  }, LONG ? 3_600_000 : 60_000);
});

describe('card fuzzing: seeds that once changed data without a warning', () => {
  it('the long run\'s silent FCI losses (SELECT answered 9000 with no FCI: algorithm unknown) now carry FCI_MISSING', async () => {
    const f = await fuzzCardPath(CARD_FUZZ_PATHS[0]!, { inputs: 0, seed: SEED, seeds: [3706491482, 2554825448, 3279056440, 2300997709, 2177809062] });
    expect(f.inputs).toBe(5);
    expect(f.okWithWarnings).toBe(5);
    expect(f.changedWithoutWarning).toBe(0);
  });
});

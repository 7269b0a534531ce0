import { describe, expect, it } from 'vitest';
import { apduStack } from '../../../../src/apdu/apdu-stack.js';
import { decodeResponse, type ResponseApdu } from '../../../../src/apdu/response-apdu.js';
import { parseGetData } from '../../../../src/cards/pboc/commands/get-data.js';
import { parseGetProcessingOptions } from '../../../../src/cards/pboc/commands/get-processing-options.js';
import { parseLogRecord, parsePbocRecord } from '../../../../src/cards/pboc/commands/read-record.js';
import { parseSelectByName } from '../../../../src/cards/pboc/commands/select-by-name.js';
import { decodeFinancial, primitives } from '../../../../src/cards/pboc/decode-financial.js';
import { logDecoder } from '../../../../src/cards/pboc/decode-log.js';
import { parseDirectoryRecord } from '../../../../src/cards/pboc/directory-entries.js';
import { parseDol } from '../../../../src/cards/pboc/dol.js';
import { parseApplicationFci, parseDirectoryFci } from '../../../../src/cards/pboc/parse-fci.js';
import { PbocSession } from '../../../../src/cards/pboc/pboc-session.js';
import { SscardError } from '../../../../src/core/sscard-error.js';
import { specs } from '../../../../src/specs/load-specs.js';
import { createSimulatedCard } from '../../../../simulators/create-card.js';

/**
 * Robustness of the PBOC decoders (docs/financial.md): mutated card responses — wrong BER
 * lengths, nested templates, truncated records, huge length fields, random bytes and status
 * words — must give typed sscard errors only: no crash, no hang, bounded memory. 100,000
 * responses by default (a few seconds); SSCARD_FUZZ_LONG=1 runs ten times more.
 */

const LONG = process.env.SSCARD_FUZZ_LONG === '1';
const DECODER_RUNS = LONG ? 1_000_000 : 100_000;
const SESSION_RUNS = LONG ? 5_000 : 300;
const spec = specs().pboc;

/** A small seeded PRNG (mulberry32) so a failure can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), byte: () => Math.floor(next() * 256) };
}

type Kind = 'select' | 'record' | 'gpo' | 'getdata' | 'log';
interface Sample {
  readonly kind: Kind;
  readonly bytes: Uint8Array;
  readonly tag?: number;
}

/** Real answers of the simulated chips (default and GPO reads of every PBOC profile). */
async function corpus(): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const id of ['demo', 'pboc-gpo-format1', 'pboc-needs-gpo', 'pboc-no-pse', 'pboc-empty-log']) {
    for (const gpo of [false, true]) {
      const card = createSimulatedCard(id);
      const raw = {
        async transmit(c: Uint8Array) {
          const r = card.execute(c);
          const ins = c[1]!;
          const kind: Kind | undefined = ins === 0xa4 ? 'select' : ins === 0xc0 ? 'select' : ins === 0xb2 ? ((c[3]! >> 3) === 11 ? 'log' : 'record') : ins === 0xa8 ? 'gpo' : ins === 0xca ? 'getdata' : undefined;
          if (kind && r.length > 2) out.push({ kind, bytes: r, ...(kind === 'getdata' ? { tag: (c[2]! << 8) | c[3]! } : {}) });
          return r;
        },
      };
      await new PbocSession(apduStack(raw)).read({ gpo });
    }
  }
  return out;
}

function mutate(src: Uint8Array, r: ReturnType<typeof prng>): Uint8Array {
  const data = Array.from(src.subarray(0, -2));
  let sw = Array.from(src.subarray(-2));
  const ops = 1 + r.int(3);
  for (let k = 0; k < ops; k++) {
    const at = data.length ? r.int(data.length) : 0;
    switch (r.int(9)) {
      case 0: // flip a byte
        if (data.length) data[at] = r.byte();
        break;
      case 1: // truncate the data (a cut record)
        data.length = r.int(data.length + 1);
        break;
      case 2: // wrong or huge BER length field
        data.splice(at, 1, ...[[0x81, r.byte()], [0x82, 0xff, 0xff], [0x83, 0xff, 0xff, 0xff], [0x84, 1, 2, 3, 4], [0x80], [r.byte()]][r.int(6)]!);
        break;
      case 3: {
        // nested templates, sometimes deeper than any card goes (headers built inside out)
        const depth = 1 + r.int(40);
        const body = data.splice(0, Math.min(data.length, 512));
        const heads: number[][] = [];
        let size = body.length;
        for (let d = 0; d < depth; d++) {
          const head = [...(r.int(4) ? [[0x70, 0x77, 0x61, 0xa5][r.int(4)]!] : [0xbf, 0x0c]), ...lengthOf(size)];
          heads.push(head);
          size += head.length;
        }
        data.unshift(...heads.reverse().flat(), ...body);
        break;
      }
      case 4: // insert random bytes
        data.splice(at, 0, ...Array.from({ length: 1 + r.int(8) }, r.byte));
        break;
      case 5: // a different status word
        sw = [[0x90, 0x00], [0x6a, 0x83], [0x69, 0x85], [0x62, 0x83], [r.byte(), r.byte()]][r.int(5)]!;
        break;
      case 6: // garbage appended
        data.push(...Array.from({ length: 1 + r.int(300) }, r.byte));
        break;
      case 7: // a multi-byte tag that never ends
        data.splice(at, 0, 0x9f, 0xff, 0xff, 0xff);
        break;
      case 8: // remove a span
        data.splice(at, 1 + r.int(6));
        break;
    }
  }
  return Uint8Array.from([...data, ...sw]);
}

function lengthOf(n: number): number[] {
  return n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
}

const logFormat = parseDol(Uint8Array.from(Buffer.from('9A039F21039F02069F03069F1A025F2A029F4E149C019F3602', 'hex')), '9F4F');
const log = logDecoder(logFormat, spec);
const app = { aid: 'A000000333010101', kind: 'debit', label: null, preferredName: null, codeTableIndex: null, languages: [], priority: null, pdol: null, selectedVia: 'pse' } as const;

/** Runs the decoders one response reaches in the session. */
function decode(s: Sample, r: ResponseApdu): void {
  switch (s.kind) {
    case 'select': {
      const o = parseSelectByName(r, 'fuzz');
      if (o.status === 'selected') {
        parseDirectoryFci(o.fci);
        parseApplicationFci(o.fci);
      }
      return;
    }
    case 'record': {
      const o = parsePbocRecord(r, 'fuzz');
      if (o.status === 'record') {
        parseDirectoryRecord(o.template);
        decodeFinancial({ application: app, path: 'records', objects: primitives(o.template.children), getData: new Map(), transactions: [], logFormat: null, warnings: [] }, spec);
      }
      return;
    }
    case 'gpo':
      parseGetProcessingOptions(r);
      return;
    case 'getdata': {
      const v = parseGetData(r, s.tag!);
      if (v && s.tag === 0x9f4f) logDecoder(parseDol(v, '9F4F'), spec);
      else if (v) decodeFinancial({ application: app, path: 'records', objects: [], getData: new Map([['9F79', v]]), transactions: [], logFormat: null, warnings: [] }, spec);
      return;
    }
    case 'log': {
      const v = parseLogRecord(r, 'fuzz');
      if (v !== 'end') log.decode(v, 1);
    }
  }
}

describe('PBOC decoders under mutated responses', () => {
  it(`${DECODER_RUNS} mutated responses give typed errors only, in bounded memory`, async () => {
    const samples = await corpus();
    expect(new Set(samples.map((s) => s.kind))).toEqual(new Set(['select', 'record', 'gpo', 'getdata', 'log']));
    const r = prng(0x5eed);
    const heapBefore = process.memoryUsage().heapUsed;
    // Stack traces are not looked at here: capturing 100,000 of them would be most of the run time.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let ok = 0;
    let typed = 0;
    try {
      for (let i = 0; i < DECODER_RUNS; i++) {
        const s = samples[r.int(samples.length)]!;
        const bytes = mutate(s.bytes, r);
        try {
          decode(s, decodeResponse(bytes));
          ok++;
        } catch (e) {
          if (!(e instanceof SscardError) || !['card', 'apdu'].includes(e.layer)) {
            throw new Error(`run ${i} (${s.kind}, ${Buffer.from(bytes).toString('hex')}) threw an untyped error: ${String(e)}`);
          }
          typed++;
        }
      }
    } finally {
      Error.stackTraceLimit = limit;
    }
    expect(ok + typed).toBe(DECODER_RUNS);
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    expect(ok).toBeGreaterThan(DECODER_RUNS / 100);
    expect(typed).toBeGreaterThan(DECODER_RUNS / 10);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
  }, 120_000);

  it(`${SESSION_RUNS} whole reads over a chip whose answers are mutated end in a result or a typed error`, async () => {
    const r = prng(0xc0ffee);
    const ids = ['demo', 'pboc-gpo-format1', 'pboc-needs-gpo', 'pboc-no-pse', 'pboc-empty-log'];
    let results = 0;
    let errors = 0;
    for (let i = 0; i < SESSION_RUNS; i++) {
      const card = createSimulatedCard(ids[i % ids.length]!);
      let sent = 0;
      const t = {
        async transmit(c: Uint8Array) {
          if (++sent > 500) throw new Error('the session does not stop: more than 500 commands');
          const res = card.execute(c);
          return r.next() < 0.15 ? mutate(res, r) : res;
        },
      };
      try {
        await new PbocSession(apduStack(t)).read({ gpo: r.next() < 0.3 });
        results++;
      } catch (e) {
        if (!(e instanceof SscardError)) throw new Error(`session run ${i}: untyped error ${String(e)}`);
        errors++;
      }
    }
    expect(results + errors).toBe(SESSION_RUNS);
    expect(errors).toBeGreaterThan(0);
    expect(results).toBeGreaterThan(0);
  }, 120_000);
});

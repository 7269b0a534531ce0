import type { Prng } from './prng.js';

/**
 * The mutations of a card response (data ‖ SW1 SW2) that fuzzing found decoders must survive:
 * bit flips, truncation, extension, wrong simple-TLV / BER-TLV lengths, random status words
 * (61xx and 6Cxx with random values among them), duplicated records, an empty answer.
 */
export const RESPONSE_MUTATIONS = ['bitflip', 'byte', 'truncate', 'extend', 'tlv-length', 'sw-random', 'sw-61', 'sw-6c', 'sw-63c', 'duplicate', 'empty', 'data-only-sw'] as const;
export type ResponseMutation = (typeof RESPONSE_MUTATIONS)[number];

export function mutateResponse(r: Uint8Array, rng: Prng, kind: ResponseMutation = rng.pick(RESPONSE_MUTATIONS)): Uint8Array {
  const data = r.subarray(0, Math.max(0, r.length - 2));
  const sw = r.subarray(Math.max(0, r.length - 2));
  const withSw = (d: Uint8Array, s1: number, s2: number) => Uint8Array.from([...d, s1, s2]);
  switch (kind) {
    case 'bitflip': {
      const out = Uint8Array.from(r);
      if (out.length === 0) return out;
      const flips = 1 + rng.int(3);
      for (let i = 0; i < flips; i++) out[rng.int(out.length)]! ^= 1 << rng.int(8);
      return out;
    }
    case 'byte': {
      const out = Uint8Array.from(r);
      if (out.length > 0) out[rng.int(out.length)] = rng.byte();
      return out;
    }
    case 'truncate':
      return r.subarray(0, rng.int(r.length + 1));
    case 'extend': {
      const extra = Array.from({ length: 1 + rng.int(40) }, () => rng.byte());
      return Uint8Array.from([...data, ...extra, ...sw]);
    }
    case 'tlv-length': {
      // Length bytes of simple-TLV (every other byte from 1) and BER-TLV (tag then length): hit one.
      const out = Uint8Array.from(r);
      if (data.length < 2) return out;
      const at = 1 + 2 * rng.int(Math.floor(data.length / 2));
      out[Math.min(at, data.length - 1)] = rng.pick([0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0xff, rng.byte()]);
      return out;
    }
    case 'sw-random':
      return withSw(data, rng.byte(), rng.byte());
    case 'sw-61':
      return withSw(rng.chance(0.5) ? data : new Uint8Array(0), 0x61, rng.byte());
    case 'sw-6c':
      return withSw(new Uint8Array(0), 0x6c, rng.byte());
    case 'sw-63c':
      return withSw(new Uint8Array(0), 0x63, 0xc0 | rng.int(16));
    case 'duplicate':
      return Uint8Array.from([...data, ...data, ...sw]);
    case 'empty':
      return new Uint8Array(0);
    case 'data-only-sw':
      return withSw(new Uint8Array(0), 0x90, 0x00);
  }
}

import { KeyError } from '../key-error.js';

/** Bitwise NOT (`~x` of docs/reference/security-profile.md "Notation"). */
export function not(bytes: Uint8Array): Uint8Array {
  return bytes.map((b) => ~b & 0xff);
}

export function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new KeyError('BAD_KEY_INPUT', `xor of ${a.length} and ${b.length} bytes`);
  return a.map((x, i) => x ^ b[i]!);
}

/** `fold8(y16) = y[0..8] XOR y[8..16]` (docs/reference/security-profile.md "Notation"). */
export function fold8(y: Uint8Array): Uint8Array {
  if (y.length !== 16) throw new KeyError('BAD_KEY_INPUT', `fold8 needs 16 bytes, got ${y.length}`);
  return xor(y.subarray(0, 8), y.subarray(8, 16));
}

/**
 * Appends `80` then `00`s up to a multiple of `block` (ISO/IEC 9797-1 padding method 2). The
 * `80` is always added, so input already a whole number of blocks grows by one block.
 */
export function pad80(data: Uint8Array, block: number): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / block) + 1) * block);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/** Throws BAD_KEY_INPUT unless `bytes` has exactly `length` bytes. */
export function expectLength(name: string, bytes: Uint8Array, ...lengths: number[]): void {
  if (!(bytes instanceof Uint8Array) || !lengths.includes(bytes.length)) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new KeyError('BAD_KEY_INPUT', `${name} must be ${lengths.join(' or ')} bytes, got ${got}`);
  }
}

import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * The simulator's own block ciphers on node:crypto (OpenSSL 3), ECB without padding: 3DES-EDE2
 * with a 16-byte key, single DES as 3DES-EDE with K‖K (OpenSSL 3 has no single DES in its default
 * provider), SM4 (GB/T 32907). Written for the simulator from the reference security profile,
 * independently of the reader's key service (`src/keys`), so the two check each other.
 */

/** `01` = 3DES (8-byte blocks, 16-byte keys), `03` = SM4 (16-byte blocks and keys), docs/reference/card-spec.md §1 tag 86. */
export type CipherAlgorithm = '01' | '03';

/** The block size of the card algorithm: 8 for 3DES, 16 for SM4. */
export function blockSize(alg: CipherAlgorithm): number {
  return alg === '01' ? 8 : 16;
}

function ecb(name: string, key: Uint8Array, data: Uint8Array, decrypt: boolean): Uint8Array {
  const cipher = decrypt ? createDecipheriv(name, key, null) : createCipheriv(name, key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}

function checkKey(key: Uint8Array, length: number, what: string): void {
  if (key.length !== length) throw new RangeError(`${what} key must be ${length} bytes, got ${key.length}`);
}

/** 3DES-EDE2 ECB under a 16-byte key (K1 ‖ K2; K3 = K1). */
export function tdesEcb(key: Uint8Array, data: Uint8Array, decrypt = false): Uint8Array {
  checkKey(key, 16, '3DES');
  return ecb('des-ede-ecb', key, data, decrypt);
}

/** Single DES ECB under an 8-byte key, computed as 3DES-EDE with K‖K. */
export function desEcb(key: Uint8Array, data: Uint8Array, decrypt = false): Uint8Array {
  checkKey(key, 8, 'DES');
  const kk = new Uint8Array(16);
  kk.set(key, 0);
  kk.set(key, 8);
  return ecb('des-ede-ecb', kk, data, decrypt);
}

/** SM4 ECB under a 16-byte key. */
export function sm4Ecb(key: Uint8Array, data: Uint8Array, decrypt = false): Uint8Array {
  checkKey(key, 16, 'SM4');
  return ecb('sm4-ecb', key, data, decrypt);
}

/** ISO/IEC 9797-1 padding method 2: `80` then `00`s up to a whole number of blocks (always adds). */
export function pad80(data: Uint8Array, block: number): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / block) + 1) * block);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new RangeError(`xor of ${a.length} and ${b.length} bytes`);
  return a.map((v, i) => v ^ b[i]!);
}

/** Bitwise NOT of every byte. */
export function notBytes(a: Uint8Array): Uint8Array {
  return a.map((v) => ~v & 0xff);
}

/** `fold8(y16) = y[0..8] XOR y[8..16]` (security profile, notation). */
export function fold8(y: Uint8Array): Uint8Array {
  if (y.length !== 16) throw new RangeError(`fold8 takes 16 bytes, got ${y.length}`);
  return xorBytes(y.subarray(0, 8), y.subarray(8, 16));
}

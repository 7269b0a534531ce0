import { concatBytes } from '../../src/core/hex.js';
import { blockSize, desEcb, fold8, notBytes, pad80, sm4Ecb, tdesEcb, xorBytes, type CipherAlgorithm } from './block-cipher.js';

/**
 * The algorithms of the sscard reference security profile (docs/reference/security-profile.md, steps 1-8), as
 * the simulated card and the simulated PSAM compute them. `alg` is the card's algorithm id:
 * `01` 3DES, `03` SM4 (`02` SSF33 is not supported and never reaches this module).
 */

const ZERO8 = new Uint8Array(8);

/** `E_K(x)`: ECB under a 16-byte key, 3DES-EDE2 or SM4. */
export function encryptWithKey(alg: CipherAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  return alg === '01' ? tdesEcb(key, data) : sm4Ecb(key, data);
}

/** Step 1: one level of diversification. 3DES: `E_K(f) ‖ E_K(~f)`; SM4: `E_K(f ‖ ~f)`. */
export function diversify(alg: CipherAlgorithm, key: Uint8Array, factor: Uint8Array): Uint8Array {
  if (factor.length !== 8) throw new RangeError(`a diversification factor is 8 bytes, got ${factor.length}`);
  if (alg === '01') return concatBytes(tdesEcb(key, factor), tdesEcb(key, notBytes(factor)));
  return sm4Ecb(key, concatBytes(factor, notBytes(factor)));
}

export interface DiversificationFactors {
  readonly f1: Uint8Array;
  readonly f2: Uint8Array;
  readonly f3: Uint8Array;
}

const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/**
 * Step 2's factors: f1 = ASCII(region[0..2]) ‖ "0000sh", f2 = ASCII(region) ‖ "sx",
 * f3 = ATR historical bytes 6-13 (given here as the 8 bytes).
 */
export function diversificationFactors(regionCode: string, historical6to13: Uint8Array): DiversificationFactors {
  if (!/^[0-9A-Fa-f]{6}$/.test(regionCode)) throw new RangeError('the region code is 6 characters');
  if (historical6to13.length !== 8) throw new RangeError(`f3 is 8 bytes, got ${historical6to13.length}`);
  return {
    f1: concatBytes(ascii(regionCode.slice(0, 2)), ascii('0000sh')),
    f2: concatBytes(ascii(regionCode), ascii('sx')),
    f3: Uint8Array.from(historical6to13),
  };
}

/** Step 2: `CK = Div(Div(Div(MK, f1), f2), f3)`. */
export function cardKey(alg: CipherAlgorithm, masterKey: Uint8Array, factors: DiversificationFactors): Uint8Array {
  return diversify(alg, diversify(alg, diversify(alg, masterKey, factors.f1), factors.f2), factors.f3);
}

/**
 * Step 3: session key from an 8-byte challenge R8 (a 4-byte challenge is passed as R ‖ 00000000).
 * 3DES: `E_CK(R8)` (8 bytes, a single-DES key); SM4: `E_CK(R8 ‖ 00×8)` (16 bytes).
 */
export function sessionKey(alg: CipherAlgorithm, cardKeyBytes: Uint8Array, r8: Uint8Array): Uint8Array {
  if (r8.length !== 8) throw new RangeError(`R8 is 8 bytes, got ${r8.length}`);
  return alg === '01' ? tdesEcb(cardKeyBytes, r8) : sm4Ecb(cardKeyBytes, concatBytes(r8, ZERO8));
}

/** ECB under a session key: single DES (8-byte SK) or SM4 (16-byte SK). */
export function sessionEcb(alg: CipherAlgorithm, sk: Uint8Array, data: Uint8Array, decrypt = false): Uint8Array {
  return alg === '01' ? desEcb(sk, data, decrypt) : sm4Ecb(sk, data, decrypt);
}

/** Step 4: authentication value of 8 bytes. 3DES: `DES_SK(d)`; SM4: `fold8(SM4_SK(d ‖ 00×8))`. */
export function authValue(alg: CipherAlgorithm, sk: Uint8Array, d8: Uint8Array): Uint8Array {
  if (d8.length !== 8) throw new RangeError(`authenticated data is 8 bytes, got ${d8.length}`);
  return alg === '01' ? desEcb(sk, d8) : fold8(sm4Ecb(sk, concatBytes(d8, ZERO8)));
}

/**
 * Step 7: the 4-byte MAC of `input` (= `84 INS P1 P2 Lc ‖ data`, unpadded): pad `80 00..`,
 * CBC with IV zero under SK; 3DES: the first 4 bytes of the last block; SM4: the XOR of the last
 * block's four 4-byte words.
 */
export function mac(alg: CipherAlgorithm, sk: Uint8Array, input: Uint8Array): Uint8Array {
  const bs = blockSize(alg);
  const padded = pad80(input, bs);
  let chain: Uint8Array = new Uint8Array(bs);
  for (let i = 0; i < padded.length; i += bs) chain = sessionEcb(alg, sk, xorBytes(chain, padded.subarray(i, i + bs)));
  if (alg === '01') return chain.slice(0, 4);
  const out = new Uint8Array(4);
  for (let w = 0; w < 16; w += 4) for (let j = 0; j < 4; j++) out[j] = out[j]! ^ chain[w + j]!;
  return out;
}

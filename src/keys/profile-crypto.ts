/**
 * The reference security profile, steps 1-8 of docs/reference/security-profile.md
 * (mirrored in docs/keys.md). Pure functions over bytes; every cipher call goes to node:crypto
 * through ./crypto/block-cipher.ts. Known-answer tests: test/unit/keys/profile-crypto.test.ts.
 */
import type { PinBuffer } from '../core/pin-buffer.js';
import { concatBytes } from '../core/hex.js';
import { blockSize, type CardAlgorithmId } from './algorithm.js';
import { ecbEncrypt, type BlockCipher } from './crypto/block-cipher.js';
import { expectLength, fold8, not, pad80, xor } from './crypto/bytes.js';
import { cbcMacLastBlock } from './crypto/cbc-mac.js';
import { KeyError } from './key-error.js';

/** The cipher keyed by master and card keys (16 bytes): 3DES-EDE2 or SM4. */
function keyCipher(alg: CardAlgorithmId): BlockCipher {
  return alg === '01' ? 'tdes' : 'sm4';
}

/** The cipher keyed by a session key: single DES (8-byte SK) or SM4 (16-byte SK). */
function sessionCipher(alg: CardAlgorithmId): BlockCipher {
  return alg === '01' ? 'des' : 'sm4';
}

const ZERO8 = new Uint8Array(8);

/** Step 1: one level of diversification. 3DES: `E_K(f) ‖ E_K(~f)`; SM4: `E_K(f ‖ ~f)`. */
export function diversify(alg: CardAlgorithmId, key: Uint8Array, factor: Uint8Array): Uint8Array {
  expectLength('master/intermediate key', key, 16);
  expectLength('diversification factor', factor, 8);
  const c = keyCipher(alg);
  if (alg === '01') return concatBytes(ecbEncrypt(c, key, factor), ecbEncrypt(c, key, not(factor)));
  return ecbEncrypt(c, key, concatBytes(factor, not(factor)));
}

/** The three 8-byte factors of step 2. */
export interface DiversificationFactors {
  /** ASCII of the first 2 region digits ‖ "0000sh". */
  readonly f1: Uint8Array;
  /** ASCII of the 6-digit region code ‖ "sx". */
  readonly f2: Uint8Array;
  /** ATR historical bytes 6..13 (1-based). */
  readonly f3: Uint8Array;
}

const ascii = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** Step 2 factors from the 6-digit region code and the ATR historical bytes (13 or more). */
export function diversificationFactors(regionCode: string, atrHistorical: Uint8Array): DiversificationFactors {
  if (!/^[0-9]{6}$/.test(regionCode)) throw new KeyError('BAD_KEY_INPUT', `region code must be 6 digits, got "${regionCode}"`);
  if (atrHistorical.length < 13) {
    throw new KeyError('BAD_KEY_INPUT', `ATR historical bytes must be at least 13 bytes, got ${atrHistorical.length}`);
  }
  return {
    f1: ascii(`${regionCode.slice(0, 2)}0000sh`),
    f2: ascii(`${regionCode}sx`),
    f3: atrHistorical.slice(5, 13),
  };
}

/** Step 2 from already-built factors: `CK = Div(Div(Div(MK, f1), f2), f3)`. */
export function cardKeyFromFactors(alg: CardAlgorithmId, masterKey: Uint8Array, factors: DiversificationFactors): Uint8Array {
  const k1 = diversify(alg, masterKey, factors.f1);
  const k2 = diversify(alg, k1, factors.f2);
  const ck = diversify(alg, k2, factors.f3);
  k1.fill(0);
  k2.fill(0);
  return ck;
}

/** Step 2: the card key of one role for a card (region code and ATR historical bytes). */
export function cardKey(
  alg: CardAlgorithmId,
  masterKey: Uint8Array,
  card: { readonly regionCode: string; readonly atrHistorical: Uint8Array },
): Uint8Array {
  return cardKeyFromFactors(alg, masterKey, diversificationFactors(card.regionCode, card.atrHistorical));
}

/** Step 3 input: an 8-byte challenge as is, a 4-byte one followed by `00 00 00 00`. */
export function challengeR8(challenge: Uint8Array): Uint8Array {
  expectLength('challenge', challenge, 4, 8);
  return challenge.length === 8 ? Uint8Array.from(challenge) : concatBytes(challenge, new Uint8Array(4));
}

/**
 * Step 3: session key from the card key and a challenge (4 or 8 bytes). 3DES: `E_CK(R8)`, 8 bytes
 * used as a single-DES key; SM4: `E_CK(R8 ‖ 00×8)`, 16 bytes.
 */
export function sessionKey(alg: CardAlgorithmId, ck: Uint8Array, challenge: Uint8Array): Uint8Array {
  expectLength('card key', ck, 16);
  const r8 = challengeR8(challenge);
  return ecbEncrypt(keyCipher(alg), ck, alg === '01' ? r8 : concatBytes(r8, ZERO8));
}

/** Step 4: authentication value of 8 bytes. 3DES: `DES_SK(d)`; SM4: `fold8(SM4_SK(d ‖ 00×8))`. */
export function authValue(alg: CardAlgorithmId, sk: Uint8Array, d8: Uint8Array): Uint8Array {
  expectLength('session key', sk, alg === '01' ? 8 : 16);
  expectLength('authentication data', d8, 8);
  if (alg === '01') return ecbEncrypt('des', sk, d8);
  return fold8(ecbEncrypt('sm4', sk, concatBytes(d8, ZERO8)));
}

/**
 * Step 7: 4-byte MAC over `input` (`84 INS P1 P2 Lc ‖ data`, Lc counting the MAC). Pad `80 00..`,
 * CBC with IV zero under SK; 3DES cards: first 4 bytes of the last block (single DES); SM4: XOR
 * of the last block's four 4-byte words.
 */
export function mac(alg: CardAlgorithmId, sk: Uint8Array, input: Uint8Array): Uint8Array {
  expectLength('session key', sk, alg === '01' ? 8 : 16);
  const last = cbcMacLastBlock(sessionCipher(alg), sk, input);
  if (alg === '01') return last.slice(0, 4);
  return xor(xor(last.subarray(0, 4), last.subarray(4, 8)), xor(last.subarray(8, 12), last.subarray(12, 16)));
}

/** PIN lengths the card accepts (docs/reference/card-spec.md §3: 4-16 digits). */
export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 16;

/**
 * Step 8 plaintext: `LD ‖ BCD(PIN, F-padded)`, padded `80 00..` to the block size. Contains the
 * PIN: the caller wipes it (`.fill(0)`).
 */
export function pinPlainBlock(alg: CardAlgorithmId, pin: PinBuffer): Uint8Array {
  if (pin.length < PIN_MIN_DIGITS || pin.length > PIN_MAX_DIGITS) {
    throw new KeyError('BAD_KEY_INPUT', `PIN must have ${PIN_MIN_DIGITS}-${PIN_MAX_DIGITS} digits, got ${pin.length}`);
  }
  const bcd = pin.toBcd();
  const plain = new Uint8Array(1 + bcd.length);
  plain[0] = bcd.length;
  plain.set(bcd, 1);
  bcd.fill(0);
  const padded = pad80(plain, blockSize(alg));
  plain.fill(0);
  return padded;
}

/** Step 8: `enc = E_SK(pad80(LD ‖ PIN))`, ECB under the session key (single DES / SM4). */
export function encryptPin(alg: CardAlgorithmId, sk: Uint8Array, pin: PinBuffer): Uint8Array {
  expectLength('session key', sk, alg === '01' ? 8 : 16);
  const plain = pinPlainBlock(alg, pin);
  try {
    return ecbEncrypt(sessionCipher(alg), sk, plain);
  } finally {
    plain.fill(0);
  }
}

/** ECB encryption of whole blocks under a session key (what PSAM CIPHER DATA mode 01 does). */
export function encryptUnderSessionKey(alg: CardAlgorithmId, sk: Uint8Array, data: Uint8Array): Uint8Array {
  expectLength('session key', sk, alg === '01' ? 8 : 16);
  return ecbEncrypt(sessionCipher(alg), sk, data);
}

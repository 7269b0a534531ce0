import { toHex } from '../core/hex.js';
import { parseAlgorithmId, type CardAlgorithmId } from './algorithm.js';
import { KeyError } from './key-error.js';

/** What the key service needs to know about one card to derive its keys (docs/reference/security-profile.md step 2). */
export interface CardKeyContext {
  /** Tag 86 of the SSSE FCI. */
  readonly algorithmId: CardAlgorithmId;
  /** 6-digit region code = first 6 digits of the card identification code (EF05 tag 01). */
  readonly regionCode: string;
  /** The ATR's historical bytes (13 bytes on cards of this profile; at least 13 required). */
  readonly atrHistorical: Uint8Array;
}

/**
 * Historical bytes of an ATR (ISO/IEC 7816-3 §8.2: TS, T0, then the interface bytes announced by
 * the Y bits, then K historical bytes). Social security cards answer `3B 6D 00 00` + 13 bytes
 * (docs/reference/card-spec.md §6), but the parse is the general one. Throws BAD_KEY_INPUT on a truncated ATR.
 */
export function atrHistoricalBytes(atr: Uint8Array): Uint8Array {
  const bad = (why: string) => new KeyError('BAD_KEY_INPUT', `ATR ${toHex(atr)}: ${why}`);
  if (atr.length < 2) throw bad('shorter than TS T0');
  const k = atr[1]! & 0x0f;
  let y = atr[1]! >> 4;
  let i = 2;
  for (;;) {
    const count = [1, 2, 4, 8].filter((bit) => (y & bit) !== 0).length;
    const hasTd = (y & 8) !== 0;
    i += count;
    if (i > atr.length) throw bad('interface bytes cut off');
    if (!hasTd) break;
    y = atr[i - 1]! >> 4;
  }
  if (i + k > atr.length) throw bad(`declares ${k} historical bytes, only ${atr.length - i} present`);
  return atr.slice(i, i + k);
}

/**
 * Builds and validates a context from what a card session has: tag 86, the region code (or the
 * whole card identification code, whose first 6 digits are used) and the full ATR or its
 * historical bytes.
 */
export function cardKeyContext(input: {
  algorithmId: number | string | Uint8Array;
  regionCode: string;
  atr?: Uint8Array;
  atrHistorical?: Uint8Array;
}): CardKeyContext {
  const algorithmId = parseAlgorithmId(input.algorithmId);
  const regionCode = input.regionCode.slice(0, 6);
  if (!/^[0-9]{6}$/.test(regionCode)) throw new KeyError('BAD_KEY_INPUT', `region code must start with 6 digits, got "${input.regionCode}"`);
  const hist = input.atrHistorical ?? (input.atr ? atrHistoricalBytes(input.atr) : undefined);
  if (!hist) throw new KeyError('BAD_KEY_INPUT', 'a card key context needs the ATR or its historical bytes');
  if (hist.length < 13) throw new KeyError('BAD_KEY_INPUT', `ATR historical bytes must be at least 13 bytes, got ${hist.length}`);
  return { algorithmId, regionCode, atrHistorical: Uint8Array.from(hist) };
}

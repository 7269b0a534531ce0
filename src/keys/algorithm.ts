import { hexByte } from '../core/hex.js';
import { KeyError } from './key-error.js';

/**
 * The card's algorithm as given by tag 86 of the SSSE FCI (docs/reference/security-profile.md "Algorithms"):
 * `01` = 3DES (16-byte keys, 8-byte blocks), `03` = SM4 (16-byte keys and blocks).
 * `02` (SSF33) exists in profiles but is not supported.
 */
export type CardAlgorithmId = '01' | '03';

export const ALGORITHM_3DES: CardAlgorithmId = '01';
export const ALGORITHM_SM4: CardAlgorithmId = '03';

/** Block size in bytes of the card's cipher. */
export function blockSize(alg: CardAlgorithmId): 8 | 16 {
  return alg === '01' ? 8 : 16;
}

/**
 * Accepts the tag-86 value as a byte, a 1-byte array or two hex digits. Throws KeyError
 * ALGORITHM_UNSUPPORTED for `02` (SSF33) and any other id.
 */
export function parseAlgorithmId(value: number | string | Uint8Array): CardAlgorithmId {
  let id: string;
  if (typeof value === 'number') id = hexByte(value);
  else if (typeof value === 'string') id = value.trim().toUpperCase().padStart(2, '0');
  else if (value.length === 1) id = hexByte(value[0]!);
  else throw new KeyError('BAD_KEY_INPUT', `algorithm id must be 1 byte, got ${value.length}`);
  if (id === '01' || id === '03') return id;
  if (id === '02') throw new KeyError('ALGORITHM_UNSUPPORTED', 'algorithm 02 (SSF33) is not supported');
  throw new KeyError('ALGORITHM_UNSUPPORTED', `unknown card algorithm id ${id}`);
}

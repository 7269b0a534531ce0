import { pad80 } from './bytes.js';
import { cbcEncrypt, cipherBlockSize, type BlockCipher } from './block-cipher.js';

/**
 * CBC-MAC core: pads with `80 00..` to the cipher's block size, CBC-encrypts with IV zero and
 * returns the last ciphertext block (docs/reference/security-profile.md step 7, before the 4-byte reduction).
 */
export function cbcMacLastBlock(cipher: BlockCipher, key: Uint8Array, input: Uint8Array): Uint8Array {
  const padded = pad80(input, cipherBlockSize(cipher));
  const out = cbcEncrypt(cipher, key, padded);
  return out.slice(out.length - cipherBlockSize(cipher));
}

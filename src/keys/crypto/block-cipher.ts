import { createCipheriv, createDecipheriv } from 'node:crypto';
import { concatBytes } from '../../core/hex.js';
import { KeyError } from '../key-error.js';

/**
 * The three block ciphers of the profile, all from node:crypto (OpenSSL 3; never hand-written):
 * - `tdes`: 3DES-EDE2, 16-byte key K1‖K2 (OpenSSL `des-ede-*`), 8-byte blocks;
 * - `des`: single DES under an 8-byte key S, done as 3DES-EDE with S‖S (docs/reference/security-profile.md
 *   "Notation"; OpenSSL 3 has no single DES without the legacy provider, docs/pcsc.md);
 * - `sm4`: SM4 (GB/T 32907), 16-byte key and blocks.
 */
export type BlockCipher = 'des' | 'tdes' | 'sm4';

const KEY_LENGTH: Record<BlockCipher, number> = { des: 8, tdes: 16, sm4: 16 };
const BLOCK: Record<BlockCipher, number> = { des: 8, tdes: 8, sm4: 16 };

export function cipherBlockSize(cipher: BlockCipher): number {
  return BLOCK[cipher];
}

function opensslKey(cipher: BlockCipher, key: Uint8Array): { name: string; key: Uint8Array } {
  if (key.length !== KEY_LENGTH[cipher]) {
    throw new KeyError('BAD_KEY_INPUT', `${cipher} key must be ${KEY_LENGTH[cipher]} bytes, got ${key.length}`);
  }
  if (cipher === 'sm4') return { name: 'sm4', key };
  return { name: 'des-ede', key: cipher === 'des' ? concatBytes(key, key) : key };
}

function checkBlocks(cipher: BlockCipher, data: Uint8Array): void {
  if (data.length === 0 || data.length % BLOCK[cipher] !== 0) {
    throw new KeyError('BAD_KEY_INPUT', `${cipher} data must be a non-empty whole number of ${BLOCK[cipher]}-byte blocks, got ${data.length} bytes`);
  }
}

function run(encrypt: boolean, mode: 'ecb' | 'cbc', cipher: BlockCipher, key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBlocks(cipher, data);
  const k = opensslKey(cipher, key);
  const iv = mode === 'cbc' ? new Uint8Array(BLOCK[cipher]) : null;
  const c = encrypt ? createCipheriv(`${k.name}-${mode}`, k.key, iv) : createDecipheriv(`${k.name}-${mode}`, k.key, iv);
  c.setAutoPadding(false);
  const out = Uint8Array.from(Buffer.concat([c.update(data), c.final()]));
  if (k.key !== key) k.key.fill(0);
  return out;
}

/** ECB encryption of whole blocks (no padding). */
export function ecbEncrypt(cipher: BlockCipher, key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(true, 'ecb', cipher, key, data);
}

/** ECB decryption of whole blocks (no padding). */
export function ecbDecrypt(cipher: BlockCipher, key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(false, 'ecb', cipher, key, data);
}

/** CBC encryption with IV zero of whole blocks (no padding). */
export function cbcEncrypt(cipher: BlockCipher, key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(true, 'cbc', cipher, key, data);
}

import type { CommandApdu } from '../../src/apdu/command-apdu.js';
import { bytesEqual, concatBytes } from '../../src/core/hex.js';
import type { CardOs } from '../card-os.js';
import type { CardSecrets } from '../card-secrets.js';
import type { CipherAlgorithm } from '../crypto/block-cipher.js';
import { mac, sessionKey } from '../crypto/reference-profile.js';
import type { KeyRole } from '../crypto/test-master-keys.js';
import type { DedicatedFile } from '../file-system.js';
import { SW } from '../status.js';

/** What the security handlers share: the card's secrets and the SSSE DF whose PIN and keys they are. */
export interface SecurityContext {
  readonly secrets: CardSecrets;
  /** SSSE (docs/reference/card-spec.md §1): the PIN and keys of the reference profile live in this DF. */
  readonly application: DedicatedFile;
}

/** The MAC is the last 4 bytes of the data field (security profile step 7). */
export const MAC_LENGTH = 4;

/**
 * PIN, key and block commands address SSSE's PIN and keys: with another DF current (MF, a
 * sub-application) the reference data is not there -> 6A88. Undefined when SSSE is current.
 */
export function requireApplication(card: CardOs, ctx: SecurityContext): number | undefined {
  return card.state.currentDf === ctx.application ? undefined : SW.REFERENCED_DATA_NOT_FOUND;
}

/** The card algorithm and the card key of a role, or 6A81 on a card whose algorithm (02) is not supported. */
export function roleKey(ctx: SecurityContext, role: KeyRole): { alg: CipherAlgorithm; ck: Uint8Array } | number {
  const alg = ctx.secrets.cipher;
  const ck = ctx.secrets.key(role);
  return alg && ck ? { alg, ck } : SW.FUNCTION_NOT_SUPPORTED;
}

/**
 * BCD PIN of docs/reference/card-spec.md §3: 4-16 decimal digits, two per byte, an `F` nibble pads an odd count
 * (only as the very last nibble). Undefined when the bytes are not such a PIN.
 */
export function decodePin(bytes: Uint8Array): string | undefined {
  let nibbles = '';
  for (const b of bytes) nibbles += b.toString(16).toUpperCase().padStart(2, '0');
  const digits = nibbles.endsWith('F') ? nibbles.slice(0, -1) : nibbles;
  if (!/^[0-9]{4,16}$/.test(digits)) return undefined;
  return digits;
}

/**
 * Checks the 4-byte MAC at the end of a `84 INS P1 P2 Lc data‖mac` command (security profile
 * step 7) under `SessionKey(CK_role, R‖00000000)`, R = the challenge of the previous command.
 * Uses up the challenge. Answers the session key (for PIN RELOAD's decryption) or the status
 * word: 6A81 unsupported algorithm, 6984 no challenge asked, 6988 stale challenge or wrong MAC.
 */
export function checkMac(command: CommandApdu, ctx: SecurityContext, role: KeyRole): { alg: CipherAlgorithm; sk: Uint8Array } | number {
  const key = roleKey(ctx, role);
  if (typeof key === 'number') return key;
  const r8 = ctx.secrets.takeChallenge();
  if (typeof r8 === 'number') return r8;
  const sk = sessionKey(key.alg, key.ck, r8);
  const { cla, ins, p1, p2, data } = command;
  const body = data.subarray(0, data.length - MAC_LENGTH);
  // Lc in the MAC input already counts the 4 MAC bytes (step 7).
  const input = concatBytes(Uint8Array.of(cla, ins, p1, p2, data.length), body);
  if (!bytesEqual(mac(key.alg, sk, input), data.subarray(data.length - MAC_LENGTH))) return SW.SM_DATA_INCORRECT;
  return { alg: key.alg, sk };
}

import type { InstructionHandler } from '../instruction.js';
import { blockSize, type CipherAlgorithm } from '../crypto/block-cipher.js';
import { sessionEcb } from '../crypto/reference-profile.js';
import { SW } from '../status.js';
import { checkMac, decodePin, MAC_LENGTH, requireApplication, roleKey, type SecurityContext } from './security-context.js';
import { MAX_PIN_BYTES, MIN_PIN_BYTES } from './verify.js';

/** P2 of `84 24 00 P2`: 01 = PIN RELOAD (new PIN), 00 = PIN UNBLOCK (counter only). */
const RELOAD = 0x01;
const UNBLOCK = 0x00;
const PAD_MARK = 0x80;

/**
 * PIN RELOAD `84 24 00 01 Lc enc ‖ mac` and PIN UNBLOCK `84 24 00 00 04 mac` (docs/reference/card-spec.md §3,
 * security profile steps 7-9), PUK role, MAC over a 4-byte challenge (R ‖ 00000000) of the previous
 * command. RELOAD decrypts `enc` (ECB under the MAC's session key) to `LD ‖ PIN ‖ 80 00..`, sets
 * the new PIN and resets the try counter; UNBLOCK resets the try counter only. Both -> 9000, also
 * when the PIN was blocked. Checked in this order: P1 not 00 or P2 not 00/01 -> 6A86; SSSE not
 * current -> 6A88; algorithm 02 -> 6A81; UNBLOCK data not 4 bytes, RELOAD data not whole blocks +
 * 4 -> 6700; no challenge asked -> 6984; challenge used or stale, or wrong MAC -> 6988; a
 * plaintext that is not `LD ‖ 4-16 BCD digits ‖ 80 00..` of the right length -> 6A80. No counter
 * for wrong MACs.
 */
export function pinReloadOrUnblock(ctx: SecurityContext): InstructionHandler {
  return (command, card) => {
    if (command.p1 !== 0 || (command.p2 !== RELOAD && command.p2 !== UNBLOCK)) return { sw: SW.INCORRECT_P1P2 };
    const notHere = requireApplication(card, ctx);
    if (notHere !== undefined) return { sw: notHere };
    const key = roleKey(ctx, 'PUK');
    if (typeof key === 'number') return { sw: key };
    const encLength = command.data.length - MAC_LENGTH;
    const bs = blockSize(key.alg);
    const lengthOk = command.p2 === UNBLOCK ? encLength === 0 : encLength > 0 && encLength % bs === 0;
    if (!lengthOk) return { sw: SW.WRONG_LENGTH };
    const checked = checkMac(command, ctx, 'PUK');
    if (typeof checked === 'number') return { sw: checked };
    if (command.p2 === UNBLOCK) {
      ctx.secrets.resetPinTries();
      return { sw: SW.OK };
    }
    const pin = decryptPin(checked.alg, checked.sk, command.data.subarray(0, encLength));
    if (pin === undefined) return { sw: SW.WRONG_DATA };
    ctx.secrets.setPin(pin);
    return { sw: SW.OK };
  };
}

/** `LD ‖ PIN ‖ 80 00..` (step 8) -> the PIN digits, or undefined when the plaintext is malformed. */
function decryptPin(alg: CipherAlgorithm, sk: Uint8Array, enc: Uint8Array): string | undefined {
  const plain = sessionEcb(alg, sk, enc, true);
  const ld = plain[0] ?? 0;
  if (ld < MIN_PIN_BYTES || ld > MAX_PIN_BYTES) return undefined;
  const bs = blockSize(alg);
  if (plain.length !== (Math.floor((1 + ld) / bs) + 1) * bs) return undefined;
  if (plain[1 + ld] !== PAD_MARK || plain.subarray(2 + ld).some((b) => b !== 0)) return undefined;
  return decodePin(plain.subarray(1, 1 + ld));
}

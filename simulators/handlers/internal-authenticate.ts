import type { InstructionHandler } from '../instruction.js';
import { authValue, sessionKey } from '../crypto/reference-profile.js';
import { SW } from '../status.js';
import { requireApplication, roleKey, type SecurityContext } from './security-context.js';

/**
 * INTERNAL AUTHENTICATE `00 88 00 00 10 r8 ‖ d8 [00]` (docs/reference/card-spec.md §3, security profile step 5):
 * answers `Auth(SessionKey(CK_IRK, r8), d8)` (8 bytes) + 9000, whatever Le. Data other than 16
 * bytes -> 6700; P1-P2 other than 0000 -> 6A86; SSSE not current -> 6A88; algorithm 02 -> 6A81.
 */
export function internalAuthenticate(ctx: SecurityContext): InstructionHandler {
  return (command, card) => {
    if (command.p1 !== 0 || command.p2 !== 0) return { sw: SW.INCORRECT_P1P2 };
    if (command.data.length !== 16) return { sw: SW.WRONG_LENGTH };
    const notHere = requireApplication(card, ctx);
    if (notHere !== undefined) return { sw: notHere };
    const key = roleKey(ctx, 'IRK');
    if (typeof key === 'number') return { sw: key };
    const r8 = command.data.subarray(0, 8);
    const d8 = command.data.subarray(8, 16);
    return { sw: SW.OK, data: authValue(key.alg, sessionKey(key.alg, key.ck, r8), d8) };
  };
}

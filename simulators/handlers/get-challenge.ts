import type { InstructionHandler } from '../instruction.js';
import { SW } from '../status.js';
import type { SecurityContext } from './security-context.js';

/** The challenge lengths the card gives (docs/reference/card-spec.md §3). */
const CHALLENGE_LENGTHS: ReadonlySet<number> = new Set([4, 8, 16]);

/**
 * GET CHALLENGE `00 84 00 00 Le` (docs/reference/card-spec.md §3, ISO/IEC 7816-4 §11.5.3), Le 04, 08 or 10:
 * random bytes + 9000, usable once by the very next command (EXTERNAL AUTHENTICATE, a MAC
 * command). Other Le, no Le or a data field -> 6700; P1-P2 other than 0000 -> 6A86. Works in
 * any DF.
 */
export function getChallenge(ctx: SecurityContext): InstructionHandler {
  return (command) => {
    if (command.p1 !== 0 || command.p2 !== 0) return { sw: SW.INCORRECT_P1P2 };
    const ne = command.ne;
    if (command.data.length > 0 || ne === undefined || !CHALLENGE_LENGTHS.has(ne)) return { sw: SW.WRONG_LENGTH };
    return { sw: SW.OK, data: ctx.secrets.newChallenge(ne) };
  };
}

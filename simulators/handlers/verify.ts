import type { InstructionHandler } from '../instruction.js';
import { triesLeftSw } from '../card-secrets.js';
import { SW } from '../status.js';
import { decodePin, requireApplication, type SecurityContext } from './security-context.js';

/** The security-status right granted by a correct PIN (cleared by SELECT of a DF and reset). */
export const PIN_RIGHT = 'PIN';
/** PIN bytes: 4-16 digits, two per byte (docs/reference/card-spec.md §3). */
export const MIN_PIN_BYTES = 2;
export const MAX_PIN_BYTES = 8;

/**
 * VERIFY `00 20 00 00 Lc PIN` (docs/reference/card-spec.md §3; ISO/IEC 7816-4 §11.5.6). Right PIN -> 9000, the try
 * counter back to the limit and the `PIN` right until the next DF selection or reset. Wrong ->
 * `63 Cx` (x tries left); the try that uses the last one answers 6983, and so does every later
 * VERIFY. No data (`00 20 00 00` or `00 20 00 00 00`) asks the try status: `63 Cx` without
 * spending a try (also when the PIN is verified), 6983 when blocked. Lc outside 2-8 -> 6700; bytes
 * that are not a BCD PIN -> 6A80 without spending a try. P1-P2 other than 0000 -> 6A86; SSSE not
 * current -> 6A88.
 */
export function verify(ctx: SecurityContext): InstructionHandler {
  return (command, card) => {
    if (command.p1 !== 0 || command.p2 !== 0) return { sw: SW.INCORRECT_P1P2 };
    const notHere = requireApplication(card, ctx);
    if (notHere !== undefined) return { sw: notHere };
    const { secrets } = ctx;
    if (command.data.length === 0) return { sw: triesLeftSw('VERIFY', secrets.pinTriesLeft) };
    if (secrets.pinBlocked) return { sw: SW.AUTH_METHOD_BLOCKED };
    if (command.data.length < MIN_PIN_BYTES || command.data.length > MAX_PIN_BYTES) return { sw: SW.WRONG_LENGTH };
    const digits = decodePin(command.data);
    if (digits === undefined) return { sw: SW.WRONG_DATA };
    const outcome = secrets.checkPin(digits);
    if (!outcome.ok) {
      card.security.revoke(PIN_RIGHT);
      return { sw: outcome.sw };
    }
    card.security.grant(PIN_RIGHT);
    return { sw: SW.OK };
  };
}

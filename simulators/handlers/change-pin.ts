import type { InstructionHandler } from '../instruction.js';
import { SW } from '../status.js';
import { decodePin, requireApplication, type SecurityContext } from './security-context.js';
import { PIN_RIGHT } from './verify.js';

/** Separates the old and the new PIN in CHANGE PIN's data (docs/reference/card-spec.md §3). */
const SEPARATOR = 0xff;

/**
 * CHANGE PIN `80 5E 01 00 Lc old ‖ FF ‖ new` (docs/reference/card-spec.md §3), plaintext. The old PIN is checked as
 * by VERIFY: blocked -> 6983, wrong -> `63 Cx` (a try spent; the last one answers 6983). Right ->
 * the new PIN is set, the counter reset, the `PIN` right granted, 9000. No data -> 6700; no FF,
 * or either PIN not 4-16 BCD digits -> 6A80 (nothing spent). P1-P2 other than 0100 -> 6A86; SSSE
 * not current -> 6A88.
 */
export function changePin(ctx: SecurityContext): InstructionHandler {
  return (command, card) => {
    if (command.p1 !== 0x01 || command.p2 !== 0x00) return { sw: SW.INCORRECT_P1P2 };
    const notHere = requireApplication(card, ctx);
    if (notHere !== undefined) return { sw: notHere };
    const { data } = command;
    if (data.length === 0) return { sw: SW.WRONG_LENGTH };
    const { secrets } = ctx;
    if (secrets.pinBlocked) return { sw: SW.AUTH_METHOD_BLOCKED };
    const at = data.indexOf(SEPARATOR);
    const oldPin = at < 0 ? undefined : decodePin(data.subarray(0, at));
    const newPin = at < 0 ? undefined : decodePin(data.subarray(at + 1));
    if (oldPin === undefined || newPin === undefined) return { sw: SW.WRONG_DATA };
    const outcome = secrets.checkPin(oldPin);
    if (!outcome.ok) {
      card.security.revoke(PIN_RIGHT);
      return { sw: outcome.sw };
    }
    secrets.setPin(newPin);
    card.security.grant(PIN_RIGHT);
    return { sw: SW.OK };
  };
}

import type { CommandApdu } from '../../src/apdu/command-apdu.js';
import type { CardOs } from '../card-os.js';
import type { Reply } from '../instruction.js';
import { moreData, SW, wrongLe } from '../status.js';

/**
 * GET RESPONSE `00 C0 00 00 Le` (ISO/IEC 7816-4 §11.7.1, docs/reference/card-spec.md §1 T=0): hands out the bytes
 * announced by `61 xx`. Le = bytes left -> all of them and 9000; Le < bytes left -> Le bytes and
 * `61 rr` (rr still left); Le > bytes left, or no Le -> `6C xx` (the bytes stay pending). No
 * pending bytes -> 6985. The card OS discards pending bytes on any other command.
 */
export function getResponse(command: CommandApdu, card: CardOs): Reply {
  if (command.p1 !== 0 || command.p2 !== 0) return { sw: SW.INCORRECT_P1P2 };
  if (command.data.length > 0) return { sw: SW.WRONG_LENGTH }; // case 2 command: no data field
  const pending = card.state.pendingResponse;
  if (!pending) return { sw: SW.CONDITIONS_NOT_SATISFIED };
  const ne = command.ne;
  if (ne === undefined || ne > pending.length) return { sw: wrongLe(pending.length) };
  if (ne === pending.length) {
    card.state.pendingResponse = undefined;
    return { sw: SW.OK, data: pending };
  }
  card.state.pendingResponse = pending.slice(ne);
  return { sw: moreData(pending.length - ne), data: pending.slice(0, ne) };
}

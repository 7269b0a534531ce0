import type { CommandApdu } from '../../src/apdu/command-apdu.js';
import type { CardOs } from '../card-os.js';
import type { ElementaryFile } from '../file-system.js';
import type { Reply } from '../instruction.js';
import { SW, wrongLe } from '../status.js';
import { resolveReadableEf } from './resolve-ef.js';

/** READ BINARY P1 bit 8 = 1: bits 5-1 are an SFI and P2 the offset (ISO/IEC 7816-4 §11.3.3). */
const SFI_FLAG = 0x80;

/**
 * READ BINARY `00 B0 P1 P2 Le` on a transparent EF (docs/reference/card-spec.md §1: EF07 fingerprint, EF08 photo):
 * the current EF with a 15-bit offset in P1-P2, or P1 = 1 0 0 SFI with offset P2. Access as for
 * records (EF07/EF08 need RKSSSE, else 6982). Offset at or past the end -> 6B00. Le up to the
 * bytes left -> that many bytes; Le = 00 past the end -> the rest with 9000 or `6C xx` (profile
 * `leZero`); any other Le past the end, or no Le -> `6C xx` with the bytes left. An extended Le
 * (profile `extendedLength`) gets up to Ne bytes, with 6282 when the file ends first.
 */
export function readBinary(command: CommandApdu, card: CardOs): Reply {
  const { p1, p2, ne } = command;
  if (command.data.length > 0) return { sw: SW.WRONG_LENGTH }; // case 2 command: no data field
  let ef: ElementaryFile | number;
  let offset: number;
  if (p1 & SFI_FLAG) {
    const sfi = p1 & 0x1f;
    if (p1 & 0x60 || sfi === 0) return { sw: SW.INCORRECT_P1P2 };
    ef = resolveReadableEf(card, sfi);
    offset = p2;
  } else {
    ef = resolveReadableEf(card, 0);
    offset = (p1 << 8) | p2;
  }
  if (typeof ef === 'number') return { sw: ef };
  if (ef.kind !== 'transparent') return { sw: SW.INCOMPATIBLE_FILE_STRUCTURE };
  card.state.useEf(ef);

  const left = ef.body.length - offset;
  if (left <= 0) return { sw: SW.WRONG_P1P2 };
  if (ne !== undefined && ne <= left) return { sw: SW.OK, data: ef.body.slice(offset, offset + ne) };
  if (ne === 256 && !command.extended && card.behaviour.leZero === 'data') return { sw: SW.OK, data: ef.body.slice(offset) };
  // Extended Le past the end: the bytes left and 6282 "end of file reached before Ne bytes"
  // (ISO/IEC 7816-4 §11.2.3); only a profile with behaviour.extendedLength gets here.
  if (command.extended && ne !== undefined) return { sw: SW.END_OF_DATA, data: ef.body.slice(offset) };
  return { sw: wrongLe(Math.min(left, 256)) };
}

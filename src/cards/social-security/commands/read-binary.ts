import { command, type CommandApdu } from '../../../apdu/command-apdu.js';

/** P1 bit 8 = 1: bits 5-1 are an SFI and P2 is the offset (ISO/IEC 7816-4 §11.2.3). */
const SFI_FLAG = 0x80;
/** Largest offset P1-P2 can carry when it addresses the current EF (15 bits). */
export const MAX_CURRENT_EF_OFFSET = 0x7fff;

export interface ReadBinaryArgs {
  /** 1-30: read this EF by SFI (then the offset must fit P2, 0-255); 0 / undefined: the current EF. */
  sfi?: number | undefined;
  offset: number;
  /** Expected length: 1-256 short (256 sends Le = 00), up to 65536 extended. */
  ne: number;
}

/**
 * READ BINARY `00 B0 P1 P2 Le` (ISO/IEC 7816-4 §11.2.3; card-spec §1 EF07/EF08). With an SFI the
 * EF becomes the current EF, so later chunks address it by a 15-bit offset in P1-P2. Ne above 256
 * is coded as an extended Le (three bytes `00 Le1 Le2`).
 */
export function buildReadBinary(args: ReadBinaryArgs): CommandApdu {
  const sfi = args.sfi ?? 0;
  if (sfi > 0) {
    if (sfi > 30 || args.offset > 0xff) throw new RangeError(`READ BINARY by SFI ${sfi} cannot address offset ${args.offset}`);
    return command(0x00, 0xb0, SFI_FLAG | sfi, args.offset, undefined, args.ne);
  }
  if (args.offset < 0 || args.offset > MAX_CURRENT_EF_OFFSET) throw new RangeError(`READ BINARY offset ${args.offset} exceeds 15 bits`);
  return command(0x00, 0xb0, args.offset >> 8, args.offset & 0xff, undefined, args.ne);
}

import { command, type CommandApdu } from '../../../apdu/command-apdu.js';

/**
 * READ RECORD `00 B2 P1 P2 Le` (ISO/IEC 7816-4 §11.3.3; docs/reference/card-spec.md §2). P2 bits 8-4 = SFI
 * (0 = current EF), bits 3-1 = mode.
 */
export const READ_RECORD_MODE = {
  /** 000: first record whose tag is P1 */
  firstByTag: 0b000,
  /** 100: record number P1 */
  byNumber: 0b100,
  /** 101: records P1 to last, concatenated */
  toEnd: 0b101,
} as const;

export type ReadRecordMode = keyof typeof READ_RECORD_MODE;

export interface ReadRecordArgs {
  /** 1-30, or 0 / undefined for the current EF. */
  sfi?: number | undefined;
  /** Record number (byNumber, toEnd) or tag (firstByTag). */
  p1: number;
  mode: ReadRecordMode;
  /** Expected length; 256 sends Le = 00. */
  ne: number;
}

export function buildReadRecord(args: ReadRecordArgs): CommandApdu {
  const sfi = args.sfi ?? 0;
  return command(0x00, 0xb2, args.p1, (sfi << 3) | READ_RECORD_MODE[args.mode], undefined, args.ne);
}

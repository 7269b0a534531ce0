import { toHex } from '../core/hex.js';

/**
 * Instructions whose command data carry PIN material, masked in every log line and transcript
 * (brief: "a PIN never appears in a log, error, transcript or snapshot"):
 * 20 VERIFY, 24 CHANGE REFERENCE DATA / PIN RELOAD, 2C RESET RETRY COUNTER, 5E CHANGE PIN
 * (docs/reference/card-spec.md §3). Enciphered reload data is masked too: it is PIN material under a session key.
 * FA is the PSAM's CIPHER DATA (docs/reference/security-profile.md, PSAM table): its input can be the plain PIN
 * block of a reload, so all of its data is masked.
 */
const SECRET_INS = new Set([0x20, 0x24, 0x2c, 0x5e, 0xfa]);

/** The marker a masked data byte is shown as. */
export const MASK = '**';

/**
 * Hex of a command with secret data bytes replaced by `**`. A well-formed short command keeps
 * its header, Lc and Le visible; anything else with a secret INS (extended length, Lc that does
 * not match the bytes) fails closed: every byte after the 4-byte header is masked.
 */
export function maskCommandHex(command: Uint8Array): string {
  const hex = toHex(command);
  if (command.length <= 5 || !SECRET_INS.has(command[1]!)) return hex;
  const lc = command[4]!;
  if (lc === 0 || 5 + lc > command.length || command.length > 6 + lc) return `${hex.slice(0, 8)}${MASK.repeat(command.length - 4)}`;
  const le = command.length > 5 + lc ? toHex(command.subarray(5 + lc)) : '';
  return `${hex.slice(0, 10)}${MASK.repeat(lc)}${le}`;
}

export function isSecretCommand(command: Uint8Array): boolean {
  return command.length > 5 && SECRET_INS.has(command[1]!);
}

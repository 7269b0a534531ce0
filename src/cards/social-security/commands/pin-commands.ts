import { command, type CommandApdu } from '../../../apdu/command-apdu.js';
import { concatBytes } from '../../../core/hex.js';

/** INS / CLA of the PIN commands (docs/reference/card-spec.md §3). */
export const INS_VERIFY = 0x20;
export const INS_CHANGE_PIN = 0x5e;
export const CLA_PROPRIETARY = 0x80;
/** Separates the old and the new PIN in CHANGE PIN's data (docs/reference/card-spec.md §3). */
export const CHANGE_PIN_SEPARATOR = 0xff;

/**
 * VERIFY without a data field: asks the try status, spends no try (docs/reference/card-spec.md §3 "Lc = 00 asks the
 * try status"; ISO/IEC 7816-4 §11.5.6 "absent data field"). Sent as case 1 `00 20 00 00`; a T=0
 * reader puts P3 = 00 on the wire, which is the card-spec's form.
 */
export function buildPinStatusQuery(): CommandApdu {
  return command(0x00, INS_VERIFY, 0x00, 0x00);
}

/** VERIFY `00 20 00 00 Lc PIN` with the PIN as F-padded BCD (docs/reference/card-spec.md §3). The caller wipes `pinBcd`. */
export function buildVerify(pinBcd: Uint8Array): CommandApdu {
  return command(0x00, INS_VERIFY, 0x00, 0x00, pinBcd);
}

/**
 * CHANGE PIN `80 5E 01 00 Lc old ‖ FF ‖ new`, plaintext (docs/reference/card-spec.md §3). Returns the command and
 * the data array it owns, so the caller can wipe it after sending.
 */
export function buildChangePin(oldBcd: Uint8Array, newBcd: Uint8Array): CommandApdu {
  return command(CLA_PROPRIETARY, INS_CHANGE_PIN, 0x01, 0x00, concatBytes(oldBcd, Uint8Array.of(CHANGE_PIN_SEPARATOR), newBcd));
}

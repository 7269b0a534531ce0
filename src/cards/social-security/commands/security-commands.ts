import { command, type CommandApdu } from '../../../apdu/command-apdu.js';
import { concatBytes } from '../../../core/hex.js';

/** CLA of the MAC-protected commands (docs/reference/card-spec.md §3, docs/reference/security-profile.md step 7). */
export const CLA_MAC = 0x84;
export const INS_GET_CHALLENGE = 0x84;
export const INS_INTERNAL_AUTH = 0x88;
export const INS_EXTERNAL_AUTH = 0x82;
export const INS_PIN_RELOAD = 0x24;
export const INS_APPLICATION_BLOCK = 0x1e;
export const INS_CARD_BLOCK = 0x16;
export const MAC_LENGTH = 4;

/** GET CHALLENGE `00 84 00 00 Le`, Le 04 / 08 / 10 (docs/reference/card-spec.md §3). */
export function buildGetChallenge(length: 4 | 8 | 16): CommandApdu {
  return command(0x00, INS_GET_CHALLENGE, 0x00, 0x00, undefined, length);
}

/** INTERNAL AUTHENTICATE `00 88 00 00 10 r8 ‖ d8 00` (docs/reference/security-profile.md step 5). */
export function buildInternalAuthenticate(r8: Uint8Array, d8: Uint8Array): CommandApdu {
  return command(0x00, INS_INTERNAL_AUTH, 0x00, 0x00, concatBytes(r8, d8), 256);
}

/** EXTERNAL AUTHENTICATE `00 82 00 <key id> 10 auth8 ‖ d8` (docs/reference/security-profile.md step 6). */
export function buildExternalAuthenticate(keyId: number, auth8: Uint8Array, d8: Uint8Array): CommandApdu {
  return command(0x00, INS_EXTERNAL_AUTH, 0x00, keyId, concatBytes(auth8, d8));
}

/** Header of a CLA-84 command whose data ends with a 4-byte MAC. */
export interface MacCommandHeader {
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
}

export const PIN_RELOAD: MacCommandHeader = { ins: INS_PIN_RELOAD, p1: 0x00, p2: 0x01 };
export const PIN_UNBLOCK: MacCommandHeader = { ins: INS_PIN_RELOAD, p1: 0x00, p2: 0x00 };
export const APPLICATION_BLOCK: MacCommandHeader = { ins: INS_APPLICATION_BLOCK, p1: 0x00, p2: 0x01 };
export const CARD_BLOCK: MacCommandHeader = { ins: INS_CARD_BLOCK, p1: 0x00, p2: 0x00 };

/**
 * The MAC input of docs/reference/security-profile.md step 7: `84 INS P1 P2 Lc ‖ data`, Lc already counting the
 * 4 MAC bytes, unpadded (the key service pads).
 */
export function macInput(header: MacCommandHeader, body: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(CLA_MAC, header.ins, header.p1, header.p2, body.length + MAC_LENGTH), body);
}

/** The command `84 INS P1 P2 Lc body ‖ mac` (docs/reference/card-spec.md §3: reload, unblock, blocks). */
export function buildMacCommand(header: MacCommandHeader, body: Uint8Array, mac: Uint8Array): CommandApdu {
  return command(CLA_MAC, header.ins, header.p1, header.p2, concatBytes(body, mac));
}

/**
 * Pure builders and parsers for the reference profile's PSAM command set
 * (docs/reference/security-profile.md, "The PSAM of the reference profile", command table). No I/O.
 */
import { command, type CommandApdu } from '../../apdu/command-apdu.js';
import { swHex, type ResponseApdu } from '../../apdu/response-apdu.js';
import { statusWords } from '../../apdu/status-words.js';
import { concatBytes, fromHex, toHex } from '../../core/hex.js';
import type { CardAlgorithmId } from '../algorithm.js';
import { expectLength } from '../crypto/bytes.js';
import { KeyError, type KeyErrorCode } from '../key-error.js';
import { ROLE_CODE, type KeyRole } from '../key-role.js';
import type { DiversificationFactors } from '../profile-crypto.js';

/** AID of the PSAM application (docs/reference/card-spec.md §3, docs/reference/security-profile.md PSAM table). */
export const PSAM_AID = fromHex('D15600000590');

const CLA_ISO = 0x00;
const CLA_PROPRIETARY = 0x80;
const INS_SELECT = 0xa4;
const INS_READ_BINARY = 0xb0;
const INS_INIT_FOR_DESCRYPT = 0x1a;
const INS_CIPHER_DATA = 0xfa;

/** P1 of CIPHER DATA (profile table): 00 auth value, 01 encrypt, 05 MAC. */
export const CIPHER_MODE = { authValue: 0x00, encrypt: 0x01, mac: 0x05 } as const;

/** SELECT PSAM: `00 A4 04 00 06 D15600000590` -> `90 00`. */
export function selectPsamCommand(): CommandApdu {
  return command(CLA_ISO, INS_SELECT, 0x04, 0x00, PSAM_AID);
}

/** Terminal number: `00 B0 96 00 06` (READ BINARY, SFI 16 = 0x80 | 0x16) -> 6 bytes BCD. */
export function readTerminalNumberCommand(): CommandApdu {
  return command(CLA_ISO, INS_READ_BINARY, 0x96, 0x00, undefined, 6);
}

/** The 6 BCD bytes as the 12-digit terminal number (e.g. `410100813475`). */
export function parseTerminalNumber(response: ResponseApdu): string {
  checkPsamStatus(response, 'READ terminal number');
  const text = toHex(response.data);
  if (response.data.length !== 6 || !/^[0-9]{12}$/.test(text)) {
    throw new KeyError('PSAM_ERROR', `PSAM terminal number must be 6 BCD bytes, got ${response.data.length} byte(s)`);
  }
  return text;
}

/**
 * INIT FOR DESCRYPT: `80 1A <role> <alg> 18 f1 ‖ f2 ‖ f3`, or with the 8-byte challenge
 * `80 1A <role> <alg> 20 f1 ‖ f2 ‖ f3 ‖ R8` so the PSAM also holds the session key.
 */
export function initForDescryptCommand(role: KeyRole, alg: CardAlgorithmId, factors: DiversificationFactors, r8?: Uint8Array): CommandApdu {
  const parts = [factors.f1, factors.f2, factors.f3];
  if (r8 !== undefined) {
    expectLength('INIT FOR DESCRYPT R8', r8, 8);
    parts.push(r8);
  }
  return command(CLA_PROPRIETARY, INS_INIT_FOR_DESCRYPT, ROLE_CODE[role], parseInt(alg, 16), concatBytes(...parts));
}

/** CIPHER DATA, auth value: `80 FA 00 00 08 d8` -> `Auth(SK, d8)` (8 bytes). */
export function cipherAuthValueCommand(d8: Uint8Array): CommandApdu {
  expectLength('authentication data', d8, 8);
  return command(CLA_PROPRIETARY, INS_CIPHER_DATA, CIPHER_MODE.authValue, 0x00, d8);
}

/** CIPHER DATA, encrypt: `80 FA 01 00 Lc data` (whole blocks) -> `E_SK(data)`. */
export function cipherEncryptCommand(data: Uint8Array): CommandApdu {
  return command(CLA_PROPRIETARY, INS_CIPHER_DATA, CIPHER_MODE.encrypt, 0x00, data);
}

/** CIPHER DATA, MAC: `80 FA 05 00 Lc input` (unpadded; the PSAM pads) -> 4-byte MAC of step 7. */
export function cipherMacCommand(input: Uint8Array): CommandApdu {
  return command(CLA_PROPRIETARY, INS_CIPHER_DATA, CIPHER_MODE.mac, 0x00, input);
}

/** Data of a CIPHER DATA answer, checked for status and length. */
export function parseCipherData(response: ResponseApdu, expectedLength: number, context: string): Uint8Array {
  checkPsamStatus(response, context);
  if (response.data.length !== expectedLength) {
    throw new KeyError('PSAM_ERROR', `${context}: PSAM answered ${response.data.length} bytes, expected ${expectedLength}`, {
      sw: swHex(response.sw),
    });
  }
  return response.data;
}

/**
 * The typed error of each PSAM outcome; the status words themselves are the `PSAM command`
 * entries of the shared table (apdu-specs/status-words.json), which the simulated PSAM reads too.
 */
const PSAM_ERRORS: Readonly<Record<string, KeyErrorCode>> = {
  CONDITIONS_NOT_SATISFIED: 'PSAM_CONDITIONS_NOT_SATISFIED',
  BAD_PARAMETER: 'PSAM_BAD_PARAMETER',
  WRONG_LENGTH: 'PSAM_WRONG_LENGTH',
};

/** Throws the typed KeyError for a PSAM status other than OK (profile table, "Errors"). */
export function checkPsamStatus(response: ResponseApdu, context: string): void {
  const outcome = statusWords().outcome('PSAM command', response.sw)?.outcome;
  if (outcome === 'OK') return;
  const code = (outcome !== undefined ? PSAM_ERRORS[outcome] : undefined) ?? 'PSAM_ERROR';
  const sw = swHex(response.sw);
  throw new KeyError(code, `PSAM ${context}: ${sw} (${statusWords().lookup(response.sw).meaning})`, { sw });
}

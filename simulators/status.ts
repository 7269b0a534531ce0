import { statusWords } from '../src/apdu/status-words.js';

const table = statusWords();

/**
 * Status words the simulated card answers, read from the one status-word table the card layer
 * reads too (apdu-specs/status-words.json: ISO/IEC 7816-4:2020 §5.6 tables 5-6 and the card
 * profile). Each name is the stable code of its general entry; `CARD_BLOCKED` is the card
 * profile's meaning of a security command's status word after a CARD BLOCK.
 */
export const SW = {
  OK: table.swOfCode('OK'),
  END_OF_DATA: table.swOfCode('END_OF_DATA'),
  WRONG_LENGTH: table.swOfCode('WRONG_LENGTH'),
  INCOMPATIBLE_FILE_STRUCTURE: table.swOfCode('INCOMPATIBLE_FILE_STRUCTURE'),
  SECURITY_STATUS_NOT_SATISFIED: table.swOfCode('SECURITY_STATUS_NOT_SATISFIED'),
  AUTH_METHOD_BLOCKED: table.swOfCode('AUTH_METHOD_BLOCKED'),
  REFERENCE_DATA_NOT_USABLE: table.swOfCode('REFERENCE_DATA_NOT_USABLE'),
  CONDITIONS_NOT_SATISFIED: table.swOfCode('CONDITIONS_NOT_SATISFIED'),
  NO_CURRENT_EF: table.swOfCode('NO_CURRENT_EF'),
  SM_DATA_INCORRECT: table.swOfCode('SM_DATA_INCORRECT'),
  WRONG_DATA: table.swOfCode('WRONG_DATA'),
  FUNCTION_NOT_SUPPORTED: table.swOfCode('FUNCTION_NOT_SUPPORTED'),
  FILE_NOT_FOUND: table.swOfCode('FILE_NOT_FOUND'),
  RECORD_NOT_FOUND: table.swOfCode('RECORD_NOT_FOUND'),
  INCORRECT_P1P2: table.swOfCode('INCORRECT_P1P2'),
  LC_INCONSISTENT_WITH_P1P2: table.swOfCode('LC_INCONSISTENT_WITH_P1P2'),
  REFERENCED_DATA_NOT_FOUND: table.swOfCode('REFERENCED_DATA_NOT_FOUND'),
  WRONG_P1P2: table.swOfCode('WRONG_P1P2'),
  INS_NOT_SUPPORTED: table.swOfCode('INS_NOT_SUPPORTED'),
  CLA_NOT_SUPPORTED: table.swOfCode('CLA_NOT_SUPPORTED'),
  NO_PRECISE_DIAGNOSIS: table.swOfCode('NO_PRECISE_DIAGNOSIS'),
  APPLICATION_BLOCKED: table.swOfCode('APPLICATION_BLOCKED'),
  CARD_BLOCKED: table.swOf('security command', 'CARD_BLOCKED'),
} as const;

/** `61 xx`: xx more bytes for GET RESPONSE; 00 stands for 256 or more (ISO/IEC 7816-4 §5.6). */
export function moreData(remaining: number): number {
  return 0x6100 | (remaining >= 256 ? 0 : remaining);
}

/** `6C xx`: wrong Le, xx is the exact length available; 00 stands for 256 (ISO/IEC 7816-4 §5.6). */
export function wrongLe(exact: number): number {
  return 0x6c00 | (exact >= 256 ? 0 : exact);
}

/**
 * Status words the simulated card answers (ISO/IEC 7816-4:2020 §5.6, tables 5-6; 9303 from the
 * national social-security card spec, card-spec §3). Each constant's name is the stable code of
 * the same entry in `apdu-specs/status-words.json` (a unit test keeps the two in step).
 */
export const SW = {
  OK: 0x9000,
  END_OF_DATA: 0x6282,
  WRONG_LENGTH: 0x6700,
  INCOMPATIBLE_FILE_STRUCTURE: 0x6981,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  REFERENCE_DATA_NOT_USABLE: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  NO_CURRENT_EF: 0x6986,
  SM_DATA_INCORRECT: 0x6988,
  WRONG_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  RECORD_NOT_FOUND: 0x6a83,
  INCORRECT_P1P2: 0x6a86,
  LC_INCONSISTENT_WITH_P1P2: 0x6a87,
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
  APPLICATION_BLOCKED: 0x9303,
} as const;

/** `61 xx`: xx more bytes for GET RESPONSE; 00 stands for 256 or more (ISO/IEC 7816-4 §5.6). */
export function moreData(remaining: number): number {
  return 0x6100 | (remaining >= 256 ? 0 : remaining);
}

/** `6C xx`: wrong Le, xx is the exact length available; 00 stands for 256 (ISO/IEC 7816-4 §5.6). */
export function wrongLe(exact: number): number {
  return 0x6c00 | (exact >= 256 ? 0 : exact);
}

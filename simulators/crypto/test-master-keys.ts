import { fromHex } from '../../src/core/hex.js';

/**
 * The key roles and public **test master keys** of the sscard reference security profile
 * (docs/reference/security-profile.md, "Test master keys"). Public test values: a real card never holds them.
 */
export type KeyRole = 'IRK' | 'RKSSSE' | 'UKSSSE' | 'PUK' | 'BK';

export const KEY_ROLES: readonly KeyRole[] = ['IRK', 'RKSSSE', 'UKSSSE', 'PUK', 'BK'];

/** Master keys (16 bytes, hex) of the reference profile. */
export const TEST_MASTER_KEYS_HEX: Readonly<Record<KeyRole, string>> = {
  IRK: '31ACB399C6397041FDCE38A6341F676E',
  RKSSSE: 'A28169EF4AFC65F035D5271595D087FB',
  UKSSSE: '0A6FA02126121E3E8317D06CB678EF8E',
  PUK: 'BD6B962E16C6501D50FAB81FDD7B33D6',
  BK: 'A7E48FA20774450B5AFA80C6827BB3B0',
};

/** EXTERNAL AUTHENTICATE P2 -> role (security profile table; docs/reference/card-spec.md §3). */
export const EXTERNAL_AUTH_KEY_IDS: ReadonlyMap<number, KeyRole> = new Map<number, KeyRole>([
  [0x0a, 'RKSSSE'],
  [0x04, 'UKSSSE'],
  [0x06, 'PUK'],
]);

/** PSAM role codes (INIT FOR DESCRYPT P1, security profile "The PSAM of the reference profile"). */
export const PSAM_ROLE_CODES: ReadonlyMap<number, KeyRole> = new Map<number, KeyRole>([
  [0x01, 'IRK'],
  [0x04, 'UKSSSE'],
  [0x06, 'PUK'],
  [0x07, 'BK'],
  [0x0a, 'RKSSSE'],
]);

export type MasterKeys = Readonly<Record<KeyRole, Uint8Array>>;

/** A fresh copy of the test master keys as bytes. */
export function testMasterKeys(): MasterKeys {
  return {
    IRK: fromHex(TEST_MASTER_KEYS_HEX.IRK),
    RKSSSE: fromHex(TEST_MASTER_KEYS_HEX.RKSSSE),
    UKSSSE: fromHex(TEST_MASTER_KEYS_HEX.UKSSSE),
    PUK: fromHex(TEST_MASTER_KEYS_HEX.PUK),
    BK: fromHex(TEST_MASTER_KEYS_HEX.BK),
  };
}

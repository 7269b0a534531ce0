import type { KeyRole } from '../key-role.js';

/**
 * The reference profile's public test master keys (docs/reference/security-profile.md "Test master keys"). Kept
 * here only to *recognise* them: a key file holding any of them is a test key set whatever its
 * `test` flag says. The keys themselves ship in config/test-keys.json.
 */
export const PUBLIC_TEST_MASTER_KEYS: Readonly<Record<KeyRole, string>> = {
  IRK: '31ACB399C6397041FDCE38A6341F676E',
  RKSSSE: 'A28169EF4AFC65F035D5271595D087FB',
  UKSSSE: '0A6FA02126121E3E8317D06CB678EF8E',
  PUK: 'BD6B962E16C6501D50FAB81FDD7B33D6',
  BK: 'A7E48FA20774450B5AFA80C6827BB3B0',
};

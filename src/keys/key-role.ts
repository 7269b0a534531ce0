/**
 * Key roles of the reference profile with their PSAM role codes (docs/reference/security-profile.md "Test master
 * keys" and "The PSAM of the reference profile"). The EXTERNAL AUTHENTICATE key id (its P2) equals
 * the PSAM role code for RKSSSE 0A, UKSSSE 04 and PUK 06.
 */
export type KeyRole = 'IRK' | 'UKSSSE' | 'PUK' | 'BK' | 'RKSSSE';

export const KEY_ROLES: readonly KeyRole[] = ['IRK', 'RKSSSE', 'UKSSSE', 'PUK', 'BK'];

/** Role code in INIT FOR DESCRYPT P1. */
export const ROLE_CODE: Readonly<Record<KeyRole, number>> = { IRK: 0x01, UKSSSE: 0x04, PUK: 0x06, BK: 0x07, RKSSSE: 0x0a };

/** Roles that take an EXTERNAL AUTHENTICATE (`00 82 00 <key id> 10 ...`, step 6). */
export type ExternalAuthRole = 'RKSSSE' | 'UKSSSE' | 'PUK';
/** Roles that MAC a CLA-84 command (step 7): PUK for PIN RELOAD / UNBLOCK, BK for the blocks. */
export type MacRole = 'PUK' | 'BK';
/** The role whose session key enciphers the PIN of PIN RELOAD (step 8). */
export type PinRole = 'PUK';

/** P2 of EXTERNAL AUTHENTICATE for a role. */
export function externalAuthKeyId(role: ExternalAuthRole): number {
  return ROLE_CODE[role];
}

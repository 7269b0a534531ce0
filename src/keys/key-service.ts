import type { PinBuffer } from '../core/pin-buffer.js';
import type { CardKeyContext } from './card-key-context.js';
import type { ExternalAuthRole, MacRole, PinRole } from './key-role.js';

export type KeyServiceKind = 'soft' | 'psam' | 'hsm';

/**
 * The one interface card sessions use for card cryptography (docs/reference/security-profile.md steps 3-8),
 * whatever holds the master keys: software keys (tests, simulators), a PSAM in another reader
 * slot, or an HSM through the two-step flow. Sessions never see a card key or a session key.
 * Challenges are the card's GET CHALLENGE answer: 8 bytes, or 4 bytes (then used as R ‖ 00000000).
 */
export interface KeyService {
  readonly kind: KeyServiceKind;

  /**
   * Expected answer to INTERNAL AUTHENTICATE `00 88 00 00 10 r8 ‖ d8` (step 5):
   * `Auth(SessionKey(CK_IRK, r8), d8)`. The session compares it with the card's 8 bytes.
   */
  internalAuth(ctx: CardKeyContext, r8: Uint8Array, d8: Uint8Array): Promise<Uint8Array>;

  /**
   * The 8-byte authentication value for EXTERNAL AUTHENTICATE `00 82 00 <key id> 10 auth ‖ d8`
   * (step 6): `Auth(SessionKey(CK_role, challenge), d8)`.
   */
  externalAuth(ctx: CardKeyContext, role: ExternalAuthRole, challenge: Uint8Array, d8: Uint8Array): Promise<Uint8Array>;

  /**
   * The 4-byte MAC of step 7 over `input` = `84 INS P1 P2 Lc ‖ data` (Lc already counting the
   * MAC, input unpadded), under `SessionKey(CK_role, challenge)`.
   */
  mac(ctx: CardKeyContext, role: MacRole, challenge: Uint8Array, input: Uint8Array): Promise<Uint8Array>;

  /**
   * The enciphered PIN block of PIN RELOAD (step 8) under the same session key as its MAC
   * (`SessionKey(CK_PUK, challenge)`). The PinBuffer stays the caller's to wipe.
   */
  encryptPin(ctx: CardKeyContext, role: PinRole, challenge: Uint8Array, pin: PinBuffer): Promise<Uint8Array>;

  /** The PSAM's 12-digit terminal number (sources with a PSAM only; the national interface reports it). */
  terminalNumber?(): Promise<string>;
}

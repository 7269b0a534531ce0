import type { ApduChannel } from '../../apdu/apdu-channel.js';
import type { CardKeyContext } from '../../keys/card-key-context.js';
import type { ApplicationInfo, CardData } from './social-security-model.js';

/**
 * What the PIN, authentication and block operations need from a SocialSecuritySession: the
 * channel (already wrapped in the processor stack), SSSE selected, and the card's key context.
 */
export interface SessionAccess {
  readonly channel: ApduChannel;
  /** Selects SSSE unless this session already did (a SELECT clears the card's security state). */
  ensureSelected(): Promise<ApplicationInfo>;
  /** EF05 of this card (read once per session). */
  cardData(): Promise<CardData>;
  /** Algorithm (FCI tag 86), region code (EF05) and ATR historical bytes, for the key service. */
  keyContext(): Promise<CardKeyContext>;
  /** The PIN try limit of this card (card-spec §3, an issuer choice): a 63Cx above it is BAD_CARD_DATA. */
  readonly pinTryLimit: number;
  /** The terminal's random bytes (d8, r8): node:crypto unless the session was given a source. */
  randomBytes(length: number): Uint8Array;
}

import { statusWords } from '../../apdu/status-words.js';
import { swHex } from '../../apdu/response-apdu.js';
import type { SscardError } from '../../core/sscard-error.js';
import { CardError } from '../card-error.js';
import { AuthError } from './auth/auth-error.js';

/**
 * Typed errors for status words every security command may meet (card-spec §3,
 * security-profile.md): 6A81 card blocked, 9303 application blocked, 6984 / 6988 challenge or MAC,
 * 6A88 key / reference data not found; anything else from the status-word table.
 */
export function securityStatusError(sw: number, context: string): SscardError {
  const hex = swHex(sw);
  if (sw === 0x6a81) return new CardError('CARD_BLOCKED', `${context}: the card is permanently blocked (6A81)`, hex);
  if (sw === 0x9303) return new CardError('APPLICATION_BLOCKED', `${context}: the social-security application is permanently blocked (9303)`, hex);
  if (sw === 0x6984) return new AuthError('CHALLENGE_MISSING', `${context}: the card has no challenge to check the MAC against (6984)`, { sw: hex });
  if (sw === 0x6988) return new AuthError('MAC_REJECTED', `${context}: the card rejected the MAC (wrong key, or a stale or used challenge) (6988)`, { sw: hex });
  if (sw === 0x6a88) return new AuthError('KEY_NOT_FOUND', `${context}: the card does not know this key / reference data here (6A88)`, { sw: hex });
  return statusWords().errorFor(sw, context);
}

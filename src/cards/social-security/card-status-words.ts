import { statusWords } from '../../apdu/status-words.js';
import { swHex } from '../../apdu/response-apdu.js';
import type { SscardError } from '../../core/sscard-error.js';
import { CardError } from '../card-error.js';
import { AuthError } from './auth/auth-error.js';

/**
 * The typed error of each outcome the status-word table (apdu-specs/status-words.json, command
 * `security command`) gives a status word of the security commands: blocks, challenge, MAC, key.
 */
const SECURITY_ERRORS: Readonly<Record<string, (context: string, sw: string) => SscardError>> = {
  CARD_BLOCKED: (c, sw) => new CardError('CARD_BLOCKED', `${c}: the card is permanently blocked (${sw})`, sw),
  APPLICATION_BLOCKED: (c, sw) => new CardError('APPLICATION_BLOCKED', `${c}: the social-security application is permanently blocked (${sw})`, sw),
  CHALLENGE_MISSING: (c, sw) => new AuthError('CHALLENGE_MISSING', `${c}: the card has no challenge to check the MAC against (${sw})`, { sw }),
  MAC_REJECTED: (c, sw) => new AuthError('MAC_REJECTED', `${c}: the card rejected the MAC (wrong key, or a stale or used challenge) (${sw})`, { sw }),
  KEY_NOT_FOUND: (c, sw) => new AuthError('KEY_NOT_FOUND', `${c}: the card does not know this key / reference data here (${sw})`, { sw }),
};

/** The typed error for a status word a security command answered; the general table for the rest. */
export function securityStatusError(sw: number, context: string): SscardError {
  const outcome = statusWords().outcome('security command', sw);
  const make = outcome && SECURITY_ERRORS[outcome.outcome];
  return make ? make(context, swHex(sw)) : statusWords().errorFor(sw, context);
}

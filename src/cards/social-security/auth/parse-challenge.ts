import { isNormal } from '../../../apdu/status-words.js';
import type { ResponseApdu } from '../../../apdu/response-apdu.js';
import { CardError } from '../../card-error.js';
import { securityStatusError } from '../card-status-words.js';

/** GET CHALLENGE's answer: exactly `length` bytes + 9000 (docs/reference/card-spec.md §3). */
export function parseChallenge(response: ResponseApdu, length: number): Uint8Array {
  if (!isNormal(response.sw)) throw securityStatusError(response.sw, 'GET CHALLENGE');
  if (response.data.length !== length) {
    throw new CardError('BAD_CARD_DATA', `GET CHALLENGE answered ${response.data.length} bytes instead of ${length}`);
  }
  return Uint8Array.from(response.data);
}

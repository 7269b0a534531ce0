import { isNormal } from '../../../apdu/status-words.js';
import type { ResponseApdu } from '../../../apdu/response-apdu.js';
import { bytesEqual } from '../../../core/hex.js';
import type { KeyService } from '../../../keys/key-service.js';
import { CardError } from '../../card-error.js';
import { securityStatusError } from '../card-status-words.js';
import { buildInternalAuthenticate } from '../commands/security-commands.js';
import type { SessionAccess } from '../session-access.js';

/**
 * INTERNAL AUTHENTICATE outcome (docs/reference/security-profile.md step 5): the card's 8 bytes equal the key
 * service's `Auth(SessionKey(CK_IRK, r8), d8)` -> `genuine`; otherwise `not-genuine` — an
 * outcome to show, not a crash (docs/architecture.md "Conventions").
 */
export interface InternalAuthOutcome {
  readonly outcome: 'genuine' | 'not-genuine';
}

/** `00 88 00 00 10 r8 ‖ d8 00` with random r8, d8 (or given ones: HSM two-step). */
export async function internalAuthenticate(
  session: SessionAccess,
  keys: KeyService,
  prepared?: { readonly r8: Uint8Array; readonly d8: Uint8Array },
): Promise<InternalAuthOutcome> {
  await session.ensureSelected();
  const ctx = await session.keyContext();
  const r8 = prepared?.r8 ?? session.randomBytes(8);
  const d8 = prepared?.d8 ?? session.randomBytes(8);
  const answer = parseInternalAuthenticate(await session.channel.send(buildInternalAuthenticate(r8, d8)));
  const expected = await keys.internalAuth(ctx, r8, d8);
  return { outcome: bytesEqual(answer, expected) ? 'genuine' : 'not-genuine' };
}

/**
 * The card's answer over a caller's 16 bytes (r8 ‖ d8): a verifiable read's proof for a server
 * that holds the issuer's key system (docs/verifiable-reads.md). No comparison here.
 */
export async function internalAuthenticateAnswer(session: SessionAccess, nonce: Uint8Array): Promise<Uint8Array> {
  if (nonce.length !== 16) throw new CardError('BAD_CARD_DATA', `INTERNAL AUTHENTICATE input must be 16 bytes, got ${nonce.length}`);
  await session.ensureSelected();
  return parseInternalAuthenticate(await session.channel.send(buildInternalAuthenticate(nonce.subarray(0, 8), nonce.subarray(8, 16))));
}

/** The card's 8-byte answer; a status other than 9000 is typed; a wrong length is BAD_CARD_DATA. */
export function parseInternalAuthenticate(response: ResponseApdu): Uint8Array {
  if (!isNormal(response.sw)) throw securityStatusError(response.sw, 'INTERNAL AUTHENTICATE');
  if (response.data.length !== 8) throw new CardError('BAD_CARD_DATA', `INTERNAL AUTHENTICATE answered ${response.data.length} bytes instead of 8`);
  return Uint8Array.from(response.data);
}

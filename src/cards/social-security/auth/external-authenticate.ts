import type { ResponseApdu } from '../../../apdu/response-apdu.js';
import { swHex } from '../../../apdu/response-apdu.js';
import { externalAuthKeyId, type ExternalAuthRole } from '../../../keys/key-role.js';
import type { KeyService } from '../../../keys/key-service.js';
import { securityStatusError } from '../card-status-words.js';
import { buildExternalAuthenticate, buildGetChallenge } from '../commands/security-commands.js';
import { parseChallenge } from './parse-challenge.js';
import { parseTryCounter } from '../commands/parse-security.js';
import { AuthError } from './auth-error.js';
import type { SessionAccess } from '../session-access.js';

/**
 * EXTERNAL AUTHENTICATE for a role (docs/reference/security-profile.md step 6): GET CHALLENGE (8 bytes), the key
 * service computes `Auth(SessionKey(CK_role, R8), d8)` for a random d8, then
 * `00 82 00 <key id> 10 auth8 ‖ d8`. The access right holds until the next SELECT of SSSE or a
 * reset. Nothing may reach the card between GET CHALLENGE and EXTERNAL AUTHENTICATE (the
 * challenge is single-use by the very next command). `prepared`: a challenge already fetched and
 * the d8 to use (HSM two-step: step 1 fetched it).
 */
export async function authenticateExternal(
  session: SessionAccess,
  keys: KeyService,
  role: ExternalAuthRole,
  prepared?: { readonly challenge: Uint8Array; readonly d8: Uint8Array },
): Promise<void> {
  await session.ensureSelected();
  const ctx = await session.keyContext();
  const challenge = prepared?.challenge ?? parseChallenge(await session.channel.send(buildGetChallenge(8)), 8);
  const d8 = prepared?.d8 ?? session.randomBytes(8);
  const auth = await keys.externalAuth(ctx, role, challenge, d8);
  parseExternalAuthenticate(await session.channel.send(buildExternalAuthenticate(externalAuthKeyId(role), auth, d8)), role);
}

/** Granted; wrong key EXTERNAL_AUTH_FAILED{triesLeft}; key blocked EXTERNAL_AUTH_BLOCKED; the rest typed (status-word table). */
export function parseExternalAuthenticate(response: ResponseApdu, role: string): void {
  const a = parseTryCounter(response, 'EXTERNAL AUTHENTICATE');
  const sw = swHex(response.sw);
  if (a.kind === 'ok') return;
  if (a.kind === 'wrong') {
    const { triesLeft } = a;
    throw new AuthError('EXTERNAL_AUTH_FAILED', `EXTERNAL AUTHENTICATE (${role}) refused by the card: wrong key, ${triesLeft} tr${triesLeft === 1 ? 'y' : 'ies'} left for it`, {
      sw,
      triesLeft,
      role,
    });
  }
  if (a.kind === 'blocked') throw new AuthError('EXTERNAL_AUTH_BLOCKED', `EXTERNAL AUTHENTICATE (${role}): the card has blocked this key (${sw})`, { sw, role });
  throw securityStatusError(response.sw, `EXTERNAL AUTHENTICATE (${role})`);
}

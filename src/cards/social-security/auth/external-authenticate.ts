import type { ResponseApdu } from '../../../apdu/response-apdu.js';
import { swHex } from '../../../apdu/response-apdu.js';
import { externalAuthKeyId, type ExternalAuthRole } from '../../../keys/key-role.js';
import type { KeyService } from '../../../keys/key-service.js';
import { securityStatusError } from '../card-status-words.js';
import { buildExternalAuthenticate, buildGetChallenge } from '../commands/security-commands.js';
import { parseChallenge } from './parse-challenge.js';
import { AuthError } from './auth-error.js';
import type { SessionAccess } from '../session-access.js';

/**
 * EXTERNAL AUTHENTICATE for a role (security-profile.md step 6): GET CHALLENGE (8 bytes), the key
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

/** 9000 granted; 63Cx EXTERNAL_AUTH_FAILED{triesLeft}; 6983 EXTERNAL_AUTH_BLOCKED; 6984/6988/6A88/... typed. */
export function parseExternalAuthenticate(response: ResponseApdu, role: string): void {
  const sw = response.sw;
  if (sw === 0x9000) return;
  if ((sw & 0xfff0) === 0x63c0) {
    const triesLeft = sw & 0x0f;
    throw new AuthError('EXTERNAL_AUTH_FAILED', `EXTERNAL AUTHENTICATE (${role}) refused by the card: wrong key, ${triesLeft} tr${triesLeft === 1 ? 'y' : 'ies'} left for it`, {
      sw: swHex(sw),
      triesLeft,
      role,
    });
  }
  if (sw === 0x6983) throw new AuthError('EXTERNAL_AUTH_BLOCKED', `EXTERNAL AUTHENTICATE (${role}): the card has blocked this key (6983)`, { sw: '6983', role });
  throw securityStatusError(sw, `EXTERNAL AUTHENTICATE (${role})`);
}

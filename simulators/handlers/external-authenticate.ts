import { bytesEqual } from '../../src/core/hex.js';
import type { InstructionHandler } from '../instruction.js';
import { authValue, sessionKey } from '../crypto/reference-profile.js';
import { EXTERNAL_AUTH_KEY_IDS } from '../crypto/test-master-keys.js';
import type { ExternalAuthRole } from '../card-secrets.js';
import { SW } from '../status.js';
import { requireApplication, roleKey, type SecurityContext } from './security-context.js';

/**
 * EXTERNAL AUTHENTICATE `00 82 00 <key id> 10 auth8 ‖ d8` (docs/reference/card-spec.md §3, security profile step 6):
 * key id 0A RKSSSE, 04 UKSSSE, 06 PUK. The card checks `auth8 = Auth(SessionKey(CK_role, R8), d8)`
 * with R8 the challenge of the previous command (used up). Right -> 9000, the role's right (e.g.
 * `RKSSSE`: EF06 on 3.0 cards, EF07, EF08) until the next DF selection or reset, the key's try
 * counter back to the limit. Wrong -> `63 Cx` (tries left for that key); the try that uses the last
 * one answers 6983, and so does every later attempt with the key. Checked in this order: P1 not
 * 00 -> 6A86; data not 16 bytes -> 6700; SSSE not current -> 6A88; algorithm 02 -> 6A81; unknown
 * key id -> 6A88; key blocked -> 6983; no challenge asked since reset -> 6984; challenge used or
 * stale -> 6988 (step 7's rule for MACs, applied here too; no try is spent for 6984/6988).
 */
export function externalAuthenticate(ctx: SecurityContext): InstructionHandler {
  return (command, card) => {
    if (command.p1 !== 0) return { sw: SW.INCORRECT_P1P2 };
    if (command.data.length !== 16) return { sw: SW.WRONG_LENGTH };
    const notHere = requireApplication(card, ctx);
    if (notHere !== undefined) return { sw: notHere };
    const role = EXTERNAL_AUTH_KEY_IDS.get(command.p2) as ExternalAuthRole | undefined;
    const key = roleKey(ctx, role ?? 'RKSSSE');
    if (typeof key === 'number') return { sw: key };
    if (!role) return { sw: SW.REFERENCED_DATA_NOT_FOUND };
    const { secrets } = ctx;
    if (secrets.extAuthTriesLeft(role) === 0) return { sw: SW.AUTH_METHOD_BLOCKED };
    const r8 = secrets.takeChallenge();
    if (typeof r8 === 'number') return { sw: r8 };
    const expected = authValue(key.alg, sessionKey(key.alg, key.ck, r8), command.data.subarray(8, 16));
    const outcome = secrets.recordExternalAuth(role, bytesEqual(expected, command.data.subarray(0, 8)));
    if (!outcome.ok) {
      card.security.revoke(role);
      return { sw: outcome.sw };
    }
    card.security.grant(role);
    return { sw: SW.OK };
  };
}

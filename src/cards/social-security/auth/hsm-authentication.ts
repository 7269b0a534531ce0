import { KeyError } from '../../../keys/key-error.js';
import { hsmStep1, hsmStep2, type HsmAuthFactors, type HsmAuthValues } from '../../../keys/hsm/hsm-two-step.js';
import type { KeyService } from '../../../keys/key-service.js';
import { buildGetChallenge } from '../commands/security-commands.js';
import type { SessionAccess } from '../session-access.js';
import { authenticateExternal } from './external-authenticate.js';
import { internalAuthenticate, type InternalAuthOutcome } from './internal-authenticate.js';
import { parseChallenge } from './parse-challenge.js';

/** Step 1 of an HSM two-step operation, and its single-use continuation. */
export interface HsmPrepared {
  /** The factors string for the caller's HSM (docs/keys.md "HSM two-step"). */
  readonly text: string;
  readonly factors: HsmAuthFactors;
  /**
   * Step 2, once: the HSM's values become keys; EXTERNAL AUTHENTICATE with RKSSSE first (when
   * prepared: the card's challenge is single-use by the very next command), then `read` with the
   * rights it gave, then INTERNAL AUTHENTICATE over step 1's r8/d8.
   */
  complete<T>(values: string | HsmAuthValues, read: (authenticated: boolean) => Promise<T>): Promise<{ readonly result: T; readonly genuine: InternalAuthOutcome['outcome'] }>;
}

/**
 * The HSM two-step flow of docs/reference/card-spec.md §4 (`iReadCardBas_HSM_Step1/2`), shared by
 * the HSM card read and the HSM photo read: random r8/d8 for INTERNAL AUTHENTICATE and, when
 * `external`, GET CHALLENGE (8) for EXTERNAL AUTHENTICATE with RKSSSE. Nothing may reach the card
 * between the two steps. SSSE must be selected and the card identified by the caller.
 */
export async function prepareHsmAuthentication(session: SessionAccess, cardId: string, external: boolean): Promise<HsmPrepared> {
  const ctx = await session.keyContext();
  const internal = { factor: session.randomBytes(8), original: session.randomBytes(8) };
  let ext: { factor: Uint8Array; original: Uint8Array } | undefined;
  if (external) {
    const d8 = session.randomBytes(8);
    ext = { factor: parseChallenge(await session.channel.send(buildGetChallenge(8)), 8), original: d8 };
  }
  const step1 = hsmStep1({ ctx, cardId, internal, external: ext });
  let used = false;
  return {
    text: step1.text,
    factors: step1.factors,
    async complete(values, read) {
      if (used) throw new KeyError('HSM_OPERATION_NOT_PREPARED', 'HSM step 2 was already completed for this step 1');
      used = true;
      const keys: KeyService = hsmStep2(step1.factors, values);
      if (ext) await authenticateExternal(session, keys, 'RKSSSE', { challenge: ext.factor, d8: ext.original });
      const result = await read(ext !== undefined);
      const genuine = await internalAuthenticate(session, keys, { r8: internal.factor, d8: internal.original });
      return { result, genuine: genuine.outcome };
    },
  };
}

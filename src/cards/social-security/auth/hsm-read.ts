import { KeyError } from '../../../keys/key-error.js';
import { hsmStep1, hsmStep2, type HsmAuthFactors, type HsmAuthValues } from '../../../keys/hsm/hsm-two-step.js';
import { parseChallenge } from './parse-challenge.js';
import { authenticateExternal } from './external-authenticate.js';
import { internalAuthenticate } from './internal-authenticate.js';
import { buildGetChallenge } from '../commands/security-commands.js';
import type { SocialSecuritySession } from '../social-security-session.js';
import type { CardWarning, SocialSecurityRead } from '../social-security-model.js';

/** Step 1 of the HSM read (docs/reference/card-spec.md §4 `iReadCardBas_HSM_Step1`), with its continuation. */
export interface HsmReadStep1 {
  /** The factors string for the caller's HSM (docs/keys.md "HSM two-step"). */
  readonly text: string;
  readonly factors: HsmAuthFactors;
  /**
   * Step 2 (`iReadCardBas_HSM_Step2`): the HSM's values (`int16hex+orig16hex|ext16hex+orig16hex|`
   * or typed). Sends EXTERNAL AUTHENTICATE first (the card's challenge is single-use by the very
   * next command), then EF06, then INTERNAL AUTHENTICATE. Nothing may be sent to the card between
   * the two steps.
   */
  complete(values: string | HsmAuthValues): Promise<SocialSecurityRead>;
}

/**
 * The authenticated read with an HSM the middleware cannot call itself: SELECT SSSE, EF05, random
 * r8/d8 for INTERNAL AUTHENTICATE and, on a 3.0 card (or `authenticate: true`), GET CHALLENGE (8)
 * for EXTERNAL AUTHENTICATE — all in step 1; the HSM computes; step 2 finishes on the same
 * session. The session needs the card's ATR.
 */
export async function beginHsmRead(session: SocialSecuritySession, options: { authenticate?: boolean } = {}): Promise<HsmReadStep1> {
  const warnings: CardWarning[] = [];
  const base = await session.read({ authenticate: false });
  warnings.push(...base.warnings);
  const ctx = await session.keyContext();
  const internal = { factor: session.randomBytes(8), original: session.randomBytes(8) };
  const wantExternal = options.authenticate ?? base.holder.status === 'needs-authentication';
  let external: { factor: Uint8Array; original: Uint8Array } | undefined;
  if (wantExternal) {
    const d8 = session.randomBytes(8);
    external = { factor: parseChallenge(await session.channel.send(buildGetChallenge(8)), 8), original: d8 };
  }
  const step1 = hsmStep1({ ctx, cardId: base.card.cardIdentificationCode, internal, external });
  let used = false;
  return {
    text: step1.text,
    factors: step1.factors,
    async complete(values) {
      if (used) throw new KeyError('HSM_OPERATION_NOT_PREPARED', 'HSM step 2 was already completed for this step 1');
      used = true;
      const keys = hsmStep2(step1.factors, values);
      let holder = base.holder;
      if (external) {
        await authenticateExternal(session, keys, 'RKSSSE', { challenge: external.factor, d8: external.original });
        holder = await session.readHolder(warnings);
      }
      const genuine = await internalAuthenticate(session, keys, { r8: internal.factor, d8: internal.original });
      return { ...base, holder, warnings, authenticated: external !== undefined, genuine: genuine.outcome };
    },
  };
}

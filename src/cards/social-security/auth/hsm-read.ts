import type { HsmAuthFactors, HsmAuthValues } from '../../../keys/hsm/hsm-two-step.js';
import { prepareHsmAuthentication } from './hsm-authentication.js';
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
  const wantExternal = options.authenticate ?? base.holder.status === 'needs-authentication';
  const prepared = await prepareHsmAuthentication(session, base.card.cardIdentificationCode, wantExternal);
  return {
    text: prepared.text,
    factors: prepared.factors,
    async complete(values) {
      const { result: holder, genuine } = await prepared.complete(values, async (authenticated) => (authenticated ? session.readHolder(warnings) : base.holder));
      return { ...base, holder, warnings, authenticated: wantExternal, genuine };
    },
  };
}

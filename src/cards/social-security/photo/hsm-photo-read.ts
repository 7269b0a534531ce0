import type { HsmAuthFactors, HsmAuthValues } from '../../../keys/hsm/hsm-two-step.js';
import { prepareHsmAuthentication } from '../auth/hsm-authentication.js';
import type { InternalAuthOutcome } from '../auth/internal-authenticate.js';
import type { SocialSecuritySession } from '../social-security-session.js';
import type { ExtendedLeMode } from './read-transparent-until.js';
import { readPhotoContent, type PhotoRead } from './read-photo.js';

export interface HsmPhotoStep1 {
  /** The factors for the caller's HSM, in the same `|` format as the HSM card read (docs/keys.md). */
  readonly text: string;
  readonly factors: HsmAuthFactors;
  /** Step 2: EXTERNAL AUTHENTICATE (RKSSSE) with the HSM's value, EF08, then INTERNAL AUTHENTICATE. */
  complete(values: string | HsmAuthValues): Promise<PhotoRead & { readonly genuine: InternalAuthOutcome['outcome'] }>;
}

/**
 * The photo read with an HSM the middleware cannot call itself (card-spec §4 two-step flow, as
 * the HSM card read in auth/hsm-read.ts): step 1 selects SSSE, reads EF05, draws r8/d8 and the
 * card's challenge; the caller's HSM computes; step 2 authenticates with RKSSSE and reads EF08
 * (read-photo.ts), then checks the card is genuine. Nothing may reach the card between the steps.
 */
export async function beginHsmPhotoRead(session: SocialSecuritySession, options: { extendedLe?: ExtendedLeMode } = {}): Promise<HsmPhotoStep1> {
  await session.selectApplication();
  const card = await session.cardData();
  const prepared = await prepareHsmAuthentication(session, card.cardIdentificationCode, true);
  const photoFile = session.photoFile();
  return {
    text: prepared.text,
    factors: prepared.factors,
    async complete(values) {
      const { result: photo, genuine } = await prepared.complete(values, () => readPhotoContent(session, photoFile, options.extendedLe ?? 'auto', true));
      return { ...photo, genuine };
    },
  };
}

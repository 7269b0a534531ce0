import { KeyError } from '../../../keys/key-error.js';
import { hsmStep1, hsmStep2, type HsmAuthFactors, type HsmAuthValues } from '../../../keys/hsm/hsm-two-step.js';
import { authenticateExternal } from '../auth/external-authenticate.js';
import { internalAuthenticate, type InternalAuthOutcome } from '../auth/internal-authenticate.js';
import { parseChallenge } from '../auth/parse-challenge.js';
import { buildGetChallenge } from '../commands/security-commands.js';
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
  const ctx = await session.keyContext();
  const internal = { factor: session.randomBytes(8), original: session.randomBytes(8) };
  const d8 = session.randomBytes(8);
  const external = { factor: parseChallenge(await session.channel.send(buildGetChallenge(8)), 8), original: d8 };
  const step1 = hsmStep1({ ctx, cardId: card.cardIdentificationCode, internal, external });
  const photoFile = session.photoFile();
  let used = false;
  return {
    text: step1.text,
    factors: step1.factors,
    async complete(values) {
      if (used) throw new KeyError('HSM_OPERATION_NOT_PREPARED', 'HSM step 2 was already completed for this step 1');
      used = true;
      const keys = hsmStep2(step1.factors, values);
      await authenticateExternal(session, keys, 'RKSSSE', { challenge: external.factor, d8: external.original });
      const photo = await readPhotoContent(session, photoFile, options.extendedLe ?? 'auto', true);
      const genuine = await internalAuthenticate(session, keys, { r8: internal.factor, d8: internal.original });
      return { ...photo, genuine: genuine.outcome };
    },
  };
}

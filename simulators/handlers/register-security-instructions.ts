import { fromHex } from '../../src/core/hex.js';
import type { SsseSpec } from '../../src/specs/spec-schemas.js';
import type { CardOs } from '../card-os.js';
import type { CardSecrets } from '../card-secrets.js';
import { INS } from '../instruction.js';
import { SimulatorError } from '../sim-error.js';
import { applicationBlock, applicationBlockFilter, cardBlock, cardBlockFilter } from './block-commands.js';
import { changePin } from './change-pin.js';
import { externalAuthenticate } from './external-authenticate.js';
import { getChallenge } from './get-challenge.js';
import { internalAuthenticate } from './internal-authenticate.js';
import { pinReloadOrUnblock } from './pin-reload.js';
import type { SecurityContext } from './security-context.js';
import { verify } from './verify.js';

/** CLA of the proprietary plaintext command CHANGE PIN and of the MAC-protected commands (docs/reference/card-spec.md §3). */
const CLA_PROPRIETARY = 0x80;
const CLA_MAC = 0x84;

/**
 * Adds the card-side security of the reference profile to a card OS (docs/reference/card-spec.md §3,
 * docs/reference/security-profile.md): VERIFY, CHANGE PIN, GET CHALLENGE, INTERNAL / EXTERNAL AUTHENTICATE,
 * PIN RELOAD / UNBLOCK, APPLICATION / CARD BLOCK, the filters of the permanent blocks, the
 * command counter that makes a challenge single-use, and the reset hook that forgets it.
 * `secrets` keeps the persistent state; the PIN and keys belong to SSSE (found by DF name).
 */
export function registerSecurityInstructions(card: CardOs, secrets: CardSecrets, ssse: SsseSpec): CardOs {
  const application = card.fs.dfByName(fromHex(ssse.application.dfName));
  if (!application) throw new SimulatorError('PROFILE_INVALID', 'the card has no SSSE application to hold the PIN and keys');
  const ctx: SecurityContext = { secrets, application };
  return card
    .addFilter(() => {
      secrets.countCommand();
      return undefined;
    })
    .addFilter(cardBlockFilter(ctx))
    .addFilter(applicationBlockFilter(ctx))
    .onReset(() => secrets.clearVolatile())
    .register(INS.VERIFY, verify(ctx), { name: 'VERIFY' })
    .register(INS.CHANGE_PIN, changePin(ctx), { classes: [CLA_PROPRIETARY], name: 'CHANGE PIN' })
    .register(INS.GET_CHALLENGE, getChallenge(ctx), { name: 'GET CHALLENGE' })
    .register(INS.INTERNAL_AUTHENTICATE, internalAuthenticate(ctx), { name: 'INTERNAL AUTHENTICATE' })
    .register(INS.EXTERNAL_AUTHENTICATE, externalAuthenticate(ctx), { name: 'EXTERNAL AUTHENTICATE' })
    .register(INS.PIN_RELOAD_UNBLOCK, pinReloadOrUnblock(ctx), { classes: [CLA_MAC], name: 'PIN RELOAD / UNBLOCK' })
    .register(INS.APPLICATION_BLOCK, applicationBlock(ctx), { classes: [CLA_MAC], name: 'APPLICATION BLOCK' })
    .register(INS.CARD_BLOCK, cardBlock(ctx), { classes: [CLA_MAC], name: 'CARD BLOCK' });
}

import { CardOs, type CardOsOptions } from './card-os.js';
import type { CardSecrets, SecuritySnapshot } from './card-secrets.js';
import type { PbocChipState } from './pboc/pboc-chip-state.js';

/**
 * The card OS of a simulated social-security card: the file commands plus the card-side security
 * (`handlers/register-security-instructions.ts`). `secrets` holds the persistent security state;
 * `securitySnapshot()` is the read-only view for tests and tools.
 */
export class SocialSecurityCardOs extends CardOs {
  /** The financial application's persistent state (ATC), when the profile has one. */
  pboc: PbocChipState | undefined;

  constructor(
    options: CardOsOptions,
    readonly secrets: CardSecrets,
  ) {
    super(options);
  }

  /** PIN tries, external-authentication tries per key, blocks, whether a challenge is pending. */
  securitySnapshot(): SecuritySnapshot {
    return this.secrets.snapshot();
  }
}

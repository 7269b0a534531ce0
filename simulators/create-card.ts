import { fromHex } from '../src/core/hex.js';
import { specs } from '../src/specs/load-specs.js';
import { buildSsseFileSystem } from './build-ssse-file-system.js';
import { deriveCardKeys } from './card-keys.js';
import { CardSecrets, cryptoRandom, resolveSecuritySettings, type RandomSource } from './card-secrets.js';
import { registerFileInstructions } from './handlers/register-file-instructions.js';
import { registerSecurityInstructions } from './handlers/register-security-instructions.js';
import { defaultProfileId, loadProfile, validateProfile } from './load-profile.js';
import type { CardProfile } from './profile-schema.js';
import { SocialSecurityCardOs } from './social-security-card-os.js';

export interface SimulatedCardOptions {
  /** Random bytes for GET CHALLENGE (default node:crypto); tests pass a deterministic source. */
  readonly random?: RandomSource;
}

/**
 * A simulated social-security card from a profile id, a profile file path, or a profile value
 * (validated here like a file). The card is powered on, with the MF selected. Its keys are
 * diversified from the test master keys (docs/reference/security-profile.md step 2) when it is made.
 */
export function createSimulatedCard(profileOrId: string | CardProfile = defaultProfileId, options: SimulatedCardOptions = {}): SocialSecurityCardOs {
  const profile = typeof profileOrId === 'string' ? loadProfile(profileOrId) : validateProfile(profileOrId, `profile ${profileOrId.id}`);
  const tables = specs();
  const secrets = new CardSecrets(
    resolveSecuritySettings(profile.security),
    profile.algorithm,
    deriveCardKeys(profile, tables.atr),
    options.random ?? cryptoRandom,
  );
  const card = new SocialSecurityCardOs(
    { atr: fromHex(profile.atr), fileSystem: buildSsseFileSystem(profile, tables.ssse), behaviour: profile.behaviour, profile },
    secrets,
  );
  registerFileInstructions(card);
  registerSecurityInstructions(card, secrets, tables.ssse);
  return card;
}

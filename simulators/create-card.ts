import { fromHex } from '../src/core/hex.js';
import { specs } from '../src/specs/load-specs.js';
import { buildSsseFileSystem } from './build-ssse-file-system.js';
import { CardOs } from './card-os.js';
import { registerFileInstructions } from './handlers/register-file-instructions.js';
import { defaultProfileId, loadProfile, validateProfile } from './load-profile.js';
import type { CardProfile } from './profile-schema.js';

/**
 * A simulated social-security card from a profile id, a profile file path, or a profile value
 * (validated here like a file). The card is powered on, with the MF selected.
 */
export function createSimulatedCard(profileOrId: string | CardProfile = defaultProfileId): CardOs {
  const profile = typeof profileOrId === 'string' ? loadProfile(profileOrId) : validateProfile(profileOrId, `profile ${profileOrId.id}`);
  const card = new CardOs({
    atr: fromHex(profile.atr),
    fileSystem: buildSsseFileSystem(profile, specs().ssse),
    behaviour: profile.behaviour,
    profile,
  });
  return registerFileInstructions(card);
}

import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadJsonFile, validateJson } from '../src/specs/load-json.js';
import { specs } from '../src/specs/load-specs.js';
import { profileSchema, type CardProfile } from './profile-schema.js';
import { SimulatorError } from './sim-error.js';
import { withProfilePhoto } from './profile-photo.js';

/** The built-in card used when none is named. */
export const defaultProfileId = 'demo';

export interface ProfileSummary {
  readonly id: string;
  readonly label: string;
  readonly generation: CardProfile['generation'];
  readonly algorithm: string;
  readonly behaviour: CardProfile['behaviour'];
  readonly file: string;
}

let schema: ReturnType<typeof profileSchema> | undefined;
function cachedSchema(): ReturnType<typeof profileSchema> {
  schema ??= profileSchema(specs());
  return schema;
}

/** Finds `simulators/profiles/` by walking up from this module (works from source and from `dist/`). */
export function profilesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    for (const candidate of [join(dir, 'profiles'), join(dir, 'simulators', 'profiles')]) {
      if (existsSync(join(candidate, `${defaultProfileId}.json`))) return candidate;
    }
    dir = dirname(dir);
  }
  throw new SimulatorError('PROFILE_NOT_FOUND', 'simulators/profiles/ directory not found next to the sscard package');
}

/** Validates a profile value; `label` names it in errors (`label: entry: message`, a SpecError). */
export function validateProfile(value: unknown, label: string): CardProfile {
  return validateJson(value, cachedSchema(), label);
}

/**
 * Loads a profile by id (`simulators/profiles/<id>.json`) or by path (anything with a `/` or
 * ending in `.json`). Unknown id -> SimulatorError PROFILE_NOT_FOUND listing the known ids; bad
 * content -> SpecError naming the file and entry; an `id` other than the file name ->
 * SimulatorError PROFILE_INVALID.
 */
export function loadProfile(idOrPath: string = defaultProfileId): CardProfile {
  const isPath = idOrPath.includes('/') || idOrPath.includes('\\') || idOrPath.endsWith('.json');
  const path = isPath ? idOrPath : join(profilesDir(), `${idOrPath}.json`);
  if (!existsSync(path)) {
    const known = profileIds().join(', ');
    throw new SimulatorError('PROFILE_NOT_FOUND', `no simulator profile "${idOrPath}" (known: ${known})`, idOrPath);
  }
  const profile = loadJsonFile(path, cachedSchema());
  const expected = basename(path, '.json');
  if (profile.id !== expected) {
    const label = relative(process.cwd(), path) || path;
    throw new SimulatorError('PROFILE_INVALID', `${label}: id: "${profile.id}" must equal the file name "${expected}"`, label, 'id');
  }
  return withProfilePhoto(profile, dirname(path), relative(process.cwd(), path) || path, profilesDir());
}

function profileIds(): string[] {
  return readdirSync(profilesDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

/** Every built-in profile, validated, default first. */
export function listProfiles(): ProfileSummary[] {
  const ids = profileIds().sort((a, b) => Number(b === defaultProfileId) - Number(a === defaultProfileId));
  return ids.map((id) => {
    const p = loadProfile(id);
    const file = relative(dirname(dirname(profilesDir())), join(profilesDir(), `${id}.json`)); // package-relative
    return { id: p.id, label: p.label, generation: p.generation, algorithm: p.algorithm, behaviour: p.behaviour, file };
  });
}

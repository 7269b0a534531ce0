import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '../src/core/hex.js';
import { specs } from '../src/specs/load-specs.js';
import type { CardProfile } from './profile-schema.js';
import { SimulatorError } from './sim-error.js';

/**
 * Puts a profile's `photo` (a JPEG file beside the profile) into EF08 as `transparent.EF08`
 * (card-spec §1: EF08 is a transparent EF of 0x1000 bytes holding the holder's JPEG). A photo that
 * is missing, not a JPEG or larger than the EF is a PROFILE_INVALID naming the file. An explicit
 * `transparent.EF08` wins (profiles of malformed cards).
 */
export function withProfilePhoto(profile: CardProfile, profileDir: string, label: string, builtInDir?: string): CardProfile {
  if (!profile.photo || profile.transparent?.['EF08'] !== undefined) return profile;
  // Relative to the profile's folder; a built-in profile copied elsewhere (tests that vary one
  // setting) keeps its photo from the built-in folder.
  const own = join(profileDir, profile.photo);
  const path = existsSync(own) || !builtInDir ? own : join(builtInDir, profile.photo);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new SimulatorError('PROFILE_INVALID', `${label}: photo: cannot read ${profile.photo}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, label, 'photo');
  }
  const size = specs().ssse.files.find((f) => f.id === 'EF08')?.size ?? 0;
  if (bytes.length > size) {
    throw new SimulatorError('PROFILE_INVALID', `${label}: photo: ${profile.photo} has ${bytes.length} bytes, EF08 holds ${size}`, label, 'photo');
  }
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw new SimulatorError('PROFILE_INVALID', `${label}: photo: ${profile.photo} is not a JPEG (no FF D8 at the start)`, label, 'photo');
  }
  return { ...profile, transparent: { ...profile.transparent, EF08: toHex(bytes).toUpperCase() } };
}

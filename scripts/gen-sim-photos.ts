/**
 * Writes the synthetic holder photos of the simulator's profiles (simulators/profiles/photos/):
 * an abstract silhouette on white, no face, small enough for EF08 (card-spec §1: 0x1000 bytes).
 * Run after a build: `node dist/scripts/gen-sim-photos.js`. The committed files are what the
 * simulator serves; test/unit/collect/sim-photos.test.ts checks each against the photo rules.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYNTHETIC_CHIP_PHOTO, syntheticPhoto } from '../src/collect/synthetic-photo.js';

/** Profile id -> seed (the seed only changes the colours). */
export const SIM_PHOTOS: Record<string, number> = {
  demo: 11,
  'v1-zhang-san': 12,
  'v2-long-name': 13,
  'v2-bad-check': 14,
  'v3-sm4': 15,
};

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const dir = join(root, 'simulators', 'profiles', 'photos');
mkdirSync(dir, { recursive: true });
for (const [id, seed] of Object.entries(SIM_PHOTOS)) {
  const jpeg = await syntheticPhoto({ seed, ...SYNTHETIC_CHIP_PHOTO });
  writeFileSync(join(dir, `${id}.jpg`), jpeg);
  console.log(`${id}.jpg ${jpeg.length} bytes`);
}

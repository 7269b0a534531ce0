import { join } from 'node:path';
import { loadJsonFile } from './load-json.js';
import { findSpecDir } from './load-specs.js';
import { nationalInterfaceSchema, type NationalInterfaceSpec } from './national-interface-schema.js';

/** Loads and validates `national-interface.json` from `dir` (default: the package's own `apdu-specs/`). */
export function loadNationalInterfaceSpec(dir = findSpecDir()): NationalInterfaceSpec {
  return loadJsonFile(join(dir, 'national-interface.json'), nationalInterfaceSchema);
}

let cached: NationalInterfaceSpec | undefined;

/** The package's own national-interface table, loaded once. */
export function nationalInterfaceSpec(): NationalInterfaceSpec {
  cached ??= loadNationalInterfaceSpec();
  return cached;
}

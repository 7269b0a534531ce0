import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadJsonFile } from './load-json.js';
import {
  atrSpecSchema,
  ethnicGroupsSchema,
  ssseSpecSchema,
  statusWordsSchema,
  type AtrSpec,
  type EthnicGroupsSpec,
  type SsseSpec,
  type StatusWordSpec,
  type CommandStatusWordSpec,
} from './spec-schemas.js';
import { SpecError } from './spec-error.js';

/** All spec tables, validated. Reader and simulator both get theirs from here. */
export interface Specs {
  readonly dir: string;
  readonly ssse: SsseSpec;
  readonly statusWords: readonly StatusWordSpec[];
  /** Status words with a meaning of their own per command (apdu-specs/status-words.json `commands`). */
  readonly commandStatusWords: Readonly<Record<string, readonly CommandStatusWordSpec[]>>;
  readonly ethnicGroups: EthnicGroupsSpec['groups'];
  readonly atr: AtrSpec['patterns'];
}

/** Finds `apdu-specs/` by walking up from this module (works from `src/` and from `dist/src/`). */
export function findSpecDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'apdu-specs');
    if (existsSync(join(candidate, 'ssse.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new SpecError('SPEC_MISSING', 'apdu-specs/', 'apdu-specs/ directory not found next to the sscard package');
}

/** Loads and validates every table in `dir` (default: the package's own `apdu-specs/`). */
export function loadSpecs(dir = findSpecDir()): Specs {
  return {
    dir,
    ssse: loadJsonFile(join(dir, 'ssse.json'), ssseSpecSchema),
    ...statusWordTables(loadJsonFile(join(dir, 'status-words.json'), statusWordsSchema)),
    ethnicGroups: loadJsonFile(join(dir, 'ethnic-groups.json'), ethnicGroupsSchema).groups,
    atr: loadJsonFile(join(dir, 'atr.json'), atrSpecSchema).patterns,
  };
}

let cached: Specs | undefined;

/** The package's own tables, loaded once. */
export function specs(): Specs {
  cached ??= loadSpecs();
  return cached;
}

function statusWordTables(file: { entries: StatusWordSpec[]; commands: Record<string, CommandStatusWordSpec[]> }) {
  return { statusWords: file.entries, commandStatusWords: file.commands };
}

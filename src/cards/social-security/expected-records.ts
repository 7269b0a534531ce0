import type { FileSpec, RecordSpec } from '../../specs/spec-schemas.js';

/**
 * Records a card of this generation carries (docs/reference/card-spec.md §2: 4E only from 2.0;
 * unknown = all). One array per file and generation: the read-to-end READ RECORD is built once per array.
 */
export function expectedRecords(file: FileSpec, version: string): readonly RecordSpec[] {
  if (version === 'unknown') return file.records;
  let byVersion = expectedCache.get(file);
  if (!byVersion) {
    byVersion = new Map();
    expectedCache.set(file, byVersion);
  }
  let records = byVersion.get(version);
  if (!records) {
    records = file.records.filter((r) => !r.sinceVersion || r.sinceVersion <= version);
    // Versions come from the card (normalised to the table's, or 'unknown'): bounded, but keep it so.
    if (byVersion.size < 16) byVersion.set(version, records);
  }
  return records;
}

const expectedCache = new WeakMap<FileSpec, Map<string, readonly RecordSpec[]>>();

import type { RecordFile } from './file-system.js';

/**
 * READ RECORD by record identifier (ISO/IEC 7816-4 §7.3.1 and §11.4.3, docs/reference/card-spec.md §2): P2 bits 3-1
 * `000` first, `001` last, `010` next, `011` previous occurrence. A simple-TLV record's
 * identifier is its tag (first byte). Identifier 00 matches any record (ISO/IEC 7816-4 §7.3.1).
 */
export type Occurrence = 'first' | 'last' | 'next' | 'previous';

export const OCCURRENCE_BY_MODE: Readonly<Record<number, Occurrence>> = { 0: 'first', 1: 'last', 2: 'next', 3: 'previous' };

/**
 * The number (1-based) of the matching record, or undefined. `pointer` is the current record
 * number: `next` searches after it (from the start when there is none), `previous` before it
 * (from the end when there is none).
 */
export function findOccurrence(file: RecordFile, tag: number, occurrence: Occurrence, pointer: number | undefined): number | undefined {
  const n = file.records.length;
  const matches = (i: number) => tag === 0 || file.records[i - 1]?.[0] === tag;
  const scan = (from: number, to: number, step: 1 | -1): number | undefined => {
    for (let i = from; step > 0 ? i <= to : i >= to; i += step) if (matches(i)) return i;
    return undefined;
  };
  switch (occurrence) {
    case 'first':
      return scan(1, n, 1);
    case 'last':
      return scan(n, 1, -1);
    case 'next':
      return scan((pointer ?? 0) + 1, n, 1);
    case 'previous':
      return scan((pointer ?? n + 1) - 1, 1, -1);
  }
}

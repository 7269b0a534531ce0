import { specs } from '../specs/load-specs.js';
import type { StatusWordSpec } from '../specs/spec-schemas.js';
import { ApduError } from './apdu-error.js';
import { swHex, type ResponseApdu } from './response-apdu.js';

/** What a status word means, looked up in `apdu-specs/status-words.json`. */
export interface StatusWordInfo {
  readonly sw: number;
  readonly kind: 'ok' | 'warning' | 'error' | 'unknown';
  readonly code: string;
  readonly meaning: string;
  /** The x / xx part of a pattern entry (tries left for 63Cx, length for 61xx/6Cxx). */
  readonly param?: number;
}

/** A table-driven status-word interpreter (pyscard-style: the meanings are data). */
export class StatusWordTable {
  private readonly exact = new Map<number, StatusWordSpec>();
  private readonly byte1 = new Map<number, StatusWordSpec>(); // "xxxx" with SW2 = xx
  private readonly nibble = new Map<number, StatusWordSpec>(); // "xxXx" with low nibble x

  constructor(entries: readonly StatusWordSpec[]) {
    for (const e of entries) {
      if (e.sw.endsWith('xx')) this.byte1.set(parseInt(e.sw.slice(0, 2), 16), e);
      else if (e.sw.endsWith('x')) this.nibble.set(parseInt(e.sw.slice(0, 3), 16), e);
      else this.exact.set(parseInt(e.sw, 16), e);
    }
  }

  lookup(sw: number): StatusWordInfo {
    const exact = this.exact.get(sw);
    if (exact) return { sw, kind: exact.kind, code: exact.code, meaning: exact.meaning };
    const n = this.nibble.get(sw >> 4);
    if (n) return { sw, kind: n.kind, code: n.code, meaning: n.meaning.replace(/\bx\b/, String(sw & 0x0f)), param: sw & 0x0f };
    const b = this.byte1.get(sw >> 8);
    if (b) return { sw, kind: b.kind, code: b.code, meaning: b.meaning.replace(/\bxx\b/, String(sw & 0xff)), param: sw & 0xff };
    return { sw, kind: 'unknown', code: 'UNKNOWN_STATUS', meaning: `unknown status word ${swHex(sw)}` };
  }

  describe(sw: number): string {
    const i = this.lookup(sw);
    return `${swHex(sw)} ${i.meaning}`;
  }

  /** An ApduError for a non-success status (`context` says which command, e.g. "SELECT SSSE"). */
  errorFor(sw: number, context: string): ApduError {
    const i = this.lookup(sw);
    return new ApduError(i.code, `${context}: card answered ${swHex(sw)} (${i.meaning})`, sw);
  }

  /** Returns the response when SW is 9000, else throws the typed error. */
  check(response: ResponseApdu, context: string): ResponseApdu {
    if (response.sw === 0x9000) return response;
    throw this.errorFor(response.sw, context);
  }
}

let table: StatusWordTable | undefined;

/** The table built from the package's own spec file. */
export function statusWords(): StatusWordTable {
  table ??= new StatusWordTable(specs().statusWords);
  return table;
}

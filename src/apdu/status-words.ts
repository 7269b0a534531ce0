import { specs } from '../specs/load-specs.js';
import type { CommandStatusWordSpec, StatusWordSpec } from '../specs/spec-schemas.js';
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

/** What a status word means for one command (apdu-specs/status-words.json `commands`). */
export interface CommandOutcome {
  readonly outcome: string;
  readonly clause: string;
  /** The x / xx part of a pattern entry (tries left for 63Cx). */
  readonly param?: number;
}

/** `90 00`: normal processing (ISO/IEC 7816-4:2020 §5.6, table 5). */
export function isNormal(sw: number): boolean {
  return statusWords().lookup(sw).code === 'OK';
}

/** Matches a status word against `9000`, `63Cx` (low nibble any) or `61xx` (SW2 any) patterns. */
export function swMatches(pattern: string, sw: number): { param?: number } | undefined {
  return matchCompiled(compilePattern(pattern), sw);
}

/** A pattern as numbers: the status word shifted right by `shift` must equal `value`; the shifted-out bits are the param. */
interface CompiledPattern {
  readonly shift: 0 | 4 | 8;
  readonly value: number;
}

function compilePattern(pattern: string): CompiledPattern {
  if (pattern.endsWith('xx')) return { shift: 8, value: parseInt(pattern.slice(0, 2), 16) };
  if (pattern.endsWith('x')) return { shift: 4, value: parseInt(pattern.slice(0, 3), 16) };
  return { shift: 0, value: parseInt(pattern, 16) };
}

function matchCompiled(p: CompiledPattern, sw: number): { param?: number } | undefined {
  if (sw >> p.shift !== p.value) return undefined;
  return p.shift === 0 ? {} : { param: sw & ((1 << p.shift) - 1) };
}

/** A table-driven status-word interpreter (pyscard-style: the meanings are data). */
export class StatusWordTable {
  private readonly exact = new Map<number, StatusWordSpec>();
  private readonly byte1 = new Map<number, StatusWordSpec>(); // "xxxx" with SW2 = xx
  private readonly nibble = new Map<number, StatusWordSpec>(); // "xxXx" with low nibble x
  /** The `commands` entries with their patterns parsed once (outcome() runs on every APDU of a read). */
  private readonly compiled = new Map<string, ReadonlyArray<{ readonly entry: CommandStatusWordSpec; readonly pattern: CompiledPattern }>>();

  constructor(
    entries: readonly StatusWordSpec[],
    private readonly commands: Readonly<Record<string, readonly CommandStatusWordSpec[]>> = {},
  ) {
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

  /**
   * What `sw` means for `command` (e.g. `SELECT SSSE`, `VERIFY`, `security command`), when the
   * table gives it a meaning of its own; undefined otherwise (then the general meaning applies).
   */
  outcome(command: string, sw: number): CommandOutcome | undefined {
    let entries = this.compiled.get(command);
    if (!entries) {
      const listed = this.commands[command];
      if (!listed) return undefined;
      entries = listed.map((entry) => ({ entry, pattern: compilePattern(entry.sw) }));
      this.compiled.set(command, entries);
    }
    for (const { entry, pattern } of entries) {
      const m = matchCompiled(pattern, sw);
      if (m) return { outcome: entry.outcome, clause: entry.clause, ...m };
    }
    return undefined;
  }

  /** The status word the table gives `outcome` for `command` (the simulator answers with it). */
  swOf(command: string, outcome: string): number {
    const e = (this.commands[command] ?? []).find((x) => x.outcome === outcome);
    if (!e || /x/.test(e.sw)) throw new ApduError('UNKNOWN_STATUS', `status-word table: no fixed status word for ${command} ${outcome}`);
    return parseInt(e.sw, 16);
  }

  /**
   * The status word of a pattern entry of `command` with its x / xx part filled in (the simulator's
   * `63 Cx` answer: `swWith('VERIFY', 'WRONG', 2)` is 63C2). `param` must fit the pattern's part.
   */
  swWith(command: string, outcome: string, param: number): number {
    const e = (this.commands[command] ?? []).find((x) => x.outcome === outcome && /x$/.test(x.sw));
    if (!e) throw new ApduError('UNKNOWN_STATUS', `status-word table: no pattern status word for ${command} ${outcome}`);
    const wide = e.sw.endsWith('xx');
    const max = wide ? 0xff : 0x0f;
    if (!Number.isInteger(param) || param < 0 || param > max) throw new ApduError('UNKNOWN_STATUS', `status-word table: ${param} does not fit ${e.sw} of ${command} ${outcome}`);
    return wide ? (parseInt(e.sw.slice(0, 2), 16) << 8) | param : (parseInt(e.sw.slice(0, 3), 16) << 4) | param;
  }

  /** The status word of a general entry by its code (e.g. SECURITY_STATUS_NOT_SATISFIED). */
  swOfCode(code: string): number {
    for (const [sw, e] of this.exact) if (e.code === code) return sw;
    throw new ApduError('UNKNOWN_STATUS', `status-word table: no fixed status word with code ${code}`);
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
  table ??= new StatusWordTable(specs().statusWords, specs().commandStatusWords);
  return table;
}

import { StatusError } from './status-error.js';

/**
 * The registry's only source of "now". Expiry of a temporary lock is evaluated against it on
 * every question, so nothing depends on a timer having run (docs/status.md, "Clock").
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock standing still at `at` (tests, demonstrations). */
export function fixedClock(at: Date | string): Clock {
  const d = typeof at === 'string' ? parseInstant(at, 'time') : new Date(at.getTime());
  return { now: () => new Date(d.getTime()) };
}

/** A clock the caller moves by hand (tests). */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string) {
    this.t = (typeof start === 'string' ? parseInstant(start, 'time') : start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = (typeof at === 'string' ? parseInstant(at, 'time') : at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * `SSCARD_NOW=2026-12-01T09:00:00+08:00` fixes the clock (every run of the CLI sees that instant);
 * unset = the system clock. An invalid value is a StatusError BAD_TIME, never a silent fallback.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const v = env.SSCARD_NOW;
  if (v === undefined || v === '') return systemClock;
  return fixedClock(parseInstant(v, 'SSCARD_NOW'));
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Strict ISO 8601 instant: date, time and an explicit offset (`Z` or `±HH:MM`); a date or time
 * without an offset is refused because its meaning would depend on the machine's time zone.
 */
export function parseInstant(text: string, what: string): Date {
  const m = ISO.exec(text.trim());
  const bad = () =>
    new StatusError('BAD_TIME', `${what} must be an ISO 8601 instant with an offset, e.g. 2026-12-01T09:00:00+08:00 (got ${JSON.stringify(text.slice(0, 40))})`);
  if (!m) throw bad();
  const [, y, mo, d, h, mi, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  const days = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > days || h! > 23 || mi! > 59 || s! > 59) throw bad();
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) throw bad();
  const t = Date.parse(text.trim());
  if (Number.isNaN(t)) throw bad();
  return new Date(t);
}

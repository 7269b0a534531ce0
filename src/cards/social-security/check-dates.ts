import { isoDate } from './decode-items.js';
import type { CardWarning } from './social-security-model.js';

/**
 * A cn 4 date (YYYYMMDD BCD, card-spec §2) as ISO, or null with a warning: BAD_DATE when it is no
 * calendar date, DATE_OUT_OF_RANGE when its year is outside the plausible range of that item
 * (`0025-06-01` is a calendar date, not an issue date).
 */
export function checkedDate(raw: string, field: string, range: { fromYear: number; toYear: number }, warnings: CardWarning[]): string | null {
  if (!raw) return null;
  const iso = isoDate(raw);
  if (!iso) {
    warnings.push({ code: 'BAD_DATE', field, message: `${field} "${raw}" is not a valid YYYYMMDD date` });
    return null;
  }
  const year = Number(iso.slice(0, 4));
  if (year < range.fromYear || year > range.toYear) {
    warnings.push({ code: 'DATE_OUT_OF_RANGE', field, message: `${field} ${iso} is outside ${range.fromYear}-${range.toYear}: not used` });
    return null;
  }
  return iso;
}

/** `earlier` must not be after `later` (ISO dates compare as text): else DATE_ORDER on `field`. */
export function checkDateOrder(
  earlier: { date: string | null; name: string },
  later: { date: string | null; name: string },
  field: string,
  warnings: CardWarning[],
): void {
  if (earlier.date && later.date && earlier.date > later.date) {
    warnings.push({ code: 'DATE_ORDER', field, message: `${earlier.name} ${earlier.date} is after ${later.name} ${later.date}` });
  }
}

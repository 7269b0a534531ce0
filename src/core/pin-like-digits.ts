/** A calendar date `YYYY-MM-DD` (years 1900-2099): allowed in a reason, its digits are not a PIN run. */
const ISO_DATE = /(?<![\p{Nd}])(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\p{Nd}])/gu;
/** Four or more decimal digits in a row, in any script (full-width ０-９ too, after NFKC). */
const DIGIT_RUN = /\p{Nd}{4,}/u;

/**
 * True when free text holds a run of 4 or more digits: a PIN is 4-16 digits (card spec, VERIFY),
 * so such a run may be one typed into the wrong field, and it must not reach the audit trail
 * (docs/status.md, "Audit trail"). Longer runs are refused too: they contain a PIN-length run.
 * With `allowDates`, complete ISO dates (`2026-11-30`) are not counted.
 */
export function hasPinLikeDigits(text: string, options: { allowDates?: boolean } = {}): boolean {
  let t = text.normalize('NFKC');
  if (options.allowDates) t = t.replace(ISO_DATE, ' ');
  return DIGIT_RUN.test(t);
}

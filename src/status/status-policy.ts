import { StatusError } from './status-error.js';

/**
 * Regional choices the loss-lock rules depend on (docs/status.md, "Policy").
 * - `lockDays`: how long a temporary loss report lasts, per 6-digit region code; docs/reference/business-rules.md
 *   "Loss reporting and locks": 7 days (Jiangsu); docs/reference/card-spec.md §3: other regions use 10 or 15.
 * - `issuingAreaDigits`: how many leading digits of a region code name the "issuing area" inside
 *   which a temporary lock may be released at any site (docs/reference/business-rules.md: "any bank branch or
 *   service point of the issuing area"). Default 2 = the province, whose HR&SS department is the
 *   issuer printed on the card (docs/reference/business-rules.md "The card"); 4 = the city, 6 = the region itself.
 */
export interface StatusPolicy {
  readonly defaultLockDays: number;
  readonly lockDaysByRegion: Readonly<Record<string, number>>;
  readonly issuingAreaDigits: 2 | 4 | 6;
}

export const DEFAULT_LOCK_DAYS = 7;

export const defaultStatusPolicy: StatusPolicy = { defaultLockDays: DEFAULT_LOCK_DAYS, lockDaysByRegion: {}, issuingAreaDigits: 2 };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days a temporary lock of a card of `regionCode` lasts. */
export function lockDaysFor(policy: StatusPolicy, regionCode: string): number {
  return policy.lockDaysByRegion[regionCode] ?? policy.defaultLockDays;
}

/** End of a temporary lock made at `since`: exactly N x 24 h later (China has no DST). */
export function temporaryLockUntil(policy: StatusPolicy, regionCode: string, since: Date): Date {
  return new Date(since.getTime() + lockDaysFor(policy, regionCode) * DAY_MS);
}

export function issuingAreaOf(policy: StatusPolicy, regionCode: string): string {
  return regionCode.slice(0, policy.issuingAreaDigits);
}

/** Who performs a change and where. Both are identifiers, never free text. */
export interface OperatorContext {
  /** `<6-digit region code of the site>-<name>`, e.g. `320506-icbc-guanqian`, `320500-12333`. */
  readonly site: string;
  /** Staff or system id, e.g. `zhang.wei`, `E01234`. */
  readonly operator: string;
}

const SITE = /^([0-9]{6})-([\p{L}\p{N}._-]{1,64})$/u;
const OPERATOR = /^[\p{L}\p{N}._@:-]{1,64}$/u;

export function parseSite(text: unknown): string {
  const s = typeof text === 'string' ? text.trim() : '';
  if (!SITE.test(s)) {
    throw new StatusError(
      'BAD_SITE',
      'site must be `<6-digit region code>-<name>` (letters, digits, . _ -, at most 64), e.g. 320506-icbc-guanqian; the region code places the site in an issuing area',
    );
  }
  return s;
}

export function parseOperator(text: unknown): string {
  const s = typeof text === 'string' ? text.trim() : '';
  if (!OPERATOR.test(s)) throw new StatusError('BAD_OPERATOR', 'operator must be an id of 1-64 letters, digits or . _ @ : -');
  return s;
}

export function parseOperatorContext(ctx: { site?: unknown; operator?: unknown }): OperatorContext {
  if (ctx.site === undefined || ctx.site === '') {
    throw new StatusError('MISSING_CONTEXT', 'no site: pass --site, set SSCARD_SITE, or put "site" in the config file');
  }
  if (ctx.operator === undefined || ctx.operator === '') {
    throw new StatusError('MISSING_CONTEXT', 'no operator: pass --operator, set SSCARD_OPERATOR, or put "operator" in the config file');
  }
  return { site: parseSite(ctx.site), operator: parseOperator(ctx.operator) };
}

/** Region code (first 6 digits) of a validated site id. */
export function siteRegionOf(site: string): string {
  return site.slice(0, 6);
}

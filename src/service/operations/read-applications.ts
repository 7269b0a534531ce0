import { ApduError } from '../../apdu/apdu-error.js';
import { CardError } from '../../cards/card-error.js';
import type { FinancialRead } from '../../cards/pboc/pboc-model.js';
import type { SocialSecurityRead } from '../../cards/social-security/social-security-model.js';
import { toHex } from '../../core/hex.js';
import type { CardStatus } from '../../status/card-status.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { lookUpStatus } from '../look-up-status.js';
import { ServiceError } from '../service-error.js';
import { onCard, withOptionalKeys } from './on-card.js';
import type { CardTarget, OperationDeps } from './operation-deps.js';
import { readFinancialOn, type FinancialReadOptions } from './read-financial.js';

/** The chip's two applications (docs/reference/card-spec.md §1). */
export const APPLICATIONS = ['social', 'financial'] as const;
export type ApplicationName = (typeof APPLICATIONS)[number];

/** The social part: read with the registry's verdict, or a permanent block to show. */
export type SocialPart =
  | { readonly kind: 'read'; readonly read: SocialSecurityRead; readonly status: CardStatus | null; readonly statusError?: { readonly code: string; readonly message: string } }
  | { readonly kind: 'blocked'; readonly block: 'application' | 'card'; readonly sw: string };

export interface ApplicationsReadResult {
  readonly reader: ReaderInfo;
  readonly atr: string;
  readonly applications: readonly ApplicationName[];
  readonly social?: SocialPart;
  readonly financial?: FinancialRead;
  /** The financial part failed on the card (e.g. no financial application); the social part stands. */
  readonly financialError?: { readonly code: string; readonly message: string };
}

/** Checks an application list from outside (CLI, daemon): known names, no repeats, not empty. */
export function parseApplications(value: unknown): ApplicationName[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > APPLICATIONS.length) {
    throw new ServiceError('BAD_REQUEST', `applications must be a non-empty list of ${APPLICATIONS.join(', ')}`);
  }
  const out: ApplicationName[] = [];
  for (const v of value) {
    if (typeof v !== 'string' || !(APPLICATIONS as readonly string[]).includes(v)) {
      throw new ServiceError('BAD_REQUEST', `unknown application ${JSON.stringify(String(v)).slice(0, 40)}: expected ${APPLICATIONS.join(' or ')}`);
    }
    if (out.includes(v as ApplicationName)) throw new ServiceError('BAD_REQUEST', `application ${v} named twice`);
    out.push(v as ApplicationName);
  }
  return out;
}

/**
 * `read --all` / daemon `card.read { applications }`: several applications of one card inside
 * one queued, exclusive card operation (docs/financial.md). The financial application first,
 * then SSSE (with keys when a key source was chosen), each selected by its own SELECT, so SSSE is
 * the current application afterwards as after a plain read. A card-level failure of the
 * financial part is reported beside the social result (when both were asked); a permanent block
 * of SSSE is an outcome of the social part. The registry lookup runs after the card is released.
 */
export async function readApplications(deps: OperationDeps, request: { target: CardTarget; applications: readonly ApplicationName[] } & FinancialReadOptions): Promise<ApplicationsReadResult> {
  const apps = parseApplications(request.applications);
  const got = await onCard(deps, `card.read ${apps.join('+')}`, request.target, async (c) => {
    let financial: FinancialRead | undefined;
    let financialError: ApplicationsReadResult['financialError'];
    if (apps.includes('financial')) {
      try {
        financial = await readFinancialOn(c.op.stack, request);
      } catch (e) {
        if ((!(e instanceof CardError) && !(e instanceof ApduError)) || !apps.includes('social')) throw e;
        financialError = { code: e.code, message: e.message };
      }
    }
    let social: SocialSecurityRead | { kind: 'blocked'; block: 'application' | 'card'; sw: string } | undefined;
    if (apps.includes('social')) {
      try {
        social = await withOptionalKeys(deps, c, (keys) => c.session.read({ keys }));
      } catch (e) {
        if (!(e instanceof CardError) || (e.code !== 'APPLICATION_BLOCKED' && e.code !== 'CARD_BLOCKED')) throw e;
        social = { kind: 'blocked', block: e.code === 'APPLICATION_BLOCKED' ? 'application' : 'card', sw: e.sw ?? '' };
      }
    }
    return { reader: c.reader, atr: toHex(c.op.transport.atr), social, financial, financialError };
  });
  let social: SocialPart | undefined;
  if (got.social && 'kind' in got.social) social = got.social;
  else if (got.social) {
    const read = got.social;
    social = deps.registry
      ? { kind: 'read', read, ...(await lookUpStatus(deps.registry, read)) }
      : { kind: 'read', read, status: null, statusError: { code: 'STATUS_UNAVAILABLE', message: 'the card-status registry is not available' } };
  }
  return {
    reader: got.reader,
    atr: got.atr,
    applications: apps,
    ...(social ? { social } : {}),
    ...(got.financial ? { financial: got.financial } : {}),
    ...(got.financialError ? { financialError: got.financialError } : {}),
  };
}

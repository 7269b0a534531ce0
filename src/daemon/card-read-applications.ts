import type { CardOperations } from '../service/operations/card-operations.js';
import type { ApplicationsReadResult } from '../service/operations/read-applications.js';
import type { Role } from './protocol/api-level.js';
import type { WireErrorCode } from './protocol/error-codes.js';
import type { CardReadApplicationsResult } from './protocol/wire-results.js';
import { WireError } from './wire-error.js';
import { wireFinancial } from './wire-financial-map.js';
import { wireRead, wireStatus } from './wire-map.js';
import { wireReader } from './wire-reader.js';

const NOT_IDENTIFIABLE = new Set(['BAD_CARD_IDENTITY', 'IDENTITY_MISMATCH']);

export interface ApplicationsParams {
  readonly applications?: readonly ('social' | 'financial')[] | undefined;
  readonly gpo?: boolean | undefined;
  readonly revealPan?: boolean | undefined;
}

/**
 * Checks the financial params of `card.read` (docs/financial.md): `gpo` / `revealPan` need the
 * financial application; `revealPan` needs the counter role (a reader-role page gets the masked
 * PAN only).
 */
export function checkApplicationsParams(p: ApplicationsParams, role: Role): void {
  const financial = p.applications?.includes('financial') === true;
  for (const key of ['gpo', 'revealPan'] as const) {
    if (p[key] !== undefined && !financial) throw new WireError('INVALID_PARAMS', { issues: [{ path: [key], message: 'needs applications with "financial"' }] });
  }
  if (p.revealPan === true && role !== 'counter') throw new WireError('FORBIDDEN', { required: 'counter' });
}

/** `card.read { applications }`: one service operation, mapped to the wire. */
export async function cardReadApplications(
  ops: CardOperations,
  p: ApplicationsParams & { applications: readonly ('social' | 'financial')[] },
  target: { reader?: string | undefined; signal?: AbortSignal | undefined },
  role: Role,
): Promise<CardReadApplicationsResult> {
  checkApplicationsParams(p, role);
  const r = await ops.readApplications({ target, applications: p.applications, gpo: p.gpo === true, reveal: p.revealPan === true && role === 'counter' });
  return wireApplications(r);
}

function wireApplications(r: ApplicationsReadResult): CardReadApplicationsResult {
  let social: CardReadApplicationsResult['social'];
  if (r.social?.kind === 'blocked') throw new WireError(r.social.block === 'application' ? 'APPLICATION_BLOCKED' : 'CARD_BLOCKED');
  if (r.social?.kind === 'read') {
    const statusError: { code: WireErrorCode } | undefined = r.social.statusError
      ? { code: NOT_IDENTIFIABLE.has(r.social.statusError.code) ? 'CARD_NOT_IDENTIFIABLE' : 'STATUS_UNAVAILABLE' }
      : undefined;
    social = { data: wireRead(r.social.read), status: r.social.status && wireStatus(r.social.status), ...(statusError ? { statusError } : {}) };
  }
  return {
    reader: wireReader(r.reader),
    applications: [...r.applications],
    ...(social ? { social } : {}),
    ...(r.financial ? { financial: wireFinancial(r.financial) } : {}),
    ...(r.financialError ? { financialError: { code: 'CARD_ERROR' as const, reason: r.financialError.code } } : {}),
  };
}

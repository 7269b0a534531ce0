import { ApduError } from '../apdu/apdu-error.js';
import { CardError } from '../cards/card-error.js';
import type { FinancialRead } from '../cards/pboc/pboc-model.js';
import { PbocSession } from '../cards/pboc/pboc-session.js';
import { SocialSecuritySession } from '../cards/social-security/social-security-session.js';
import { toHex } from '../core/hex.js';
import type { KeyService } from '../keys/key-service.js';
import type { CardStatusRegistry } from '../status/card-status-registry.js';
import type { ReaderInfo } from '../transport/reader-info.js';
import type { CardService, OperationRequest } from './card-service.js';
import { lookUpStatus, type ReadWithStatus } from './read-with-status.js';
import { ServiceError } from './service-error.js';

/** The chip's two applications (card-spec §1). */
export const APPLICATIONS = ['social', 'financial'] as const;
export type ApplicationName = (typeof APPLICATIONS)[number];

export interface ApplicationsReadRequest extends Pick<OperationRequest, 'reader' | 'signal' | 'timeoutMs' | 'queueTimeoutMs'> {
  readonly applications: readonly ApplicationName[];
  /** The status registry the social read is checked against (every social read shows the lock status). */
  readonly statusRegistry: CardStatusRegistry;
  /** Keys for the authenticated social read of 3.0 cards. */
  readonly keys?: KeyService | undefined;
  /** Financial: run GPO (spends one ATC). */
  readonly gpo?: boolean | undefined;
  /** Financial: the whole PAN. */
  readonly reveal?: boolean | undefined;
}

export interface ApplicationsReadResult {
  readonly reader: ReaderInfo;
  readonly atr: string;
  readonly social?: ReadWithStatus;
  readonly financial?: FinancialRead;
  /** The financial application could not be read (e.g. none on this card); the social part stands. */
  readonly financialError?: { readonly code: string; readonly message: string };
}

/** Checks an application list from outside (CLI flag, daemon param): known names, no repeats, not empty. */
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
 * Reads several applications of one card inside one exclusive card operation (docs/financial.md):
 * the financial application first, then the social one, each selected by its own SELECT, so the
 * social application is the current one afterwards, as after a plain social read. Neither read
 * changes the other application's state (no GPO unless asked, no PIN, no authentication on the
 * financial side). A card-level failure of the financial part (no financial application, bad
 * data) is reported beside the social result; transport and service failures end the operation.
 */
export async function readApplications(service: CardService, request: ApplicationsReadRequest): Promise<ApplicationsReadResult> {
  const apps = parseApplications(request.applications);
  const read = await service.run({ label: `card.read ${apps.join('+')}`, reader: request.reader, signal: request.signal, timeoutMs: request.timeoutMs, queueTimeoutMs: request.queueTimeoutMs }, async (ctx) => {
    let financial: FinancialRead | undefined;
    let financialError: ApplicationsReadResult['financialError'];
    if (apps.includes('financial')) {
      try {
        financial = await new PbocSession(ctx.stack).read({ gpo: request.gpo, reveal: request.reveal });
      } catch (e) {
        if (!(e instanceof CardError) && !(e instanceof ApduError)) throw e;
        if (!apps.includes('social')) throw e;
        financialError = { code: e.code, message: e.message };
      }
    }
    const social = apps.includes('social')
      ? await new SocialSecuritySession(ctx.stack, { atr: ctx.transport.atr }).read(request.keys ? { keys: request.keys } : {})
      : undefined;
    return { reader: ctx.info.reader, atr: toHex(ctx.transport.atr), social, financial, financialError };
  });
  // The registry lookup runs after the card is released (it needs no card).
  const social = read.social ? { read: read.social, ...(await lookUpStatus(request.statusRegistry, read.social)) } : undefined;
  return {
    reader: read.reader,
    atr: read.atr,
    ...(social ? { social } : {}),
    ...(read.financial ? { financial: read.financial } : {}),
    ...(read.financialError ? { financialError: read.financialError } : {}),
  };
}

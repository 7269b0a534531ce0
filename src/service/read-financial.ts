import { PbocSession, type FinancialReadOptions } from '../cards/pboc/pboc-session.js';
import type { FinancialRead } from '../cards/pboc/pboc-model.js';
import { toHex } from '../core/hex.js';
import type { ReaderInfo } from '../transport/reader-info.js';
import type { CardService, OperationRequest } from './card-service.js';

/** What the financial read operation needs besides the reader choice (docs/financial.md). */
export interface FinancialReadRequest extends Pick<OperationRequest, 'reader' | 'signal' | 'timeoutMs' | 'queueTimeoutMs'>, FinancialReadOptions {
  /** PSE (contact, default) or PPSE (contactless) first. */
  readonly interface?: 'contact' | 'contactless' | undefined;
}

export interface FinancialReadResult {
  readonly reader: ReaderInfo;
  readonly atr: string;
  readonly financial: FinancialRead;
}

/**
 * Reads the PBOC / UnionPay application in one exclusive card operation: reader choice and
 * queueing by the CardService, then the PbocSession's read (no GPO unless `gpo` or the card
 * refuses the records without it; the PAN masked unless `reveal`).
 */
export function readFinancial(service: CardService, request: FinancialReadRequest): Promise<FinancialReadResult> {
  return service.run({ label: 'card.read.financial', reader: request.reader, signal: request.signal, timeoutMs: request.timeoutMs, queueTimeoutMs: request.queueTimeoutMs }, async (ctx) => {
    const session = new PbocSession(ctx.stack, request.interface ? { interface: request.interface } : {});
    const financial = await session.read({ gpo: request.gpo, reveal: request.reveal });
    return { reader: ctx.info.reader, atr: toHex(ctx.transport.atr), financial };
  });
}

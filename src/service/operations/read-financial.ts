import type { FinancialRead } from '../../cards/pboc/pboc-model.js';
import { PbocSession } from '../../cards/pboc/pboc-session.js';
import { toHex } from '../../core/hex.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import type { CardTarget, OperationDeps } from './operation-deps.js';

/** Options of the financial read (docs/financial.md). */
export interface FinancialReadOptions {
  /** Run GET PROCESSING OPTIONS first (spends one ATC). Default: only when the card refuses the records. */
  readonly gpo?: boolean | undefined;
  /** The whole PAN (default: first 6 / last 4). Faces decide who may ask (daemon: counter role). */
  readonly reveal?: boolean | undefined;
  /** PPSE (contactless) instead of the PSE (contact) first. */
  readonly contactless?: boolean | undefined;
}

export interface FinancialReadResult {
  readonly reader: ReaderInfo;
  readonly atr: string;
  readonly financial: FinancialRead;
}

/** The PBOC session's read over an operation's stack (shared with readApplications). */
export function readFinancialOn(stack: ConstructorParameters<typeof PbocSession>[0], options: FinancialReadOptions): Promise<FinancialRead> {
  const session = new PbocSession(stack, options.contactless ? { interface: 'contactless' } : {});
  return session.read({ gpo: options.gpo, reveal: options.reveal });
}

/**
 * `read --financial`: the PBOC / UnionPay application in one queued, exclusive card operation.
 * No GPO unless asked or the card refuses the records; no PIN; nothing of SSSE is touched.
 */
export async function readFinancial(deps: OperationDeps, request: { target: CardTarget } & FinancialReadOptions): Promise<FinancialReadResult> {
  const { target } = request;
  return deps.cards.run({ label: 'card.read.financial', reader: target.reader, signal: target.signal, waitForCardMs: target.waitForCardMs, onWaiting: target.onWaiting }, async (op) => ({
    reader: op.info.reader,
    atr: toHex(op.transport.atr),
    financial: await readFinancialOn(op.stack, request),
  }));
}

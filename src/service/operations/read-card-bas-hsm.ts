import { beginHsmRead } from '../../cards/social-security/auth/hsm-read.js';
import { isTransportFailure } from '../../cards/social-security/operation-interrupted-error.js';
import type { SocialSecurityRead } from '../../cards/social-security/social-security-model.js';
import { toHex } from '../../core/hex.js';
import { parseHsmStep2, type HsmAuthValues } from '../../keys/hsm/hsm-two-step.js';
import type { NationalOptions } from '../../specs/national-interface-schema.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { NationalError } from '../national/national-error.js';
import { ServiceError } from '../service-error.js';
import { onCard } from './on-card.js';
import type { CardTarget, OperationDeps } from './operation-deps.js';
import { contactIType } from '../national/national-options.js';
import { basOfRead, nationalResult, type BasFailure, type BasResult } from './read-card-bas.js';

/** How long a Step1 holds its reader for the Step2 (docs/national-interface.md "HSM two-step"). */
export const HSM_STEP_WINDOW_MS = 30_000;
/** Time the Step2's card work (EXTERNAL AUTHENTICATE, EF06, INTERNAL AUTHENTICATE) may take after the window. */
const COMPLETE_MS = 20_000;

/** `iReadCardBas_HSM_Step1`: 0 and the factors string, or a national negative code and its text. */
export type HsmStep1Result = { readonly kind: 'hsm-step1'; readonly code: 0; readonly text: string; readonly reader: ReaderInfo } | BasFailure;

export interface HsmStep1Request {
  readonly iType?: number | undefined;
  readonly options: NationalOptions;
  /** Overrides HSM_STEP_WINDOW_MS (tests). */
  readonly windowMs?: number | undefined;
  /**
   * Ends the hold (frees the reader) when aborted: the WebSocket faces pass their connection's
   * signal, so a caller that goes away cannot keep a reader for the whole window. The C routes
   * pass none: each of their steps is its own HTTP request.
   */
  readonly holdSignal?: AbortSignal | undefined;
}

export interface HsmStep2Request {
  /** pKey: `<internal 16 hex><original 16 hex>|<external 16 hex><original 16 hex>|`. */
  readonly key: string;
  readonly options: NationalOptions;
}

/** What a Step2 hands to the held operation. */
interface Arrival {
  readonly values: HsmAuthValues;
  readonly signal: AbortSignal | undefined;
  done(read: Promise<SocialSecurityRead>): void;
}

/** A Step1 waiting for its Step2, holding its reader's card operation open. */
interface PendingStep {
  readonly reader: ReaderInfo;
  /** Hands the HSM's values to the held operation; resolves with the finished read. */
  finish(values: HsmAuthValues, signal: AbortSignal | undefined): Promise<{ read: SocialSecurityRead; atr: string; reader: ReaderInfo }>;
  /** Ends the hold without touching the card. */
  end(reason: Error): void;
}

// Per process (per OperationDeps): the national interface has no handle, so a Step2 finds its
// Step1 by the reader (the only pending one when none is named).
const pendingOf = new WeakMap<OperationDeps, Map<string, PendingStep>>();
function pendingSteps(deps: OperationDeps): Map<string, PendingStep> {
  let m = pendingOf.get(deps);
  if (!m) pendingOf.set(deps, (m = new Map()));
  return m;
}

const notPrepared = () => new NationalError('HSM_NOT_PREPARED', 'no pending iReadCardBas_HSM_Step1 (none, expired, already answered or replaced)');

/**
 * `iReadCardBas_HSM_Step1(iType, pOutInfo)` (docs/national-interface.md "HSM two-step"): SELECT
 * SSSE, EF05, random r8/d8 and, on a 3.0 card, the card's GET CHALLENGE — then the card
 * operation stays open (nothing else reaches the card: its challenge is single-use by the very
 * next command) until the Step2, for at most `windowMs`. A newer Step1 on the same reader ends
 * the older one.
 */
export async function readCardBasHsmStep1(deps: OperationDeps, target: CardTarget, request: HsmStep1Request): Promise<HsmStep1Result> {
  return nationalResult(request.options, async (started) => {
    contactIType(request.iType);
    const pending = pendingSteps(deps);
    endPendingOn(deps, pending, target.reader);
    const windowMs = request.windowMs ?? HSM_STEP_WINDOW_MS;
    // The hold outlives the Step1 request: the caller's signal only counts until Step1 answers.
    const hold = new AbortController();
    const callerAbort = (): void => hold.abort(new ServiceError('CANCELLED', 'iReadCardBas_HSM_Step1 cancelled by the requester'));
    if (target.signal?.aborted) callerAbort();
    target.signal?.addEventListener('abort', callerAbort, { once: true });
    const requesterGone = (): void => hold.abort(new ServiceError('CANCELLED', 'the requester of iReadCardBas_HSM_Step1 went away'));
    if (request.holdSignal?.aborted) requesterGone();
    request.holdSignal?.addEventListener('abort', requesterGone, { once: true });
    let answered!: (r: { text: string; reader: ReaderInfo }) => void;
    const step1 = new Promise<{ text: string; reader: ReaderInfo }>((resolve) => (answered = resolve));
    const held = onCard(deps, 'card.readBasHsm', { ...target, signal: hold.signal, operationTimeoutMs: windowMs + COMPLETE_MS }, async (c) => {
      started();
      const step = await beginHsmRead(c.session);
      const atr = toHex(c.op.transport.atr);
      const id = c.reader.id;
      let timer: NodeJS.Timeout | undefined;
      let unwatch: (() => void) | undefined;
      let changed = false;
      let entry!: PendingStep;
      const arrived = new Promise<Arrival>((resolve, reject) => {
        entry = {
          reader: c.reader,
          finish: (values, signal) =>
            changed
              ? Promise.reject(cardChangedError())
              : new Promise((done) => resolve({ values, signal, done: (r) => done(r.then((read) => ({ read, atr, reader: c.reader }))) })),
          end: reject,
        };
        timer = setTimeout(() => reject(notPrepared()), windowMs);
        c.op.signal.addEventListener('abort', () => reject(c.op.signal.reason), { once: true });
        // The card pulled (maybe another inserted), the reader gone or PC/SC down: free the reader; the Step2 is told so.
        unwatch = deps.cards.registry.on((e) => {
          if (e.type === 'service-down' || ((e.type === 'card-removed' || e.type === 'reader-removed') && e.reader.id === id)) {
            changed = true;
            reject(cardChangedError());
          }
        });
      });
      pending.set(id, entry);
      target.signal?.removeEventListener('abort', callerAbort);
      answered({ text: step.text, reader: c.reader });
      try {
        const { values, signal, done } = await arrived;
        const step2Gone = (): void => hold.abort(new ServiceError('CANCELLED', 'iReadCardBas_HSM_Step2 cancelled by the requester'));
        signal?.addEventListener('abort', step2Gone, { once: true });
        const read = step.complete(values).catch((e: unknown) => Promise.reject(cardChanged(e)));
        done(read);
        // The Step2 requester's signal is its connection's, which outlives this read: drop the listener.
        await read.catch(() => undefined).finally(() => signal?.removeEventListener('abort', step2Gone));
      } finally {
        clearTimeout(timer);
        unwatch?.();
        // A changed card's entry stays until the window ends, so its Step2 hears why.
        if (changed) setTimeout(() => pending.get(id) === entry && pending.delete(id), windowMs).unref();
        else if (pending.get(id) === entry) pending.delete(id);
      }
    });
    void held.finally(() => request.holdSignal?.removeEventListener('abort', requesterGone)).catch(() => undefined);
    // Before Step1 answered, a failure is Step1's; afterwards the hold ends quietly (Step2 answers for it).
    return Promise.race([step1.then((s) => ({ kind: 'hsm-step1' as const, code: 0 as const, ...s })), held.then(() => Promise.reject(notPrepared()))]);
  });
}

/**
 * `iReadCardBas_HSM_Step2(pKey, pOutInfo)`: the pending Step1 of `target.reader` (or the only
 * pending one) is used once, whatever the outcome. A malformed pKey is -14 before anything
 * reaches the card; the card then gets EXTERNAL AUTHENTICATE (3.0), EF06 and INTERNAL
 * AUTHENTICATE, and the 11-field string follows the rules of iReadCardBas (no PSAM: 12 zeros).
 */
export async function readCardBasHsmStep2(deps: OperationDeps, target: CardTarget, request: HsmStep2Request): Promise<BasResult> {
  return nationalResult(request.options, async () => {
    const pending = pendingSteps(deps);
    const step = pendingFor(pending, target.reader);
    pending.delete(step.reader.id);
    let values: HsmAuthValues;
    try {
      values = parseHsmStep2(request.key);
    } catch (e) {
      step.end(notPrepared());
      throw e;
    }
    const got = await step.finish(values, target.signal);
    return basOfRead(deps, { ...got, terminalNumber: null }, request.options);
  });
}

function pendingFor(pending: Map<string, PendingStep>, reader: string | undefined): PendingStep {
  const steps = [...pending.values()];
  const match = reader === undefined ? steps : steps.filter((s) => s.reader.id === reader || s.reader.name === reader);
  if (match.length > 1) throw new ServiceError('AMBIGUOUS_READER', 'several readers have a pending HSM step 1: name the reader');
  if (match.length === 0) throw notPrepared();
  return match[0]!;
}

/** A Step1 ends the pending one on the reader it will use (that one holds the reader's queue). */
function endPendingOn(deps: OperationDeps, pending: Map<string, PendingStep>, reader: string | undefined): void {
  let readerId: string;
  try {
    readerId = deps.cards.pick(reader).reader.id;
  } catch {
    return; // the card operation reports it
  }
  const old = pending.get(readerId);
  if (!old) return;
  pending.delete(readerId);
  old.end(notPrepared());
}

const cardChangedError = () => new NationalError('HSM_CARD_CHANGED', 'the card of step 1 was removed or reset');

/** The card of Step1 was pulled or reset (another card inserted) since: say so, not "no card". */
function cardChanged(e: unknown): unknown {
  return isTransportFailure(e) && (e.code === 'CARD_REMOVED' || e.code === 'CARD_RESET' || e.code === 'NO_CARD') ? cardChangedError() : e;
}

import { isTransportFailure, OperationInterruptedError } from '../../cards/social-security/operation-interrupted-error.js';
import { SocialSecuritySession } from '../../cards/social-security/social-security-session.js';
import { identityFromCard, type CardIdentity } from '../../status/card-identity.js';
import type { CardUsePurpose } from '../../status/card-status-registry.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import type { OperationContext } from '../card-service.js';
import type { KeyService } from '../../keys/key-service.js';
import { registryOf, type CardTarget, type OperationDeps } from './operation-deps.js';

/** One card operation's hold on the card: the session over the queued, exclusive connection. */
export interface CardContext {
  readonly session: SocialSecuritySession;
  readonly reader: ReaderInfo;
  readonly op: OperationContext;
}

/**
 * Runs `body` as one queued, exclusive operation on the target card (CardService.run: per-reader
 * queue, time limit, cancellation at APDU boundaries) with a social-security session over it.
 * `shared`: a read-only body that depends on nothing but the card and the process's settings
 * may serve every identical request still queued on the reader (CardService `coalesce`, keyed by `label`).
 */
export function onCard<T>(deps: OperationDeps, label: string, target: CardTarget, body: (c: CardContext) => Promise<T>, options: { readonly shared?: boolean } = {}): Promise<T> {
  return deps.cards.run(
    {
      label,
      reader: target.reader,
      signal: target.signal,
      waitForCardMs: target.waitForCardMs,
      onWaiting: target.onWaiting,
      cardInterface: target.cardInterface,
      timeoutMs: target.operationTimeoutMs,
      ...(options.shared ? { coalesce: label } : {}),
    },
    (op) => body({ session: new SocialSecuritySession(op.stack, { atr: op.transport.atr }), reader: op.info.reader, op }),
  );
}

/**
 * Identifies the card from EF05 alone (what the registry keys on; no EF06, so no external
 * authentication on 3.0 cards) and applies the registry rule for `purpose` (CARD_LOCKED, docs/status.md).
 * For a changing operation (`changing` = its name), a transport failure here is `not-done`.
 */
export async function identify(deps: OperationDeps, c: CardContext, purpose: CardUsePurpose, changing?: string): Promise<CardIdentity> {
  const registry = registryOf(deps);
  return beforeChange(changing, async () => {
    const identity = identityFromCard(await c.session.cardData());
    await registry.assertUsable(identity, purpose);
    return identity;
  });
}

/**
 * Steps before a changing command (docs/pin.md "Interrupted operations"): a transport failure
 * here is `not-done` (the card is as before). Without `changing`, errors pass unchanged.
 */
export async function beforeChange<T>(changing: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (changing && isTransportFailure(e)) throw new OperationInterruptedError(changing, 'not-done', e.code, { cause: e });
    throw e;
  }
}

/** Runs `fn` with keys leased for the card's reader, released afterwards. */
export async function withKeys<T>(deps: OperationDeps, c: CardContext, fn: (keys: KeyService) => Promise<T>): Promise<T> {
  const lease = await deps.keys.lease(c.reader, c.op.signal);
  try {
    return await fn(lease.keys);
  } finally {
    await lease.release();
  }
}

/** Runs `fn` with keys when a key source was chosen, else without. */
export function withOptionalKeys<T>(deps: OperationDeps, c: CardContext, fn: (keys: KeyService | undefined) => Promise<T>): Promise<T> {
  return deps.keys.chosen ? withKeys(deps, c, fn) : fn(undefined);
}

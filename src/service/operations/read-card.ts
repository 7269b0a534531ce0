import { CardError } from '../../cards/card-error.js';
import type { SocialSecurityRead } from '../../cards/social-security/social-security-model.js';
import { fromHex, toHex } from '../../core/hex.js';
import { ServiceError } from '../service-error.js';
import type { CardStatus } from '../../status/card-status.js';
import type { ReaderInfo } from '../../transport/reader-info.js';
import { lookUpStatus } from '../look-up-status.js';
import { onCard, withOptionalKeys } from './on-card.js';
import type { CardTarget, OperationDeps } from './operation-deps.js';

/** A card read with the registry's verdict on it (identification reads work on locked cards too). */
export interface CardRead {
  readonly kind: 'read';
  readonly reader: ReaderInfo;
  /** The card's ATR, hex. */
  readonly atr: string;
  readonly read: SocialSecurityRead;
  /** null when the card could not be looked up (reason in `statusError`). */
  readonly status: CardStatus | null;
  readonly statusError?: { readonly code: string; readonly message: string };
  /** With a server nonce: the card's INTERNAL AUTHENTICATE answer over it, 16 hex (docs/verifiable-reads.md). */
  readonly cardResponse?: string;
}

/** A permanently blocked card (docs/pin.md "Blocks"): an outcome to show, not a failure of the read. */
export interface CardFoundBlocked {
  readonly kind: 'blocked';
  readonly reader: ReaderInfo;
  readonly atr: string;
  readonly block: 'application' | 'card';
  /** What the card answers: SELECT 9303 (application), every command 6A81 (card). */
  readonly sw: string;
}

export type ReadCardResult = CardRead | CardFoundBlocked;

/**
 * `read`: SELECT SSSE, EF05, EF06 (with RKSSSE external authentication on 3.0 cards when a key
 * source was chosen), then the registry lookup after the card is released.
 */
export async function readCard(deps: OperationDeps, target: CardTarget, options: { readonly nonce?: string | undefined } = {}): Promise<ReadCardResult> {
  if (options.nonce !== undefined && !/^[0-9A-Fa-f]{32}$/.test(options.nonce)) throw new ServiceError('BAD_NONCE', 'the nonce must be 16 bytes (32 hex digits)');
  const nonce = options.nonce === undefined ? undefined : fromHex(options.nonce);
  // Read-only and the same for every requester without a nonce (keys are the process's choice):
  // identical requests still queued on the reader share it (docs/performance.md "Coalescing").
  const shared = nonce === undefined;
  const got = await onCard(deps, 'card.read', target, async (c) => {
    const atr = toHex(c.op.transport.atr);
    try {
      // Without a nonce EF06 is the last APDU: the card is released while it is decoded (docs/performance.md).
      const read = await withOptionalKeys(deps, c, (keys) => c.session.read({ keys, release: nonce ? undefined : c.op.release }));
      const cardResponse = nonce ? toHex(await c.session.internalAuthenticateAnswer(nonce)) : undefined;
      return { kind: 'read' as const, reader: c.reader, atr, read, ...(cardResponse ? { cardResponse } : {}) };
    } catch (e) {
      if (e instanceof CardError && (e.code === 'APPLICATION_BLOCKED' || e.code === 'CARD_BLOCKED')) {
        return { kind: 'blocked' as const, reader: c.reader, atr, block: e.code === 'APPLICATION_BLOCKED' ? ('application' as const) : ('card' as const), sw: e.sw ?? '' };
      }
      throw e;
    }
  }, { shared });
  if (got.kind === 'blocked') return got;
  if (!deps.registry) return { ...got, status: null, statusError: { code: 'STATUS_UNAVAILABLE', message: 'the card-status registry is not available' } };
  return { ...got, ...(await lookUpStatus(deps.registry, got.read)) };
}

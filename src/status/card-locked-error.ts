import type { CardStatusKind } from './card-status.js';
import { StatusError } from './status-error.js';

/**
 * Thrown by `assertUsable` when the registry forbids the purpose: the card is locked, replaced,
 * cancelled or blocked on the chip. `until` is set only for a temporary lock (ISO instant, UTC).
 */
export class CardLockedError extends StatusError {
  constructor(
    readonly kind: Exclude<CardStatusKind, 'normal'>,
    readonly until: string | null,
    readonly purpose: string,
    message: string,
    rule: string,
  ) {
    super('CARD_LOCKED', message, rule);
  }
}

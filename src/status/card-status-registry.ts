import type { AuditEntry, AuditQuery } from './audit-entry.js';
import { AUDIT_ACTIONS } from './audit-entry.js';
import { CardLockedError } from './card-locked-error.js';
import { isCardIdentificationCode, parseCardIdentity, parseSsn, type CardIdentity } from './card-identity.js';
import type { StatusOperation } from './card-record.js';
import { deriveStatus, type CardStatus } from './card-status.js';
import type { CardStatusStore, StoreState } from './card-status-store.js';
import { parseInstant, systemClock, type Clock } from './status-clock.js';
import { parseOperatorContext, type OperatorContext } from './status-policy.js';
import { RULES } from './status-rules.js';
import { sanitizeReason } from './reason-text.js';
import { StatusError } from './status-error.js';

/**
 * What the card is about to be used for. Identification (reading EF05/EF06 to show who the
 * holder is) is always allowed and shows the status; everything else needs a usable card.
 */
export type CardUsePurpose = 'identification' | 'pin-verify' | 'pin-change' | 'pin-reset' | 'pin-unblock' | 'settlement';

const PURPOSES: readonly CardUsePurpose[] = ['identification', 'pin-verify', 'pin-change', 'pin-reset', 'pin-unblock', 'settlement'];

/** Input accepted where a card is named: validated and normalised by every method. */
export type CardIdentityInput = { cardIdentificationCode: string; cardNumber: string; ssn?: string | undefined };

/**
 * The card-status registry: the loss locks the middleware keeps and honours itself, because the
 * chip has no temporary block (docs/reference/card-spec.md §3). Store-agnostic: validation, the clock and the
 * usability check live here, the rules run atomically in the store (docs/status.md).
 */
export class CardStatusRegistry {
  private readonly localListeners = new Set<(cardIdentificationCode: string) => void>();

  /**
   * `clock`: the instant rules and expiry are evaluated at; `'database'` = the store's clock (the
   * PostgreSQL server's time, so counters with skewed clocks agree: docs/status.md, "Clock").
   */
  constructor(
    readonly store: CardStatusStore,
    readonly clock: Clock | 'database' = systemClock,
  ) {}

  /** The card's status now (an unknown card is `normal`). Throws STORE_* when the store cannot answer: never "normal" by default. */
  async statusOf(identity: CardIdentityInput): Promise<CardStatus> {
    const id = parseCardIdentity(identity);
    const { record, at } = await this.store.read(id, this.at());
    return deriveStatus(id, record, new Date(at));
  }

  /** Every card recorded for one holder, with its status now. */
  async cardsOfHolder(ssn: string): Promise<CardStatus[]> {
    const s = parseSsn(ssn);
    const { records, at } = await this.store.findBySsn(s, this.at());
    const now = new Date(at);
    return records.map((r) => deriveStatus({ cardIdentificationCode: r.cardIdentificationCode, cardNumber: r.cardNumber }, r, now));
  }

  /** Reachability of the store (for /health and `sscard status`). */
  storeState(): StoreState {
    return this.store.state();
  }

  /** Resolves when the store's first connection attempt is over (up or down). */
  async ready(): Promise<void> {
    await this.store.ready?.();
  }

  /**
   * Calls `listener` with the card identification code of every status change: on PostgreSQL
   * every change by any process on the same database (LISTEN/NOTIFY), otherwise the changes made
   * through this registry. Returns the unsubscribe function.
   */
  onChange(listener: (cardIdentificationCode: string) => void): () => void {
    if (this.store.onChange) return this.store.onChange(listener);
    this.localListeners.add(listener);
    return () => this.localListeners.delete(listener);
  }

  /**
   * Throws CardLockedError (CARD_LOCKED, with `kind` and `until`) unless the card may be used for
   * `purpose`; returns the status otherwise. Identification is allowed whatever the status.
   */
  async assertUsable(identity: CardIdentityInput, purpose: CardUsePurpose): Promise<CardStatus> {
    if (!PURPOSES.includes(purpose)) throw new StatusError('BAD_REQUEST', `unknown purpose ${JSON.stringify(String(purpose))}`);
    const status = await this.statusOf(identity);
    if (purpose === 'identification' || status.kind === 'normal') return status;
    const what = {
      'temporarily-locked': `temporarily locked (loss reported) until ${status.until}`,
      'formally-locked': `formally locked (loss reported) since ${status.since}`,
      'replacement-requested': `lost, a replacement card was requested on ${status.since}`,
      cancelled: `cancelled on ${status.since}`,
      'blocked-on-chip': `blocked on the chip (${status.reason})`,
    }[status.kind];
    throw new CardLockedError(status.kind, status.until, purpose, `card ${status.cardIdentificationCode} is ${what}: ${purpose} refused`, RULES.lockedUse);
  }

  lock(identity: CardIdentityInput, kind: 'temporary' | 'formal', ctx: Partial<OperatorContext>, reason?: string): Promise<CardStatus> {
    if (kind !== 'temporary' && kind !== 'formal') throw new StatusError('BAD_REQUEST', 'lock kind must be temporary or formal');
    return this.change(identity, kind === 'temporary' ? 'lock-temporary' : 'lock-formal', ctx, reason);
  }

  release(identity: CardIdentityInput, ctx: Partial<OperatorContext>, reason?: string): Promise<CardStatus> {
    return this.change(identity, 'release', ctx, reason);
  }

  requestReplacement(identity: CardIdentityInput, ctx: Partial<OperatorContext>, reason?: string): Promise<CardStatus> {
    return this.change(identity, 'replacement-requested', ctx, reason);
  }

  cancel(identity: CardIdentityInput, ctx: Partial<OperatorContext>, reason?: string): Promise<CardStatus> {
    return this.change(identity, 'cancel', ctx, reason);
  }

  /**
   * Records a permanent on-card block after the card answered 9303 (SELECT SSSE: application
   * blocked) or 6A81 (card blocked) — docs/reference/card-spec.md §3. Recording the same block twice adds nothing.
   */
  async recordChipBlock(identity: CardIdentityInput, sw: '9303' | '6A81', ctx: Partial<OperatorContext>): Promise<CardStatus> {
    const norm = String(sw).toUpperCase();
    if (norm !== '9303' && norm !== '6A81') throw new StatusError('BAD_REQUEST', 'a chip block is recorded for status word 9303 or 6A81 only');
    return this.run(identity, ctx, null, { action: 'chip-block', sw: norm });
  }

  /** Audit entry for a PIN reset / unblock done at a counter (no PIN, no free text accepted). */
  async recordPinEvent(identity: CardIdentityInput, event: 'pin-reset' | 'pin-unblock', ctx: Partial<OperatorContext>): Promise<void> {
    if (event !== 'pin-reset' && event !== 'pin-unblock') throw new StatusError('BAD_REQUEST', 'PIN event must be pin-reset or pin-unblock');
    await this.run(identity, ctx, null, { action: event });
  }

  /** Writes the auto-release entries of temporary locks that have ended by now. */
  settleExpired(): Promise<number> {
    return this.store.settleExpired(this.at());
  }

  /** Audit entries, oldest first; expired locks are settled first so the trail is complete. */
  async audit(query: { since?: string; until?: string; card?: string; action?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const q: { -readonly [K in keyof AuditQuery]: AuditQuery[K] } = {};
    if (query.since !== undefined) q.since = parseInstant(query.since, 'since').toISOString();
    if (query.until !== undefined) q.until = parseInstant(query.until, 'until').toISOString();
    if (query.card !== undefined) {
      const cic = query.card.trim().toUpperCase();
      if (!isCardIdentificationCode(cic)) throw new StatusError('BAD_CARD_IDENTITY', 'card identification code must be 32 hex characters starting with the 6-digit region code');
      q.cardIdentificationCode = cic;
    }
    if (query.action !== undefined) {
      if (!(AUDIT_ACTIONS as readonly string[]).includes(query.action)) {
        throw new StatusError('BAD_REQUEST', `action must be one of ${AUDIT_ACTIONS.join(', ')}`);
      }
      q.action = query.action as AuditQuery['action'];
    }
    if (query.limit !== undefined) q.limit = query.limit;
    await this.settleExpired();
    return this.store.audit(q);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private change(identity: CardIdentityInput, action: 'lock-temporary' | 'lock-formal' | 'release' | 'replacement-requested' | 'cancel', ctx: Partial<OperatorContext>, reason: string | undefined) {
    return this.run(identity, ctx, reason, { action });
  }

  private async run(
    identity: CardIdentityInput,
    ctx: Partial<OperatorContext>,
    reason: string | null | undefined,
    what: { action: StatusOperation['action']; sw?: '9303' | '6A81' },
  ): Promise<CardStatus> {
    const id: CardIdentity = parseCardIdentity(identity);
    const who = parseOperatorContext(ctx);
    const op = { identity: id, at: this.at(), site: who.site, operator: who.operator, reason: sanitizeReason(reason), ...what } as StatusOperation;
    const { record, at } = await this.store.apply(op);
    if (!this.store.onChange) for (const l of this.localListeners) notifySafely(l, id.cardIdentificationCode);
    return deriveStatus(id, record, new Date(at));
  }

  /** The registry clock's instant, or null = the store's clock. */
  private at(): string | null {
    return this.clock === 'database' ? null : this.clock.now().toISOString();
  }
}

/** A listener that throws must not turn a committed change into an error for the caller. */
function notifySafely(listener: (cic: string) => void, cic: string): void {
  try {
    listener(cic);
  } catch {
    /* the change is committed; the listener's failure is its own */
  }
}

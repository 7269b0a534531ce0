import type { AuditDraft } from './audit-entry.js';
import type { CardRecord, ChipBlockRecord, LockRecord, TimedOperation } from './card-record.js';
import { lockInForce } from './card-status.js';
import { issuingAreaOf, siteRegionOf, temporaryLockUntil, type StatusPolicy } from './status-policy.js';
import { StatusError } from './status-error.js';

/** The rules, each with its source; refusals quote them (docs/status.md, "Rules"). */
export const RULES = {
  temporaryExpiry:
    'a temporary loss report lasts the region\'s duration (7 days by default) and is then released automatically (docs/reference/business-rules.md "Loss reporting and locks"; docs/reference/card-spec.md §3)',
  oneTemporary: 'a temporary lock in force is not renewed by a second report; make it formal (docs/status.md R2)',
  formalSupersedes: 'a formal loss report supersedes a temporary one (docs/reference/business-rules.md "Loss reporting and locks")',
  temporaryReleaseArea:
    'a temporary report can be released at any bank branch or service point of the issuing area (docs/reference/business-rules.md "Loss reporting and locks")',
  formalReleaseSite: 'a formal report can be released only where it was made (docs/reference/business-rules.md "Loss reporting and locks")',
  noReleaseAfterReplacement:
    'once a replacement card has been requested, the lost card can no longer be released (docs/reference/business-rules.md "Loss reporting and locks")',
  formalBeforeReplacement: 'a formal report is the prerequisite for a replacement card (docs/reference/business-rules.md "Loss reporting and locks")',
  cancellationFinal: 'cancellation (death, emigration, leaving the province) is final (docs/reference/business-rules.md "Life-cycle events")',
  lockedUse: 'a locked, replaced, cancelled or chip-blocked card may be read for identification only (docs/status.md R8)',
} as const;

export interface RuleOutcome {
  readonly record: CardRecord;
  readonly audit: readonly AuditDraft[];
}

/**
 * Pure: applies one operation to the stored record (undefined = card never seen) and returns the
 * new record and the audit entries to append in the same transaction, or throws the refusal.
 */
export function applyOperation(current: CardRecord | undefined, op: TimedOperation, policy: StatusPolicy): RuleOutcome {
  const id = op.identity;
  if (current && current.cardNumber !== id.cardNumber) {
    throw new StatusError('IDENTITY_MISMATCH', `card identification code ${id.cardIdentificationCode} is registered with another card number; check both`);
  }
  if (current?.ssn && id.ssn && current.ssn !== id.ssn) {
    throw new StatusError('IDENTITY_MISMATCH', `card ${id.cardIdentificationCode} is registered for another social security number`);
  }
  let rec: CardRecord = current
    ? { ...current, ssn: current.ssn ?? id.ssn ?? null }
    : { cardIdentificationCode: id.cardIdentificationCode, cardNumber: id.cardNumber, ssn: id.ssn ?? null, lock: null, replacement: null, cancellation: null, chipBlocks: [], revision: 0 };
  const audit: AuditDraft[] = [];
  const entry = (action: AuditDraft['action'], extra: Partial<AuditDraft> = {}): AuditDraft => ({
    at: op.at,
    action,
    cardIdentificationCode: rec.cardIdentificationCode,
    cardNumber: rec.cardNumber,
    ssn: rec.ssn,
    site: op.site,
    operator: op.operator,
    until: null,
    sw: null,
    reason: op.reason,
    ...extra,
  });

  // Settle an expired temporary lock first, so the trail shows when it ended.
  const now = new Date(op.at);
  const settled = settleExpiredLock(rec, now);
  if (settled) {
    rec = settled.record;
    audit.push(...settled.audit);
  }
  const lock = rec.lock;
  const event = { at: op.at, site: op.site, operator: op.operator, reason: op.reason };
  const refuseIfFinal = (verb: string) => {
    if (rec.cancellation) throw new StatusError('CARD_CANCELLED', `cannot ${verb}: the card was cancelled on ${rec.cancellation.at}`, RULES.cancellationFinal);
  };

  switch (op.action) {
    case 'lock-temporary': {
      refuseIfFinal('lock');
      if (rec.replacement) throw new StatusError('REPLACEMENT_REQUESTED', 'cannot lock: a replacement card has been requested, the card is already formally locked for good', RULES.noReleaseAfterReplacement);
      if (lock?.kind === 'formal') throw new StatusError('ALREADY_LOCKED', `the card is already formally locked (since ${lock.since} at ${lock.site})`, RULES.formalSupersedes);
      if (lock) throw new StatusError('ALREADY_LOCKED', `the card is already temporarily locked until ${lock.until}`, RULES.oneTemporary);
      const until = temporaryLockUntil(policy, id.cardIdentificationCode.slice(0, 6), now).toISOString();
      const next: LockRecord = { kind: 'temporary', since: op.at, until, ...who(op) };
      rec = { ...rec, lock: next };
      audit.push(entry('lock-temporary', { until }));
      break;
    }
    case 'lock-formal': {
      refuseIfFinal('lock');
      if (rec.replacement || lock?.kind === 'formal') {
        throw new StatusError('ALREADY_LOCKED', `the card is already formally locked (since ${lock?.since} at ${lock?.site})`, RULES.formalSupersedes);
      }
      rec = { ...rec, lock: { kind: 'formal', since: op.at, until: null, ...who(op) } };
      audit.push(entry('lock-formal'));
      break;
    }
    case 'release': {
      refuseIfFinal('release');
      if (rec.replacement) throw new StatusError('REPLACEMENT_REQUESTED', `cannot release: a replacement card was requested on ${rec.replacement.at}`, RULES.noReleaseAfterReplacement);
      if (!lock) throw new StatusError('NOT_LOCKED', 'cannot release: the card is not locked', RULES.temporaryExpiry);
      if (lock.kind === 'temporary') {
        const cardArea = issuingAreaOf(policy, id.cardIdentificationCode.slice(0, 6));
        const siteArea = issuingAreaOf(policy, siteRegionOf(op.site));
        if (cardArea !== siteArea) {
          throw new StatusError('RELEASE_OUTSIDE_ISSUING_AREA', `cannot release here: site ${op.site} is outside the card's issuing area ${cardArea}`, RULES.temporaryReleaseArea);
        }
      } else if (lock.site !== op.site) {
        throw new StatusError('RELEASE_AT_OTHER_SITE', `cannot release here: the formal lock was made at ${lock.site}`, RULES.formalReleaseSite);
      }
      rec = { ...rec, lock: null };
      audit.push(entry('release', { until: lock.until }));
      break;
    }
    case 'replacement-requested': {
      refuseIfFinal('request a replacement');
      if (rec.replacement) throw new StatusError('REPLACEMENT_REQUESTED', `a replacement card was already requested on ${rec.replacement.at}`, RULES.noReleaseAfterReplacement);
      if (lock?.kind !== 'formal') throw new StatusError('FORMAL_LOCK_REQUIRED', `cannot request a replacement: the card is ${lock ? 'only temporarily locked' : 'not locked'}`, RULES.formalBeforeReplacement);
      rec = { ...rec, replacement: event };
      audit.push(entry('replacement-requested'));
      break;
    }
    case 'cancel': {
      refuseIfFinal('cancel');
      rec = { ...rec, cancellation: event };
      audit.push(entry('cancel'));
      break;
    }
    case 'chip-block': {
      const block = op.sw === '9303' ? 'application' : 'card';
      if (rec.chipBlocks.some((b) => b.block === block)) break; // already recorded: no new entry
      const b: ChipBlockRecord = { block, sw: op.sw, at: op.at, site: op.site, operator: op.operator };
      rec = { ...rec, chipBlocks: [...rec.chipBlocks, b] };
      audit.push(entry(block === 'application' ? 'block-application' : 'block-card', { sw: op.sw, reason: null }));
      break;
    }
    case 'pin-reset':
    case 'pin-unblock':
      audit.push(entry(op.action));
      break;
  }
  return { record: { ...rec, revision: rec.revision + 1 }, audit };
}

function who(op: TimedOperation) {
  return { site: op.site, operator: op.operator, reason: op.reason };
}

/**
 * Pure: when the record's temporary lock has ended at `now`, the record without it and the
 * `auto-release` entry (at = the lock's end, operator `system`); otherwise undefined.
 */
export function settleExpiredLock(rec: CardRecord, now: Date): RuleOutcome | undefined {
  const l = rec.lock;
  if (!l || lockInForce(l, now)) return undefined;
  const at = l.until ?? now.toISOString();
  const draft: AuditDraft = {
    at,
    action: 'auto-release',
    cardIdentificationCode: rec.cardIdentificationCode,
    cardNumber: rec.cardNumber,
    ssn: rec.ssn,
    site: l.site,
    operator: SYSTEM_OPERATOR,
    until: l.until,
    sw: null,
    reason: null,
  };
  return { record: { ...rec, lock: null }, audit: [draft] };
}

/** Operator of the entries the registry writes itself (auto-release on expiry). */
export const SYSTEM_OPERATOR = 'system';

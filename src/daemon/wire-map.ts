import type { AuditEntry } from '../service/domain-types.js';
import type { CardStatus, LockRecord, SocialSecurityRead } from '../service/domain-types.js';
import type { BasResult } from '../service/operations/read-card-bas.js';
import type { HsmStep1Result } from '../service/operations/read-card-bas-hsm.js';
import type { WireAuditEntry, WireCardStatus, WireLock, WireSocialSecurityRead } from './protocol/wire-card.js';
import type { CardNationalPinResult, CardReadBasHsmStep1Result, CardReadBasResult } from './protocol/wire-results.js';
import type { NationalPinResult } from '../service/operations/national-pin.js';
import { wireReader } from './wire-reader.js';

/**
 * Domain model -> wire, field by field (docs/protocol.md). A renamed or added internal field is
 * a compile error or simply not sent, never a silent change of the protocol.
 */
export function wireRead(r: SocialSecurityRead): WireSocialSecurityRead {
  const c = r.card;
  const a = r.application;
  return {
    application: { dfName: a.dfName, algorithm: { id: a.algorithm.id, name: a.algorithm.name, supported: a.algorithm.supported } },
    card: {
      cardIdentificationCode: c.cardIdentificationCode,
      regionCode: c.regionCode,
      cardClass: c.cardClass,
      specVersion: c.specVersion,
      specVersionText: c.specVersionText,
      initializingInstitution: c.initializingInstitution,
      issueDate: c.issueDate,
      expiryDate: c.expiryDate,
      cardNumber: c.cardNumber,
      cardNumberCheck: c.cardNumberCheck,
    },
    holder:
      r.holder.status === 'read'
        ? {
            status: 'read',
            data: {
              ssn: r.holder.data.ssn,
              ssnCheck: r.holder.data.ssnCheck,
              name: r.holder.data.name,
              sex: { code: r.holder.data.sex.code, label: r.holder.data.sex.label },
              ethnicGroup: { code: r.holder.data.ethnicGroup.code, name: r.holder.data.ethnicGroup.name },
              birthplace: r.holder.data.birthplace,
              birthDate: r.holder.data.birthDate,
            },
          }
        : { status: 'needs-authentication', sw: r.holder.sw },
    warnings: r.warnings.map((w) => ({ code: w.code, field: w.field, message: w.message })),
    ...(r.authenticated !== undefined ? { authenticated: r.authenticated } : {}),
    ...(r.genuine !== undefined ? { genuine: r.genuine } : {}),
  };
}

function wireLock(l: LockRecord | null): WireLock | null {
  return l && { kind: l.kind, since: l.since, until: l.until, site: l.site, operator: l.operator, reason: l.reason };
}

export function wireStatus(s: CardStatus): WireCardStatus {
  return {
    kind: s.kind,
    cardIdentificationCode: s.cardIdentificationCode,
    cardNumber: s.cardNumber,
    ssn: s.ssn,
    since: s.since,
    until: s.until,
    site: s.site,
    operator: s.operator,
    reason: s.reason,
    lock: wireLock(s.lock),
    expiredLock: wireLock(s.expiredLock),
    chipBlocks: s.chipBlocks.map((b) => ({ block: b.block, sw: b.sw, at: b.at, site: b.site, operator: b.operator })),
    evaluatedAt: s.evaluatedAt,
  };
}

export function wireAudit(e: AuditEntry): WireAuditEntry {
  return {
    id: e.id,
    at: e.at,
    action: e.action,
    cardIdentificationCode: e.cardIdentificationCode,
    cardNumber: e.cardNumber,
    ssn: e.ssn,
    site: e.site,
    operator: e.operator,
    until: e.until,
    sw: e.sw,
    reason: e.reason,
  };
}

/** A national basic-information result (card.readBas, card.readBasHsmStep2): the string and its fields, or the national code and text. */
export function wireBas(r: BasResult): CardReadBasResult {
  return r.kind === 'bas'
    ? { code: 0, reader: wireReader(r.reader), text: r.text, fields: { ...r.fields }, message: null }
    : { code: r.code, reader: null, text: null, fields: null, message: r.message };
}

/** card.readBasHsmStep1: the factors string, or the national code and text. */
export function wireBasHsmStep1(r: HsmStep1Result): CardReadBasHsmStep1Result {
  return r.kind === 'hsm-step1' ? { code: 0, reader: wireReader(r.reader), text: r.text, message: null } : { code: r.code, reader: null, text: null, message: r.message };
}

/** card.nationalPin: 0, or the national code and text; `pinOnPc` when the PIN(s) must come from the PC. */
export function wireNationalPin(r: NationalPinResult): CardNationalPinResult {
  return r.code === 0 ? { code: 0, message: null, pinOnPc: false } : { code: r.code, message: r.message, pinOnPc: 'pcEntry' in r && r.pcEntry };
}

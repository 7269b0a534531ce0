import type { CardProfile } from '../../simulators/profile-schema.js';

/**
 * What a correct reader must report for a simulated profile, derived from the profile's own
 * human values (the simulator encodes them; the reader decodes: two separate implementations).
 * Normalisations are the spec's (docs/reference/card-spec.md §2): version texts -> generation, "" -> 1.0.
 */
const VERSION_OF: Record<string, string> = { '': '1.0', '1.0': '1.0', '1.00': '1.0', '2.0': '2.0', '2.00': '2.0', '3.0': '3.0', '3.00': '3.0' };

/** Profiles whose card number check character is wrong on purpose. */
const BAD_CARD_NUMBER = new Set(['v2-bad-check']);

export function expectedCard(p: CardProfile): Record<string, unknown> {
  const rawVersion = p.raw?.['03'];
  const versionText = rawVersion !== undefined ? Buffer.from(rawVersion, 'hex').toString('latin1').replace(/\0+$/, '') : p.card.specVersion;
  return {
    cardIdentificationCode: p.card.cardIdentificationCode,
    regionCode: p.card.cardIdentificationCode.slice(0, 6),
    cardClass: p.card.cardClass,
    specVersion: VERSION_OF[versionText],
    specVersionText: versionText,
    initializingInstitution: p.card.initializingInstitution,
    issueDate: p.card.issueDate,
    expiryDate: p.card.expiryDate,
    cardNumber: p.card.cardNumber,
    cardNumberCheck: BAD_CARD_NUMBER.has(p.id) ? 'bad-check-character' : 'valid',
  };
}

/** The holder fields the profile defines (labels come from the spec tables, checked elsewhere). */
export function expectedHolder(p: CardProfile): Record<string, unknown> {
  return {
    ssn: p.holder.ssn,
    ssnCheck: 'valid',
    name: p.holder.name,
    sex: expectStringField('code', p.holder.sex),
    ethnicGroup: expectStringField('code', p.holder.ethnicGroup),
    birthplace: p.holder.birthplace,
    birthDate: p.holder.birthDate,
  };
}

function expectStringField(key: string, value: string): Record<string, unknown> {
  return { [key]: value };
}

/** 3.0 cards protect EF06 until RKSSSE external authentication (docs/reference/card-spec.md §1). */
export function holderNeedsAuth(p: CardProfile): boolean {
  return p.generation === '3.0';
}

import { checkCardNumber } from '../cards/social-security/card-number-check.js';
import type { CardData, SocialSecurityRead } from '../cards/social-security/social-security-model.js';
import { checkSsn } from '../cards/social-security/ssn-check.js';
import { StatusError } from './status-error.js';

/**
 * Which card a status entry is about. The registry is keyed by the card identification code
 * (卡识别码) and the card number together; the SSN is kept for lookup by holder.
 * Values are normalised (upper case) by `parseCardIdentity`.
 */
export interface CardIdentity {
  readonly cardIdentificationCode: string;
  readonly cardNumber: string;
  readonly ssn?: string;
}

/**
 * docs/reference/card-spec.md §2 EF05 tag 01: region code (6 digits) + `D156000005` + serial (8 hex) + auth code
 * (8 hex) = 32 hex characters, the first 6 decimal.
 */
const CIC = /^[0-9]{6}[0-9A-F]{26}$/;

export function isCardIdentificationCode(text: string): boolean {
  return CIC.test(text);
}

/** Validates and normalises one identity. Throws StatusError BAD_CARD_IDENTITY. */
export function parseCardIdentity(input: { cardIdentificationCode?: unknown; cardNumber?: unknown; ssn?: unknown }): CardIdentity {
  const cic = typeof input.cardIdentificationCode === 'string' ? input.cardIdentificationCode.trim().toUpperCase() : '';
  if (!CIC.test(cic)) {
    throw new StatusError(
      'BAD_CARD_IDENTITY',
      `card identification code must be 32 hex characters starting with the 6-digit region code (e.g. 320500D156000005...), got ${describe(input.cardIdentificationCode)}`,
    );
  }
  const cardNumber = typeof input.cardNumber === 'string' ? input.cardNumber.trim().toUpperCase() : '';
  // docs/reference/card-spec.md §2 EF05 tag 07: 8 characters + check character. A wrong check character is
  // accepted (some issued cards fail it: report, never reject); a malformed number is not.
  if (checkCardNumber(cardNumber) === 'malformed') {
    throw new StatusError(
      'BAD_CARD_IDENTITY',
      `card number must be 9 characters: 8 digits or capital letters and a check character 0-9 or X, got ${describe(input.cardNumber)}`,
    );
  }
  if (input.ssn === undefined || input.ssn === null || input.ssn === '') return { cardIdentificationCode: cic, cardNumber };
  const ssn = typeof input.ssn === 'string' ? input.ssn.trim().toUpperCase() : '';
  if (checkSsn(ssn) === 'malformed') {
    throw new StatusError('BAD_CARD_IDENTITY', `social security number must be 17 digits and a check character 0-9 or X, got ${describe(input.ssn)}`);
  }
  return { cardIdentificationCode: cic, cardNumber, ssn };
}

/** Validates a social security number on its own (lookup by holder). */
export function parseSsn(input: unknown): string {
  const ssn = typeof input === 'string' ? input.trim().toUpperCase() : '';
  if (checkSsn(ssn) === 'malformed') {
    throw new StatusError('BAD_CARD_IDENTITY', `social security number must be 17 digits and a check character 0-9 or X, got ${describe(input)}`);
  }
  return ssn;
}

/** The identity of a card that was just read (the SSN only when EF06 could be read). */
export function identityFromRead(read: SocialSecurityRead): CardIdentity {
  const ssn = read.holder.status === 'read' ? read.holder.data.ssn : undefined;
  return identityFromCard(read.card, ssn);
}

/** The identity from EF05 alone (what the registry keys on); the SSN only for lookup. */
export function identityFromCard(card: CardData, ssn?: string): CardIdentity {
  return parseCardIdentity({ cardIdentificationCode: card.cardIdentificationCode, cardNumber: card.cardNumber, ssn });
}

/** Administrative division code of the issuing region: the first 6 digits of the CIC. */
export function regionCodeOf(identity: CardIdentity): string {
  return identity.cardIdentificationCode.slice(0, 6);
}

function describe(v: unknown): string {
  if (typeof v !== 'string') return v === undefined ? 'nothing' : `a ${typeof v}`;
  // The value itself is never echoed: a mistyped field might hold a PIN (docs/architecture.md "Conventions").
  return `${[...v].length} characters`;
}

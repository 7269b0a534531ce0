/**
 * Card number check character (docs/reference/card-spec.md §2, EF05 tag 07): 8 characters + 1 check; weights
 * 3 7 9 10 5 8 4 2; digits count as their value, letters A=10 … Z=35; check = 11 - (sum mod 11),
 * 10 -> 'X', 11 -> '0'. Some issued cards fail it: callers report, never reject.
 */
const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type CardNumberVerdict = 'valid' | 'bad-check-character' | 'malformed';

export function cardNumberCheckCharacter(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8[i]!, 36) * WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function checkCardNumber(cardNumber: string): CardNumberVerdict {
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(cardNumber)) return 'malformed';
  return cardNumberCheckCharacter(cardNumber.slice(0, 8)) === cardNumber[8] ? 'valid' : 'bad-check-character';
}

/**
 * Social security number = citizen ID number (docs/reference/business-rules.md): 17 digits + check character
 * per ISO 7064 MOD 11-2 (GB 11643-1999 §4.2): weights 2^(18-i) mod 11, check = (12 - sum mod 11)
 * mod 11, 10 written as upper-case 'X'.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type SsnVerdict = 'valid' | 'bad-check-character' | 'malformed';

export function ssnCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export function checkSsn(ssn: string): SsnVerdict {
  if (!/^[0-9]{17}[0-9X]$/.test(ssn)) return 'malformed';
  return ssnCheckCharacter(ssn.slice(0, 17)) === ssn[17] ? 'valid' : 'bad-check-character';
}

/** The birth date embedded in an 18-character ID number (digits 7-14), as YYYY-MM-DD. */
export function ssnBirthDate(ssn: string): string | undefined {
  const m = /^[0-9]{6}([0-9]{4})([0-9]{2})([0-9]{2})/.exec(ssn);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/**
 * The sex an 18-character ID number encodes (GB 11643-1999 §4.1: the 17th digit, the sequence
 * code's last digit, is odd for men and even for women), as the card's sex code (card-spec §2:
 * '1' male, '2' female).
 */
export function ssnSexCode(ssn: string): '1' | '2' | undefined {
  const d = ssn.length >= 17 ? ssn.charCodeAt(16) - 48 : -1;
  if (d < 0 || d > 9) return undefined;
  return d % 2 === 1 ? '1' : '2';
}

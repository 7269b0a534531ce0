import type { Specs } from '../../specs/load-specs.js';
import { checkCardNumber } from './card-number-check.js';
import { isoDate, type ItemValues } from './decode-items.js';
import type { CardData, CardWarning } from './social-security-model.js';

/** RID of the social-security card inside the card identification code (docs/reference/card-spec.md §2, EF05 #1). */
const CIC_RID = 'D156000005';

/** Builds the EF05 model (docs/reference/card-spec.md §2) and its findings from decoded items. */
export function decodeCardData(items: ItemValues, specs: Specs, warnings: CardWarning[]): CardData {
  const missing = (item: string) => {
    if (!items.has(item)) warnings.push({ code: 'ITEM_MISSING', field: `card.${item}`, message: `EF05 item ${item} is missing` });
    return items.get(item) ?? '';
  };
  const cic = missing('cardIdentificationCode');
  if (cic && (cic.length !== 32 || cic.slice(6, 16) !== CIC_RID || !/^[0-9]{6}$/.test(cic.slice(0, 6)))) {
    warnings.push({
      code: 'CARD_ID_CODE_FORMAT',
      field: 'card.cardIdentificationCode',
      message: 'card identification code is not region(6) + D156000005 + serial(8) + auth code(8)',
    });
  }
  const versionText = missing('specVersion');
  const version = normaliseVersion(versionText, specs);
  if (version === 'unknown') {
    warnings.push({ code: 'SPEC_VERSION_UNKNOWN', field: 'card.specVersion', message: `spec version "${printable(versionText)}" is not a known version` });
  } else if (versionText === '') {
    // docs/reference/card-spec.md §2: "empty -> 1.0 [U]"
    warnings.push({ code: 'SPEC_VERSION_EMPTY', field: 'card.specVersion', message: 'spec version record is empty; taken as 1.0' });
  }
  const date = (item: 'issueDate' | 'expiryDate') => {
    const raw = missing(item);
    const iso = isoDate(raw);
    if (raw && !iso) warnings.push({ code: 'BAD_DATE', field: `card.${item}`, message: `${item} "${raw}" is not a valid YYYYMMDD date` });
    return iso;
  };
  const cardNumber = missing('cardNumber');
  const cardNumberCheck = checkCardNumber(cardNumber);
  if (cardNumberCheck !== 'valid') {
    warnings.push({
      code: 'CARD_NUMBER_CHECK',
      field: 'card.cardNumber',
      message: cardNumberCheck === 'malformed' ? 'card number is not 8 characters + a check character' : 'card number check character does not match (reported, not rejected)',
    });
  }
  return {
    cardIdentificationCode: cic,
    regionCode: cic.slice(0, 6),
    cardClass: missing('cardClass'),
    specVersion: version,
    specVersionText: versionText,
    initializingInstitution: missing('initializingInstitution'),
    issueDate: date('issueDate'),
    expiryDate: date('expiryDate'),
    cardNumber,
    cardNumberCheck,
  };
}

/** "2.00", "2.0", "2.0\0" (trailing 00 already stripped) -> "2.0"; "" -> "1.0" (docs/reference/card-spec.md §2). */
export function normaliseVersion(text: string, specs: Specs): string {
  const t = text.trim();
  for (const v of specs.ssse.versions) if (v.texts.includes(t)) return v.version;
  return 'unknown';
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

import type { Specs } from '../../specs/load-specs.js';
import { checkCardNumber } from './card-number-check.js';
import { checkDateOrder, checkedDate } from './check-dates.js';
import type { SimpleTlv } from '../../core/simple-tlv.js';
import type { FileSpec } from '../../specs/spec-schemas.js';
import { CardError } from '../card-error.js';
import { decodeOneItem, type ItemValues } from './decode-items.js';
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
  if (/[^0-9.]/.test(versionText) && version !== 'unknown') {
    // card-spec §2: an 4 of digits and a dot ("2.00"); "2.0\t" is not a version text.
    warnings.push({ code: 'SPEC_VERSION_FORMAT', field: 'card.specVersion', message: `spec version "${printable(versionText)}" holds characters other than digits and a dot` });
  }
  const cardClass = missing('cardClass');
  if (cardClass && !specs.ssse.cardClasses.includes(cardClass)) {
    warnings.push({ code: 'CARD_CLASS_UNKNOWN', field: 'card.cardClass', message: `card class "${printable(cardClass)}" is not one of ${specs.ssse.cardClasses.join(', ')}` });
  }
  const date = (item: 'issueDate' | 'expiryDate') => checkedDate(missing(item), `card.${item}`, specs.ssse.dateRanges[item], warnings);
  const issueDate = date('issueDate');
  const expiryDate = date('expiryDate');
  checkDateOrder({ date: issueDate, name: 'issue date' }, { date: expiryDate, name: 'expiry date' }, 'card.expiryDate', warnings);
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
    cardClass,
    specVersion: version,
    specVersionText: versionText,
    initializingInstitution: missing('initializingInstitution'),
    issueDate,
    expiryDate,
    cardNumber,
    cardNumberCheck,
  };
}

/**
 * The generation `decodeCardData` will give, from EF05's version item alone (EF06's records and
 * the authentication decision depend on it, docs/reference/card-spec.md §2); undefined when that
 * item cannot be decoded (the full decode then throws, in card order, as it always did).
 */
export function specVersionOf(file: FileSpec, tlvs: readonly SimpleTlv[], specs: Specs): string | undefined {
  try {
    return normaliseVersion(decodeOneItem(file, tlvs, 'specVersion'), specs);
  } catch (e) {
    if (e instanceof CardError) return undefined;
    throw e;
  }
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

import type { Specs } from '../../specs/load-specs.js';
import { isoDate, type ItemValues } from './decode-items.js';
import type { CardWarning, HolderData } from './social-security-model.js';
import { checkSsn, ssnBirthDate } from './ssn-check.js';

/** Builds the EF06 model (docs/reference/card-spec.md §2) and its findings from decoded items. */
export function decodeHolderData(items: ItemValues, specs: Specs, warnings: CardWarning[]): HolderData {
  const get = (item: string, required = true) => {
    if (required && !items.has(item)) warnings.push({ code: 'ITEM_MISSING', field: `holder.${item}`, message: `EF06 item ${item} is missing` });
    return items.get(item) ?? '';
  };
  let ssn = get('ssn');
  if (/^[0-9]{17}x$/.test(ssn)) {
    // docs/reference/business-rules.md: the final 'X' is always written upper-case.
    warnings.push({ code: 'SSN_LOWERCASE_X', field: 'holder.ssn', message: "social security number ends in a lower-case 'x'; shown upper-case" });
    ssn = ssn.toUpperCase();
  }
  const ssnCheck = checkSsn(ssn);
  if (ssnCheck !== 'valid') {
    warnings.push({
      code: 'SSN_CHECK',
      field: 'holder.ssn',
      message: ssnCheck === 'malformed' ? 'social security number is not 17 digits + a check character' : 'social security number check character does not match (ISO 7064 MOD 11-2)',
    });
  }
  const birthRaw = get('birthDate');
  const birthDate = isoDate(birthRaw);
  if (birthRaw && !birthDate) warnings.push({ code: 'BAD_DATE', field: 'holder.birthDate', message: `birth date "${birthRaw}" is not a valid YYYYMMDD date` });
  const embedded = ssnCheck === 'malformed' ? undefined : ssnBirthDate(ssn);
  if (birthDate && embedded && embedded !== birthDate) {
    warnings.push({ code: 'SSN_BIRTH_DATE_MISMATCH', field: 'holder.birthDate', message: 'birth date differs from the one in the social security number' });
  }
  const sexCode = get('sex');
  const sex = specs.ssse.sexCodes.find((s) => s.code === sexCode);
  if (!sex) warnings.push({ code: 'SEX_CODE_UNKNOWN', field: 'holder.sex', message: `sex code "${sexCode}" is not 0, 1, 2 or 9` });
  // cn 1: "" means the byte was FF (all padding): "not recorded", seen on real cards (docs/reference/card-spec.md §2).
  const ethnicRaw = get('ethnicGroup');
  const ethnicCode = ethnicRaw === '' ? 'FF' : ethnicRaw;
  const group = specs.ethnicGroups.find((g) => g.code === ethnicCode);
  if (ethnicCode === 'FF') {
    warnings.push({ code: 'ETHNIC_GROUP_NOT_RECORDED', field: 'holder.ethnicGroup', message: 'ethnic group is FF (not recorded)' });
  } else if (!group) {
    warnings.push({ code: 'ETHNIC_GROUP_UNKNOWN', field: 'holder.ethnicGroup', message: `ethnic group code ${ethnicCode} is not in GB 3304` });
  }
  return {
    ssn,
    ssnCheck,
    name: get('name') + get('nameExtension', false),
    sex: { code: sexCode, label: sex?.label ?? null },
    ethnicGroup: { code: ethnicCode, name: group?.name ?? null },
    birthplace: get('birthplace'),
    birthDate,
  };
}

import { describe, expect, it } from 'vitest';
import { implausible } from '../../../../src/cards/pboc/decode-financial.js';

/**
 * Financial values that decode but cannot all be true (docs/financial.md "Warnings"): the silent
 * changes the bridge-and-card fuzz long run found on the PBOC paths (docs/fuzzing.md).
 */
const fine = { expiryDate: '2030-12-31', effectiveDate: '2020-01-01', idType: '00', holderIdNumber: '110105199003071036', ecBalanceFen: 5000, ecLimitFen: 100000 };

describe('PBOC plausibility warnings', () => {
  it('a consistent card gives none (15-digit and X-ending ID numbers are resident ID numbers)', () => {
    expect(implausible(fine)).toEqual([]);
    expect(implausible({ ...fine, holderIdNumber: '11010519900307103X' })).toEqual([]);
    expect(implausible({ ...fine, holderIdNumber: '110105900307103' })).toEqual([]);
    expect(implausible({ ...fine, ecBalanceFen: 100000 })).toEqual([]);
  });

  it('an expiry before the effective date is DATE_ORDER', () => {
    expect(implausible({ ...fine, expiryDate: '2019-12-31' })).toEqual([expect.objectContaining({ code: 'DATE_ORDER', field: 'expiryDate' })]);
  });

  it('a resident ID number (type 00) that is not 18 or 15 characters of its alphabet is BAD_ID_NUMBER; other ID types are not judged', () => {
    for (const bad of ['11010519900307103v', '1101051990030710', '11010519900307103x', '11010519900307 036']) {
      expect(implausible({ ...fine, holderIdNumber: bad }), bad).toEqual([expect.objectContaining({ code: 'BAD_ID_NUMBER', field: 'holderIdNumber' })]);
    }
    expect(implausible({ ...fine, idType: '02', holderIdNumber: 'E12345678' })).toEqual([]);
  });

  it('an EC balance above the EC limit is EC_BALANCE_OVER_LIMIT', () => {
    expect(implausible({ ...fine, ecBalanceFen: 100001 })).toEqual([expect.objectContaining({ code: 'EC_BALANCE_OVER_LIMIT', field: 'ecBalanceFen' })]);
  });

  it('missing values are not judged', () => {
    expect(implausible({ expiryDate: null, effectiveDate: '2020-01-01', idType: null, holderIdNumber: 'x', ecBalanceFen: 1, ecLimitFen: null })).toEqual([]);
  });
});

import type { BerTlv } from '../../core/ber-tlv.js';
import { toHex } from '../../core/hex.js';
import type { PbocSpec } from '../../specs/pboc-spec-schema.js';
import { CardError } from '../card-error.js';
import { decodeAmountFen, decodeCompressedNumeric, decodeDate, decodeNumeric, decodeText, decodeTrack2, formatYuan } from './decode-values.js';
import { maskPan } from './mask-pan.js';
import type { FinancialApplication, FinancialRead, FinancialTransaction, FinancialWarning, RawTag } from './pboc-model.js';
import { tagHex } from './tag-hex.js';

/** Everything the session collected, before it becomes the model. */
export interface FinancialFacts {
  readonly application: FinancialApplication;
  readonly path: 'records' | 'gpo';
  readonly gpoReason?: FinancialRead['gpoReason'];
  readonly gpoFormat?: 1 | 2;
  /** The primitive objects of the records read, in order (templates flattened). */
  readonly objects: readonly BerTlv[];
  /** GET DATA answers by tag hex (absent = the card has none). */
  readonly getData: ReadonlyMap<string, Uint8Array>;
  readonly transactions: readonly FinancialTransaction[];
  readonly logFormat: Uint8Array | null;
  readonly warnings: FinancialWarning[];
}

/** Tags the model gives a field to; every other object is kept raw in `unknownTags`. */
const MODELLED = new Set(['5A', '57', '5F20', '9F0B', '5F24', '5F25', '5F34', '9F61', '9F62']);

/** Flattens record templates into their primitive objects, depth-first. */
export function primitives(objects: readonly BerTlv[]): BerTlv[] {
  const out: BerTlv[] = [];
  const walk = (list: readonly BerTlv[]) => {
    for (const o of list) {
      if (o.constructed) walk(o.children);
      else out.push(o);
    }
  };
  walk(objects);
  return out;
}

/**
 * Builds the financial model (docs/financial.md). A field that cannot be decoded becomes null
 * with a warning naming it, so one bad object does not hide the rest; `reveal` keeps the PAN
 * whole, otherwise it is masked to 6 + 4.
 */
export function decodeFinancial(facts: FinancialFacts, spec: PbocSpec, options: { reveal?: boolean } = {}): FinancialRead {
  const warnings = facts.warnings;
  const first = new Map<string, Uint8Array>();
  const unknownTags: RawTag[] = [];
  for (const o of facts.objects) {
    const hex = tagHex(o.tag);
    if (MODELLED.has(hex)) {
      if (!first.has(hex)) first.set(hex, o.value);
    } else unknownTags.push({ tag: hex, value: toHex(o.value) });
  }
  const field = <T>(tag: string, name: string, decode: (v: Uint8Array) => T): T | null => {
    const v = first.get(tag);
    if (v === undefined) return null;
    try {
      return decode(v);
    } catch (e) {
      if (!(e instanceof CardError)) throw e;
      warnings.push({ code: 'BAD_FIELD', field: name, message: e.message });
      return null;
    }
  };
  const track2 = field('57', 'track2', (v) => decodeTrack2(v));
  let pan = field('5A', 'pan', (v) => decodeCompressedNumeric(v, 'PAN (5A)'));
  if (pan === null && track2) pan = track2.pan;
  if (pan !== null && track2 && track2.pan !== pan) {
    warnings.push({ code: 'PAN_MISMATCH', field: 'pan', message: 'the PAN (5A) and the track 2 PAN (57) differ; 5A is reported' });
  }
  let expiryDate = field('5F24', 'expiryDate', (v) => decodeDate(v, 'expiry date (5F24)'));
  if (expiryDate === null && track2) expiryDate = lastDayOf(track2.expiryMonth);
  const name = field('5F20', 'holderName', (v) => decodeText(v, 'cardholder name (5F20)'));
  const ext = field('9F0B', 'holderName', (v) => decodeText(v, 'cardholder name extended (9F0B)'));
  // 9F0B holds the whole name when it is longer than 5F20 allows (EMV Book 3 Annex A): it wins.
  const holderName = ext || name || null;
  const idType = field('9F62', 'holderIdType', (v) => decodeNumeric(v, 'holder ID type (9F62)'));
  const money = (tag: string, item: string): number | null => {
    const v = facts.getData.get(tag);
    if (v === undefined) return null;
    try {
      return decodeAmountFen(v, `${item} (${tag})`);
    } catch (e) {
      if (!(e instanceof CardError)) throw e;
      warnings.push({ code: 'BAD_FIELD', field: item, message: e.message });
      return null;
    }
  };
  const ecBalanceFen = money('9F79', 'ecBalanceFen');
  const ecLimitFen = money('9F77', 'ecLimitFen');
  const effectiveDate = field('5F25', 'effectiveDate', (v) => decodeDate(v, 'effective date (5F25)'));
  const holderIdNumber = field('9F61', 'holderIdNumber', (v) => decodeText(v, 'holder ID number (9F61)'));
  warnings.push(...implausible({ expiryDate, effectiveDate, idType, holderIdNumber, ecBalanceFen, ecLimitFen }));
  return {
    application: facts.application,
    path: facts.path,
    ...(facts.gpoReason ? { gpoReason: facts.gpoReason } : {}),
    ...(facts.gpoFormat ? { gpoFormat: facts.gpoFormat } : {}),
    pan: pan === null ? null : options.reveal ? pan : maskPan(pan),
    panMasked: pan !== null && !options.reveal,
    panSequenceNumber: field('5F34', 'panSequenceNumber', (v) => decodeNumeric(v, 'PAN sequence number (5F34)')),
    expiryDate,
    effectiveDate,
    holderName,
    holderIdNumber,
    holderIdType: idType === null ? null : { code: idType, label: spec.holderIdTypes.find((t) => t.code === idType)?.label ?? null },
    ecBalanceFen,
    ecBalance: ecBalanceFen === null ? null : formatYuan(ecBalanceFen),
    ecLimitFen,
    ecSingleLimitFen: money('9F78', 'ecSingleLimitFen'),
    transactions: facts.transactions,
    logFormat: facts.logFormat ? toHex(facts.logFormat) : null,
    unknownTags,
    warnings,
  };
}

/** A resident identity card number (GB 11643): 17 digits and a check digit or X; older cards 15 digits. */
const RESIDENT_ID = /^(?:[0-9]{17}[0-9X]|[0-9]{15})$/;

/**
 * Values that decode but cannot all be true together (docs/financial.md "Warnings"): the card is
 * reported as read, with a warning naming the field, never rejected -- the same rule as the
 * social-security data checks.
 */
export function implausible(v: {
  expiryDate: string | null;
  effectiveDate: string | null;
  idType: string | null;
  holderIdNumber: string | null;
  ecBalanceFen: number | null;
  ecLimitFen: number | null;
}): FinancialWarning[] {
  const out: FinancialWarning[] = [];
  if (v.expiryDate && v.effectiveDate && v.expiryDate < v.effectiveDate) {
    out.push({ code: 'DATE_ORDER', field: 'expiryDate', message: `the expiry date (5F24) ${v.expiryDate} is before the effective date (5F25) ${v.effectiveDate}` });
  }
  if (v.idType === '00' && v.holderIdNumber !== null && !RESIDENT_ID.test(v.holderIdNumber)) {
    out.push({ code: 'BAD_ID_NUMBER', field: 'holderIdNumber', message: 'the holder ID number (9F61) is not a resident identity card number (ID type 00)' });
  }
  if (v.ecBalanceFen !== null && v.ecLimitFen !== null && v.ecBalanceFen > v.ecLimitFen) {
    out.push({ code: 'EC_BALANCE_OVER_LIMIT', field: 'ecBalanceFen', message: `the EC balance (9F79) ${v.ecBalanceFen} fen exceeds the EC limit (9F77) ${v.ecLimitFen} fen` });
  }
  return out;
}

/** `2030-12` -> `2030-12-31` (track 2 carries the month; the card is valid through its end). */
function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

import { decodeAn } from '../../core/gbk.js';
import { decodeCn, decodeHexItem } from '../../core/bcd.js';
import { CodecError } from '../../core/codec-error.js';
import { hexByte } from '../../core/hex.js';
import type { SimpleTlv } from '../../core/simple-tlv.js';
import type { FileSpec, RecordSpec } from '../../specs/spec-schemas.js';
import { CardError } from '../card-error.js';
import { checkItemText } from './check-item-text.js';
import type { CardWarning } from './social-security-model.js';

/** Raw decoded items of one EF: item name -> text (cn nibbles or an text). */
export type ItemValues = Map<string, string>;

/**
 * Maps simple-TLV objects to the file's items by tag (never by position: real 1.0 cards number
 * their records differently) and decodes each per its spec format. Unknown tags and length
 * differences are warnings; undecodable values are BAD_CARD_DATA.
 */
export function decodeItems(file: FileSpec, tlvs: readonly SimpleTlv[], warnings: CardWarning[]): ItemValues {
  const byTag = recordsByTag(file);
  const out: ItemValues = new Map();
  for (const tlv of tlvs) {
    const spec = byTag.get(tlv.tag);
    if (!spec) {
      warnings.push({ code: 'UNKNOWN_TAG', field: file.id, message: `${file.id} holds an unknown tag ${hexByte(tlv.tag)} (ignored)` });
      continue;
    }
    if (out.has(spec.item)) {
      warnings.push({ code: 'DUPLICATE_TAG', field: spec.item, message: `${file.id} holds tag ${spec.tag} twice; the first one is used` });
      continue;
    }
    if (tlv.value.length !== spec.length) {
      warnings.push({
        code: 'ITEM_LENGTH',
        field: spec.item,
        message: `${file.id} tag ${spec.tag} has ${tlv.value.length} bytes, the spec says ${spec.length}`,
      });
    }
    const text = decodeValue(file, spec, tlv.value);
    checkItemText(file.id, spec, tlv.value, text, warnings);
    out.set(spec.item, text);
  }
  return out;
}

/**
 * One item as `decodeItems` gives it (the first object with its tag; '' when absent), decoded
 * without the checks and warnings: what a read needs before the rest (EF06's records depend on
 * EF05's version). Throws the same BAD_CARD_DATA as decodeItems when that item cannot be decoded.
 */
export function decodeOneItem(file: FileSpec, tlvs: readonly SimpleTlv[], item: string): string {
  const byTag = recordsByTag(file);
  for (const tlv of tlvs) {
    const spec = byTag.get(tlv.tag);
    if (spec?.item === item) return decodeValue(file, spec, tlv.value);
  }
  return '';
}

/** The file's records by numeric tag, built once per spec table's file (it is read on every read). */
const byTagCache = new WeakMap<FileSpec, ReadonlyMap<number, RecordSpec>>();

function recordsByTag(file: FileSpec): ReadonlyMap<number, RecordSpec> {
  let byTag = byTagCache.get(file);
  if (!byTag) {
    byTag = new Map(file.records.map((r) => [parseInt(r.tag, 16), r]));
    byTagCache.set(file, byTag);
  }
  return byTag;
}

function decodeValue(file: FileSpec, spec: RecordSpec, value: Uint8Array): string {
  try {
    if (spec.format === 'cn') return spec.content === 'hex' ? decodeHexItem(value) : decodeCn(value);
    return decodeAn(value);
  } catch (e) {
    if (e instanceof CodecError) {
      throw new CardError('BAD_CARD_DATA', `${file.id} tag ${spec.tag} (${spec.item}) cannot be decoded: ${e.message}`, undefined, { cause: e });
    }
    throw e;
  }
}

/** YYYYMMDD -> YYYY-MM-DD when it is a real calendar date, else null. */
export function isoDate(text: string | undefined): string | null {
  if (!text || !/^[0-9]{8}$/.test(text)) return null;
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(4, 6));
  const d = Number(text.slice(6, 8));
  // Gregorian month lengths (no Date parsing on the hot path of every read).
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  if (y < 1 || days === undefined || d < 1 || d > days) return null;
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

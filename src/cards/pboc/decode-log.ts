import layout from 'buffer-layout';
import { toHex } from '../../core/hex.js';
import type { PbocLogField, PbocSpec } from '../../specs/pboc-spec-schema.js';
import { CardError } from '../card-error.js';
import { decodeAmountFen, decodeDate, decodeNumeric, decodeText, decodeTime } from './decode-values.js';
import type { DolEntry } from './dol.js';
import type { FinancialTransaction } from './pboc-model.js';
import { tagHex } from './tag-hex.js';

/**
 * A decoder for the log records of one card. The log format 9F4F is a DOL (EMV Book 3 Annex D,
 * JR/T 0025): every record is the listed values back to back, without tags — a fixed binary
 * layout once the card has told it, so it is built once as a buffer-layout structure of blobs
 * and each record is decoded with it. Values are then typed per tag (dates, amounts, GBK text).
 */
export interface LogDecoder {
  /** Bytes every record must have. */
  readonly recordLength: number;
  decode(record: Uint8Array, index: number): FinancialTransaction;
}

export function logDecoder(format: readonly DolEntry[], spec: PbocSpec): LogDecoder {
  const fields = format.map((e, i) => ({ ...e, key: `f${i}`, hex: tagHex(e.tag) }));
  const struct = layout.struct<Record<string, Buffer>>(fields.map((f) => layout.blob(f.length, f.key)));
  const recordLength = struct.span;
  return {
    recordLength,
    decode(record, index) {
      const what = `log record ${index}`;
      if (record.length !== recordLength) throw new CardError('BAD_CARD_DATA', `${what}: ${record.length} bytes, the log format says ${recordLength}`);
      const values = struct.decode(Buffer.from(record.buffer, record.byteOffset, record.byteLength));
      const out: Record<string, unknown> = { date: null, time: null, amountFen: null, otherAmountFen: null, currency: null, country: null, type: null, merchantName: null, atc: null };
      const other: Record<string, string> = {};
      for (const f of fields) {
        const value = new Uint8Array(values[f.key]!);
        const field = spec.logFields.find((l) => l.tag === f.hex)?.field;
        if (field) out[field] = decodeLogValue(field, value, `${what} ${f.hex}`);
        else other[f.hex] = toHex(value);
      }
      return { ...(out as Omit<FinancialTransaction, 'other'>), other };
    },
  };
}

function decodeLogValue(field: PbocLogField, v: Uint8Array, what: string): string | number | null {
  switch (field) {
    case 'date':
      return decodeDate(v, what);
    case 'time':
      return decodeTime(v, what);
    case 'amountFen':
    case 'otherAmountFen':
      return decodeAmountFen(v, what);
    case 'currency':
    case 'country':
      return decodeNumeric(v, what).replace(/^0(?=\d{3}$)/, '');
    case 'type':
      return decodeNumeric(v, what);
    case 'merchantName':
      return decodeText(v, what) || null;
    case 'atc':
      return v.length === 0 ? null : v.reduce((n, b) => n * 256 + b, 0);
  }
}

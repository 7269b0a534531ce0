import { encodeBerTlv } from '../../src/core/ber-tlv.js';
import { encodeGbk } from '../../src/core/gbk.js';
import { concatBytes, fromHex } from '../../src/core/hex.js';
import type { PbocSpec } from '../../src/specs/pboc-spec-schema.js';
import type { PbocLogProfileEntry, PbocProfile } from './pboc-profile-schema.js';

/**
 * Encoders of the simulated financial application's data (JR/T 0025, EMV Book 3 Annex A):
 * FCIs, directory records, the issuer's record layout and log records in the profile's 9F4F
 * layout. Throws CodecError for values that do not fit (the profile loader reports them).
 */

export const DEFAULT_PDOL = '9F66049F02069F03069F1A0295055F2A029A039C019F3704';
/** SFI of the log file (9F4D first byte, the common PBOC choice). */
export const LOG_SFI = 0x0b;
/** The issuer layout: SFI 1 track 2 + name + holder ID, SFI 2 PAN + dates, SFI 3 risk data. */
export const AFL_HEX = '08010100' + '10010201' + '18010100';

const tlv = (tag: number, value: Uint8Array) => encodeBerTlv(tag, value);
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/** YYYY-MM-DD -> n6 YYMMDD. */
export function yymmdd(iso: string): Uint8Array {
  return fromHex(iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10));
}

/** Fen as n12 (6 bytes BCD). */
export function amount12(fen: number): Uint8Array {
  return fromHex(String(fen).padStart(12, '0'));
}

function gbkMax(text: string, max: number): Uint8Array {
  const b = encodeGbk(text);
  if (b.length > max) throw new RangeError(`"${text.length} characters" do not fit ${max} bytes`);
  return b;
}

/** 6F FCI of the PSE (88 directory SFI 1) or the PPSE (BF0C with the 61 entries). */
export function directoryFci(name: string, p: PbocProfile, ppse: boolean): Uint8Array {
  const prop = ppse
    ? tlv(0xbf0c, concatBytes(...p.applications.map((a) => directoryEntry(a))))
    : concatBytes(tlv(0x88, Uint8Array.of(1)), ...(p.language ? [tlv(0x5f2d, ascii(p.language))] : []));
  return tlv(0x6f, concatBytes(tlv(0x84, ascii(name)), tlv(0xa5, prop)));
}

/** 61 application template: 4F, 50, 87 (EMV Book 1 §12.2.3). */
export function directoryEntry(a: PbocProfile['applications'][number]): Uint8Array {
  return tlv(0x61, concatBytes(tlv(0x4f, fromHex(a.aid)), tlv(0x50, ascii(a.label)), ...(a.priority ? [tlv(0x87, Uint8Array.of(a.priority))] : [])));
}

/** The ADF FCI (EMV Book 1 §11.3.4 table 45) with the log entry 9F4D in BF0C. */
export function applicationFci(a: PbocProfile['applications'][number], p: PbocProfile): Uint8Array {
  const parts: Uint8Array[] = [tlv(0x50, ascii(a.label))];
  if (a.priority) parts.push(tlv(0x87, Uint8Array.of(a.priority)));
  parts.push(tlv(0x9f38, fromHex(p.pdol ?? DEFAULT_PDOL)));
  if (p.language) parts.push(tlv(0x5f2d, ascii(p.language)));
  if (a.codeTableIndex) parts.push(tlv(0x9f11, Uint8Array.of(a.codeTableIndex)));
  if (a.preferredName) parts.push(tlv(0x9f12, a.codeTableIndex ? ascii(a.preferredName) : gbkMax(a.preferredName, 16)));
  if (p.logFormat) parts.push(tlv(0xbf0c, tlv(0x9f4d, Uint8Array.of(LOG_SFI, p.logCapacity ?? 10))));
  return tlv(0x6f, concatBytes(tlv(0x84, fromHex(a.aid)), tlv(0xa5, concatBytes(...parts))));
}

/** Track 2 equivalent: PAN D YYMM 201 (service code) 0000... F-padded to whole bytes. */
export function track2(p: PbocProfile): Uint8Array {
  const a = p.account;
  let s = `${a.pan}D${a.expiryDate.slice(2, 4)}${a.expiryDate.slice(5, 7)}2010000000000`;
  if (s.length % 2) s += 'F';
  return fromHex(s);
}

/** The application's records by SFI (record 1 first). */
export function applicationRecords(p: PbocProfile): Map<number, Uint8Array[]> {
  const a = p.account;
  const sfi1 = [
    tlv(0x57, track2(p)),
    tlv(0x5f20, gbkMax(a.holderName, 26)),
    ...(a.holderNameExtended ? [tlv(0x9f0b, gbkMax(a.holderNameExtended, 45))] : []),
    ...(a.holderIdNumber ? [tlv(0x9f61, ascii(a.holderIdNumber))] : []),
    ...(a.holderIdType ? [tlv(0x9f62, fromHex(a.holderIdType))] : []),
  ];
  let pan = a.pan;
  if (pan.length % 2) pan += 'F';
  const sfi2 = [
    tlv(0x5a, fromHex(pan)),
    tlv(0x5f24, yymmdd(a.expiryDate)),
    tlv(0x5f25, yymmdd(a.effectiveDate)),
    tlv(0x5f34, fromHex(a.panSequenceNumber)),
    tlv(0x5f28, fromHex('0156')),
    tlv(0x9f07, fromHex('FF00')),
  ];
  const sfi3 = [tlv(0x8c, fromHex('9F02069F03069F1A0295055F2A029A039C019F3704')), tlv(0x8e, fromHex('000000000000000042031E031F00')), tlv(0x9f08, fromHex('0030'))];
  const rec = (objs: Uint8Array[]) => tlv(0x70, concatBytes(...objs));
  return new Map([
    [1, [rec(sfi1)]],
    [2, [rec(sfi2), ...(p.extraObjects ? [rec([fromHex(p.extraObjects)])] : [])]],
    [3, [rec(sfi3)]],
  ]);
}

/** A DOL as [tag hex, length] pairs (EMV Book 3 §5.4). */
export function dolEntries(dolHex: string): { tag: string; length: number }[] {
  const b = fromHex(dolHex);
  const out: { tag: string; length: number }[] = [];
  let i = 0;
  while (i < b.length) {
    let end = i + 1;
    if ((b[i]! & 0x1f) === 0x1f) while (end < b.length && b[end++]! & 0x80);
    if (end >= b.length) throw new RangeError('DOL entry cut off');
    out.push({ tag: Buffer.from(b.subarray(i, end)).toString('hex').toUpperCase(), length: b[end]! });
    i = end + 1;
  }
  return out;
}

/** Fits `v` to `length`: numeric values left-padded/cut, others right (EMV Book 3 §5.4). */
function fit(v: Uint8Array, length: number, numeric: boolean): Uint8Array {
  const out = new Uint8Array(length);
  if (numeric) {
    const from = Math.max(0, v.length - length);
    out.set(v.subarray(from), length - (v.length - from));
  } else out.set(v.subarray(0, length));
  return out;
}

/** One log record in the 9F4F layout; the tag -> field mapping is the spec's `logFields`. */
export function logRecord(entry: PbocLogProfileEntry, format: string, spec: PbocSpec): Uint8Array {
  const parts = dolEntries(format).map(({ tag, length }) => {
    const field = spec.logFields.find((f) => f.tag === tag)?.field;
    const numeric = ['numeric', 'amount', 'date', 'time'].includes(spec.tags.find((t) => t.tag === tag)?.format ?? '');
    let v: Uint8Array = new Uint8Array(0);
    switch (field) {
      case 'date':
        v = yymmdd(entry.date);
        break;
      case 'time':
        v = fromHex(entry.time.replace(/:/g, ''));
        break;
      case 'amountFen':
        v = amount12(entry.amountFen);
        break;
      case 'otherAmountFen':
        v = amount12(entry.otherAmountFen ?? 0);
        break;
      case 'currency':
        v = fromHex(`0${entry.currency ?? '156'}`);
        break;
      case 'country':
        v = fromHex(`0${entry.country ?? '156'}`);
        break;
      case 'type':
        v = fromHex(entry.type ?? '00');
        break;
      case 'merchantName':
        v = entry.merchantName ? encodeGbk(entry.merchantName) : v;
        break;
      case 'atc':
        v = Uint8Array.of((entry.atc ?? 0) >> 8, (entry.atc ?? 0) & 0xff);
        break;
    }
    return fit(v, length, numeric);
  });
  return concatBytes(...parts);
}

import type { BerTlv } from '../../core/ber-tlv.js';
import { toHex } from '../../core/hex.js';
import iconv from 'iconv-lite';
import { CardError } from '../card-error.js';
import type { DirectoryEntry } from './pboc-model.js';
import { decodeText } from './decode-values.js';
import { child } from './parse-tlvs.js';
import { parseDirectoryEntry } from './directory-entries.js';

/** The PSE / PPSE FCI (EMV Book 1 §11.3.4 table 43; PPSE entries in BF0C, EMV Book B §3.3). */
export interface DirectoryFci {
  /** 88: SFI of the directory EF (PSE); null for the PPSE. */
  readonly directorySfi: number | null;
  readonly languages: readonly string[];
  /** 61 entries inside BF0C (PPSE). */
  readonly entries: readonly DirectoryEntry[];
}

/** The ADF FCI (EMV Book 1 §11.3.4 table 45, JR/T 0025 9F4D in BF0C). */
export interface ApplicationFci {
  readonly aid: string;
  readonly label: string | null;
  readonly preferredName: string | null;
  readonly codeTableIndex: number | null;
  readonly languages: readonly string[];
  readonly priority: number | null;
  readonly pdol: Uint8Array | null;
  /** 9F4D: SFI and number of records of the transaction log. */
  readonly logEntry: { readonly sfi: number; readonly count: number } | null;
  /** FCI objects this reader gives no meaning to, as hex. */
  readonly others: readonly BerTlv[];
}

/** 5F2D: 2-8 characters, pairs of ISO 639 letters, e.g. "zhen" -> ["zh", "en"]. */
function languages(t: BerTlv | undefined): string[] {
  if (!t) return [];
  const text = decodeText(t.value, 'language preference (5F2D)').toLowerCase();
  return (text.match(/[a-z]{2}/g) ?? []).slice(0, 4);
}

function sfiOf(t: BerTlv | undefined, what: string): number | null {
  if (!t) return null;
  const v = t.value;
  if (v.length !== 1 || v[0]! < 1 || v[0]! > 30) throw new CardError('BAD_CARD_DATA', `${what}: SFI must be one byte 1-30`);
  return v[0]!;
}

export function parseDirectoryFci(fci: BerTlv): DirectoryFci {
  const a5 = child(fci, 0xa5);
  const bf0c = child(a5, 0xbf0c);
  return {
    directorySfi: sfiOf(child(a5, 0x88), 'PSE FCI (88)'),
    languages: languages(child(a5, 0x5f2d)),
    entries: (bf0c?.children ?? []).filter((c) => c.tag === 0x61).map((c) => parseDirectoryEntry(c)),
  };
}

/**
 * 9F12 in the ISO/IEC 8859 part 9F11 names (EMV Book 4 §11.1); without 9F11 the Chinese issuers'
 * GBK is assumed. An unknown part or undecodable bytes give null and a warning upstream.
 */
export function decodePreferredName(value: Uint8Array, codeTable: number | null): string | null {
  if (codeTable === null) return decodeText(value, 'preferred name (9F12)');
  const enc = `iso-8859-${codeTable}`;
  if (!iconv.encodingExists(enc)) return null;
  return iconv.decode(Buffer.from(value), enc).replace(/[\s\0]+$/, '');
}

export function parseApplicationFci(fci: BerTlv): ApplicationFci {
  const df = child(fci, 0x84);
  const a5 = child(fci, 0xa5);
  if (!df || df.value.length < 5 || df.value.length > 16) throw new CardError('BAD_CARD_DATA', 'application FCI: DF name (84) missing or not 5-16 bytes');
  const label = child(a5, 0x50);
  const prio = child(a5, 0x87);
  const ct = child(a5, 0x9f11);
  const codeTableIndex = ct && ct.value.length === 1 && ct.value[0]! >= 1 && ct.value[0]! <= 16 ? ct.value[0]! : null;
  const pref = child(a5, 0x9f12);
  const pdol = child(a5, 0x9f38);
  const bf0c = child(a5, 0xbf0c);
  const log = child(bf0c, 0x9f4d);
  if (log && log.value.length !== 2) throw new CardError('BAD_CARD_DATA', 'log entry (9F4D) must be 2 bytes');
  const logSfi = log ? sfiOf({ ...log, value: log.value.subarray(0, 1) }, 'log entry (9F4D)') : null;
  const known = new Set([0x50, 0x87, 0x9f11, 0x9f12, 0x9f38, 0x5f2d, 0xbf0c]);
  return {
    aid: toHex(df.value),
    label: label ? decodeText(label.value, 'application label (50)') : null,
    preferredName: pref ? decodePreferredName(pref.value, codeTableIndex) : null,
    codeTableIndex,
    languages: languages(child(a5, 0x5f2d)),
    priority: prio && prio.value.length === 1 && (prio.value[0]! & 0x0f) !== 0 ? prio.value[0]! & 0x0f : null,
    pdol: pdol ? pdol.value : null,
    logEntry: log && logSfi !== null ? { sfi: logSfi, count: log.value[1]! } : null,
    others: [...(a5?.children ?? []).filter((c) => !known.has(c.tag)), ...(bf0c?.children ?? []).filter((c) => c.tag !== 0x9f4d)],
  };
}

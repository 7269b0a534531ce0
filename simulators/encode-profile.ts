import { encodeCn } from '../src/core/bcd.js';
import { encodeAn, encodeGbk, splitGbk } from '../src/core/gbk.js';
import { fromHex } from '../src/core/hex.js';
import { encodeSimpleTlv } from '../src/core/simple-tlv.js';
import type { FileSpec, RecordSpec, SsseSpec } from '../src/specs/spec-schemas.js';
import type { CardProfile, Generation } from './profile-schema.js';

/**
 * Turns a profile's human values into the records and bodies of the SSSE files, driven by the
 * spec table `apdu-specs/ssse.json` (docs/reference/card-spec.md §2): each record is simple-TLV `tag len value`
 * with the value exactly the item's length; `cn` = nibbles left-aligned, F-padded (dates
 * YYYYMMDD, `FF` = all padding); `an` / `an-gbk` = GBK, 00-padded. The name is split by GBK
 * bytes over `name` (09) and, from 2.0, `nameExtension` (4E). Nothing is thrown: problems come
 * back as issues with the profile path, for the schema to report (so this must cope with values
 * that already failed a format check).
 */

export interface ProfileIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

export interface EncodedProfile {
  /** Record contents (tag ‖ len ‖ value) of each record EF, by spec file id, in record order. */
  readonly records: Map<string, Uint8Array[]>;
  /** Bodies of the transparent EFs (spec size, 00 beyond the profile's content), by file id. */
  readonly bodies: Map<string, Uint8Array>;
  readonly issues: ProfileIssue[];
}

type ProfileData = Pick<CardProfile, 'generation' | 'card' | 'holder' | 'raw' | 'transparent'>;

/** Items whose value is the name split over two records (docs/reference/card-spec.md §2: 09 continued by 4E). */
const NAME_ITEM = 'name';
const NAME_EXTENSION_ITEM = 'nameExtension';

/** Whether a record of the spec exists on a card of this generation. */
export function inLayout(record: RecordSpec, generation: Generation): boolean {
  return record.sinceVersion === undefined || record.sinceVersion <= generation;
}

export function encodeProfile(profile: ProfileData, ssse: SsseSpec): EncodedProfile {
  const issues: ProfileIssue[] = [];
  const records = new Map<string, Uint8Array[]>();
  const bodies = new Map<string, Uint8Array>();
  const layout = ssse.files.flatMap((f) => f.records.filter((r) => inLayout(r, profile.generation)));
  const names = splitName(profile, layout, issues);

  for (const file of ssse.files) {
    if (file.structure === 'records') records.set(file.id, encodeRecords(file, profile, names, issues));
    else bodies.set(file.id, transparentBody(file, profile, issues));
  }
  for (const tag of Object.keys(profile.raw ?? {})) {
    if (!layout.some((r) => r.tag === tag)) issues.push({ path: ['raw', tag], message: `no record with tag ${tag} on a ${profile.generation} card` });
  }
  for (const id of Object.keys(profile.transparent ?? {})) {
    if (!ssse.files.some((f) => f.id === id && f.structure === 'transparent')) {
      issues.push({ path: ['transparent', id], message: `${id} is not a transparent EF of the spec` });
    }
  }
  return { records, bodies, issues };
}

function encodeRecords(file: FileSpec, profile: ProfileData, names: Map<string, string>, issues: ProfileIssue[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const record of [...file.records].sort((a, b) => a.number - b.number)) {
    if (!inLayout(record, profile.generation)) continue;
    const tag = parseInt(record.tag, 16);
    const raw = profile.raw?.[record.tag];
    if (raw !== undefined) {
      const bytes = hexOrIssue(raw, ['raw', record.tag], issues);
      if (bytes) out.push(encodeSimpleTlv(tag, bytes));
      continue;
    }
    const { path, text } = humanValue(record, profile, names);
    if (text === undefined) {
      issues.push({ path, message: `no value for ${record.item} (${record.label}, tag ${record.tag})` });
      continue;
    }
    try {
      out.push(encodeSimpleTlv(tag, encodeItem(record, text)));
    } catch (e) {
      issues.push({ path, message: `does not fit ${record.format} ${record.length} (tag ${record.tag}): ${(e as Error).message}` });
    }
  }
  return out;
}

/** The profile entry that holds an item: `card.<item>` or `holder.<item>` (name parts from the split). */
function humanValue(record: RecordSpec, profile: ProfileData, names: Map<string, string>): { path: string[]; text: string | undefined } {
  if (names.has(record.item)) return { path: ['holder', NAME_ITEM], text: names.get(record.item) };
  for (const section of ['card', 'holder'] as const) {
    const values = profile[section] as Record<string, string | undefined>;
    if (record.item in values) return { path: [section, record.item], text: values[record.item] };
  }
  return { path: [record.item], text: undefined };
}

/** Encodes one item value to exactly `record.length` bytes (docs/reference/card-spec.md §2 formats). */
export function encodeItem(record: RecordSpec, text: string): Uint8Array {
  if (record.format !== 'cn') return encodeAn(text, record.length);
  const nibbles = text.replace(/-/g, '');
  if (/^F*$/.test(nibbles)) return encodeCn('', record.length); // e.g. ethnic group FF: all padding
  // A value that fills every nibble needs no padding, so F is data there (card id code, docs/reference/card-spec.md §4).
  if (nibbles.length === record.length * 2 && /^[0-9A-F]+$/.test(nibbles)) return fromHex(nibbles);
  return encodeCn(nibbles, record.length);
}

/** Splits the GBK name over 09 and (from 2.0) 4E; a name that does not fit is an issue. */
function splitName(profile: ProfileData, layout: RecordSpec[], issues: ProfileIssue[]): Map<string, string> {
  const out = new Map<string, string>();
  const nameRecord = layout.find((r) => r.item === NAME_ITEM);
  if (!nameRecord) return out;
  // After a problem, both parts are left empty so the one issue is not reported again per record.
  const failed = new Map([[NAME_ITEM, ''], [NAME_EXTENSION_ITEM, '']]);
  const extension = layout.find((r) => r.item === NAME_EXTENSION_ITEM);
  const path = ['holder', NAME_ITEM];
  let total: number;
  try {
    total = encodeGbk(profile.holder.name).length;
  } catch (e) {
    issues.push({ path, message: (e as Error).message });
    return failed;
  }
  const room = nameRecord.length + (extension?.length ?? 0);
  if (total > room) {
    const why = extension
      ? `${nameRecord.length} + ${extension.length} bytes (tags ${nameRecord.tag} + ${extension.tag})`
      : `${nameRecord.length} bytes (tag ${nameRecord.tag}; a ${profile.generation} card has no name extension)`;
    issues.push({ path, message: `name of ${total} GBK bytes does not fit ${why}` });
    return failed;
  }
  const [head, tail] = splitGbk(profile.holder.name, nameRecord.length);
  out.set(NAME_ITEM, head);
  if (extension) out.set(NAME_EXTENSION_ITEM, tail);
  return out;
}

function transparentBody(file: FileSpec, profile: ProfileData, issues: ProfileIssue[]): Uint8Array {
  const body = new Uint8Array(file.size ?? 0);
  const content = profile.transparent?.[file.id];
  if (content === undefined) return body;
  const bytes = hexOrIssue(content, ['transparent', file.id], issues);
  if (!bytes) return body;
  if (bytes.length > body.length) {
    issues.push({ path: ['transparent', file.id], message: `${bytes.length} bytes do not fit ${file.id} of ${body.length} bytes` });
    return body;
  }
  body.set(bytes);
  return body;
}

/** Profile hex (the schema reports bad hex too: refinements still run after format issues). */
function hexOrIssue(hex: string, path: string[], issues: ProfileIssue[]): Uint8Array | undefined {
  try {
    return fromHex(hex);
  } catch (e) {
    issues.push({ path, message: (e as Error).message });
    return undefined;
  }
}

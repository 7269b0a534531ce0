import { checkSsn, ssnBirthDate, ssnSexCode } from '../cards/social-security/ssn-check.js';
import { CodecError } from '../core/codec-error.js';
import { encodeGbk } from '../core/gbk.js';
import type { Specs } from '../specs/load-specs.js';
import type { CellValue, RosterField, RosterFinding, RosterRule } from './roster-model.js';

/** A roster row as text per field (only the fields the header has). */
export type RosterRow = Partial<Record<RosterField, CellValue>>;

/** What the row checks need from the spec tables, prepared once per roster. */
export interface RowCheckContext {
  /** GBK bytes of the name record 09 and of its extension 4E (card-spec §2: 30 and 20). */
  readonly nameBytes: number;
  readonly nameExtensionBytes: number;
  /** GB 3304 code by code and by name (`汉族`, `汉`). */
  readonly ethnicByCode: ReadonlySet<string>;
  readonly ethnicCodeByName: ReadonlyMap<string, string>;
  /** Address limit in characters (business-rules: 24 Chinese characters). */
  readonly addressChars: number;
}

export const ADDRESS_MAX_CHARS = 24;

export function rowCheckContext(specs: Pick<Specs, 'ssse' | 'ethnicGroups'>): RowCheckContext {
  const ef06 = specs.ssse.files.find((f) => f.id === 'EF06');
  const len = (item: string) => ef06?.records.find((r) => r.item === item)?.length ?? 0;
  const byName = new Map<string, string>();
  for (const g of specs.ethnicGroups) {
    byName.set(g.name, g.code);
    byName.set(g.name.replace(/族$/, ''), g.code);
  }
  return {
    nameBytes: len('name'),
    nameExtensionBytes: len('nameExtension'),
    ethnicByCode: new Set(specs.ethnicGroups.map((g) => g.code)),
    ethnicCodeByName: byName,
    addressChars: ADDRESS_MAX_CHARS,
  };
}

/**
 * The per-row checks of a collection (docs/collect.md "Roster checks"), reusing the card's own
 * checks: the ID number's MOD 11-2 check character and embedded birth date (ssn-check.ts), GBK
 * encoding (core/gbk.ts), GB 3304 codes (apdu-specs/ethnic-groups.json). Duplicates and photos
 * need more than one row or a file and are checked by the caller.
 */
export function checkRosterRow(rowNumber: number, row: RosterRow, ctx: RowCheckContext): RosterFinding[] {
  const out: RosterFinding[] = [];
  const add = (rule: RosterRule, field: RosterField, message: string, severity: 'error' | 'warning' = 'error') =>
    out.push({ row: rowNumber, rule, severity, field, message });

  const name = text(row.name);
  if (!name) add('name-missing', 'name', 'name is empty');
  else {
    let bytes: number | undefined;
    try {
      bytes = encodeGbk(name).length;
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      add('name-not-gbk', 'name', `name "${name}" has characters GBK cannot encode (the card stores names in GBK)`);
    }
    if (bytes !== undefined && bytes > ctx.nameBytes + ctx.nameExtensionBytes) {
      add('name-too-long', 'name', `name is ${bytes} GBK bytes: more than the card's ${ctx.nameBytes} + ${ctx.nameExtensionBytes} (name + extension 4E)`);
    } else if (bytes !== undefined && bytes > ctx.nameBytes) {
      add('name-needs-extension', 'name', `name is ${bytes} GBK bytes, over ${ctx.nameBytes}: the rest goes into the name extension (4E, 2.0+ cards only)`, 'warning');
    }
  }

  const ssn = text(row.ssn).toUpperCase();
  let ssnOk = false;
  if (!ssn) add('ssn-missing', 'ssn', 'ID number is empty');
  else if (typeof row.ssn === 'number') {
    // A spreadsheet number holds 15-16 significant digits: an 18-digit ID stored as one has lost
    // its last digits (and an X cannot be stored at all).
    add('ssn-format', 'ssn', `ID number stored as a number (${ssn}): the spreadsheet has lost digits; format the column as text and enter it again`);
  } else {
    const verdict = checkSsn(ssn);
    if (verdict === 'malformed') add('ssn-format', 'ssn', `ID number "${ssn}" is not 17 digits and a check character`);
    else if (verdict === 'bad-check-character') add('ssn-check-digit', 'ssn', `ID number "${ssn}" has a wrong check character (MOD 11-2)`);
    else ssnOk = true;
  }

  if (row.birthDate !== undefined) {
    const raw = row.birthDate;
    const date = isoDate(raw);
    if (raw !== null && text(raw) !== '' && !date) add('birth-date-format', 'birthDate', `birth date "${text(raw)}" is not a date (YYYY-MM-DD or YYYYMMDD)`);
    const embedded = ssnOk ? ssnBirthDate(ssn) : undefined;
    if (date && embedded && date !== embedded) add('birth-date-mismatch', 'birthDate', `birth date ${date} differs from ${embedded} in the ID number`);
  }

  if (row.sex !== undefined && text(row.sex) !== '') {
    const code = sexCode(text(row.sex));
    if (!code) add('sex-unknown', 'sex', `sex "${text(row.sex)}" is not 男/女/1/2/9/0`);
    else if (ssnOk && (code === '1' || code === '2') && code !== ssnSexCode(ssn)) {
      add('sex-mismatch', 'sex', `sex ${code === '1' ? '男 (1)' : '女 (2)'} differs from the ID number (17th digit ${ssn[16]})`);
    }
  }

  if (row.ethnicGroup !== undefined && text(row.ethnicGroup) !== '') {
    const v = text(row.ethnicGroup);
    const code = /^[0-9]{1,2}$/.test(v) ? v.padStart(2, '0') : ctx.ethnicCodeByName.get(v);
    if (!code || !ctx.ethnicByCode.has(code)) add('ethnic-group-unknown', 'ethnicGroup', `ethnic group "${v}" is not a GB 3304 code or name`);
  }

  const address = text(row.address);
  const chars = [...address].length;
  if (chars > ctx.addressChars) add('address-too-long', 'address', `address has ${chars} characters, the card holds ${ctx.addressChars}`);
  return out;
}

/** Sex as the card codes it (card-spec §2): 1 male, 2 female, 9 unstated, 0 unknown. */
export function sexCode(v: string): '0' | '1' | '2' | '9' | undefined {
  const s = v.trim().toLowerCase();
  if (s === '1' || s === '男' || s === 'm' || s === 'male') return '1';
  if (s === '2' || s === '女' || s === 'f' || s === 'female') return '2';
  if (s === '9' || s === '未说明') return '9';
  if (s === '0' || s === '未知') return '0';
  return undefined;
}

export function text(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return isoFromDate(v) ?? '';
  return String(v).trim();
}

/** YYYY-MM-DD from a date cell or text `YYYY-MM-DD`, `YYYY/M/D`, `YYYY.MM.DD`, `YYYYMMDD`, `YYYY年M月D日`. */
export function isoDate(v: CellValue): string | undefined {
  if (v === null) return undefined;
  if (v instanceof Date) return isoFromDate(v);
  const s = String(v).trim();
  const m = /^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?$/.exec(s) ?? /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return undefined;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function isoFromDate(d: Date): string | undefined {
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().slice(0, 10);
}

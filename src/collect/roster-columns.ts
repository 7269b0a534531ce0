import { CollectError } from './collect-error.js';
import { ROSTER_FIELDS, type RosterField } from './roster-model.js';

/**
 * Header names recognised for each field, Chinese first (the forms issuers hand out use these),
 * compared after `normalizeHeader`. A column map given by the user replaces the lookup for the
 * fields it names (docs/collect.md "Roster columns").
 */
export const HEADER_ALIASES: Readonly<Record<RosterField, readonly string[]>> = {
  name: ['姓名', '名字', '参保人姓名', 'name', 'fullname'],
  ssn: ['公民身份号码', '身份证号码', '身份证号', '社会保障号码', '社会保障号', '社保号', '证件号码', '证件号', 'idnumber', 'id', 'ssn'],
  sex: ['性别', 'sex', 'gender'],
  ethnicGroup: ['民族', 'ethnicgroup', 'ethnic', 'nation', 'nationality'],
  birthDate: ['出生日期', '出生年月日', '出生年月', 'birthdate', 'birthday', 'dob'],
  phone: ['联系电话', '手机号码', '手机号', '电话号码', '电话', 'phone', 'mobile', 'tel'],
  address: ['通讯地址', '联系地址', '常住地址', '户籍地址', '住址', '地址', 'address'],
};

/** Fields without which a row cannot be checked at all. */
export const REQUIRED_FIELDS: readonly RosterField[] = ['name', 'ssn'];

/** Column index (0-based) of each field found. */
export type ColumnIndex = Partial<Record<RosterField, number>>;

/** Lower-case, without spaces, underscores, dashes, '*' (required markers) and bracketed notes. */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[(（][^)）]*[)）]/g, '')
    .replace(/[\s_\-*:：]/g, '')
    .toLowerCase();
}

/**
 * Parses a column map `field=header,field=header` (e.g. `ssn=身份号,name=员工姓名`); a header may
 * also be a 1-based column number (`ssn=#3`).
 */
export function parseColumnMap(text: string): Partial<Record<RosterField, string>> {
  const out: Partial<Record<RosterField, string>> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const field = part.slice(0, eq).trim() as RosterField;
    const header = part.slice(eq + 1).trim();
    if (eq <= 0 || !header || !ROSTER_FIELDS.includes(field)) {
      throw new CollectError('BAD_CONFIG', `column map entry "${part}": expected FIELD=HEADER with FIELD one of ${ROSTER_FIELDS.join(', ')}`);
    }
    out[field] = header;
  }
  return out;
}

/** Finds the fields' columns in a header row; a required field not found is ROSTER_COLUMNS. */
export function resolveColumns(header: readonly string[], file: string, map: Partial<Record<RosterField, string>> = {}): { index: ColumnIndex; missing: RosterField[] } {
  const normalized = header.map((h) => normalizeHeader(h));
  const index: ColumnIndex = {};
  for (const field of ROSTER_FIELDS) {
    const wanted = map[field];
    if (wanted !== undefined) {
      const byNumber = /^#([0-9]+)$/.exec(wanted);
      const at = byNumber ? Number(byNumber[1]) - 1 : normalized.indexOf(normalizeHeader(wanted));
      if (at < 0 || at >= header.length) throw new CollectError('ROSTER_COLUMNS', `${file}: the header has no column "${wanted}" for ${field} (header: ${header.join(', ')})`, file, 1);
      index[field] = at;
      continue;
    }
    const at = HEADER_ALIASES[field].map((a) => normalized.indexOf(normalizeHeader(a))).find((i) => i >= 0);
    if (at !== undefined) index[field] = at;
  }
  const absent = REQUIRED_FIELDS.filter((f) => index[f] === undefined);
  if (absent.length) {
    throw new CollectError(
      'ROSTER_COLUMNS',
      `${file}: no column for ${absent.join(' and ')} in the header (${header.join(', ')}); name it with --columns, e.g. ${absent[0]}=<header>`,
      file,
      1,
    );
  }
  return { index, missing: ROSTER_FIELDS.filter((f) => index[f] === undefined) };
}

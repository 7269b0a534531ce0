/**
 * Synthetic collection rosters with planted errors at known rows, for the roster-check tests and
 * bench (docs/collect.md). Every person is generated (no real data): valid ID numbers are built
 * with the card's own check-character function; each planted row carries exactly one error.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { ssnCheckCharacter } from '../src/cards/social-security/ssn-check.js';
import type { RosterRule } from '../src/collect/roster-model.js';

export const ROSTER_HEADER = ['序号', '姓名', '公民身份号码', '性别', '民族', '出生日期', '联系电话', '通讯地址'];

export interface PlantedError {
  /** 1-based row in the file (header = row 1). */
  readonly row: number;
  readonly rule: RosterRule;
}

export interface SyntheticRoster {
  readonly rows: string[][];
  readonly planted: PlantedError[];
}

const REGIONS = ['110105', '310104', '440305', '320506', '330106', '510107', '420102', '610113'];
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国志文海燕鹏辉晓东雪梅'];
const STREETS = ['人民路', '解放大道', '中山路', '建设街', '和平里', '长江路', '文化街'];
const ETHNIC = ['汉族', '汉族', '汉族', '汉族', '回族', '满族', '01', '壮族', '03'];

/** Planted error kinds in the order they are used (one every `every` rows, rotating). */
const KINDS: RosterRule[] = [
  'ssn-check-digit',
  'ssn-format',
  'birth-date-mismatch',
  'birth-date-format',
  'sex-mismatch',
  'sex-unknown',
  'ethnic-group-unknown',
  'name-not-gbk',
  'name-needs-extension',
  'name-too-long',
  'name-missing',
  'address-too-long',
  'ssn-duplicate',
  'ssn-missing',
];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `count` data rows; every `every`-th row (from row `every`) carries one planted error. */
export function syntheticRoster(count: number, options: { seed?: number; every?: number } = {}): SyntheticRoster {
  const next = seeded(options.seed ?? 1);
  const every = options.every ?? 37;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const rows: string[][] = [];
  const planted: PlantedError[] = [];
  let serial = 0;
  let kind = 0;
  for (let i = 1; i <= count; i++) {
    const person = makePerson(next, pick, ++serial);
    const fileRow = i + 1;
    if (i % every === 0 && i > 1) {
      const k = KINDS[kind++ % KINDS.length]!;
      plant(k, person, rows[rows.length - 1]!, next);
      planted.push({ row: fileRow, rule: k });
    }
    rows.push([String(i), person.name, person.ssn, person.sex, person.ethnic, person.birth, person.phone, person.address]);
  }
  return { rows, planted };
}

interface Person {
  name: string;
  ssn: string;
  sex: string;
  ethnic: string;
  birth: string;
  phone: string;
  address: string;
}

function makePerson(next: () => number, pick: <T>(l: readonly T[]) => T, serial: number): Person {
  const region = pick(REGIONS);
  const y = 1950 + Math.floor(next() * 60);
  const m = 1 + Math.floor(next() * 12);
  const d = 1 + Math.floor(next() * 28);
  const date = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
  const male = next() < 0.5;
  // sequence code: 2 digits from the serial, the last digit odd for men, even for women
  const seq = `${String(serial % 100).padStart(2, '0')}${Math.floor(next() * 5) * 2 + (male ? 1 : 0)}`;
  const first17 = `${region}${date}${seq}`;
  const ssn = first17 + ssnCheckCharacter(first17);
  const given = pick(GIVEN) + (next() < 0.6 ? pick(GIVEN) : '');
  return {
    name: pick(SURNAMES) + given,
    ssn,
    sex: next() < 0.5 ? (male ? '男' : '女') : male ? '1' : '2',
    ethnic: pick(ETHNIC),
    birth: next() < 0.5 ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}` : date,
    phone: `1${3 + Math.floor(next() * 6)}${String(Math.floor(next() * 1e9)).padStart(9, '0')}`,
    address: `${pick(STREETS)}${1 + Math.floor(next() * 300)}号${1 + Math.floor(next() * 20)}栋${1 + Math.floor(next() * 30)}0${1 + Math.floor(next() * 4)}室`,
  };
}

function plant(kind: RosterRule, p: Person, previous: string[], next: () => number): void {
  switch (kind) {
    case 'ssn-check-digit': {
      const right = p.ssn[17]!;
      p.ssn = p.ssn.slice(0, 17) + (right === '0' ? '1' : '0');
      break;
    }
    case 'ssn-format':
      p.ssn = p.ssn.slice(0, 17);
      break;
    case 'birth-date-mismatch': {
      const y = Number(p.ssn.slice(6, 10)) + 1;
      p.birth = `${y}-${p.ssn.slice(10, 12)}-${p.ssn.slice(12, 14)}`;
      break;
    }
    case 'birth-date-format':
      p.birth = `${p.ssn.slice(6, 10)}-13-${p.ssn.slice(12, 14)}`;
      break;
    case 'sex-mismatch':
      p.sex = Number(p.ssn[16]) % 2 === 1 ? '女' : '男';
      break;
    case 'sex-unknown':
      p.sex = '不详男';
      break;
    case 'ethnic-group-unknown':
      p.ethnic = '火星族';
      break;
    case 'name-not-gbk':
      p.name = `${p.name}😀`;
      break;
    case 'name-needs-extension':
      p.name = '艾合买提江·阿不都热合曼·吐尔逊'; // 31 GBK bytes: 09 holds 30
      break;
    case 'name-too-long':
      p.name = '阿'.repeat(26); // 52 GBK bytes > 30 + 20
      break;
    case 'name-missing':
      p.name = '';
      break;
    case 'address-too-long':
      p.address = '某某省某某市某某区某某街道某某社区某某路某某号某某栋';
      break;
    case 'ssn-duplicate':
      // the previous person again (consistent data: only the duplicate is wrong)
      [, p.name, p.ssn, p.sex, p.ethnic, p.birth, p.phone, p.address] = previous as [string, string, string, string, string, string, string, string];
      break;
    case 'ssn-missing':
      p.ssn = '';
      break;
    default:
      throw new Error(`no planting for ${kind} (${next()})`);
  }
}

/** Writes the roster as CSV, UTF-8 (with BOM, as Excel saves it) or GBK. */
export async function writeRosterCsv(path: string, roster: SyntheticRoster, encoding: 'utf-8' | 'gbk' = 'utf-8'): Promise<void> {
  const out = createWriteStream(path);
  const quote = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const write = async (text: string) => {
    if (!out.write(encoding === 'gbk' ? iconv.encode(text, 'gbk') : text)) await once(out, 'drain');
  };
  if (encoding === 'utf-8') await write('\uFEFF');
  await write(`${ROSTER_HEADER.join(',')}\r\n`);
  for (const r of roster.rows) await write(`${r.map(quote).join(',')}\r\n`);
  out.end();
  await once(out, 'close');
}

/** Writes the roster as an XLSX workbook (exceljs streaming writer); the ID column as text. */
export async function writeRosterXlsx(path: string, roster: SyntheticRoster): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('花名册');
  ws.addRow(ROSTER_HEADER).commit();
  for (const r of roster.rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}

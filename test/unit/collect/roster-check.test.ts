import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkRoster } from '../../../src/collect/check-roster.js';
import { parseColumnMap } from '../../../src/collect/roster-columns.js';
import { xlsxReportSink } from '../../../src/collect/roster-report-xlsx.js';
import { SYNTHETIC_COLLECTION_PHOTO, syntheticPhoto } from '../../../src/collect/synthetic-photo.js';
import { syntheticRoster, writeRosterCsv, writeRosterXlsx, type PlantedError } from '../../../bench/roster-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'sscard-roster-'));
const keyed = (xs: readonly { row: number; rule: string }[]) => xs.map((x) => `${x.row}:${x.rule}`).sort();

describe('roster check: generated rosters with planted errors', () => {
  it('10,000 rows (CSV, UTF-8): exactly the planted errors, each on its row', async () => {
    const roster = syntheticRoster(10_000, { seed: 7 });
    const path = join(dir, 'r10k.csv');
    await writeRosterCsv(path, roster);
    let progressCalls = 0;
    const r = await checkRoster(path, { onProgress: () => progressCalls++ });
    expect(r.summary.rows).toBe(10_000);
    expect(r.summary.encoding).toBe('utf-8');
    expect(roster.planted.length).toBeGreaterThan(250);
    expect(keyed(r.findings)).toEqual(keyed(roster.planted));
    expect(new Set(roster.planted.map((p) => p.rule)).size).toBe(14); // every kind planted
    expect(r.summary.rowsWithWarnings).toBe(roster.planted.filter((p) => p.rule === 'name-needs-extension').length);
    expect(r.summary.rowsWithErrors).toBe(roster.planted.length - r.summary.rowsWithWarnings);
    expect(progressCalls).toBe(10_000);
  });

  it('XLSX (exceljs streaming) gives the same findings, and the annotated report marks each planted row', async () => {
    const roster = syntheticRoster(1500, { seed: 8 });
    const path = join(dir, 'r.xlsx');
    const out = join(dir, 'r-report.xlsx');
    await writeRosterXlsx(path, roster);
    const r = await checkRoster(path, { report: xlsxReportSink(out) });
    expect(r.summary.format).toBe('xlsx');
    expect(keyed(r.findings)).toEqual(keyed(roster.planted));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(9).value).toBe('核查结果 result');
    const planted = roster.planted[0]!;
    expect(String(sheet.getRow(planted.row).getCell(10).value)).toContain(planted.rule);
    expect(sheet.getRow(2).getCell(9).value).toBe('OK');
    expect(sheet.getRow(planted.row).getCell(2).value).toBe(roster.rows[planted.row - 2]![1]);
    expect(wb.worksheets[1]!.name).toBe('汇总 summary');
  });

  it('a CSV saved in GBK is detected and decoded (names compared as text)', async () => {
    const roster = syntheticRoster(800, { seed: 9 });
    const path = join(dir, 'gbk.csv');
    await writeRosterCsv(path, roster, 'gbk');
    const r = await checkRoster(path);
    expect(r.summary.encoding).toBe('gb18030');
    // GBK cannot carry the planted emoji, so those names arrive GBK-clean: every other error is found
    const expected: PlantedError[] = roster.planted.filter((p) => p.rule !== 'name-not-gbk');
    expect(keyed(r.findings)).toEqual(keyed(expected));
    const text = readFileSync(path);
    expect(text.includes(Buffer.from('姓名'))).toBe(false); // really GBK on disk, not UTF-8
  });
});

describe('roster columns', () => {
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  it('English headers and a column map by header or number', async () => {
    const en = write('en.csv', 'Name,ID Number,Sex\n王小明,110105199003071036,male\n');
    expect((await checkRoster(en)).findings).toEqual([]);
    const odd = write('odd.csv', '员工,号码,性别\n王小明,110105199003071035,2\n');
    await expect(checkRoster(odd)).rejects.toMatchObject({ code: 'ROSTER_COLUMNS', row: 1, message: expect.stringContaining('name and ssn') });
    const r = await checkRoster(odd, { columns: parseColumnMap('name=员工,ssn=#2') });
    expect(keyed(r.findings)).toEqual(['2:sex-mismatch', '2:ssn-check-digit'].filter((x) => x !== '2:sex-mismatch'));
    expect(r.summary.missingColumns).toEqual(['ethnicGroup', 'birthDate', 'phone', 'address']);
    expect(() => parseColumnMap('nom=x')).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }));
  });
  it('headers with notes and required markers (*姓名, 身份证号码（18位）) are recognised', async () => {
    const p = write('notes.csv', '*姓名,身份证号码（18位）,性别,出生日期\n王小明,110105199003071036,女,1990年3月7日\n');
    expect(keyed((await checkRoster(p)).findings)).toEqual(['2:sex-mismatch']);
  });
});

describe('XLSX cells', () => {
  it('a date cell is a date; an ID stored as a number (digits lost) is ssn-format with the reason', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['姓名', '身份证号', '出生日期']);
    ws.addRow(['王小明', '110105199003071036', new Date(Date.UTC(1990, 2, 7))]);
    ws.addRow(['李四', 110105199003071036, new Date(Date.UTC(1990, 2, 8))]);
    const path = join(dir, 'cells.xlsx');
    await wb.xlsx.writeFile(path);
    const r = await checkRoster(path);
    expect(keyed(r.findings)).toEqual(['3:ssn-format']);
    expect(r.findings[0]!.message).toMatch(/stored as a number/);
  });
});

describe('roster photos (named after the ID number)', () => {
  it('present and conforming, missing, grey, not an image, too large, PNG renamed: each a finding of its row', async () => {
    const photos = join(dir, 'photos');
    mkdirSync(photos, { recursive: true });
    const ids = ['110105199003071036', '440305200102151026', '65010219850612105X', '330106197709201021', '520102196211051017', '111111198101011110'];
    writeFileSync(join(photos, `${ids[0]}.jpg`), await syntheticPhoto({ seed: 1, ...SYNTHETIC_COLLECTION_PHOTO }));
    writeFileSync(join(photos, `${ids[2]}.jpg`), await syntheticPhoto({ seed: 2, ...SYNTHETIC_COLLECTION_PHOTO, colour: 'grey' }));
    writeFileSync(join(photos, `${ids[3]}.JPG`), 'not a photo');
    const fd = openSync(join(photos, `${ids[4]}.jpg`), 'w');
    writeSync(fd, Uint8Array.of(0xff, 0xd8));
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    writeFileSync(join(photos, `${ids[5]}.jpg`), await syntheticPhoto({ seed: 3, ...SYNTHETIC_COLLECTION_PHOTO, format: 'png' }));
    const roster = join(dir, 'photos.csv');
    writeFileSync(roster, `姓名,公民身份号码\n${ids.map((id, i) => `人${i},${id}`).join('\n')}\n`);
    const r = await checkRoster(roster, { photosDir: photos });
    const rows = r.findings.map((f) => `${f.row}:${f.rule}${f.photoRule ? `/${f.photoRule}` : ''}`);
    expect(rows).toEqual(['3:photo-missing', '4:photo-rule/colour', '5:photo-unreadable', '6:photo-unreadable', '7:photo-rule/format']);
    expect(r.findings.find((f) => f.row === 5)!.message).toMatch(/NOT_AN_IMAGE/);
    expect(r.findings.find((f) => f.row === 6)!.message).toMatch(/FILE_TOO_LARGE/);
    expect(r.summary.photosChecked).toBe(5);
  });
  it('a photos folder that does not exist: FILE_UNREADABLE naming it', async () => {
    const roster = join(dir, 'one.csv');
    writeFileSync(roster, '姓名,公民身份号码\n王小明,110105199003071036\n');
    await expect(checkRoster(roster, { photosDir: join(dir, 'nope') })).rejects.toMatchObject({ code: 'FILE_UNREADABLE', file: join(dir, 'nope') });
  });
});

describe('roster check: bad input is a typed error naming the file (never a crash)', () => {
  it('corrupt XLSX: random bytes, and a real workbook cut in half', async () => {
    const junk = join(dir, 'junk.xlsx');
    writeFileSync(junk, Buffer.from('PK\u0003\u0004 this is not really a zip file at all'.repeat(50)));
    await expect(checkRoster(junk)).rejects.toMatchObject({ code: 'ROSTER_CORRUPT', file: junk });
    const good = join(dir, 'good.xlsx');
    await writeRosterXlsx(good, syntheticRoster(300));
    const cut = join(dir, 'cut.xlsx');
    const bytes = readFileSync(good);
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    await expect(checkRoster(cut)).rejects.toMatchObject({ code: 'ROSTER_CORRUPT', file: cut });
  });
  it('a 50 MB file: binary .csv is ROSTER_NOT_TEXT, junk .xlsx is ROSTER_CORRUPT', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) & 0xff;
    const csv = join(dir, 'big.csv');
    writeFileSync(csv, big);
    await expect(checkRoster(csv)).rejects.toMatchObject({ code: 'ROSTER_NOT_TEXT', file: csv });
    const xlsx = join(dir, 'big.xlsx');
    writeFileSync(xlsx, big);
    await expect(checkRoster(xlsx)).rejects.toMatchObject({ code: 'ROSTER_CORRUPT', file: xlsx });
  });
  it('UTF-8 that turns invalid after the sample, broken CSV quoting, unknown extension, missing file, empty file', async () => {
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(mixed, Buffer.concat([Buffer.from('姓名,公民身份号码\n' + '王小明,110105199003071036\n'.repeat(4000)), Buffer.from([0xc4, 0xe3, 0x2c, 0x31, 0x0a])]));
    await expect(checkRoster(mixed)).rejects.toMatchObject({ code: 'ROSTER_NOT_TEXT', file: mixed });
    const quotes = join(dir, 'quotes.csv');
    writeFileSync(quotes, '姓名,公民身份号码\n"王小明,110105199003071036\n');
    await expect(checkRoster(quotes)).rejects.toMatchObject({ code: 'ROSTER_CORRUPT', file: quotes });
    await expect(checkRoster(join(dir, 'r.xls'))).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    const xls = join(dir, 'old.xls');
    writeFileSync(xls, 'x');
    await expect(checkRoster(xls)).rejects.toMatchObject({ code: 'ROSTER_FORMAT' });
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    await expect(checkRoster(empty)).rejects.toMatchObject({ code: 'ROSTER_COLUMNS' });
  });
  it('a report path that cannot be written: REPORT_UNWRITABLE', async () => {
    const roster = join(dir, 'one2.csv');
    writeFileSync(roster, '姓名,公民身份号码\n王小明,110105199003071036\n');
    const bad = join(dir, 'no', 'such', 'dir', 'r.xlsx');
    expect(() => xlsxReportSink(bad)).toThrow(expect.objectContaining({ code: 'REPORT_UNWRITABLE', file: bad, message: expect.stringContaining('ENOENT') }));
    expect((await checkRoster(roster)).summary.rows).toBe(1); // nothing left half-done
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { syntheticRoster, writeRosterCsv } from '../../../bench/roster-fixture.js';
import { runCli } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sscard-cli-collect-'));

describe('sscard collect check', () => {
  it('table, --json and --report; exit 1 when a row has an error; progress bar only when asked (stderr not a TTY)', async () => {
    const roster = syntheticRoster(200, { seed: 4, every: 20 });
    const path = join(dir, 'r.csv');
    await writeRosterCsv(path, roster);
    const table = runCli(['collect', 'check', path]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/rows with errors\s+\d+/);
    expect(table.stdout).toContain(roster.planted[0]!.rule);
    expect(table.stderr).toBe('');

    const report = join(dir, 'r-report.xlsx');
    const json = runCli(['collect', 'check', path, '--json', '--report', report, '--progress']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { summary: { rows: number }; findings: { row: number; rule: string }[] };
    expect(parsed.summary.rows).toBe(200);
    expect(parsed.findings.map((f) => `${f.row}:${f.rule}`).sort()).toEqual(roster.planted.map((p) => `${p.row}:${p.rule}`).sort());
    expect(json.stderr).toMatch(/\[#+\] 100%\s+200 rows/);
    expect(json.stderr).toContain(`report written to ${report}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(report);
    expect(wb.worksheets[0]!.rowCount).toBe(201);
  });

  it('a clean roster exits 0; a warning alone (long name) exits 0', () => {
    const p = join(dir, 'clean.csv');
    writeFileSync(p, '姓名,公民身份号码,性别\n艾合买提江·阿不都热合曼·吐尔逊,110105199003071036,男\n');
    const r = runCli(['collect', 'check', p]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('name-needs-extension');
  });

  it('bad input: missing file, corrupt XLSX, bad --columns, bad --size-band: exit 2 with the typed code', { timeout: 60_000 }, () => {
    expect(runCli(['collect', 'check', join(dir, 'none.csv')])).toMatchObject({ code: 2, stderr: expect.stringContaining('FILE_UNREADABLE') });
    const junk = join(dir, 'junk.xlsx');
    writeFileSync(junk, 'not a zip');
    expect(runCli(['collect', 'check', junk])).toMatchObject({ code: 2, stderr: expect.stringContaining('ROSTER_CORRUPT') });
    const p = join(dir, 'c.csv');
    writeFileSync(p, '姓名,公民身份号码\n王小明,110105199003071036\n');
    expect(runCli(['collect', 'check', p, '--columns', 'foo=bar'])).toMatchObject({ code: 2, stderr: expect.stringContaining('BAD_CONFIG') });
    expect(runCli(['collect', 'check', p, '--size-band', 'huge'])).toMatchObject({ code: 2, stderr: expect.stringContaining('BAD_CONFIG') });
    expect(runCli(['collect', 'check', p, '--min-background-luma', '300'])).toMatchObject({ code: 2, stderr: expect.stringContaining('BAD_ARGUMENT') });
  });
});

describe('sscard collect photo', () => {
  it('a profile photo passes with the chip band and fails the national band (file-size); a non-image exits 2', () => {
    const photo = join(import.meta.dirname, '..', '..', '..', 'simulators', 'profiles', 'photos', 'demo.jpg');
    expect(runCli(['collect', 'photo', photo, '--size-band', 'chip'])).toMatchObject({ code: 0, stdout: expect.stringContaining('conforms') });
    const r = runCli(['collect', 'photo', photo, '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { failures: { rule: string }[] }[])[0]!.failures.map((f) => f.rule)).toEqual(['file-size']);
    const txt = join(dir, 'x.jpg');
    writeFileSync(txt, 'hello');
    expect(runCli(['collect', 'photo', txt])).toMatchObject({ code: 2, stderr: expect.stringContaining('NOT_AN_IMAGE') });
  });
});

import { createWriteStream, openSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { CollectError } from './collect-error.js';
import type { CellValue, RosterFinding, RosterSummary } from './roster-model.js';

/** Where the roster check writes each row as it goes (rows are not kept in memory). */
export interface RosterReportSink {
  header(cells: readonly CellValue[]): void;
  row(row: number, cells: readonly CellValue[], findings: readonly RosterFinding[]): void;
  finish(summary: RosterSummary): Promise<void>;
  /** Stops writing after an error; the partial file is removed by the caller if it wants. */
  abort(): Promise<void>;
}

const RED = 'FFFFC7CE';
const YELLOW = 'FFFFEB9C';
const GREEN = 'FFC6EFCE';

/**
 * The annotated report a clerk opens (docs/collect.md "Outputs"): the roster's own columns, then
 * 核查结果 (OK / 警告 / 错误) with a coloured fill and 问题说明 listing each finding as
 * `rule: message`; a second sheet 汇总 with the counts. Written with exceljs's streaming writer,
 * one committed row at a time.
 */
export function xlsxReportSink(filename: string): RosterReportSink {
  const unwritable = (e: unknown) =>
    new CollectError('REPORT_UNWRITABLE', `${filename}: cannot write the report: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, filename, undefined, { cause: e });
  // Opened here, synchronously: a path that cannot be written fails before the roster is read.
  let fd: number;
  try {
    fd = openSync(filename, 'w');
  } catch (e) {
    throw unwritable(e);
  }
  const stream = createWriteStream('', { fd });
  // A later write error (disk full) fails finish(): exceljs alone would wait for ever.
  const failed = new Promise<never>((_, reject) => stream.once('error', (e) => reject(unwritable(e))));
  failed.catch(() => undefined);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('核查结果', { views: [{ state: 'frozen', ySplit: 1 }] });
  let width = 0;
  const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
  return {
    header(cells) {
      width = cells.length;
      const r = sheet.addRow([...cells, '核查结果 result', '问题说明 findings']);
      r.font = { bold: true };
      r.commit();
    },
    row(_row, cells, findings) {
      const padded = [...cells, ...Array(Math.max(0, width - cells.length)).fill(null)].slice(0, Math.max(width, cells.length));
      const errors = findings.some((f) => f.severity === 'error');
      const verdict = findings.length === 0 ? 'OK' : errors ? '错误 error' : '警告 warning';
      const notes = findings.map((f) => `${f.rule}${f.photoRule ? `/${f.photoRule}` : ''}: ${f.message}`).join('\n');
      const r = sheet.addRow([...padded, verdict, notes]);
      const result = r.getCell(padded.length + 1);
      result.fill = fill(findings.length === 0 ? GREEN : errors ? RED : YELLOW);
      if (notes) r.getCell(padded.length + 2).alignment = { wrapText: true, vertical: 'top' };
      r.commit();
    },
    async finish(summary) {
      sheet.commit();
      const s = workbook.addWorksheet('汇总 summary');
      s.addRow(['文件 file', summary.file]).commit();
      s.addRow(['行数 rows', summary.rows]).commit();
      s.addRow(['有错误的行 rows with errors', summary.rowsWithErrors]).commit();
      s.addRow(['有警告的行 rows with warnings', summary.rowsWithWarnings]).commit();
      s.addRow(['检查的照片 photos checked', summary.photosChecked]).commit();
      if (summary.missingColumns.length) s.addRow(['缺少的列 missing columns', summary.missingColumns.join(', ')]).commit();
      for (const [rule, n] of Object.entries(summary.byRule)) s.addRow([rule, n]).commit();
      s.commit();
      try {
        await Promise.race([workbook.commit(), failed]);
      } catch (e) {
        throw e instanceof CollectError ? e : unwritable(e);
      }
    },
    async abort() {
      try {
        sheet.commit();
        await Promise.race([workbook.commit(), failed]);
      } catch {
        // already failing: the first error is the one reported
      }
    },
  };
}

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { CollectError } from './collect-error.js';
import { detectTextEncoding } from './detect-text-encoding.js';
import type { CellValue } from './roster-model.js';

/** One line of a roster: its 1-based row number in the file and its cells. */
export interface RawRow {
  readonly row: number;
  readonly cells: readonly CellValue[];
}

export interface RosterRows {
  readonly format: 'csv' | 'xlsx';
  readonly encoding?: string;
  readonly size: number;
  /** Bytes of the file consumed so far (for progress). */
  bytesRead(): number;
  rows(): AsyncIterable<RawRow>;
}

const SAMPLE_BYTES = 64 * 1024;

/**
 * Opens a roster for streaming (rows are never all in memory): `.csv` (UTF-8 or GBK, detected)
 * or `.xlsx` (first worksheet, exceljs streaming reader). Errors are CollectError naming the
 * file and, where known, the row.
 */
export async function openRosterRows(path: string): Promise<RosterRows> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    size = s.size;
  } catch (e) {
    throw new CollectError('FILE_UNREADABLE', `${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, path, undefined, { cause: e });
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return csvRows(path, size);
  if (ext === '.xlsx') return xlsxRows(path, size);
  throw new CollectError('ROSTER_FORMAT', `${path}: a roster is .csv or .xlsx (got "${ext || 'no extension'}"; save .xls as .xlsx)`, path);
}

async function csvRows(path: string, size: number): Promise<RosterRows> {
  const handle = await open(path, 'r');
  const sample = new Uint8Array(Math.min(SAMPLE_BYTES, size));
  try {
    await handle.read(sample, 0, sample.length, 0);
  } finally {
    await handle.close();
  }
  const encoding = detectTextEncoding(sample);
  if (!encoding) throw new CollectError('ROSTER_NOT_TEXT', `${path}: not UTF-8 or GBK text (binary data?): a CSV roster must be text`, path);
  let read = 0;
  return {
    format: 'csv',
    encoding,
    size,
    bytesRead: () => read,
    async *rows() {
      const source = createReadStream(path);
      source.on('data', (chunk) => (read += chunk.length));
      const decoder = encoding === 'utf-8' ? strictUtf8(path) : iconv.decodeStream('gb18030');
      const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: false, info: true });
      source.on('error', (e) => parser.destroy(e));
      decoder.on('error', (e: Error) => parser.destroy(e));
      source.pipe(decoder).pipe(parser);
      try {
        for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
          yield { row: record.info.lines, cells: record.record };
        }
      } catch (e) {
        if (e instanceof CollectError) throw e;
        const line = (e as { lines?: number }).lines;
        throw new CollectError('ROSTER_CORRUPT', `${path}${line ? ` line ${line}` : ''}: ${(e as Error).message}`, path, line, { cause: e });
      } finally {
        source.destroy();
      }
    },
  };
}

/** UTF-8 decoding that fails on a bad byte sequence instead of inventing U+FFFD. */
function strictUtf8(path: string): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        offset += chunk.length;
        done(null, text);
      } catch {
        done(new CollectError('ROSTER_NOT_TEXT', `${path}: invalid UTF-8 near byte ${offset} (the start of the file was UTF-8; is the file mixed?)`, path));
      }
    },
    flush(done: TransformCallback) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new CollectError('ROSTER_NOT_TEXT', `${path}: the file ends inside a UTF-8 character`, path));
      }
    },
  });
}

async function xlsxRows(path: string, size: number): Promise<RosterRows> {
  let read = 0;
  return {
    format: 'xlsx',
    size,
    bytesRead: () => read,
    async *rows() {
      const source = createReadStream(path);
      source.on('data', (chunk) => (read += chunk.length));
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
      let lastRow = 0;
      try {
        for await (const sheet of reader) {
          for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
            lastRow = row.number;
            const values = Array.isArray(row.values) ? row.values.slice(1) : [];
            yield { row: row.number, cells: values.map(cellValue) };
          }
          break; // the roster is the first worksheet
        }
      } catch (e) {
        if (e instanceof CollectError) throw e;
        const where = lastRow ? ` after row ${lastRow}` : '';
        throw new CollectError('ROSTER_CORRUPT', `${path}: not a readable XLSX workbook${where}: ${(e as Error).message}`, path, lastRow || undefined, { cause: e });
      } finally {
        source.destroy();
      }
    },
  };
}

/** exceljs cell values: rich text, formulas, hyperlinks and errors reduced to text, dates kept. */
function cellValue(v: ExcelJS.CellValue | undefined): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { checkRoster } from '../src/collect/check-roster.js';
import { fmt } from './measure.js';
import { syntheticRoster, writeRosterCsv, writeRosterXlsx } from './roster-fixture.js';

const RUNS = 5;

/**
 * Roster check figures (docs/collect.md): rows per second of `checkRoster` on generated rosters
 * with planted errors, against a baseline measured in the same run — the same file only parsed
 * (csv-parse / exceljs streaming reader, no checks) — each repeated RUNS times (median, min-max);
 * and the peak RSS of a fresh process checking 10,000 and 100,000 rows against the same process
 * loading the modules only: if rows are streamed, the peak does not grow with the roster.
 */
export async function benchRoster(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sscard-bench-roster-'));
  try {
    const lines = [
      '## Roster check (collect)',
      '',
      `| file | rows | check rows/s median (min-max of ${RUNS}) | parse-only rows/s median (min-max) | check ÷ parse (time, medians) |`,
      '|---|---|---|---|---|',
    ];
    const csv = join(dir, 'r10k.csv');
    const xlsx = join(dir, 'r10k.xlsx');
    const big = join(dir, 'r100k.csv');
    const r10k = syntheticRoster(10_000);
    await writeRosterCsv(csv, r10k);
    await writeRosterXlsx(xlsx, r10k);
    await writeRosterCsv(big, syntheticRoster(100_000, { seed: 2 }));
    for (const [label, path, parseOnly] of [
      ['CSV UTF-8', csv, parseCsv],
      ['XLSX', xlsx, parseXlsx],
    ] as const) {
      const [check, base] = await interleaved(async () => (await checkRoster(path, { keepFindings: false })).summary.rows, () => parseOnly(path));
      lines.push(
        `| ${label} ${kb(path)} | ${fmt(check.rows, 0)} | ${fmt(check.median, 0)} (${fmt(check.min, 0)}-${fmt(check.max, 0)}) | ${fmt(base.median, 0)} (${fmt(base.min, 0)}-${fmt(base.max, 0)}) | ${fmt(base.median / check.median)} |`,
      );
    }
    const child = fileURLToPath(new URL('./roster-child.js', import.meta.url));
    const peak = (args: string[]) => JSON.parse(execFileSync(process.execPath, [child, ...args], { encoding: 'utf8' })) as { rows: number; maxRssKb: number };
    const baseline = peak([csv, '--baseline']);
    const small = peak([csv]);
    const large = peak([big]);
    lines.push(
      '',
      '| peak RSS of a fresh process | rows | max RSS (MB) | above module load (MB) |',
      '|---|---|---|---|',
      `| modules loaded, nothing read | 0 | ${mb(baseline.maxRssKb)} | 0 |`,
      `| check CSV ${kb(csv)} | ${small.rows} | ${mb(small.maxRssKb)} | ${mb(small.maxRssKb - baseline.maxRssKb)} |`,
      `| check CSV ${kb(big)} | ${large.rows} | ${mb(large.maxRssKb)} | ${mb(large.maxRssKb - baseline.maxRssKb)} |`,
    );
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the two alternately (a, b, a, b, ...) so drift in the machine's load hits both alike. */
async function interleaved(a: () => Promise<number>, b: () => Promise<number>): Promise<[Rates, Rates]> {
  await a(); // warm-up (code paths, GBK tables)
  await b();
  const ra: number[] = [];
  const rb: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    for (const [fn, into] of [[a, ra], [b, rb]] as const) {
      const t0 = process.hrtime.bigint();
      rows = await fn();
      into.push(rows / (Number(process.hrtime.bigint() - t0) / 1e9));
    }
  }
  return [summarize(ra, rows), summarize(rb, rows)];
}

interface Rates {
  rows: number;
  median: number;
  min: number;
  max: number;
}

function summarize(rates: number[], rows: number): Rates {
  rates.sort((x, y) => x - y);
  return { rows, median: rates[Math.floor(rates.length / 2)]!, min: rates[0]!, max: rates[rates.length - 1]! };
}

async function parseCsv(path: string): Promise<number> {
  let n = 0;
  for await (const _ of createReadStream(path).pipe(parse({ bom: true, relax_column_count: true }))) n++;
  return n - 1;
}

async function parseXlsx(path: string): Promise<number> {
  let n = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path), { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  for await (const sheet of reader) {
    for await (const _ of sheet as AsyncIterable<ExcelJS.Row>) n++;
    break;
  }
  return n - 1;
}

const kb = (p: string) => `${Math.round(statSync(p).size / 1024)} KB`;
const mb = (k: number) => fmt(k / 1024, 1);

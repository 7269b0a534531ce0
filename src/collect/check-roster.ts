import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { specs as defaultSpecs, type Specs } from '../specs/load-specs.js';
import { CollectError } from './collect-error.js';
import { checkPhotoFile } from './photo-check.js';
import { DEFAULT_PHOTO_RULES, type PhotoRules } from './photo-rules.js';
import { resolveColumns, type ColumnIndex } from './roster-columns.js';
import { ROSTER_FIELDS, type CellValue, type RosterField, type RosterFinding, type RosterRule, type RosterSummary } from './roster-model.js';
import type { RosterReportSink } from './roster-report-xlsx.js';
import { checkRosterRow, rowCheckContext, text, type RosterRow } from './roster-row-checks.js';
import { openRosterRows } from './roster-rows.js';

export interface RosterCheckOptions {
  /** Field -> header (or `#n`) overrides of the header lookup. */
  readonly columns?: Partial<Record<RosterField, string>> | undefined;
  /** Folder of photos named `<ID number>.jpg`: each row's photo must be there and pass the photo check. */
  readonly photosDir?: string | undefined;
  readonly photoRules?: PhotoRules | undefined;
  /** The annotated report, written row by row. */
  readonly report?: RosterReportSink | undefined;
  /** Called with every finding as it is made (a face can print as it goes). */
  readonly onFinding?: ((finding: RosterFinding) => void) | undefined;
  /** Called after each row with the rows done and the bytes of the file read. */
  readonly onProgress?: ((progress: { rows: number; bytesRead: number; size: number }) => void) | undefined;
  /** Keep the findings for the result (default true; a face that streams them may say false). */
  readonly keepFindings?: boolean | undefined;
  readonly specs?: Specs | undefined;
}

export interface RosterCheckResult {
  readonly summary: RosterSummary;
  readonly findings: readonly RosterFinding[];
}

/**
 * Checks a collection roster before it is submitted (docs/collect.md): streams the rows of a CSV
 * or XLSX, runs the per-row checks, finds duplicate ID numbers (only the IDs seen are kept, not
 * the rows) and, with a photos folder, checks each row's photo. Bad files are CollectError naming
 * the file and the row; a bad photo is a finding of its row, never a crash.
 */
export async function checkRoster(path: string, options: RosterCheckOptions = {}): Promise<RosterCheckResult> {
  const source = await openRosterRows(path);
  const ctx = rowCheckContext(options.specs ?? defaultSpecs());
  const photos = options.photosDir ? await listPhotos(options.photosDir) : undefined;
  const keep = options.keepFindings !== false;
  const findings: RosterFinding[] = [];
  const byRule: Partial<Record<RosterRule, number>> = {};
  const firstRowOf = new Map<string, number>();
  let index: ColumnIndex | undefined;
  let missingColumns: RosterField[] = [];
  let rows = 0;
  let rowsWithErrors = 0;
  let rowsWithWarnings = 0;
  let photosChecked = 0;
  try {
    for await (const raw of source.rows()) {
      if (raw.cells.every((c) => text(c) === '')) continue;
      if (!index) {
        const resolved = resolveColumns(raw.cells.map((c) => text(c)), path, options.columns);
        index = resolved.index;
        missingColumns = resolved.missing;
        options.report?.header(raw.cells);
        continue;
      }
      rows++;
      const row = pick(raw.cells, index);
      const found = checkRosterRow(raw.row, row, ctx);
      const ssn = text(row.ssn).toUpperCase();
      if (ssn) {
        const first = firstRowOf.get(ssn);
        if (first === undefined) firstRowOf.set(ssn, raw.row);
        else found.push({ row: raw.row, rule: 'ssn-duplicate', severity: 'error', field: 'ssn', message: `ID number ${ssn} is also on row ${first}` });
      }
      if (photos && options.photosDir) {
        const photoFindings = await checkRowPhoto(raw.row, ssn, photos, options.photosDir, options.photoRules ?? DEFAULT_PHOTO_RULES);
        if (photoFindings.checked) photosChecked++;
        found.push(...photoFindings.findings);
      }
      if (found.some((f) => f.severity === 'error')) rowsWithErrors++;
      else if (found.length) rowsWithWarnings++;
      for (const f of found) {
        byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
        options.onFinding?.(f);
        if (keep) findings.push(f);
      }
      options.report?.row(raw.row, raw.cells, found);
      options.onProgress?.({ rows, bytesRead: source.bytesRead(), size: source.size });
    }
  } catch (e) {
    await options.report?.abort();
    throw e;
  }
  if (!index) throw new CollectError('ROSTER_COLUMNS', `${path}: the roster is empty (no header row)`, path);
  const summary: RosterSummary = {
    file: path,
    format: source.format,
    ...(source.encoding ? { encoding: source.encoding } : {}),
    rows,
    rowsWithErrors,
    rowsWithWarnings,
    byRule,
    missingColumns,
    photosChecked,
  };
  await options.report?.finish(summary);
  return { summary, findings };
}

function pick(cells: readonly CellValue[], index: ColumnIndex): RosterRow {
  const row: RosterRow = {};
  for (const field of ROSTER_FIELDS) {
    const at = index[field];
    if (at !== undefined) row[field] = cells[at] ?? null;
  }
  return row;
}

/** Photo file names by lower-case name (one listing per roster, not one stat per row). */
async function listPhotos(dir: string): Promise<Map<string, string>> {
  try {
    const names = await readdir(dir);
    return new Map(names.map((n) => [n.toLowerCase(), n]));
  } catch (e) {
    throw new CollectError('FILE_UNREADABLE', `${dir}: cannot list the photos folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, dir, undefined, { cause: e });
  }
}

async function checkRowPhoto(
  row: number,
  ssn: string,
  photos: Map<string, string>,
  dir: string,
  rules: PhotoRules,
): Promise<{ checked: boolean; findings: RosterFinding[] }> {
  if (!ssn) return { checked: false, findings: [] };
  const name = photos.get(`${ssn.toLowerCase()}.jpg`) ?? photos.get(`${ssn.toLowerCase()}.jpeg`);
  if (!name) {
    return { checked: false, findings: [{ row, rule: 'photo-missing', severity: 'error', field: 'photo', message: `no photo ${ssn}.jpg in ${dir}` }] };
  }
  try {
    const report = await checkPhotoFile(join(dir, name), rules);
    return {
      checked: true,
      findings: report.failures.map((f) => ({ row, rule: 'photo-rule' as const, severity: 'error' as const, field: 'photo' as const, photoRule: f.rule, message: `${name}: ${f.message} (limit ${f.limit})` })),
    };
  } catch (e) {
    if (!(e instanceof CollectError)) throw e;
    return { checked: true, findings: [{ row, rule: 'photo-unreadable', severity: 'error', field: 'photo', message: `${name}: ${e.code}: ${e.message}` }] };
  }
}
